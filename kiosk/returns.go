package kiosk

// Returns (issue 12 item 4): goods taken back against their sales
// receipt and the money paid back, to the card through the terminal
// (ZVT Refund 06 31) or at the counter. kassasystemforskrifta § 2-8-5:
// the return receipt «Returkvittering»; the return is a cash transaction
// of its own (SAF-T 11006 "Return payment", negative amounts as the SAF-T
// example file's return), signed in the kiosk's chain after the sales
// (Skatteetaten's signature guideline), and its receipt is journaled
// 13013 once printed. A return takes its number from the kiosk's receipt
// counter, the one sales take theirs from, so that the cash transactions
// of a kiosk are numbered without gaps (TxVerifier).

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// CodeReturnReceipt is the event code of a printed return receipt
// (PredefinedBasicID-13: 13013 "Return receipt").
const CodeReturnReceipt Code = 13013

func init() {
	codeNames[CodeReturnReceipt] = "Return receipt"
	staffErrorNames[StaffErrOverReturn] = "OverReturn"
	staffErrorNames[StaffErrRefundDeclined] = "RefundDeclined"
	staffErrorNames[StaffErrRefundUnknown] = "RefundUnknown"
}

// Staff screen errors of a return (View.Staff.Error).
const (
	// StaffErrOverReturn: arg: the receipt number; a line would return
	// more than was sold less what was returned already.
	StaffErrOverReturn StaffError = 9
	// StaffErrRefundDeclined: arg: the terminal's message; nothing was
	// refunded and nothing recorded as returned.
	StaffErrRefundDeclined StaffError = 10
	// StaffErrRefundUnknown: arg: the reason; the terminal may or may not
	// have refunded: nothing recorded as returned, check the terminal.
	StaffErrRefundUnknown StaffError = 11
)

// RefundMethod is how a return's money went back. Persisted.
type RefundMethod uint8

const (
	RefundCard    RefundMethod = 1 // to the card, through the terminal (ZVT 06 31)
	RefundCounter RefundMethod = 2 // paid out at the counter by staff, no terminal
)

func (m RefundMethod) String() string {
	switch m {
	case RefundCard:
		return "card"
	case RefundCounter:
		return "counter"
	}
	return fmt.Sprintf("RefundMethod(%d)", uint8(m))
}

// ReturnRequest is what staff chose for a return (Override.Return): the
// lines to take back and how the money goes back.
type ReturnRequest struct {
	Lines  []ReturnLine
	Refund RefundMethod
}

// ReturnLine asks to return Qty of the product GTIN of a sale.
type ReturnLine struct {
	GTIN GTIN
	Qty  int
}

// Return is a completed return: goods of one sale taken back and the
// money paid back. Amounts are positive here; its cash transaction
// (NewReturnTx) carries them negative.
type Return struct {
	No           uint64        `json:"no"` // the kiosk's receipt number, shared with sales
	ID           string        `json:"id"`
	Kiosk        string        `json:"kiosk"`
	Original     uint64        `json:"original"` // the sales receipt's number
	OriginalSale string        `json:"original_sale"`
	Time         time.Time     `json:"time"`
	Lines        []Line        `json:"lines"` // as sold (the sale's price), Qty returned
	Total        Money         `json:"total"`
	VAT          []VATLine     `json:"vat"`
	Method       RefundMethod  `json:"method"`
	Refund       PaymentResult `json:"refund,omitzero"` // the terminal's approval (RefundCard)
	Staff        string        `json:"staff"`
	Reason       Reason        `json:"reason,omitempty"`
}

// ErrOverReturn: a return asks for more of a product than its sale sold
// less what was returned of it already, or for a product the sale does
// not have, or for nothing.
var ErrOverReturn = errors.New("kiosk: more returned than was sold")

// ReturnError is a refused or failed return, naming the original receipt:
// it wraps ErrOverReturn, ErrNotFound, or the refund's failure.
type ReturnError struct {
	No  uint64
	Err error
}

func (e *ReturnError) Error() string {
	return fmt.Sprintf("kiosk: return of receipt %d: %v", e.No, e.Err)
}

// Unwrap returns the reason.
func (e *ReturnError) Unwrap() error { return e.Err }

// ReturnableLine is one line of a sale as a return sees it.
type ReturnableLine struct {
	Line     Line // as sold
	Returned int  // returned already
}

// Left is how many may still be returned.
func (l ReturnableLine) Left() int { return max(l.Line.Qty-l.Returned, 0) }

// Returnable is a sale with what was returned of it so far.
type Returnable struct {
	Sale  Sale
	Lines []ReturnableLine
}

// ReturnableOf is s with returned (per product) set against its lines,
// in the sale's order.
func ReturnableOf(s Sale, returned map[GTIN]int) Returnable {
	r := Returnable{Sale: s}
	left := map[GTIN]int{}
	for g, n := range returned {
		left[g] = n
	}
	for _, l := range s.Lines {
		n := min(left[l.Product.GTIN], l.Qty)
		left[l.Product.GTIN] -= n
		r.Lines = append(r.Lines, ReturnableLine{Line: l, Returned: n})
	}
	return r
}

// NewReturn builds the return of want from sale s, of which returned
// (per product) went back already; No, ID, Time, Method, Refund and
// Staff are the caller's to set. Errors: ErrOverReturn (wrapped) for
// nothing to return, a quantity below 1, a product s did not sell, or
// more than sold less returned.
func NewReturn(s Sale, returned map[GTIN]int, want []ReturnLine) (Return, error) {
	r := Return{Kiosk: s.Kiosk, Original: s.No, OriginalSale: s.ID}
	asked := map[GTIN]int{}
	var order []GTIN
	for _, w := range want {
		if w.Qty < 1 {
			return Return{}, fmt.Errorf("%w: %d of %s", ErrOverReturn, w.Qty, w.GTIN)
		}
		if _, ok := asked[w.GTIN]; !ok {
			order = append(order, w.GTIN)
		}
		asked[w.GTIN] += w.Qty
	}
	if len(order) == 0 {
		return Return{}, fmt.Errorf("%w: nothing to return", ErrOverReturn)
	}
	sold := map[GTIN]int{}
	prod := map[GTIN]Product{}
	pant := map[GTIN]Money{}   // what the sale charged: the pant paid is paid back
	inStore := map[GTIN]bool{} // sold by in-store code (instore.go): priced per label, not returned here
	for _, l := range s.Lines {
		inStore[l.Product.GTIN] = inStore[l.Product.GTIN] || l.InStore()
		sold[l.Product.GTIN] += l.Qty
		if _, ok := prod[l.Product.GTIN]; !ok {
			prod[l.Product.GTIN], pant[l.Product.GTIN] = l.Product, l.Pant
		}
	}
	gross := map[VATRate]Money{}
	for _, g := range order {
		p, ok := prod[g]
		if !ok {
			return Return{}, fmt.Errorf("%w: receipt %d has no %s", ErrOverReturn, s.No, g)
		}
		if inStore[g] {
			return Return{}, fmt.Errorf("%w: %s was sold by an in-store price or weight code: no return at the kiosk", ErrOverReturn, p.Name)
		}
		if left := sold[g] - returned[g]; asked[g] > left {
			return Return{}, fmt.Errorf("%w: %d × %s asked, %d sold, %d returned already", ErrOverReturn, asked[g], p.Name, sold[g], returned[g])
		}
		l := Line{Product: p, Qty: asked[g], Pant: pant[g]}
		r.Lines = append(r.Lines, l)
		r.Total += l.Total()
		gross[p.VAT] += l.Total()
	}
	r.VAT = VATBreakdown(gross)
	return r, nil
}

// CheckReturn checks, as a store does in the return's own write, that r
// returns no more of s than sold less returned: ErrOverReturn (wrapped).
func CheckReturn(s Sale, returned map[GTIN]int, r Return) error {
	want := make([]ReturnLine, 0, len(r.Lines))
	for _, l := range r.Lines {
		want = append(want, ReturnLine{GTIN: l.Product.GTIN, Qty: l.Qty})
	}
	n, err := NewReturn(s, returned, want)
	if err != nil {
		return err
	}
	if n.Total != r.Total {
		return fmt.Errorf("%w: the return's total %s is not its lines' %s", ErrOverReturn, r.Total, n.Total)
	}
	return nil
}

// NewReturnTx is the cash transaction of a completed return (r.No
// assigned), not yet signed: its lines, VAT and totals negative (SAF-T
// transAmntIn negative for money paid out), referring to the original
// receipt.
func NewReturnTx(r Return) CashTx {
	t := CashTx{Nr: r.No, Time: r.Time.UTC(), AmountIn: -r.Total, Original: r.Original}
	gross := map[VATRate]Money{}
	for _, l := range r.Lines {
		t.Lines = append(t.Lines, txLines(l, -1)...)
		gross[l.Product.VAT] -= l.Total()
	}
	for _, v := range VATBreakdown(gross) {
		t.VAT = append(t.VAT, TxVAT{Rate: v.Rate, Gross: v.Gross, Net: v.Net, VAT: v.VAT})
		t.AmountEx += v.Net
	}
	t.Payment = TxPayment{Method: r.Method.String(), Amount: -r.Total}
	if r.Method == RefundCard {
		p := r.Refund
		t.Payment.Card, t.Payment.Trace, t.Payment.ReceiptNo, t.Payment.Terminal = p.CardType, p.Trace, p.ReceiptNo, p.TerminalID
	}
	return t
}

// ReturnStore keeps the returns. Every write is durable when it returns
// and, with the journal entry it is given, all or nothing: a crash
// leaves either both or neither.
//
// Returned returns how many of each product of kiosk kioskID's sale no
// were returned so far: an empty map for none. Errors: ErrNotFound when
// the kiosk has no sale no.
//
// CompleteReturn assigns r the kiosk's next receipt number (the counter
// CompleteSale numbers sales with: the kiosk's cash transactions are
// numbered without gaps), checks r against its original sale and what
// was returned of it (CheckReturn), stores it, adds its quantities to the
// sale's returned ones, puts the stock of its lines back up (lines whose
// product left the catalog are skipped), counts it into the report totals
// (Totals.AddReturn) and journals e as the return's cash transaction:
// code CodeReturnPayment, e.ReceiptNo the number, e.Tx NewReturnTx signed
// after the kiosk's previous signature with the store's Signer. It
// returns r with No set. Errors: ErrNotFound when the kiosk has no sale
// r.Original; ErrOverReturn (wrapped); ErrConflict when a return with
// r.ID was completed already; ErrSignerUnavailable (wrapped). Nothing is
// stored on an error.
type ReturnStore interface {
	Returned(ctx context.Context, kioskID string, no uint64) (map[GTIN]int, error)
	CompleteReturn(ctx context.Context, r Return, e Entry) (Return, error)
}

// AddReturn counts the completed return r into t (§ 2-8-2 (1) p: count
// and amount of returns; the grand total of returns since installation).
// A return refunded to the card is counted apart too, for the Z report's
// comparison with the terminal's end of day, which nets refunds.
func (t *Totals) AddReturn(r Return) {
	t.Period.Returns.add(r.Total)
	t.GrandReturns += r.Total
	if r.Method == RefundCard {
		t.Period.CardRefunds.add(r.Total)
	}
}

// returnEntry is the CodeReturnPayment record of a return: the store
// sets its receipt number and cash transaction.
func returnEntry(r Return, e Entry) Entry {
	e.Code, e.SaleID, e.Amount = CodeReturnPayment, r.OriginalSale, -r.Total
	if e.Data == nil {
		e.Data = map[string]string{}
	}
	e.Data[DataOriginal] = strconv.FormatUint(r.Original, 10)
	e.Data[DataRefund] = r.Method.String()
	e.Data[DataStaff] = r.Staff
	return e
}

// Data keys of the return's records (11006 and 13013).
const (
	DataOriginal = "original" // the original sales receipt's number
	DataRefund   = "refund"   // RefundMethod
)

// returnedSorted lists m by GTIN, for stable journal text.
func returnedSorted(ls []Line) []string {
	out := make([]string, 0, len(ls))
	for _, l := range ls {
		out = append(out, fmt.Sprintf("%d × %s", l.Qty, l.Product.Name))
	}
	slices.Sort(out)
	return out
}
