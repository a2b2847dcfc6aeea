package kiosk

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
	NoticeStaffBadge      Notice = 14 // arg: the staff id; a badge was read (journaled as a log-in)
	NoticePaymentReversed Notice = 15 // arg: the sale; goods released, the terminal reversed the payment: staff is coming
	NoticeScanNotNow      Notice = 16 // arg: product name; scanned where nothing can be added (paying, age check): not added
	NoticeAgeTimeout      Notice = 17 // nobody answered the age check in time; the basket is kept
)

var noticeNames = map[Notice]string{
	NoticeNone: "None", NoticeUnknownCode: "UnknownCode", NoticeBadCode: "BadCode",
	NoticeOutOfStock: "OutOfStock", NoticeAgeRefused: "AgeRefused", NoticeDeclined: "Declined",
	NoticePaymentError: "PaymentError", NoticeTooMany: "TooMany", NoticePrinterDown: "PrinterDown",
	NoticeSaleTimedOut: "SaleTimedOut", NoticeCabinetFault: "CabinetFault",
	NoticeStorageError: "StorageError", NoticeCancelled: "Cancelled", NoticeRecoveryPending: "RecoveryPending",
	NoticeStaffBadge: "StaffBadge", NoticePaymentReversed: "PaymentReversed",
	NoticeScanNotNow: "ScanNotNow", NoticeAgeTimeout: "AgeTimeout",
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
	Cabinet   []Product // cabinet goods to pick from, text only
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
}
