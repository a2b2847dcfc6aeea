package kiosk

import (
	"fmt"
	"time"
)

// Notice is a message the kiosk shows the customer for a moment. The
// screens translate it; NoticeArg fills it in. The numbers are persisted
// in tests' golden files only, but keep them stable anyway.
type Notice uint8

const (
	NoticeNone            Notice = 0
	NoticeUnknownCode     Notice = 1  // arg: the code
	NoticeBadCode         Notice = 2  // arg: the code; not a valid barcode
	NoticeOutOfStock      Notice = 3  // arg: product name
	NoticeAgeRefused      Notice = 4  // restricted items were removed
	NoticeDeclined        Notice = 5  // arg: terminal's reason
	NoticePaymentError    Notice = 6  // arg: what failed; nothing was charged
	NoticeTooMany         Notice = 7  // arg: product name; MaxQty reached
	NoticePrinterDown     Notice = 8  // cannot print: pay at the counter
	NoticeSaleTimedOut    Notice = 9  // the previous sale was abandoned
	NoticeCabinetFault    Notice = 10 // the cabinet did not open; staff is coming
	NoticeStorageError    Notice = 11 // could not record: staff is coming
	NoticeCancelled       Notice = 12 // the sale was cancelled
	NoticeRecoveryPending Notice = 13 // a payment from before a restart needs staff
	// 14 was NoticeStaffBadge (a badge read); a badge now opens the PIN pad.
	NoticePaymentReversed Notice = 15 // arg: the sale; goods released, the terminal reversed the payment: staff is coming
	NoticeScanNotNow      Notice = 16 // arg: product name; scanned where nothing can be added (paying, age check): not added
	NoticeAgeTimeout      Notice = 17 // nobody answered the age check in time; the basket is kept
	NoticeBadgeUnknown    Notice = 18 // a staff badge nobody active holds
	NoticeBadgeLocked     Notice = 19 // arg: the time it opens ("15:04"); too many wrong PINs
	NoticeStaffNotNow     Notice = 20 // a staff badge while the terminal or the cabinet has the sale: log in after
	// NoticeReceiptNotPrinted: paid, but the receipt did not print; it
	// prints when the printer is back (ask staff).
	NoticeReceiptNotPrinted Notice = 21
	// NoticeInStoreTobacco: arg: product name; an in-store price or
	// weight code names a tobacco product, which is not sold that way.
	NoticeInStoreTobacco Notice = 22
	// NoticeAborting: the customer cancelled while the terminal has the
	// payment; the kiosk asked the terminal to abort and waits for its
	// answer (checkout_timers.go).
	NoticeAborting Notice = 30
	// NoticeTerminalSilent: the terminal stopped answering during the
	// payment; the kiosk is asking it whether the card was charged.
	NoticeTerminalSilent Notice = 31
	// NoticeTerminalUnknown: arg: the sale. The terminal did not answer
	// during this payment and could not tell whether the card was
	// charged: staff checks it (no restart happened; that is
	// NoticeRecoveryPending).
	NoticeTerminalUnknown Notice = 32
	// NoticeSoldByWeight: arg: product name; a product sold by the kg
	// was scanned or picked by its own code, without a weight: it sells
	// by the scale's label.
	NoticeSoldByWeight Notice = 33
)

var noticeNames = map[Notice]string{
	NoticeNone: "None", NoticeUnknownCode: "UnknownCode", NoticeBadCode: "BadCode",
	NoticeOutOfStock: "OutOfStock", NoticeAgeRefused: "AgeRefused", NoticeDeclined: "Declined",
	NoticePaymentError: "PaymentError", NoticeTooMany: "TooMany", NoticePrinterDown: "PrinterDown",
	NoticeSaleTimedOut: "SaleTimedOut", NoticeCabinetFault: "CabinetFault",
	NoticeStorageError: "StorageError", NoticeCancelled: "Cancelled", NoticeRecoveryPending: "RecoveryPending",
	NoticePaymentReversed: "PaymentReversed",
	NoticeScanNotNow:      "ScanNotNow", NoticeAgeTimeout: "AgeTimeout",
	NoticeBadgeUnknown: "BadgeUnknown", NoticeBadgeLocked: "BadgeLocked", NoticeStaffNotNow: "StaffNotNow",
	NoticeReceiptNotPrinted: "ReceiptNotPrinted", NoticeInStoreTobacco: "InStoreTobacco",
	NoticeAborting: "Aborting", NoticeTerminalSilent: "TerminalSilent", NoticeTerminalUnknown: "TerminalUnknown",
	NoticeSoldByWeight: "SoldByWeight",
}

func (n Notice) String() string {
	if s, ok := noticeNames[n]; ok {
		return s
	}
	return "Notice(?)"
}

// View is a snapshot of everything the customer screens show. It is a
// value: the screens never see the checkout's internals.
type View struct {
	State     State
	SaleID    string
	Lines     []Line
	Count     int
	Total     Money
	VAT       []VATLine
	Cabinet   []Product // cabinet goods to pick from, text only; shared by views: read only
	Notice    Notice
	NoticeArg string
	// Receipt is the last completed sale's receipt (Receipt state).
	Receipt   *Document
	ReceiptNo uint64
	// DoorOpen is the cabinet door sensor (Releasing state).
	DoorOpen bool
	// Fault names the failed device (OutOfOrder state).
	Fault string
	// PaperLow is shown to staff.
	PaperLow bool
	// PayStatus is the terminal's latest prompt while Paying ("tap or
	// insert card"); empty when there is none.
	PayStatus string
	// PayStatusEn is the same prompt in English.
	PayStatusEn string

	// Help is when the customer called staff with Help; zero when no call
	// is open. The customer's screen stays (basket and timers paused) with
	// a way to withdraw the call.
	Help time.Time
	// Release lists the paid cabinet goods and their compartments
	// (Releasing state).
	Release []ReleaseItem
	// Staff is the staff log-in at the kiosk; nil when nobody is logging
	// in. While it is set the screen shows the PIN pad or the staff
	// screen instead of the customer's.
	Staff *StaffView
	// Calls is the assistance queue: what waits for staff, oldest first.
	Calls []Call
	// Light is what the intervention light shows.
	Light Signal
	// Devices and Compartments are the devices' status, for staff.
	Devices      []DeviceStatus
	Compartments []CompartmentState
	// Today counts today's events, for staff.
	Today DayCounts
	// LastReceipt is the kiosk's last receipt number (0: none yet), for
	// the copy.
	LastReceipt uint64

	// Rev is the basket's revision: it goes up by one each time the
	// basket's lines differ from those last published (a scan, a pick, a
	// quantity, a line voided, the basket emptied), so a screen can say
	// which basket it drew. RevAt is when the checkout published that
	// revision (its clock), right after the change, before any
	// subscriber sees it. Zero until the basket first changes.
	Rev   uint64
	RevAt time.Time

	// LastAdded is the basket line the customer added to last (a scan,
	// a pick, a +), the one RemoveLast takes from; empty when the basket
	// is empty (checkout_words.go).
	LastAdded GTIN
	// NoticeCode is the payment terminal's result code behind
	// NoticeDeclined (ZVT 13.08 ch. 10, two hex digits, e.g. "71"), so the
	// screen can say the reason in its own language; empty otherwise.
	NoticeCode string

	// Training: the kiosk is in training mode (checkout_training.go):
	// the customer screen says no sale is real, and the assistance queue
	// holds a CallTraining until it ends.
	Training bool

	// PriceCheck is the price check's last result (PriceCheck state); nil
	// while it waits for a scan.
	PriceCheck *PriceInfo
	// WarningLeft is the time left on the inactivity warning before the
	// sale is given up (TimeoutWarning), in whole seconds: the checkout
	// publishes a view each second while it counts down, for the
	// screen's countdown and the narrator. Zero in other states and
	// while the timers wait for staff (Help, a staff log-in).
	WarningLeft time.Duration
	// ExtendsLeft is how many more times the customer can ask for more
	// time in this sale (Touch on the warning); 0 on the warning means
	// the limit is reached and the screen says so (checkout_timers.go).
	ExtendsLeft int
}

// ReleaseItem is a paid cabinet product the customer takes out.
type ReleaseItem struct {
	Name        string
	Qty         int
	Compartment int
}

// StaffPhase is where a staff log-in is.
type StaffPhase uint8

const (
	StaffPIN      StaffPhase = 1 // the badge was read: the PIN pad is shown
	StaffSignedIn StaffPhase = 2 // the PIN was right: the staff screen is shown
)

func (p StaffPhase) String() string {
	switch p {
	case StaffPIN:
		return "PIN"
	case StaffSignedIn:
		return "SignedIn"
	}
	return fmt.Sprintf("StaffPhase(%d)", uint8(p))
}

// StaffError is why the last staff step was refused, for the screen.
type StaffError uint8

const (
	StaffErrNone         StaffError = 0
	StaffErrWrongPIN     StaffError = 1 // arg: tries left
	StaffErrLocked       StaffError = 2 // arg: the time the badge opens; the PIN pad closes
	StaffErrNotPermitted StaffError = 3 // arg: the override; the role may not
	StaffErrNotNow       StaffError = 4 // arg: the override; it does not apply now
	StaffErrFailed       StaffError = 5 // arg: what failed (a device, the store)
	StaffErrCopyMade     StaffError = 6 // arg: the receipt number; its one copy was printed already
	StaffErrNoReceipt    StaffError = 7 // arg: the receipt number, empty when the kiosk has none yet
	// StaffErrReceiptQueued: arg: the receipt number; it waits in the
	// reprint queue, so there is no copy yet.
	StaffErrReceiptQueued StaffError = 8
)

var staffErrorNames = map[StaffError]string{
	StaffErrNone: "None", StaffErrWrongPIN: "WrongPIN", StaffErrLocked: "Locked",
	StaffErrNotPermitted: "NotPermitted", StaffErrNotNow: "NotNow", StaffErrFailed: "Failed",
	StaffErrCopyMade: "CopyMade", StaffErrNoReceipt: "NoReceipt", StaffErrReceiptQueued: "ReceiptQueued",
}

func (e StaffError) String() string {
	if n, ok := staffErrorNames[e]; ok {
		return n
	}
	return fmt.Sprintf("StaffError(%d)", uint8(e))
}

// StaffView is the staff log-in as the screen shows it.
type StaffView struct {
	Phase    StaffPhase
	ID       string
	Name     string
	Role     Role
	Error    StaffError
	ErrorArg string
	// Overrides are what the staff screen offers, in OverrideKinds order
	// (StaffSignedIn only).
	Overrides []OverrideOption
	// Choices are who may log in, when the key switch opened the log-in:
	// phase StaffPIN with no ID yet asks to pick one (StaffChoose).
	Choices []StaffChoice
	// Stock is receiving and the stock status (StaffSignedIn only; nil
	// without a stock store; checkout_stock.go).
	Stock *StaffStock
}

// StaffChoice is a staff member to pick on the PIN pad.
type StaffChoice struct {
	ID   string
	Name string
}

// CallKind is what a call for staff is about. The numbers are persisted.
type CallKind uint8

const (
	CallHelp       CallKind = 1 // the customer pressed Help
	CallAgeCheck   CallKind = 2 // an age check waits
	CallSale       CallKind = 3 // a payment or a release needs staff (the Assistance screen)
	CallDoorForced CallKind = 4 // a compartment opened that the kiosk did not unlock
	CallDoorOpen   CallKind = 5 // a compartment left open
	CallOutOfOrder CallKind = 6 // a device the kiosk needs is faulty
	CallTraining   CallKind = 7 // training mode is on (Arg: who switched it on): a supervisor ends it
)

var callNames = map[CallKind]string{
	CallHelp: "help", CallAgeCheck: "age check", CallSale: "sale needs staff",
	CallDoorForced: "door forced", CallDoorOpen: "door left open", CallOutOfOrder: "out of order",
	CallTraining: "training mode",
}

func (k CallKind) String() string {
	if n, ok := callNames[k]; ok {
		return n
	}
	return fmt.Sprintf("CallKind(%d)", uint8(k))
}

// Call is one entry of the assistance queue.
type Call struct {
	Kind  CallKind
	Kiosk string
	Since time.Time
	Sale  string
	Arg   string // the compartment's number (door calls), the devices (out of order)
}

// DeviceStatus is one device as staff sees it.
type DeviceStatus struct {
	Device string // DevScanner, DevPrinter, DevTerminal, DevCabinet, DevLight
	OK     bool
	Detail string // DetailFailed, DetailPaperLow, DetailForcedOpen, a device setup fault's name, or a device's error text
}

// DayCounts are today's figures for the staff screen, counted from the
// journal at start and as they happen.
type DayCounts struct {
	Sales       int
	AgeApproved int
	AgeRefused  int
	Overrides   int
	Cancelled   int
	NotPrinted  int // sales concluded without a receipt printed (13030)
	PrintedLate int // of those, receipts printed later from the queue
	Copies      int // copies of receipts (13014)
	Training    int // training sales (11001 marked training), never in Sales
	PriceChecks int // prices a customer checked without buying (13022 price-check)
}
