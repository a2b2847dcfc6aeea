package kiosktest

import (
	"context"
	"fmt"

	"selvkasse/kiosk"
)

var _ kiosk.TerminalRefund = (*PaymentTerminal)(nil)

// payRefunds is the fake terminal's kiosk.TerminalRefund part.
type payRefunds struct {
	script []Outcome     // ScriptRefund's, first first
	done   []kiosk.Money // approved refunds, in order
	closed int           // how many of done a CloseDay counted
	reqs   []kiosk.RefundRequest
}

// ScriptRefund queues what the next Refund calls do, one Outcome each;
// with none queued a Refund is approved. An Outcome's Err is returned
// instead of its Result (PayUnreachable: nothing refunded; PayLost(o):
// the terminal did o, the answer was lost).
func (p *PaymentTerminal) ScriptRefund(os ...Outcome) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refunds.script = append(p.refunds.script, os...)
}

// Refunded is the money the terminal paid back to cards.
func (p *PaymentTerminal) Refunded() kiosk.Money {
	p.mu.Lock()
	defer p.mu.Unlock()
	var m kiosk.Money
	for _, a := range p.refunds.done {
		m += a
	}
	return m
}

// Refunds lists the refund requests the terminal took in, in order.
func (p *PaymentTerminal) Refunds() []kiosk.RefundRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]kiosk.RefundRequest(nil), p.refunds.reqs...)
}

// Refund implements kiosk.TerminalRefund from the script: recorded as a
// CallRefund with the request's amount; ctx.Err() when ctx has ended and
// kiosk.ErrDeviceUnavailable while offline, nothing refunded either way.
func (p *PaymentTerminal) Refund(ctx context.Context, req kiosk.RefundRequest) (kiosk.PaymentResult, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	i := p.recordLocked(PaymentCall{Op: CallRefund, Req: kiosk.PaymentRequest{SaleID: req.ReturnID, Amount: req.Amount}})
	switch {
	case ctx.Err() != nil:
		return p.finishLocked(i, kiosk.PaymentResult{}, ctx.Err())
	case p.offline:
		return p.finishLocked(i, kiosk.PaymentResult{}, offlineErr("refund"))
	case req.Amount <= 0:
		return p.finishLocked(i, kiosk.PaymentResult{}, fmt.Errorf("kiosktest: refund of %s", req.Amount))
	}
	o := PayApproved()
	if len(p.refunds.script) > 0 {
		o, p.refunds.script = p.refunds.script[0], p.refunds.script[1:]
	}
	if o.Err != nil && !o.Result.Approved && o.Result.Code == "" {
		return p.finishLocked(i, kiosk.PaymentResult{}, o.Err) // never reached the terminal
	}
	p.refunds.reqs = append(p.refunds.reqs, req)
	res := o.Result
	res.Lines = append([]string(nil), o.Result.Lines...)
	if res.Amount == 0 {
		res.Amount = req.Amount
	}
	p.trace++
	if res.Trace == "" {
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
	if res.Approved {
		p.refunds.done = append(p.refunds.done, res.Amount)
	}
	if o.Err != nil {
		return p.finishLocked(i, kiosk.PaymentResult{}, o.Err)
	}
	return p.finishLocked(i, res, nil)
}

// closeRefundsLocked nets the refunds not yet in an end of day into tot.
func (p *PaymentTerminal) closeRefundsLocked(tot *kiosk.TerminalTotals) {
	for _, a := range p.refunds.done[p.refunds.closed:] {
		tot.Count++
		tot.Amount -= a
	}
	p.refunds.closed = len(p.refunds.done)
}
