package kiosk

import (
	"errors"
	"fmt"
)

// State is a checkout state. The numbers are persisted (journal, health
// endpoint); never renumber.
type State uint8

const (
	Idle            State = 1  // welcome screen, empty basket
	Shopping        State = 2  // basket has items
	TimeoutWarning  State = 3  // customer inactive: "are you still there?"
	AgeCheckPending State = 4  // restricted items: waiting for staff
	Paying          State = 5  // the payment terminal has control
	PaymentDeclined State = 6  // retry or cancel
	Releasing       State = 7  // paid; cabinet unlocked, customer takes goods
	Receipt         State = 8  // thank you, receipt printed
	Assistance      State = 9  // customer or kiosk called staff
	OutOfOrder      State = 10 // a device the kiosk needs is faulty
	PriceCheck      State = 11 // price check: a scan shows the price, nothing is added (checkout_pricecheck.go)
)

var stateNames = map[State]string{
	Idle: "Idle", Shopping: "Shopping", TimeoutWarning: "TimeoutWarning",
	AgeCheckPending: "AgeCheckPending", Paying: "Paying", PaymentDeclined: "PaymentDeclined",
	Releasing: "Releasing", Receipt: "Receipt", Assistance: "Assistance", OutOfOrder: "OutOfOrder",
	PriceCheck: "PriceCheck",
}

func (s State) String() string {
	if n, ok := stateNames[s]; ok {
		return n
	}
	return fmt.Sprintf("State(%d)", uint8(s))
}

// States lists every state, in number order.
func States() []State {
	out := make([]State, 0, len(stateNames))
	for s := Idle; s <= PriceCheck; s++ {
		out = append(out, s)
	}
	return out
}

// Event is something that happened which may move the checkout. The numbers
// are persisted.
type Event uint8

const (
	EvItemAdded          Event = 1  // a product went into the basket
	EvBasketEmptied      Event = 2  // the last line was removed
	EvCheckout           Event = 3  // customer pressed pay; nothing restricted
	EvCheckoutRestricted Event = 4  // customer pressed pay; basket has 18+ items
	EvAgeApproved        Event = 5  // staff approved the age check
	EvAgeRefused         Event = 6  // staff refused; restricted lines removed
	EvPaymentApproved    Event = 7  // approved result durably journaled
	EvPaymentDeclined    Event = 8  // declined, aborted, or the terminal failed
	EvRetry              Event = 9  // customer tries paying again
	EvCancel             Event = 10 // customer abandons the sale
	EvGoodsReleased      Event = 11 // cabinet door closed again, or nothing to release
	EvReleaseFault       Event = 12 // lock fault or door left open: staff needed
	EvDone               Event = 13 // receipt screen finished
	EvStaffNeeded        Event = 14 // the kiosk calls staff: the printer failed before payment, the age check or the payment's outcome cannot be had
	EvStaffResume        Event = 15 // staff sends the customer back to the basket
	EvStaffCancel        Event = 16 // staff ends the unpaid sale
	EvStaffComplete      Event = 17 // staff handed over paid goods by hand
	EvIdleWarn           Event = 18 // inactivity: show the warning
	EvTouch              Event = 19 // customer touched the screen during the warning
	EvIdleTimeout        Event = 20 // inactivity: give up the sale
	EvDeviceFault        Event = 21 // a device the kiosk needs failed
	EvDevicesOK          Event = 22 // devices are back
	EvAgeTimeout         Event = 23 // nobody answered the age check in time: back to the basket
	EvPriceCheck         Event = 24 // customer pressed "check price"
	EvPriceCheckDone     Event = 25 // the price check ends (a tap or its time) with no basket: the welcome screen
	EvPriceCheckResume   Event = 26 // the price check ends (a tap or its time) with a basket: back to it, untouched
	// EvResumeDeclined: the customer asked for more time on a warning
	// that came over the declined screen: back to its choices
	// (checkout_timers.go).
	EvResumeDeclined Event = 30
)

var eventNames = map[Event]string{
	EvItemAdded: "ItemAdded", EvBasketEmptied: "BasketEmptied", EvCheckout: "Checkout",
	EvCheckoutRestricted: "CheckoutRestricted", EvAgeApproved: "AgeApproved", EvAgeRefused: "AgeRefused",
	EvPaymentApproved: "PaymentApproved", EvPaymentDeclined: "PaymentDeclined", EvRetry: "Retry",
	EvCancel: "Cancel", EvGoodsReleased: "GoodsReleased", EvReleaseFault: "ReleaseFault", EvDone: "Done",
	EvStaffNeeded: "StaffNeeded", EvStaffResume: "StaffResume", EvStaffCancel: "StaffCancel", EvStaffComplete: "StaffComplete",
	EvIdleWarn: "IdleWarn", EvTouch: "Touch", EvIdleTimeout: "IdleTimeout", EvDeviceFault: "DeviceFault",
	EvDevicesOK: "DevicesOK", EvAgeTimeout: "AgeTimeout",
	EvPriceCheck: "PriceCheck", EvPriceCheckDone: "PriceCheckDone", EvPriceCheckResume: "PriceCheckResume",
	EvResumeDeclined: "ResumeDeclined",
}

func (e Event) String() string {
	if n, ok := eventNames[e]; ok {
		return n
	}
	return fmt.Sprintf("Event(%d)", uint8(e))
}

// Transition is one row of the checkout table.
type Transition struct {
	From State
	On   Event
	To   State
}

// Transitions is the checkout flow as data. Money rules are in the table:
// there is no way from Paying or Releasing to Idle that skips either a
// declined payment or a completed sale, and nothing but EvPaymentApproved
// (sent only once the approval is durably journaled) reaches Releasing.
var Transitions = []Transition{
	{Idle, EvItemAdded, Shopping},
	{Idle, EvDeviceFault, OutOfOrder},

	{Shopping, EvItemAdded, Shopping},
	{Shopping, EvBasketEmptied, Idle},
	{Shopping, EvCheckout, Paying},
	{Shopping, EvCheckoutRestricted, AgeCheckPending},
	{Shopping, EvCancel, Idle},
	{Shopping, EvStaffNeeded, Assistance},
	{Shopping, EvIdleWarn, TimeoutWarning},
	{Shopping, EvDeviceFault, OutOfOrder},

	{TimeoutWarning, EvTouch, Shopping},
	{TimeoutWarning, EvItemAdded, Shopping},
	{TimeoutWarning, EvIdleTimeout, Idle},
	{TimeoutWarning, EvCancel, Idle},
	{TimeoutWarning, EvDeviceFault, OutOfOrder},
	{TimeoutWarning, EvResumeDeclined, PaymentDeclined}, // more time, over the declined screen: its choices again

	{AgeCheckPending, EvAgeApproved, Paying},
	{AgeCheckPending, EvAgeRefused, Shopping},
	{AgeCheckPending, EvAgeTimeout, Shopping},
	{AgeCheckPending, EvCancel, Idle},
	{AgeCheckPending, EvStaffNeeded, Assistance},
	{AgeCheckPending, EvDeviceFault, OutOfOrder},

	{Paying, EvPaymentApproved, Releasing},
	{Paying, EvPaymentDeclined, PaymentDeclined},

	{PaymentDeclined, EvRetry, Paying},
	{PaymentDeclined, EvCancel, Idle},
	{PaymentDeclined, EvStaffNeeded, Assistance},
	{PaymentDeclined, EvStaffResume, Shopping},    // staff sends the customer back to the basket
	{PaymentDeclined, EvIdleWarn, TimeoutWarning}, // the basket and its age approval are kept, "are you still there?" first
	{PaymentDeclined, EvDeviceFault, OutOfOrder},

	{Releasing, EvGoodsReleased, Receipt},
	{Releasing, EvReleaseFault, Assistance},

	{Receipt, EvDone, Idle},
	{Receipt, EvItemAdded, Shopping}, // next customer starts scanning at once
	{Receipt, EvDeviceFault, OutOfOrder},

	{Assistance, EvStaffResume, Shopping},
	{Assistance, EvStaffCancel, Idle},
	{Assistance, EvStaffComplete, Receipt},

	{OutOfOrder, EvDevicesOK, Idle},

	// Price check (checkout_pricecheck.go): from the welcome or the
	// basket screen, and back to the same; scans in it add nothing, so
	// the basket is as it was.
	{Idle, EvPriceCheck, PriceCheck},
	{Shopping, EvPriceCheck, PriceCheck},
	{PriceCheck, EvPriceCheckDone, Idle},
	{PriceCheck, EvPriceCheckResume, Shopping},
}

// ErrNoTransition is returned by Next when the table has no row for the
// state and event: the event is ignored and the state stays.
var ErrNoTransition = errors.New("kiosk: no transition")

var table = func() map[State]map[Event]State {
	m := make(map[State]map[Event]State)
	for _, t := range Transitions {
		if m[t.From] == nil {
			m[t.From] = make(map[Event]State)
		}
		if _, dup := m[t.From][t.On]; dup {
			panic(fmt.Sprintf("kiosk: duplicate transition %v/%v", t.From, t.On))
		}
		m[t.From][t.On] = t.To
	}
	return m
}()

// Next is the pure transition function: the state after e happens in s.
// It returns s and ErrNoTransition when e means nothing in s.
func Next(s State, e Event) (State, error) {
	if to, ok := table[s][e]; ok {
		return to, nil
	}
	return s, fmt.Errorf("%w: %v on %v", ErrNoTransition, e, s)
}

// Accepts reports whether e moves the checkout out of (or within) s.
func Accepts(s State, e Event) bool {
	_, ok := table[s][e]
	return ok
}
