package kiosktest

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"testing"

	"selvkasse/kiosk"
)

// PaymentHarness is a kiosk.PaymentTerminal under test and the means to act
// as the customer at the terminal and as the line to it. A harness for a
// real driver runs a terminal simulator at the other end of the wire (ZVT
// over a pseudo-terminal or a socket). Harness methods are called from the
// test's goroutine and report their own failures to the harness's t.
type PaymentHarness interface {
	// Terminal is the port under test.
	Terminal() kiosk.PaymentTerminal
	// AwaitCustomer returns once an Authorize has reached the terminal and
	// the terminal waits for the customer's card, and returns its request.
	AwaitCustomer(ctx context.Context) (kiosk.PaymentRequest, error)
	// Card ends the request the customer sees: approve true approves it,
	// false declines it. The answer goes back to the port.
	Card(approve bool)
	// CardAnswerLost ends it the same way, but the answer is lost on the
	// way back: the terminal decided (and charged, if it approved), the
	// port cannot know.
	CardAnswerLost(approve bool)
	// SetOnline(false) cuts the terminal off: nothing reaches it and
	// nothing comes back. SetOnline(true) restores the line and returns
	// once the port can reach the terminal.
	SetOnline(online bool)
	// Charged is the money the terminal has taken from cards: approvals
	// minus reversals.
	Charged() kiosk.Money
}

// TestPaymentTerminal checks a kiosk.PaymentTerminal against the contract
// in kiosk/ports.go. h makes a fresh harness, and the terminal behind it,
// for each subtest.
func TestPaymentTerminal(t *testing.T, h func(t *testing.T) PaymentHarness) {
	req := func(n int, kr int64) kiosk.PaymentRequest {
		return kiosk.PaymentRequest{SaleID: fmt.Sprintf("K1-conformance-%d", n), Attempt: 1, Amount: kiosk.Kroner(kr) + 50}
	}
	// marked is r with the terminal's mark, as the kiosk stores it with
	// the intent before the request leaves.
	marked := func(t *testing.T, hp PaymentHarness, r kiosk.PaymentRequest) kiosk.PaymentRequest {
		t.Helper()
		m, err := hp.Terminal().Mark(devCtx(t))
		if err != nil {
			t.Fatalf("Mark = %v", err)
		}
		r.Before = m
		return r
	}
	// start sends r and returns once the terminal waits for the card.
	start := func(t *testing.T, hp PaymentHarness, ctx context.Context, r kiosk.PaymentRequest) <-chan devResult[kiosk.PaymentResult] {
		t.Helper()
		ch := devGo(func() (kiosk.PaymentResult, error) { return hp.Terminal().Authorize(ctx, r) })
		got, err := hp.AwaitCustomer(devCtx(t))
		if err != nil {
			t.Fatalf("AwaitCustomer: %v", err)
		}
		if got != r {
			t.Fatalf("the terminal shows %+v, want %+v", got, r)
		}
		return ch
	}
	// pay runs one Authorize that the customer answers with approve.
	pay := func(t *testing.T, hp PaymentHarness, r kiosk.PaymentRequest, approve bool) (kiosk.PaymentResult, error) {
		t.Helper()
		ch := start(t, hp, devCtx(t), r)
		hp.Card(approve)
		return devRecv(t, "Authorize", ch)
	}
	mustApprove := func(t *testing.T, hp PaymentHarness, r kiosk.PaymentRequest) kiosk.PaymentResult {
		t.Helper()
		res, err := pay(t, hp, r, true)
		if err != nil || !res.Approved {
			t.Fatalf("Authorize(%+v), card approved = %+v, %v; want approved", r, res, err)
		}
		if res.Amount != r.Amount {
			t.Errorf("approved amount %v, asked %v", res.Amount, r.Amount)
		}
		return res
	}
	wantCharged := func(t *testing.T, hp PaymentHarness, want kiosk.Money) {
		t.Helper()
		if got := hp.Charged(); got != want {
			t.Errorf("the terminal has charged %v, want %v", got, want)
		}
	}
	// wantNotApproved checks Recover's answer for a request that was not
	// (or no longer) approved: a decline, or "cannot tell".
	wantNotApproved := func(t *testing.T, hp PaymentHarness, r kiosk.PaymentRequest) {
		t.Helper()
		res, err := hp.Terminal().Recover(devCtx(t), r)
		if err != nil && !errors.Is(err, kiosk.ErrOutcomeUnknown) {
			t.Errorf("Recover = %v, want a decline or kiosk.ErrOutcomeUnknown", err)
		}
		if err == nil && res.Approved {
			t.Errorf("Recover = approved %+v, but nothing was charged", res)
		}
	}
	wantRecovered := func(t *testing.T, hp PaymentHarness, r kiosk.PaymentRequest) {
		t.Helper()
		res, err := hp.Terminal().Recover(devCtx(t), r)
		if err != nil || !res.Approved || res.Amount != r.Amount {
			t.Errorf("Recover of an approved payment = %+v, %v; want approved for %v", res, err, r.Amount)
		}
	}

	tests := []struct {
		name string
		run  func(t *testing.T, hp PaymentHarness)
	}{
		{"ApproveAndConfirm", func(t *testing.T, hp PaymentHarness) {
			r := req(1, 89)
			mustApprove(t, hp, r)
			wantCharged(t, hp, r.Amount)
			if err := hp.Terminal().Confirm(devCtx(t), r, true); err != nil {
				t.Fatalf("Confirm(released) = %v", err)
			}
			wantCharged(t, hp, r.Amount)
		}},
		{"DeclineIsAResult", func(t *testing.T, hp PaymentHarness) {
			r := req(2, 120)
			res, err := pay(t, hp, r, false)
			if err != nil {
				t.Fatalf("Authorize, card declined = %v; a decline is a result with a nil error", err)
			}
			if res.Approved {
				t.Fatalf("Authorize, card declined = approved %+v", res)
			}
			if res.Message == "" {
				t.Errorf("declined result has no Message, want the reason in plain words")
			}
			wantCharged(t, hp, 0)
			wantNotApproved(t, hp, r)
			// The customer tries again with another card.
			r.Attempt++
			mustApprove(t, hp, r)
			wantCharged(t, hp, r.Amount)
		}},
		{"ConfirmFalseReverses", func(t *testing.T, hp PaymentHarness) {
			r := req(3, 64)
			mustApprove(t, hp, r)
			wantCharged(t, hp, r.Amount)
			if err := hp.Terminal().Confirm(devCtx(t), r, false); err != nil {
				t.Fatalf("Confirm(not released) = %v", err)
			}
			wantCharged(t, hp, 0)
		}},
		{"KeepOneReverseOne", func(t *testing.T, hp PaymentHarness) {
			kept, reversed := req(4, 89), req(5, 150)
			mustApprove(t, hp, kept)
			if err := hp.Terminal().Confirm(devCtx(t), kept, true); err != nil {
				t.Fatalf("Confirm(released) = %v", err)
			}
			mustApprove(t, hp, reversed)
			wantCharged(t, hp, kept.Amount+reversed.Amount)
			if err := hp.Terminal().Confirm(devCtx(t), reversed, false); err != nil {
				t.Fatalf("Confirm(not released) = %v", err)
			}
			wantCharged(t, hp, kept.Amount)
		}},
		{"RecoverSeenApproved", func(t *testing.T, hp PaymentHarness) {
			r := req(6, 89)
			mustApprove(t, hp, r)
			wantRecovered(t, hp, r)
			if err := hp.Terminal().Confirm(devCtx(t), r, true); err != nil {
				t.Fatalf("Confirm after Recover = %v", err)
			}
			wantCharged(t, hp, r.Amount)
		}},
		{"RecoverUnseen", func(t *testing.T, hp PaymentHarness) {
			wantNotApproved(t, hp, req(7, 10))
			wantCharged(t, hp, 0)
		}},
		{"AnswerLostApproved", func(t *testing.T, hp PaymentHarness) {
			// The terminal carries an earlier sale, as it does in a shop.
			prev := req(81, 230)
			mustApprove(t, hp, prev)
			if err := hp.Terminal().Confirm(devCtx(t), prev, true); err != nil {
				t.Fatalf("Confirm(released) = %v", err)
			}
			r := marked(t, hp, req(8, 230))
			ch := start(t, hp, devCtx(t), r)
			hp.CardAnswerLost(true)
			if res, err := devRecv(t, "Authorize", ch); !errors.Is(err, kiosk.ErrOutcomeUnknown) {
				t.Fatalf("Authorize whose answer was lost = %+v, %v; want kiosk.ErrOutcomeUnknown", res, err)
			}
			wantCharged(t, hp, prev.Amount+r.Amount)
			wantRecovered(t, hp, r)
			if err := hp.Terminal().Confirm(devCtx(t), r, false); err != nil {
				t.Fatalf("Confirm(not released) after Recover = %v", err)
			}
			wantCharged(t, hp, prev.Amount)
		}},
		{"RecoverNeverSentAfterSameAmount", func(t *testing.T, hp PaymentHarness) {
			// The previous customer paid the same fixed price; the next
			// request's intent was stored, but the request never left.
			// Recover must not take the previous payment for this one.
			prev := req(14, 139)
			mustApprove(t, hp, prev)
			if err := hp.Terminal().Confirm(devCtx(t), prev, true); err != nil {
				t.Fatalf("Confirm(released) = %v", err)
			}
			r := marked(t, hp, req(15, 139))
			if !r.Before.Known {
				t.Fatalf("Mark after a completed sale = %+v, want a known mark", r.Before)
			}
			res, err := hp.Terminal().Recover(devCtx(t), r)
			if err != nil || res.Approved {
				t.Fatalf("Recover of a request never sent = %+v, %v; want not charged (a result, not approved)", res, err)
			}
			wantCharged(t, hp, prev.Amount)
			// Nothing was charged, so it may be sent now.
			mustApprove(t, hp, r)
			wantCharged(t, hp, prev.Amount+r.Amount)
		}},
		{"AnswerLostDeclined", func(t *testing.T, hp PaymentHarness) {
			r := req(9, 45)
			ch := start(t, hp, devCtx(t), r)
			hp.CardAnswerLost(false)
			if res, err := devRecv(t, "Authorize", ch); !errors.Is(err, kiosk.ErrOutcomeUnknown) {
				t.Fatalf("Authorize whose answer was lost = %+v, %v; want kiosk.ErrOutcomeUnknown", res, err)
			}
			wantCharged(t, hp, 0)
			wantNotApproved(t, hp, r)
		}},
		{"Offline", func(t *testing.T, hp PaymentHarness) {
			r := req(10, 89)
			hp.SetOnline(false)
			ctx := devCtx(t)
			res, err := devRecv(t, "Authorize", devGo(func() (kiosk.PaymentResult, error) { return hp.Terminal().Authorize(ctx, r) }))
			if !errors.Is(err, kiosk.ErrDeviceUnavailable) {
				t.Fatalf("Authorize while offline = %+v, %v; want kiosk.ErrDeviceUnavailable", res, err)
			}
			if _, err := hp.Terminal().Recover(ctx, r); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
				t.Errorf("Recover while offline = %v, want kiosk.ErrDeviceUnavailable", err)
			}
			hp.SetOnline(true)
			wantCharged(t, hp, 0)
			wantNotApproved(t, hp, r)
			// It surely did not reach the terminal, so it may be sent again.
			mustApprove(t, hp, r)
			wantCharged(t, hp, r.Amount)
		}},
		{"ConfirmOffline", func(t *testing.T, hp PaymentHarness) {
			r := req(11, 89)
			mustApprove(t, hp, r)
			hp.SetOnline(false)
			if err := hp.Terminal().Confirm(devCtx(t), r, false); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
				t.Fatalf("Confirm while offline = %v, want kiosk.ErrDeviceUnavailable", err)
			}
			wantCharged(t, hp, r.Amount) // the reversal did not get through
			hp.SetOnline(true)
			if err := hp.Terminal().Confirm(devCtx(t), r, false); err != nil {
				t.Fatalf("Confirm(not released) once online = %v", err)
			}
			wantCharged(t, hp, 0)
		}},
		{"CancelBeforeSending", func(t *testing.T, hp PaymentHarness) {
			r := req(12, 89)
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			res, err := hp.Terminal().Authorize(ctx, r)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Authorize with an ended context = %+v, %v; want context.Canceled", res, err)
			}
			wantCharged(t, hp, 0)
			wantNotApproved(t, hp, r)
		}},
		{"CancelWhileWaitingForCard", func(t *testing.T, hp PaymentHarness) {
			const n = 20
			before := runtime.NumGoroutine()
			r := req(13, 89)
			for i := range n {
				r.Attempt = i + 1
				ctx, cancel := context.WithCancel(t.Context())
				ch := start(t, hp, ctx, r)
				cancel()
				res, err := devRecv(t, "Authorize", ch)
				switch {
				case errors.Is(err, kiosk.ErrOutcomeUnknown):
				case err != nil:
					t.Fatalf("Authorize cancelled after it reached the terminal = %v; want a decline or kiosk.ErrOutcomeUnknown, never ctx.Err()", err)
				case res.Approved:
					t.Fatalf("Authorize cancelled before any card = approved %+v", res)
				}
				wantNotApproved(t, hp, r)
			}
			wantCharged(t, hp, 0)
			devSettled(t, "Authorize", before, n)
			// The terminal is free for the next attempt.
			r.Attempt = n + 1
			mustApprove(t, hp, r)
			wantCharged(t, hp, r.Amount)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, h(t)) })
	}
}
