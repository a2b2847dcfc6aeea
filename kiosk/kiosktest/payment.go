package kiosktest

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"selvkasse/kiosk"
)

// FakeTerminalID is the TerminalID the fake terminal puts in its results.
const FakeTerminalID = "FAKE0001"

// ErrSentTwice is returned by the fake terminal's Authorize for a request
// (SaleID and Attempt) that already reached it: the payment contract says
// such a request must be recovered, never sent again. Nothing is charged.
var ErrSentTwice = errors.New("kiosktest: payment request sent twice")

// Outcome is what the fake terminal does with one Authorize.
type Outcome struct {
	// Result is the terminal's decision. Where they are zero, the fake
	// fills in Amount (the request's), Trace (a counter), TerminalID,
	// Time (its clock) and, for a decline, Message.
	Result kiosk.PaymentResult
	// Err, when not nil, is what Authorize returns instead of Result. An
	// error wrapping kiosk.ErrDeviceUnavailable means the request never
	// reached the terminal: nothing is decided or charged, and Recover
	// will not know it. Any other error (use PayLost for
	// kiosk.ErrOutcomeUnknown) means the terminal decided Result, and
	// charged if it approved, but the answer was lost.
	Err error
}

// PayApproved is an approval.
func PayApproved() Outcome {
	return Outcome{Result: kiosk.PaymentResult{Approved: true, Code: "00", Message: "approved"}}
}

// PayDeclined is a decline with the terminal's reason.
func PayDeclined(message string) Outcome {
	return Outcome{Result: kiosk.PaymentResult{Code: "05", Message: message}}
}

// PayUnreachable is a request that never reached the terminal.
func PayUnreachable() Outcome {
	return Outcome{Err: fmt.Errorf("kiosktest: terminal unreachable: %w", kiosk.ErrDeviceUnavailable)}
}

// PayLost is o decided by the terminal with the answer lost on the way
// back: Authorize returns an error wrapping kiosk.ErrOutcomeUnknown.
func PayLost(o Outcome) Outcome {
	o.Err = fmt.Errorf("kiosktest: terminal answer lost: %w", kiosk.ErrOutcomeUnknown)
	return o
}

// PaymentOp names a PaymentTerminal method.
type PaymentOp uint8

const (
	CallAuthorize PaymentOp = 1
	CallConfirm   PaymentOp = 2
	CallRecover   PaymentOp = 3
	CallMark      PaymentOp = 4
	CallCloseDay  PaymentOp = 5
	CallRefund    PaymentOp = 6
)

func (o PaymentOp) String() string {
	switch o {
	case CallAuthorize:
		return "Authorize"
	case CallConfirm:
		return "Confirm"
	case CallRecover:
		return "Recover"
	case CallMark:
		return "Mark"
	case CallCloseDay:
		return "CloseDay"
	case CallRefund:
		return "Refund"
	}
	return fmt.Sprintf("PaymentOp(%d)", uint8(o))
}

// PaymentCall is one call of the fake terminal.
type PaymentCall struct {
	Op       PaymentOp
	Req      kiosk.PaymentRequest
	Released bool                // Confirm's argument
	Result   kiosk.PaymentResult // what Authorize or Recover returned
	Err      error
	Done     bool // false while an Authorize waits for Respond
}

// PaymentTerminal is a fake kiosk.PaymentTerminal. Authorize takes the
// next Outcome queued with Script; when none is queued it waits for the
// test to Respond (WaitAuthorize tells when), and an Authorize whose ctx
// ends while it waits is aborted by the terminal: a decline with the
// message "aborted". Confirm and Recover answer from the transactions the
// terminal decided; Recover of a request it never decided returns an
// error wrapping kiosk.ErrOutcomeUnknown, and of a reversed one a decline
// with the message "reversed". SetOffline makes every method fail with
// kiosk.ErrDeviceUnavailable. Every call is recorded (Calls) and Charged
// is the money taken. Make one with NewPaymentTerminal.
type PaymentTerminal struct {
	clk kiosk.Clock

	mu           sync.Mutex
	afterRelease []string
	last         []string
	confirmGate  gate // HoldConfirm
	script       []Outcome
	offline      bool
	reverseOnRel bool // SetReverseOnRelease
	calls        []PaymentCall
	received     []kiosk.PaymentRequest // Authorize requests the terminal took in
	given        int                    // how many of received WaitAuthorize returned
	waiting      []*payWaiter           // Authorize calls waiting for Respond, oldest first
	txns         map[payKey]*payTxn
	trace        int
	wake         chan struct{}
	dayClosed    map[payKey]bool // transactions a CloseDay counted
	closeDayErr  error           // FailCloseDay
	refunds      payRefunds      // refund.go
}

var (
	_ kiosk.PaymentTerminal  = (*PaymentTerminal)(nil)
	_ kiosk.TerminalEndOfDay = (*PaymentTerminal)(nil)
)

// NotCharged is the fake's Recover message for a request it never
// received.
const NotCharged = "not charged: the terminal has no transaction since the request"

type payKey struct {
	sale    string
	attempt int
}

func keyOf(r kiosk.PaymentRequest) payKey { return payKey{r.SaleID, r.Attempt} }

// payTxn is a decided transaction.
type payTxn struct {
	result   kiosk.PaymentResult
	settled  bool // Confirm was called
	released bool // Confirm's answer
}

func (t *payTxn) charged() bool { return t.result.Approved && !(t.settled && !t.released) }

type payWaiter struct {
	req  kiosk.PaymentRequest
	call int          // index in calls
	ch   chan Outcome // buffered 1: Respond never blocks
}

// NewPaymentTerminal returns an online terminal with nothing scripted.
// clk stamps the results' Time; nil means kiosk.SystemClock.
func NewPaymentTerminal(clk kiosk.Clock) *PaymentTerminal {
	if clk == nil {
		clk = kiosk.SystemClock{}
	}
	return &PaymentTerminal{clk: clk, txns: map[payKey]*payTxn{}, wake: make(chan struct{}), dayClosed: map[payKey]bool{}}
}

func (p *PaymentTerminal) changedLocked() {
	close(p.wake)
	p.wake = make(chan struct{})
}

// Script queues outcomes for the next Authorize calls, in order.
func (p *PaymentTerminal) Script(outcomes ...Outcome) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.script = append(p.script, outcomes...)
}

// SetOffline cuts the terminal off (true) or brings it back. While it is
// off, new calls return an error wrapping kiosk.ErrDeviceUnavailable; an
// Authorize already waiting keeps waiting.
func (p *PaymentTerminal) SetOffline(off bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.offline = off
	p.changedLocked()
}

// Respond ends the oldest Authorize waiting for an answer with o. It
// returns an error when no Authorize is waiting.
func (p *PaymentTerminal) Respond(o Outcome) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.waiting) == 0 {
		return errors.New("kiosktest: Respond: no Authorize is waiting")
	}
	w := p.waiting[0]
	p.waiting = p.waiting[1:]
	w.ch <- o
	p.changedLocked()
	return nil
}

// Waiting is the number of Authorize calls waiting for Respond.
func (p *PaymentTerminal) Waiting() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.waiting)
}

// WaitAuthorize returns the request of the next Authorize the terminal took
// in (one that was not refused at once because its ctx had ended or the
// terminal was offline) that no earlier WaitAuthorize returned, waiting
// for it if need be. When it returns, that Authorize has its scripted
// answer or is waiting for Respond.
func (p *PaymentTerminal) WaitAuthorize(ctx context.Context) (kiosk.PaymentRequest, error) {
	for {
		p.mu.Lock()
		if p.given < len(p.received) {
			r := p.received[p.given]
			p.given++
			p.mu.Unlock()
			return r, nil
		}
		wake := p.wake
		p.mu.Unlock()
		select {
		case <-ctx.Done():
			return kiosk.PaymentRequest{}, ctx.Err()
		case <-wake:
		}
	}
}

// Calls returns every call so far, oldest first.
func (p *PaymentTerminal) Calls() []PaymentCall {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]PaymentCall(nil), p.calls...)
}

// Charged is the money the terminal has taken: the approved transactions
// that were not reversed.
func (p *PaymentTerminal) Charged() kiosk.Money {
	p.mu.Lock()
	defer p.mu.Unlock()
	var m kiosk.Money
	for _, t := range p.txns {
		if t.charged() {
			m += t.result.Amount
		}
	}
	return m
}

func (p *PaymentTerminal) recordLocked(c PaymentCall) int {
	p.calls = append(p.calls, c)
	return len(p.calls) - 1
}

func (p *PaymentTerminal) finishLocked(i int, res kiosk.PaymentResult, err error) (kiosk.PaymentResult, error) {
	p.calls[i].Result, p.calls[i].Err, p.calls[i].Done = res, err, true
	return res, err
}

func offlineErr(op string) error {
	return fmt.Errorf("kiosktest: %s: terminal offline: %w", op, kiosk.ErrDeviceUnavailable)
}

// Authorize implements kiosk.PaymentTerminal.
func (p *PaymentTerminal) Authorize(ctx context.Context, req kiosk.PaymentRequest) (kiosk.PaymentResult, error) {
	p.mu.Lock()
	i := p.recordLocked(PaymentCall{Op: CallAuthorize, Req: req})
	switch {
	case ctx.Err() != nil:
		defer p.mu.Unlock()
		return p.finishLocked(i, kiosk.PaymentResult{}, ctx.Err())
	case p.offline:
		defer p.mu.Unlock()
		return p.finishLocked(i, kiosk.PaymentResult{}, offlineErr("authorize"))
	}
	// Sent: from here on ctx.Err() is never the answer.
	p.received = append(p.received, req)
	p.changedLocked()
	if p.txns[keyOf(req)] != nil {
		defer p.mu.Unlock()
		return p.finishLocked(i, kiosk.PaymentResult{}, fmt.Errorf("%w: sale %s attempt %d", ErrSentTwice, req.SaleID, req.Attempt))
	}
	if len(p.script) > 0 {
		o := p.script[0]
		p.script = p.script[1:]
		defer p.mu.Unlock()
		return p.decideLocked(i, req, o)
	}
	w := &payWaiter{req: req, call: i, ch: make(chan Outcome, 1)}
	p.waiting = append(p.waiting, w)
	p.mu.Unlock()

	var o Outcome
	select {
	case o = <-w.ch:
	case <-ctx.Done():
		p.mu.Lock()
		if p.dropWaiterLocked(w) {
			o = Outcome{Result: kiosk.PaymentResult{Message: "aborted"}}
		} else {
			o = <-w.ch // Respond took it first
		}
		p.mu.Unlock()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.decideLocked(i, req, o)
}

func (p *PaymentTerminal) receivedLocked(req kiosk.PaymentRequest) bool {
	for _, r := range p.received {
		if keyOf(r) == keyOf(req) {
			return true
		}
	}
	return false
}

func (p *PaymentTerminal) dropWaiterLocked(w *payWaiter) bool {
	for j, x := range p.waiting {
		if x == w {
			p.waiting = append(p.waiting[:j], p.waiting[j+1:]...)
			p.changedLocked()
			return true
		}
	}
	return false
}

// decideLocked applies o to req, the call calls[i].
func (p *PaymentTerminal) decideLocked(i int, req kiosk.PaymentRequest, o Outcome) (kiosk.PaymentResult, error) {
	if o.Err != nil && errors.Is(o.Err, kiosk.ErrDeviceUnavailable) {
		return p.finishLocked(i, kiosk.PaymentResult{}, o.Err)
	}
	res := o.Result
	if res.Amount == 0 {
		res.Amount = req.Amount
	}
	if res.Trace == "" {
		p.trace++
		res.Trace = fmt.Sprintf("%06d", p.trace)
	}
	if res.TerminalID == "" {
		res.TerminalID = FakeTerminalID
	}
	if res.Time.IsZero() {
		res.Time = p.clk.Now()
	}
	if !res.Approved && res.Message == "" {
		res.Message = "declined"
	}
	res.Lines = append([]string(nil), res.Lines...)
	p.txns[keyOf(req)] = &payTxn{result: res}
	p.changedLocked()
	if o.Err != nil {
		return p.finishLocked(i, kiosk.PaymentResult{}, o.Err)
	}
	return p.finishLocked(i, res, nil)
}

// Confirm implements kiosk.PaymentTerminal. Confirming a request the
// terminal did not approve, or confirming after a reversal (and the other
// way round), is an error; confirming the same way twice is not.
func (p *PaymentTerminal) Confirm(ctx context.Context, req kiosk.PaymentRequest, released bool) error {
	p.confirmGate.pass(ctx) // held, as a vending terminal takes its time
	p.mu.Lock()
	defer p.mu.Unlock()
	i := p.recordLocked(PaymentCall{Op: CallConfirm, Req: req, Released: released})
	done := func(err error) error {
		_, err = p.finishLocked(i, kiosk.PaymentResult{}, err)
		return err
	}
	if ctx.Err() != nil {
		return done(ctx.Err())
	}
	if p.offline {
		return done(offlineErr("confirm"))
	}
	t := p.txns[keyOf(req)]
	switch {
	case t == nil || !t.result.Approved:
		return done(fmt.Errorf("kiosktest: confirm: sale %s attempt %d was not approved", req.SaleID, req.Attempt))
	case t.settled && t.released != released:
		return done(fmt.Errorf("kiosktest: confirm(%v): sale %s attempt %d was already confirmed(%v)", released, req.SaleID, req.Attempt, t.released))
	case released && p.reverseOnRel:
		t.settled, t.released = true, false
		p.changedLocked()
		return done(fmt.Errorf("kiosktest: confirm: sale %s attempt %d reversed by the terminal's own time-out: %w", req.SaleID, req.Attempt, kiosk.ErrReversed))
	}
	t.settled, t.released = true, released
	p.last = nil
	if released {
		p.last = append([]string(nil), p.afterRelease...)
	}
	p.changedLocked()
	return done(nil)
}

var _ kiosk.TerminalReceipt = (*PaymentTerminal)(nil)

// SetReverseOnRelease makes the terminal reverse each approval on its own
// before the release reaches it, as a vending terminal whose time-out ran
// out does: Confirm(released) then returns kiosk.ErrReversed.
func (p *PaymentTerminal) SetReverseOnRelease(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.reverseOnRel = on
}

// SetReceiptAfterRelease makes the terminal send lines with each
// confirmed release, as a vending terminal sends its receipt after the
// goods are out (LastReceipt).
func (p *PaymentTerminal) SetReceiptAfterRelease(lines ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.afterRelease = lines
}

// LastReceipt implements kiosk.TerminalReceipt.
func (p *PaymentTerminal) LastReceipt() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.last...)
}

// HoldConfirm makes each Confirm wait until the returned release is
// called (or its ctx ends), for tests of what goes on meanwhile; arrived
// gets a value when a Confirm starts waiting.
func (p *PaymentTerminal) HoldConfirm() (arrived <-chan struct{}, release func()) {
	return p.confirmGate.hold()
}

// lastTraceLocked is the trace of the newest transaction, "" for none.
func (p *PaymentTerminal) lastTraceLocked() string {
	if p.trace == 0 {
		return ""
	}
	return fmt.Sprintf("%06d", p.trace)
}

// Mark implements kiosk.PaymentTerminal: the trace of the terminal's
// newest transaction.
func (p *PaymentTerminal) Mark(ctx context.Context) (kiosk.TerminalMark, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	i := p.recordLocked(PaymentCall{Op: CallMark})
	done := func(err error) (kiosk.TerminalMark, error) {
		_, err = p.finishLocked(i, kiosk.PaymentResult{}, err)
		return kiosk.TerminalMark{}, err
	}
	if ctx.Err() != nil {
		return done(ctx.Err())
	}
	if p.offline {
		return done(offlineErr("mark"))
	}
	p.finishLocked(i, kiosk.PaymentResult{}, nil)
	return kiosk.TerminalMark{Known: true, Trace: p.lastTraceLocked()}, nil
}

// Recover implements kiosk.PaymentTerminal. A request the terminal never
// received, made after a mark that is still its newest transaction, is
// "not charged"; one it received but has not decided is unknown.
func (p *PaymentTerminal) Recover(ctx context.Context, req kiosk.PaymentRequest) (kiosk.PaymentResult, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	i := p.recordLocked(PaymentCall{Op: CallRecover, Req: req})
	if ctx.Err() != nil {
		return p.finishLocked(i, kiosk.PaymentResult{}, ctx.Err())
	}
	if p.offline {
		return p.finishLocked(i, kiosk.PaymentResult{}, offlineErr("recover"))
	}
	t := p.txns[keyOf(req)]
	if t == nil && !p.receivedLocked(req) && req.Before.Known && req.Before.Trace == p.lastTraceLocked() {
		return p.finishLocked(i, kiosk.PaymentResult{Amount: req.Amount, Message: NotCharged, Time: p.clk.Now()}, nil)
	}
	if t == nil {
		return p.finishLocked(i, kiosk.PaymentResult{}, fmt.Errorf("kiosktest: recover: sale %s attempt %d never reached the terminal: %w", req.SaleID, req.Attempt, kiosk.ErrOutcomeUnknown))
	}
	res := t.result
	res.Lines = append([]string(nil), res.Lines...)
	if t.result.Approved && t.settled && !t.released {
		res.Approved, res.Message = false, "reversed"
	}
	return p.finishLocked(i, res, nil)
}

// FailCloseDay makes every CloseDay fail with err until it is called
// with nil.
func (p *PaymentTerminal) FailCloseDay(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closeDayErr = err
}

// CloseDay implements kiosk.TerminalEndOfDay: the approved transactions
// not reversed since the last CloseDay, which are then counted no more.
func (p *PaymentTerminal) CloseDay(ctx context.Context) (kiosk.TerminalTotals, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	i := p.recordLocked(PaymentCall{Op: CallCloseDay})
	fail := func(err error) (kiosk.TerminalTotals, error) {
		_, err = p.finishLocked(i, kiosk.PaymentResult{}, err)
		return kiosk.TerminalTotals{}, err
	}
	switch {
	case ctx.Err() != nil:
		return fail(ctx.Err())
	case p.offline:
		return fail(offlineErr("close day"))
	case p.closeDayErr != nil:
		return fail(p.closeDayErr)
	}
	var tot kiosk.TerminalTotals
	for k, t := range p.txns {
		if t.charged() && !p.dayClosed[k] {
			tot.Count++
			tot.Amount += t.result.Amount
			p.dayClosed[k] = true
		}
	}
	p.closeRefundsLocked(&tot)
	p.trace++
	tot.Trace = p.lastTraceLocked()
	p.finishLocked(i, kiosk.PaymentResult{Amount: tot.Amount}, nil)
	return tot, nil
}
