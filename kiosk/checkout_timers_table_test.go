package kiosk

import (
	"errors"
	"testing"
)

// TestTimerTransitions: the rows time that adapts relies on
// (checkout_timers.go). A cancel while paying is no row: Paying is left
// only by the terminal's answer (the money rules of Transitions).
func TestTimerTransitions(t *testing.T) {
	tests := []struct {
		from State
		on   Event
		to   State
		err  error
	}{
		{Shopping, EvIdleWarn, TimeoutWarning, nil},
		{PaymentDeclined, EvIdleWarn, TimeoutWarning, nil},
		{TimeoutWarning, EvTouch, Shopping, nil},
		{TimeoutWarning, EvResumeDeclined, PaymentDeclined, nil},
		{TimeoutWarning, EvIdleTimeout, Idle, nil},
		{TimeoutWarning, EvItemAdded, Shopping, nil},
		{PaymentDeclined, EvRetry, Paying, nil},
		{PaymentDeclined, EvStaffNeeded, Assistance, nil},
		{PaymentDeclined, EvCancel, Idle, nil},
		{Paying, EvPaymentDeclined, PaymentDeclined, nil},
		// More time over the declined screen only from the warning.
		{Shopping, EvResumeDeclined, Shopping, ErrNoTransition},
		{Paying, EvResumeDeclined, Paying, ErrNoTransition},
		{Idle, EvResumeDeclined, Idle, ErrNoTransition},
		// No timer ends a payment or a release.
		{Paying, EvIdleTimeout, Paying, ErrNoTransition},
		{Paying, EvIdleWarn, Paying, ErrNoTransition},
		{Paying, EvCancel, Paying, ErrNoTransition},
		{Releasing, EvIdleWarn, Releasing, ErrNoTransition},
	}
	for _, tt := range tests {
		got, err := Next(tt.from, tt.on)
		if got != tt.to || !errors.Is(err, tt.err) {
			t.Errorf("Next(%v, %v) = %v, %v; want %v, %v", tt.from, tt.on, got, err, tt.to, tt.err)
		}
	}
	if EvResumeDeclined.String() != "ResumeDeclined" {
		t.Errorf("EvResumeDeclined is %q", EvResumeDeclined)
	}
	for _, n := range []Notice{NoticeAborting, NoticeTerminalSilent, NoticeTerminalUnknown} {
		if n.String() == "Notice(?)" {
			t.Errorf("notice %d has no name", n)
		}
	}
}
