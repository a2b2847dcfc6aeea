package kiosk

import "time"

// PaymentResult is what the payment terminal answered. It keeps only what
// the receipt and the books need: never the full card number.
type PaymentResult struct {
	Approved   bool      `json:"approved"`
	Code       string    `json:"code,omitempty"`    // the terminal's result code, e.g. ZVT "00"
	Message    string    `json:"message,omitempty"` // plain-language reason
	Amount     Money     `json:"amount"`
	Trace      string    `json:"trace,omitempty"`    // terminal trace number
	ReceiptNo  string    `json:"receipt,omitempty"`  // terminal receipt number
	CardType   string    `json:"card,omitempty"`     // e.g. "Visa", "BankAxept"
	MaskedPAN  string    `json:"pan,omitempty"`      // e.g. "************1234"
	AID        string    `json:"aid,omitempty"`      // EMV application id
	TerminalID string    `json:"terminal,omitempty"` // terminal id
	Time       time.Time `json:"time,omitempty"`     // when the terminal decided
	Lines      []string  `json:"lines,omitempty"`    // terminal receipt lines for our receipt
}

// PendingState is how far a pending sale's payment got. Persisted.
type PendingState uint8

const (
	PendingIntent   PendingState = 1 // intent journaled; the terminal may have been asked
	PendingApproved PendingState = 2 // approval journaled; cabinet not yet unlocked
	PendingReleased PendingState = 3 // cabinet unlocked: the customer may have the goods
)

func (p PendingState) String() string {
	switch p {
	case PendingIntent:
		return "intent"
	case PendingApproved:
		return "approved"
	case PendingReleased:
		return "released"
	}
	return "pending(?)"
}

// PendingSale is a sale whose payment has started but that is not yet
// completed or voided. It is stored durably so that a restart can finish it.
type PendingSale struct {
	ID         string         `json:"id"`
	Kiosk      string         `json:"kiosk"`
	Started    time.Time      `json:"started"`
	Lines      []Line         `json:"lines"`
	Amount     Money          `json:"amount"`
	State      PendingState   `json:"state"`
	Attempt    int            `json:"attempt"` // payment attempts so far, from 1
	Result     *PaymentResult `json:"result,omitempty"`
	AgeCheckBy string         `json:"age_by,omitempty"`
	// Before is where the terminal's log stood before the request left
	// (PaymentTerminal.Mark), stored with the intent.
	Before TerminalMark `json:"before,omitzero"`
	// Training: a sale made in training mode (checkout_training.go): the
	// terminal is never asked, nothing is charged.
	Training bool `json:"training,omitempty"`
}

// Request is the payment request of p's current attempt, with what the
// kiosk stored about it.
func (p PendingSale) Request() PaymentRequest {
	r := PaymentRequest{SaleID: p.ID, Attempt: p.Attempt, Amount: p.Amount, Before: p.Before, Training: p.Training}
	if p.Result != nil {
		r.Trace, r.ReceiptNo = p.Result.Trace, p.Result.ReceiptNo
	}
	return r
}

// Sale is a completed sale with its gap-free receipt number.
type Sale struct {
	No         uint64        `json:"no"` // per kiosk, from 1, no gaps
	ID         string        `json:"id"`
	Kiosk      string        `json:"kiosk"`
	Started    time.Time     `json:"started"`
	Completed  time.Time     `json:"completed"`
	Lines      []Line        `json:"lines"`
	Total      Money         `json:"total"`
	VAT        []VATLine     `json:"vat"`
	Payment    PaymentResult `json:"payment"`
	AgeCheckBy string        `json:"age_by,omitempty"`
	// Training: a training sale (kassasystemforskrifta § 2-8-7): nothing
	// was charged, no stock moved, its receipt is a training receipt and
	// the reports count it apart from the sales (Totals.AddSale).
	Training bool `json:"training,omitempty"`
}

// NewSale builds the completed sale from a pending one. No is left for the
// store to assign. Each line's VAT rate becomes its group's rate in force
// at at (VATRate.At, vatdate.go): the sale pays the rate of its time.
func NewSale(p PendingSale, at time.Time) Sale {
	lines := AtTime(p.Lines, at)
	s := Sale{
		ID: p.ID, Kiosk: p.Kiosk, Started: p.Started, Completed: at,
		Lines: lines, Total: p.Amount,
		VAT: VATBreakdown(grossByRate(lines)), AgeCheckBy: p.AgeCheckBy, Training: p.Training,
	}
	if p.Result != nil {
		s.Payment = *p.Result
	}
	return s
}
