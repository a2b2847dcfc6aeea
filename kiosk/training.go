package kiosk

// Training mode (kassasystemforskrifta § 2-8-7; issue 12 item 4): staff
// practise on the kiosk with real goods and no money. A supervisor
// switches it on and off (13023, 13024); a sale in training mode is a
// cash transaction marked training (SAF-T trainingID), signed like any
// other, whose payment the kiosk approves itself without asking the
// terminal; no stock moves; its receipt is a training receipt marked
// «TRENING» and «IKKE KVITTERING FOR KJØP» in letters larger than the
// amounts, journaled 13017 once printed; the reports count it apart
// from the sales (Totals.AddSale). How the checkout runs it is
// checkout_training.go.

import (
	"context"
	"time"
)

// Event codes of training mode (SAF-T Cash Register,
// PredefinedBasicID-13). Persisted.
const (
	CodeTrainingReceipt Code = 13017 // a training receipt printed
	CodeTrainingOn      Code = 13023 // training mode switched on
	CodeTrainingOff     Code = 13024 // training mode switched off
)

func init() {
	codeNames[CodeTrainingReceipt] = "Training receipt"
	codeNames[CodeTrainingOn] = "Training mode on"
	codeNames[CodeTrainingOff] = "Training mode off"
}

// PaymentTraining is TxPayment.Method of a training transaction: nobody
// paid.
const PaymentTraining = "training"

// DataTraining is set ("true") in the Data of a training sale's records
// that carry no cash transaction of their own: the payment intent and
// approval, the sale's entry as the checkout hands it to the store, a
// receipt not printed.
const DataTraining = "training"

// IsTraining reports whether e is a record of a training sale.
func IsTraining(e Entry) bool {
	return e.Data[DataTraining] == "true" || (e.Tx != nil && e.Tx.Training)
}

// Markings of a training receipt (§ 2-8-7), each printed in TrainingStyle:
// double width and height, larger than the total (double height) and
// every other amount (normal size), as the copy's KOPI (§ 2-8-6).
// "IKKE KVITTERING FOR KJØP" is two lines: 24 letters in double width
// are wider than the paper.
const (
	TrainingMark    = "TRENING"
	TrainingNotSale = "IKKE KVITTERING FOR KJØP"
)

// TrainingMarkLines are the lines TrainingNotSale is printed as.
var TrainingMarkLines = []string{"IKKE KVITTERING", "FOR KJØP"}

// TrainingStyle is how the training marks are printed.
var TrainingStyle = Style{Bold: true, DoubleWidth: true, DoubleHeight: true, Align: AlignCenter}

// trainingMarks adds the training receipt's markings to d.
func trainingMarks(d *Document) {
	d.Text(TrainingMark, TrainingStyle)
	for _, l := range TrainingMarkLines {
		d.Text(l, TrainingStyle)
	}
}

// trainingTerminal is the payment terminal of a training sale: the kiosk
// approves it itself and no terminal is ever asked (§ 2-8-7: training
// must not move money). It keeps nothing.
type trainingTerminal struct{ clock Clock }

var _ PaymentTerminal = trainingTerminal{}

// TrainingApproval is the PaymentResult.Code of a training sale's
// approval.
const TrainingApproval = "training"

func (trainingTerminal) Mark(context.Context) (TerminalMark, error) {
	return TerminalMark{Known: true}, nil
}

func (t trainingTerminal) Authorize(_ context.Context, req PaymentRequest) (PaymentResult, error) {
	return t.approval(req), nil
}

func (trainingTerminal) Confirm(context.Context, PaymentRequest, bool) error { return nil }

// Recover: a training request was approved by the kiosk; it charged
// nothing, so settling it either way costs nothing.
func (t trainingTerminal) Recover(_ context.Context, req PaymentRequest) (PaymentResult, error) {
	return t.approval(req), nil
}

func (t trainingTerminal) approval(req PaymentRequest) PaymentResult {
	var at time.Time
	if t.clock != nil {
		at = t.clock.Now()
	}
	return PaymentResult{Approved: true, Code: TrainingApproval, Amount: req.Amount, Time: at,
		Message: "training mode: approved by the kiosk, the terminal was not asked, nothing charged"}
}
