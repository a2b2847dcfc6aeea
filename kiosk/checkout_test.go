package kiosk

import (
	"errors"
	"testing"
)

func TestNext(t *testing.T) {
	tests := []struct {
		from State
		on   Event
		to   State
		err  error
	}{
		{Idle, EvItemAdded, Shopping, nil},
		{Shopping, EvCheckout, Paying, nil},
		{Shopping, EvCheckoutRestricted, AgeCheckPending, nil},
		{AgeCheckPending, EvAgeApproved, Paying, nil},
		{AgeCheckPending, EvAgeRefused, Shopping, nil},
		{Paying, EvPaymentApproved, Releasing, nil},
		{Paying, EvPaymentDeclined, PaymentDeclined, nil},
		{PaymentDeclined, EvRetry, Paying, nil},
		{PaymentDeclined, EvCancel, Idle, nil},
		{Releasing, EvGoodsReleased, Receipt, nil},
		{Receipt, EvDone, Idle, nil},
		{Shopping, EvIdleWarn, TimeoutWarning, nil},
		{TimeoutWarning, EvTouch, Shopping, nil},
		{TimeoutWarning, EvIdleTimeout, Idle, nil},
		{Shopping, EvStaffNeeded, Assistance, nil},
		{Assistance, EvStaffResume, Shopping, nil},
		{Idle, EvDeviceFault, OutOfOrder, nil},
		{OutOfOrder, EvDevicesOK, Idle, nil},
		// Money rules: no shortcut out of paying or releasing.
		{Paying, EvCancel, Paying, ErrNoTransition},
		{Paying, EvStaffNeeded, Paying, ErrNoTransition},
		{Paying, EvDeviceFault, Paying, ErrNoTransition},
		{Releasing, EvCancel, Releasing, ErrNoTransition},
		{Shopping, EvPaymentApproved, Shopping, ErrNoTransition},
		{AgeCheckPending, EvPaymentApproved, AgeCheckPending, ErrNoTransition},
		{Idle, EvCheckout, Idle, ErrNoTransition},
		{OutOfOrder, EvItemAdded, OutOfOrder, ErrNoTransition},
	}
	for _, tt := range tests {
		got, err := Next(tt.from, tt.on)
		if got != tt.to || !errors.Is(err, tt.err) {
			t.Errorf("Next(%v, %v) = %v, %v; want %v, %v", tt.from, tt.on, got, err, tt.to, tt.err)
		}
	}
}

// TestEveryStateReachesIdleOrOutOfOrder walks the table backwards from Idle
// and OutOfOrder: no state may be a trap.
func TestEveryStateReachesIdleOrOutOfOrder(t *testing.T) {
	good := map[State]bool{Idle: true, OutOfOrder: true}
	for changed := true; changed; {
		changed = false
		for _, tr := range Transitions {
			if good[tr.To] && !good[tr.From] {
				good[tr.From] = true
				changed = true
			}
		}
	}
	for _, s := range States() {
		if !good[s] {
			t.Errorf("%v cannot reach Idle or OutOfOrder", s)
		}
	}
}

// TestEveryStateReachable walks forward from Idle.
func TestEveryStateReachable(t *testing.T) {
	seen := map[State]bool{Idle: true}
	for changed := true; changed; {
		changed = false
		for _, tr := range Transitions {
			if seen[tr.From] && !seen[tr.To] {
				seen[tr.To] = true
				changed = true
			}
		}
	}
	for _, s := range States() {
		if !seen[s] {
			t.Errorf("%v is unreachable from Idle", s)
		}
	}
}

// TestOnlyApprovalReleases: the only way into Releasing is an approved
// payment, and the only way into Receipt goes through Releasing or staff
// completing a paid sale.
func TestOnlyApprovalReleases(t *testing.T) {
	for _, tr := range Transitions {
		if tr.To == Releasing && tr.From != Releasing && tr.On != EvPaymentApproved {
			t.Errorf("%v --%v--> Releasing without approval", tr.From, tr.On)
		}
		if tr.To == Receipt && tr.From != Receipt && tr.On != EvGoodsReleased && tr.On != EvStaffComplete {
			t.Errorf("%v --%v--> Receipt without a completed sale", tr.From, tr.On)
		}
	}
}

func TestEnumNames(t *testing.T) {
	for _, s := range States() {
		if s.String() == "" || s.String()[0] == 'S' && s.String()[:6] == "State(" {
			t.Errorf("state %d has no name", s)
		}
	}
	for _, tr := range Transitions {
		if _, ok := eventNames[tr.On]; !ok {
			t.Errorf("event %d has no name", tr.On)
		}
		if _, ok := stateNames[tr.To]; !ok {
			t.Errorf("state %d has no name", tr.To)
		}
	}
	if State(77).String() != "State(77)" {
		t.Error("unknown state not shown as a number")
	}
}
