package kiosk

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// The journal records each cash transaction in full: its lines, prices,
// VAT and payment are inside the chained record, with the transaction's
// signature, so that nothing of a sale lives outside the evidence and a
// changed amount breaks both the chain and the signature
// (kassasystemforskrifta § 2-7 (1): the electronic journal is secured
// against alteration; § 1-2 k: what it must hold). The stored Sale is a copy
// for look-ups; `journal verify` checks it against the record.

// Transaction codes (SAF-T Cash Register, PredefinedBasicID-11) are the
// codes of the journal records of cash transactions; every other record
// has an event code (PredefinedBasicID-13). Persisted.
const (
	CodeCashSale      Code = 11001 // a sale: the customer paid
	CodeReturnPayment Code = 11006 // money back to the customer for returned goods
)

func init() {
	codeNames[CodeCashSale] = "Cash sale"
	codeNames[CodeReturnPayment] = "Return payment"
}

// CashTx is a cash transaction as the journal records it (SAF-T
// cashtransaction): the whole sale, signed.
type CashTx struct {
	Nr       uint64    `json:"nr"`   // the receipt number, per kiosk, from 1
	Time     time.Time `json:"time"` // when the sale was concluded
	Lines    []TxLine  `json:"lines"`
	VAT      []TxVAT   `json:"vat"`
	AmountIn Money     `json:"amount_in"` // the total, VAT included
	AmountEx Money     `json:"amount_ex"` // the total without VAT
	Payment  TxPayment `json:"payment"`
	// Training marks a training transaction (SAF-T trainingID;
	// kassasystemforskrifta § 2-8-7): signed like any other, never a sale.
	Training bool `json:"training,omitempty"`
	// Original is, for a return (CodeReturnPayment), the number of the
	// sales receipt whose goods came back; 0 for a sale.
	Original uint64 `json:"original,omitempty"`
	// Signature (base64) and KeyVersion: the signature over
	// SignatureInput(previous) and the key that made it.
	Signature  string     `json:"signature"`
	KeyVersion KeyVersion `json:"key_version"`
}

// TxLine is one line of a cash transaction: the product as sold.
type TxLine struct {
	GTIN   GTIN    `json:"gtin"`
	Name   string  `json:"name"`
	Group  Group   `json:"group"`
	VAT    VATRate `json:"vat"`
	Price  Money   `json:"price"` // per unit, VAT included
	Qty    int     `json:"qty"`
	Amount Money   `json:"amount"` // Price × Qty; a weight line's WeightAmount(Price, Grams) × Qty
	// Code is the in-store code a line was sold by, Grams the weight of a
	// weight line, whose Price is per kg (instore.go); empty and 0 on others.
	Code  GTIN `json:"code,omitempty"`
	Grams int  `json:"grams,omitempty"`
	// Pant: the line is the pant (deposit) of the goods on the line
	// before it. It has their GTIN, group, VAT rate and quantity, Name
	// PantName, and Price the pant per unit (Line.Pant).
	Pant bool `json:"pant,omitempty"`
}

// txLines are the cash transaction's lines of a basket line, sign 1 for a
// sale and -1 for a return: the goods, and their pant on a line of its
// own when the line has any.
func txLines(l Line, sign int) []TxLine {
	p := l.Product
	out := []TxLine{{GTIN: p.GTIN, Name: p.Name, Group: p.Group, VAT: p.VAT, Price: p.Price, Qty: sign * l.Qty, Amount: Money(sign) * l.Goods(), Code: l.Code, Grams: l.Grams}}
	if l.Pant != 0 {
		out = append(out, TxLine{GTIN: p.GTIN, Name: PantName, Group: p.Group, VAT: p.VAT, Price: l.Pant, Qty: sign * l.Qty, Amount: Money(sign) * l.PantTotal(), Pant: true})
	}
	return out
}

// PantName names a pant line on the receipt, in the journal and in the
// SAF-T file.
const PantName = "Pant"

// want is what l's amount must be.
func (l TxLine) want() Money {
	if l.Grams != 0 {
		return WeightAmount(l.Price, l.Grams) * Money(l.Qty)
	}
	return l.Price * Money(l.Qty)
}

// TxVAT is the VAT of one rate in a cash transaction.
type TxVAT struct {
	Rate  VATRate `json:"rate"`
	Gross Money   `json:"gross"`
	Net   Money   `json:"net"`
	VAT   Money   `json:"vat"`
}

// TxPayment is how a cash transaction was paid: by card at the terminal.
type TxPayment struct {
	Method    string `json:"method"` // "card", PaymentTraining, or a return's "card" or "counter" (RefundMethod)
	Amount    Money  `json:"amount"`
	Card      string `json:"card,omitempty"`
	Trace     string `json:"trace,omitempty"`
	ReceiptNo string `json:"receipt,omitempty"` // the terminal's
	Terminal  string `json:"terminal,omitempty"`
}

// NewCashTx is the cash transaction of a completed sale (s.No assigned),
// not yet signed.
func NewCashTx(s Sale) CashTx {
	t := CashTx{Nr: s.No, Time: s.Completed.UTC(), AmountIn: s.Total, Training: s.Training}
	for _, l := range s.Lines {
		t.Lines = append(t.Lines, txLines(l, 1)...)
	}
	for _, v := range s.VAT {
		t.VAT = append(t.VAT, TxVAT{Rate: v.Rate, Gross: v.Gross, Net: v.Net, VAT: v.VAT})
		t.AmountEx += v.Net
	}
	pay := s.Payment
	t.Payment = TxPayment{Method: "card", Amount: s.Total, Card: pay.CardType, Trace: pay.Trace, ReceiptNo: pay.ReceiptNo, Terminal: pay.TerminalID}
	if s.Training {
		t.Payment = TxPayment{Method: PaymentTraining, Amount: s.Total}
	}
	return t
}

// SignatureInput is what t's signature covers, after the kiosk's previous
// signature (FirstPreviousSignature for its first transaction).
func (t CashTx) SignatureInput(previous string) SignatureInput {
	return SignatureInput{Previous: previous, Time: t.Time, Nr: strconv.FormatUint(t.Nr, 10), AmountIn: t.AmountIn, AmountEx: t.AmountEx}
}

// ErrTxInconsistent: a cash transaction's own figures disagree (lines,
// VAT and totals), as a record edited by hand would.
var ErrTxInconsistent = errors.New("kiosk: cash transaction does not add up")

// Check recomputes t's figures from its lines: each line's amount, the
// VAT per rate and the totals. Errors: ErrTxInconsistent (wrapped).
func (t CashTx) Check() error {
	gross := map[VATRate]Money{}
	var sum Money
	for i, l := range t.Lines {
		if l.Amount != l.want() {
			return fmt.Errorf("%w: line %d: %d × %s is not %s", ErrTxInconsistent, i+1, l.Qty, l.Price, l.Amount)
		}
		gross[l.VAT] += l.Amount
		sum += l.Amount
	}
	if sum != t.AmountIn {
		return fmt.Errorf("%w: the lines make %s, the total says %s", ErrTxInconsistent, sum, t.AmountIn)
	}
	want := VATBreakdown(gross)
	if len(want) != len(t.VAT) {
		return fmt.Errorf("%w: %d VAT rates, the lines have %d", ErrTxInconsistent, len(t.VAT), len(want))
	}
	var ex Money
	for i, v := range want {
		got := t.VAT[i]
		if got.Rate != v.Rate || got.Gross != v.Gross || got.Net != v.Net || got.VAT != v.VAT {
			return fmt.Errorf("%w: VAT at %s", ErrTxInconsistent, v.Rate)
		}
		ex += v.Net
	}
	if ex != t.AmountEx {
		return fmt.Errorf("%w: without VAT %s, the rates make %s", ErrTxInconsistent, t.AmountEx, ex)
	}
	if t.Payment.Amount != t.AmountIn {
		return fmt.Errorf("%w: paid %s of %s", ErrTxInconsistent, t.Payment.Amount, t.AmountIn)
	}
	return nil
}

// ErrNotInJournal: a stored sale has no cash transaction in the journal,
// or one with other content.
var ErrNotInJournal = errors.New("kiosk: sale differs from its journal record")

// MatchesSale says whether s is the sale t records (receipt number,
// time, lines, VAT, totals, payment). Errors: ErrNotInJournal (wrapped)
// naming what differs.
func (t CashTx) MatchesSale(s Sale) error {
	want := NewCashTx(s)
	switch {
	case want.Nr != t.Nr:
		return fmt.Errorf("%w: receipt %d, the journal says %d", ErrNotInJournal, s.No, t.Nr)
	case !want.Time.Equal(t.Time):
		return fmt.Errorf("%w: receipt %d: time", ErrNotInJournal, s.No)
	case want.Training != t.Training:
		return fmt.Errorf("%w: receipt %d: training %v, the journal says %v", ErrNotInJournal, s.No, s.Training, t.Training)
	case want.AmountIn != t.AmountIn || want.AmountEx != t.AmountEx:
		return fmt.Errorf("%w: receipt %d: total %s, the journal says %s", ErrNotInJournal, s.No, s.Total, t.AmountIn)
	case len(want.Lines) != len(t.Lines) || len(want.VAT) != len(t.VAT):
		return fmt.Errorf("%w: receipt %d: lines", ErrNotInJournal, s.No)
	case want.Payment != t.Payment:
		return fmt.Errorf("%w: receipt %d: payment", ErrNotInJournal, s.No)
	}
	for i := range want.Lines {
		if want.Lines[i] != t.Lines[i] {
			return fmt.Errorf("%w: receipt %d: line %d", ErrNotInJournal, s.No, i+1)
		}
	}
	for i := range want.VAT {
		if want.VAT[i] != t.VAT[i] {
			return fmt.Errorf("%w: receipt %d: VAT", ErrNotInJournal, s.No)
		}
	}
	return nil
}
