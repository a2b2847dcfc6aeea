package sim

import (
	"context"
	"fmt"

	"selvkasse/kiosk"
)

// What the simulated terminal shows and answers. The card is always the
// same test Visa card.
const (
	TerminalID = "SIM00001"
	CardType   = "Visa"
	MaskedPAN  = "************4242"
	AID        = "A0000000031010" // Visa credit/debit

	MsgApproved = "Godkjent"
	MsgDeclined = "Kortet ble avvist"
	MsgAborted  = "Betalingen ble avbrutt"
	MsgReversed = "Betalingen ble reversert"
)

type cardOutcome uint8

const (
	cardApproved cardOutcome = 1
	cardDeclined cardOutcome = 2
	cardAborted  cardOutcome = 3 // the kiosk withdrew the request, or the line went
)

type txnKey struct {
	sale    string
	attempt int
}

func keyOf(r kiosk.PaymentRequest) txnKey { return txnKey{r.SaleID, r.Attempt} }

// txn is a payment the terminal decided.
type txn struct {
	result   kiosk.PaymentResult
	settled  bool // confirmed or reversed
	released bool
}

func (t *txn) charged() bool { return t.result.Approved && !(t.settled && !t.released) }

type payWait struct {
	req    kiosk.PaymentRequest
	prompt string
	ch     chan payAnswer // buffered 1
}

type payAnswer struct {
	res  kiosk.PaymentResult
	lost bool // the terminal decided res, the kiosk never hears it
}

type terminal struct{ d *Devices }

var _ kiosk.PaymentTerminal = terminal{}

// Terminal is the simulated payment terminal's port. Authorize shows the
// amount and waits for the customer's card (Card, CardDropped); a request
// the kiosk withdraws (ctx) is aborted by the terminal, a decline. Confirm
// and Recover answer from what the terminal remembers by SaleID and
// Attempt: Recover of a request it never saw returns
// kiosk.ErrOutcomeUnknown.
func (d *Devices) Terminal() kiosk.PaymentTerminal { return terminal{d} }

// Card is the customer's card at the waiting payment: approve true means
// the bank approves it. It does nothing when no payment waits.
func (d *Devices) Card(approve bool) { d.card(approve, false) }

// CardDropped is Card with the line to the kiosk dropping just after the
// terminal decided: the kiosk's Authorize returns kiosk.ErrOutcomeUnknown
// and must Recover.
func (d *Devices) CardDropped(approve bool) { d.card(approve, true) }

func (d *Devices) card(approve, lost bool) {
	d.mu.Lock()
	w := d.pay
	if w == nil {
		d.mu.Unlock()
		return
	}
	d.pay = nil
	out := cardDeclined
	if approve {
		out = cardApproved
	}
	w.ch <- payAnswer{res: d.decideLocked(w.req, out), lost: lost}
	d.unlockChanged()
}

// decideLocked makes and remembers the terminal's result for req.
func (d *Devices) decideLocked(req kiosk.PaymentRequest, out cardOutcome) kiosk.PaymentResult {
	d.trace++
	res := kiosk.PaymentResult{
		Amount: req.Amount, Trace: fmt.Sprintf("%06d", d.trace),
		TerminalID: TerminalID, Time: d.clk.Now(),
	}
	switch out {
	case cardApproved:
		res.Approved, res.Code, res.Message = true, "00", MsgApproved
		res.ReceiptNo = fmt.Sprintf("%04d", d.trace)
		res.CardType, res.MaskedPAN, res.AID = CardType, MaskedPAN, AID
		res.Lines = []string{"AID " + AID, "Kontaktløs", "Kvittering " + res.ReceiptNo}
	case cardDeclined:
		res.Code, res.Message = "05", MsgDeclined
		res.CardType, res.MaskedPAN = CardType, MaskedPAN
	default:
		res.Message = MsgAborted
	}
	d.txns[keyOf(req)] = &txn{result: res}
	return res
}

func (r payAnswer) result() (kiosk.PaymentResult, error) {
	if r.lost {
		return kiosk.PaymentResult{}, fmt.Errorf("sim: payment terminal: no answer: %w", kiosk.ErrOutcomeUnknown)
	}
	return r.res, nil
}

// Authorize implements kiosk.PaymentTerminal.
func (t terminal) Authorize(ctx context.Context, req kiosk.PaymentRequest) (kiosk.PaymentResult, error) {
	d := t.d
	d.mu.Lock()
	switch {
	case ctx.Err() != nil:
		d.mu.Unlock()
		return kiosk.PaymentResult{}, ctx.Err()
	case d.offline[DevTerminal]:
		d.mu.Unlock()
		return kiosk.PaymentResult{}, offline(DevTerminal)
	case d.pay != nil:
		d.mu.Unlock()
		return kiosk.PaymentResult{}, fmt.Errorf("sim: payment terminal busy with sale %s: %w", d.pay.req.SaleID, kiosk.ErrDeviceUnavailable)
	}
	w := &payWait{
		req:    req,
		prompt: fmt.Sprintf("Beløp %s. Sett inn eller hold kortet mot leseren", req.Amount),
		ch:     make(chan payAnswer, 1),
	}
	d.pay = w
	d.unlockChanged()

	select {
	case a := <-w.ch:
		return a.result()
	case <-ctx.Done():
	}
	d.mu.Lock()
	if d.pay != w { // answered just as ctx ended
		d.mu.Unlock()
		return (<-w.ch).result()
	}
	d.pay = nil
	res := d.decideLocked(req, cardAborted)
	d.unlockChanged()
	return res, nil
}

// Confirm implements kiosk.PaymentTerminal.
func (t terminal) Confirm(ctx context.Context, req kiosk.PaymentRequest, released bool) error {
	d := t.d
	d.mu.Lock()
	if err := ctx.Err(); err != nil {
		d.mu.Unlock()
		return err
	}
	if d.offline[DevTerminal] {
		d.mu.Unlock()
		return offline(DevTerminal)
	}
	x := d.txns[keyOf(req)]
	switch {
	case x == nil || !x.result.Approved:
		d.mu.Unlock()
		return fmt.Errorf("sim: confirm: the terminal approved no payment for sale %s attempt %d", req.SaleID, req.Attempt)
	case x.settled && x.released != released:
		d.mu.Unlock()
		return fmt.Errorf("sim: confirm: payment for sale %s attempt %d was already settled the other way", req.SaleID, req.Attempt)
	}
	x.settled, x.released = true, released
	d.unlockChanged()
	return nil
}

// Recover implements kiosk.PaymentTerminal.
func (t terminal) Recover(ctx context.Context, req kiosk.PaymentRequest) (kiosk.PaymentResult, error) {
	d := t.d
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return kiosk.PaymentResult{}, err
	}
	if d.offline[DevTerminal] {
		return kiosk.PaymentResult{}, offline(DevTerminal)
	}
	x := d.txns[keyOf(req)]
	if x == nil {
		return kiosk.PaymentResult{}, fmt.Errorf("sim: recover: no record of sale %s attempt %d: %w", req.SaleID, req.Attempt, kiosk.ErrOutcomeUnknown)
	}
	res := x.result
	res.Lines = append([]string(nil), res.Lines...)
	if x.settled && !x.released && res.Approved {
		res.Approved, res.Message = false, MsgReversed
	}
	return res, nil
}
