package kiosktest_test

import (
	"context"
	"errors"
	"testing"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

type fakePaymentHarness struct {
	t *testing.T
	p *kiosktest.PaymentTerminal
}

func (h fakePaymentHarness) Terminal() kiosk.PaymentTerminal { return h.p }
func (h fakePaymentHarness) AwaitCustomer(ctx context.Context) (kiosk.PaymentRequest, error) {
	return h.p.WaitAuthorize(ctx)
}
func (h fakePaymentHarness) respond(o kiosktest.Outcome) {
	h.t.Helper()
	if err := h.p.Respond(o); err != nil {
		h.t.Fatal(err)
	}
}
func (h fakePaymentHarness) outcome(approve bool) kiosktest.Outcome {
	if approve {
		return kiosktest.PayApproved()
	}
	return kiosktest.PayDeclined("card declined")
}
func (h fakePaymentHarness) Card(approve bool) { h.respond(h.outcome(approve)) }
func (h fakePaymentHarness) CardAnswerLost(approve bool) {
	h.respond(kiosktest.PayLost(h.outcome(approve)))
}
func (h fakePaymentHarness) SetOnline(online bool) { h.p.SetOffline(!online) }
func (h fakePaymentHarness) Charged() kiosk.Money  { return h.p.Charged() }

func TestFakePaymentConformance(t *testing.T) {
	kiosktest.TestPaymentTerminal(t, func(t *testing.T) kiosktest.PaymentHarness {
		return fakePaymentHarness{t, kiosktest.NewPaymentTerminal(nil)}
	})
}

func TestFakePaymentScript(t *testing.T) {
	clk := kiosktest.NewClock(devT0)
	p := kiosktest.NewPaymentTerminal(clk)
	ctx := t.Context()
	p.Script(
		kiosktest.PayDeclined("insufficient funds"),
		kiosktest.PayUnreachable(),
		kiosktest.PayLost(kiosktest.PayApproved()),
		kiosktest.PayApproved(),
	)
	req := func(attempt int) kiosk.PaymentRequest {
		return kiosk.PaymentRequest{SaleID: "s1", Attempt: attempt, Amount: 8950}
	}
	res, err := p.Authorize(ctx, req(1))
	if err != nil || res.Approved || res.Message != "insufficient funds" || res.Amount != 8950 ||
		res.TerminalID != kiosktest.FakeTerminalID || res.Trace != "000001" || !res.Time.Equal(devT0) {
		t.Errorf("declined = %+v, %v", res, err)
	}
	if _, err := p.Authorize(ctx, req(2)); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
		t.Errorf("unreachable = %v", err)
	}
	if _, err := p.Authorize(ctx, req(3)); !errors.Is(err, kiosk.ErrOutcomeUnknown) {
		t.Errorf("lost = %v", err)
	}
	if p.Charged() != 8950 {
		t.Errorf("Charged = %v after a lost approval, want kr 89,50", p.Charged())
	}
	// Sending attempt 3 again is the bug the contract forbids.
	if _, err := p.Authorize(ctx, req(3)); !errors.Is(err, kiosktest.ErrSentTwice) {
		t.Errorf("resent = %v, want ErrSentTwice", err)
	}
	// Attempt 2 never reached the terminal: it may be sent again.
	if res, err := p.Authorize(ctx, req(2)); err != nil || !res.Approved {
		t.Errorf("attempt 2 sent again = %+v, %v", res, err)
	}
	if err := p.Confirm(ctx, req(1), true); err == nil {
		t.Errorf("Confirm of a declined payment: no error")
	}
	if err := p.Confirm(ctx, req(3), false); err != nil {
		t.Errorf("reverse attempt 3: %v", err)
	}
	if err := p.Confirm(ctx, req(3), true); err == nil {
		t.Errorf("Confirm(true) after a reversal: no error")
	}
	if err := p.Confirm(ctx, req(2), true); err != nil {
		t.Errorf("Confirm(true): %v", err)
	}
	if err := p.Confirm(ctx, req(2), true); err != nil {
		t.Errorf("Confirm(true) twice: %v", err)
	}
	if r, err := p.Recover(ctx, req(3)); err != nil || r.Approved || r.Message != "reversed" {
		t.Errorf("Recover of a reversed payment = %+v, %v", r, err)
	}
	if p.Charged() != 8950 {
		t.Errorf("Charged = %v, want kr 89,50", p.Charged())
	}
	var ops []kiosktest.PaymentOp
	for _, c := range p.Calls() {
		ops = append(ops, c.Op)
		if !c.Done {
			t.Errorf("call %+v not done", c)
		}
	}
	if len(ops) != 11 || ops[0] != kiosktest.CallAuthorize || ops[5] != kiosktest.CallConfirm || ops[10] != kiosktest.CallRecover {
		t.Errorf("Calls ops = %v", ops)
	}
}

func TestFakePaymentRespondAndAbort(t *testing.T) {
	p := kiosktest.NewPaymentTerminal(nil)
	if err := p.Respond(kiosktest.PayApproved()); err == nil {
		t.Errorf("Respond with nothing waiting: no error")
	}
	ctx, cancel := context.WithCancel(t.Context())
	type result struct {
		res kiosk.PaymentResult
		err error
	}
	done := make(chan result, 1)
	r := kiosk.PaymentRequest{SaleID: "s2", Attempt: 1, Amount: 100}
	go func() { res, err := p.Authorize(ctx, r); done <- result{res, err} }()
	if got, err := p.WaitAuthorize(t.Context()); err != nil || got != r {
		t.Fatalf("WaitAuthorize = %+v, %v", got, err)
	}
	if p.Waiting() != 1 {
		t.Errorf("Waiting = %d, want 1", p.Waiting())
	}
	calls := p.Calls()
	if len(calls) != 1 || calls[0].Done {
		t.Errorf("Calls while waiting = %+v", calls)
	}
	cancel()
	got := <-done
	if got.err != nil || got.res.Approved || got.res.Message != "aborted" {
		t.Errorf("aborted Authorize = %+v, %v; want a decline 'aborted'", got.res, got.err)
	}
	if p.Waiting() != 0 {
		t.Errorf("Waiting = %d after abort", p.Waiting())
	}
	if res, err := p.Recover(t.Context(), r); err != nil || res.Approved {
		t.Errorf("Recover of an aborted payment = %+v, %v", res, err)
	}
}
