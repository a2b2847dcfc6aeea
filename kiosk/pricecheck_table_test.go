package kiosk

import (
	"errors"
	"testing"
)

// TestNextPriceCheck: the price check is entered from the welcome and the
// basket screen only, and leaves to the screen it came from; nothing in
// it adds, pays or cancels.
func TestNextPriceCheck(t *testing.T) {
	for _, tt := range []struct {
		from State
		on   Event
		to   State
		err  error
	}{
		{Idle, EvPriceCheck, PriceCheck, nil},
		{Shopping, EvPriceCheck, PriceCheck, nil},
		{PriceCheck, EvPriceCheckDone, Idle, nil},
		{PriceCheck, EvPriceCheckResume, Shopping, nil},
		// Nowhere else: not while paying, releasing, asking for the age
		// or for staff, nor out of order.
		{Paying, EvPriceCheck, Paying, ErrNoTransition},
		{AgeCheckPending, EvPriceCheck, AgeCheckPending, ErrNoTransition},
		{Releasing, EvPriceCheck, Releasing, ErrNoTransition},
		{Receipt, EvPriceCheck, Receipt, ErrNoTransition},
		{Assistance, EvPriceCheck, Assistance, ErrNoTransition},
		{OutOfOrder, EvPriceCheck, OutOfOrder, ErrNoTransition},
		{TimeoutWarning, EvPriceCheck, TimeoutWarning, ErrNoTransition},
		{PaymentDeclined, EvPriceCheck, PaymentDeclined, ErrNoTransition},
		// A scan in the price check adds nothing; the check cannot pay.
		{PriceCheck, EvItemAdded, PriceCheck, ErrNoTransition},
		{PriceCheck, EvCheckout, PriceCheck, ErrNoTransition},
		{PriceCheck, EvCheckoutRestricted, PriceCheck, ErrNoTransition},
		{PriceCheck, EvCancel, PriceCheck, ErrNoTransition},
		{PriceCheck, EvIdleWarn, PriceCheck, ErrNoTransition},
		{PriceCheck, EvPriceCheck, PriceCheck, ErrNoTransition},
		// Leaving is only from the price check.
		{Idle, EvPriceCheckDone, Idle, ErrNoTransition},
		{Shopping, EvPriceCheckResume, Shopping, ErrNoTransition},
		{Paying, EvPriceCheckResume, Paying, ErrNoTransition},
	} {
		got, err := Next(tt.from, tt.on)
		if got != tt.to || !errors.Is(err, tt.err) {
			t.Errorf("Next(%v, %v) = %v, %v; want %v, %v", tt.from, tt.on, got, err, tt.to, tt.err)
		}
	}
	for _, x := range []interface{ String() string }{PriceCheck, EvPriceCheck, EvPriceCheckDone, EvPriceCheckResume, NoticeInStoreTobacco, InStoreWeight} {
		if s := x.String(); s == "" || s[len(s)-1] == ')' {
			t.Errorf("%#v has no name: %q", x, s)
		}
	}
	if s := States(); s[len(s)-1] != PriceCheck {
		t.Errorf("States() = %v, lacks PriceCheck", s)
	}
}
