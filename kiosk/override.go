package kiosk

// One-shot staff overrides (issue 10 item 3): a logged-in staff member
// does one thing the customer may not, with a reason, and the customer
// screen returns. Which role may do which override follows from the
// role × action table in staff.go; which overrides apply in which
// checkout state is in Checkout.overrideAvailableLocked.

import (
	"errors"
	"fmt"
)

// OverrideKind is one staff override. The numbers are persisted (journal).
type OverrideKind uint8

const (
	OvApproveAge      OverrideKind = 1  // the customer's ID was checked: the age check passes
	OvRefuseAge       OverrideKind = 2  // no valid ID: the age-limited lines go
	OvVoidLine        OverrideKind = 3  // take one line (Override.Line) out of the basket
	OvCancelSale      OverrideKind = 4  // end the sale; a payment under way is reversed
	OvResumeSale      OverrideKind = 5  // send the customer back to the basket
	OvCompleteSale    OverrideKind = 6  // paid goods handed over by staff: complete the sale
	OvOpenCompartment OverrideKind = 7  // open one cabinet compartment (Override.Compartment) to restock it
	OvClearFault      OverrideKind = 8  // a device was repaired: check the devices again
	OvXReport         OverrideKind = 9  // print the X report (report.go)
	OvZReport         OverrideKind = 10 // close the day: the terminal's end of day, the Z report printed
	OvCopyReceipt     OverrideKind = 11 // print the one copy of a receipt (Override.Receipt), marked KOPI
	OvReturn          OverrideKind = 12 // take goods of a receipt back and refund (checkout_return.go)
	OvReceiveStock    OverrideKind = 13 // book goods received (Override.Receive; checkout_stock.go)
	OvTrainingMode    OverrideKind = 14 // switch training mode on, or off when it is on (checkout_training.go)
)

// OverrideKinds lists every override, in number order.
var OverrideKinds = []OverrideKind{
	OvApproveAge, OvRefuseAge, OvVoidLine, OvCancelSale, OvResumeSale, OvCompleteSale,
	OvOpenCompartment, OvClearFault, OvXReport, OvZReport, OvCopyReceipt, OvReturn,
	OvReceiveStock, OvTrainingMode,
}

var overrideNames = map[OverrideKind]string{
	OvApproveAge: "approve age", OvRefuseAge: "refuse age", OvVoidLine: "void line",
	OvCancelSale: "cancel sale", OvResumeSale: "resume sale", OvCompleteSale: "complete sale",
	OvOpenCompartment: "open compartment", OvClearFault: "clear device fault",
	OvXReport: "X report", OvZReport: "Z report", OvCopyReceipt: "copy receipt", OvReturn: "return",
	OvReceiveStock: "receive stock", OvTrainingMode: "training mode",
}

func (k OverrideKind) String() string {
	if n, ok := overrideNames[k]; ok {
		return n
	}
	return fmt.Sprintf("OverrideKind(%d)", uint8(k))
}

// Reason is why staff made an override. The numbers are persisted.
type Reason uint8

const (
	ReasonIDChecked      Reason = 1 // ID shown, old enough
	ReasonNoValidID      Reason = 2 // no valid ID, or too young
	ReasonCustomerAsked  Reason = 3
	ReasonWrongItem      Reason = 4 // scanned by mistake, wrong product or price
	ReasonPaymentProblem Reason = 5 // the terminal or the payment needs staff
	ReasonDeviceFault    Reason = 6
	ReasonRestock        Reason = 7
	ReasonRepaired       Reason = 8
	ReasonOther          Reason = 9
	ReasonEndOfDay       Reason = 10 // the day's closing (dagsoppgjør)
	ReasonTraining       Reason = 11 // staff practise (opplæring): training mode
)

var reasonNames = map[Reason]string{
	ReasonIDChecked: "ID checked", ReasonNoValidID: "no valid ID", ReasonCustomerAsked: "customer asked",
	ReasonWrongItem: "wrong item", ReasonPaymentProblem: "payment problem", ReasonDeviceFault: "device fault",
	ReasonRestock: "restock", ReasonRepaired: "repaired", ReasonOther: "other", ReasonEndOfDay: "end of day",
	ReasonTraining: "training",
}

func (r Reason) String() string {
	if n, ok := reasonNames[r]; ok {
		return n
	}
	return fmt.Sprintf("Reason(%d)", uint8(r))
}

// overrideRule is what an override needs: the action a role must be
// allowed, the reasons staff picks from (the first is the usual one),
// and whether later work fills it.
type overrideRule struct {
	action  Action
	reasons []Reason
	later   bool
}

// overrideRules is the one table of overrides. OvCancelSale needs
// ActSettlePayment instead when a payment is under way or on record
// (Checkout.overrideActionLocked).
var overrideRules = map[OverrideKind]overrideRule{
	OvApproveAge:      {ActAgeCheck, []Reason{ReasonIDChecked}, false},
	OvRefuseAge:       {ActAgeCheck, []Reason{ReasonNoValidID, ReasonCustomerAsked}, false},
	OvVoidLine:        {ActAssist, []Reason{ReasonWrongItem, ReasonCustomerAsked, ReasonOther}, false},
	OvCancelSale:      {ActAssist, []Reason{ReasonCustomerAsked, ReasonPaymentProblem, ReasonDeviceFault, ReasonOther}, false},
	OvResumeSale:      {ActAssist, []Reason{ReasonCustomerAsked, ReasonPaymentProblem, ReasonDeviceFault, ReasonOther}, false},
	OvCompleteSale:    {ActSettlePayment, []Reason{ReasonPaymentProblem, ReasonDeviceFault, ReasonOther}, false},
	OvOpenCompartment: {ActRestockCabinet, []Reason{ReasonRestock, ReasonDeviceFault, ReasonOther}, false},
	OvClearFault:      {ActServiceDevices, []Reason{ReasonRepaired}, false},
	OvXReport:         {ActXReport, []Reason{ReasonOther, ReasonEndOfDay}, false},
	OvZReport:         {ActZReport, []Reason{ReasonEndOfDay, ReasonOther}, false},
	OvCopyReceipt:     {ActCopyReceipt, []Reason{ReasonCustomerAsked}, false},
	OvReturn:          {ActReturns, []Reason{ReasonCustomerAsked, ReasonWrongItem}, false},
	OvReceiveStock:    {ActReceiveStock, []Reason{ReasonRestock}, false},
	OvTrainingMode:    {ActTrainingMode, []Reason{ReasonTraining, ReasonOther}, false},
}

// Reasons lists the reasons staff may give for k, the usual one first.
func (k OverrideKind) Reasons() []Reason { return append([]Reason(nil), overrideRules[k].reasons...) }

// Later reports whether k is an entry later work fills: shown to staff,
// never available yet.
func (k OverrideKind) Later() bool { return overrideRules[k].later }

// Override is one override staff asks for.
type Override struct {
	Kind        OverrideKind
	Reason      Reason
	Line        GTIN   // OvVoidLine: the line's product (Line.Key: an in-store line's label)
	Compartment int    // OvOpenCompartment
	Receipt     uint64 // OvCopyReceipt: the receipt's number; 0: the kiosk's last. OvReturn: the sales receipt's
	// OvReturn: the lines and quantities to take back, and how the money
	// goes back (checkout_return.go). A pointer keeps Override comparable.
	Return *ReturnRequest
	// OvReceiveStock: the goods received (checkout_stock.go).
	Receive *StockReceipt
}

// OverrideOption is an override as the staff screen offers it.
type OverrideOption struct {
	Kind      OverrideKind
	Permitted bool     // the session's role may do it
	Available bool     // it applies now (never for Later entries)
	Reasons   []Reason // to pick from, the usual one first
}

// ErrLater: the override is an entry later work fills.
var ErrLater = errors.New("kiosk: not available yet")
