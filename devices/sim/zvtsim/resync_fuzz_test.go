package zvtsim_test

import (
	"errors"
	"testing"
	"time"

	"selvkasse/devices/sim/zvtsim"
	"selvkasse/devices/zvt"
	"selvkasse/kiosk"
)

// fuzzStale turns fuzz bytes into frames a confused or restarted PT
// may send before its real answer, two bytes each (kind, parameter):
// Status-Information of an older sale (any amount, a trace no newer than
// the mark), Abort, Completion, Intermediate Status, a negative or bare
// positive answer, a print line. Older sales are what stale frames are
// made of: a frame with a newer trace and the same amount would be
// indistinguishable from the real answer.
func fuzzStale(tb testing.TB, b []byte, markTrace uint64) []zvt.APDU {
	var out []zvt.APDU
	for i := 0; i+1 < len(b) && len(out) < 8; i += 2 {
		kind, p := b[i]%7, b[i+1]
		switch kind {
		case 0:
			s := statusOf(tb, kiosk.Money(p)*100+95, markTrace-uint64(p)%markTrace)
			if p%3 == 0 {
				s.Data[1] = p // another result code
			}
			out = append(out, s)
		case 1:
			out = append(out, zvt.APDU{Cmd: zvt.CmdPTAbort, Data: []byte{p}})
		case 2:
			out = append(out, zvt.APDU{Cmd: zvt.CmdCompletion})
		case 3:
			out = append(out, zvt.APDU{Cmd: zvt.CmdIntermediate, Data: []byte{p}})
		case 4:
			out = append(out, zvt.Nak(p))
		case 5:
			out = append(out, zvt.Ack())
		case 6:
			out = append(out, zvt.PrintLineAPDU(0, "stale line"))
		}
	}
	return out
}

// FuzzResync plays random stale frames before the PT's answer to an
// authorization. Whatever they are, the driver never reports another
// transaction as this one's approval, never charges twice, and a result
// it cannot tell is left to Recover, which agrees with the PT.
func FuzzResync(f *testing.F) {
	f.Add([]byte{0, 1})                   // an old approval
	f.Add([]byte{4, 0xA0, 5, 0})          // busy, then a bare 80-00
	f.Add([]byte{1, 0x6C, 2, 0, 0, 3})    // abort, completion, old decline
	f.Add([]byte{3, 0x0A, 6, 0, 0, 0x2A}) // intermediate, print line, old approval
	f.Add([]byte{5, 0, 0, 1, 1, 0x6C})
	f.Fuzz(func(t *testing.T, b []byte) {
		const amount = 8950 // no stale status has it: they end in ,95
		// Real time: a confused exchange may end in a time-out. The
		// seeds (run by every `go test`) end before either runs out, so
		// the limits only bound an answer a loaded machine delays: 2 s
		// and 5 s, not 500 ms, which an exchange that must succeed
		// (completeSale) could miss there.
		h := newHarness(t, zvt.TCP, func(o *zvt.Options) {
			o.Clock = kiosk.SystemClock{}
			o.T3, o.T4 = 2*time.Second, 5*time.Second
		})
		completeSale(t, h.term, h.sim, 1, 1000)
		r := marked(t, h.term, req(2, amount))
		h.sim.SetDecision(zvtsim.Approve)
		h.sim.QueueStale(fuzzStale(t, b, 1)...)
		res, err := h.term.Authorize(testCtx(t), r)
		// ours reports whether the PT's newest transaction is an approval
		// of this request's amount. Read it after the driver's answer:
		// the PT may still be deciding when a confused exchange ends.
		ours := func() (zvtsim.Txn, bool) {
			txns := h.sim.Txns()
			last := txns[len(txns)-1]
			return last, last.Amount == amount && last.Approved()
		}
		switch {
		case err == nil && res.Approved:
			last, mine := ours()
			if !mine || res.Amount != amount || res.Trace != traceOf(last.Trace) {
				t.Fatalf("approved %+v, but the PT's newest transaction is %+v", res, last)
			}
			if err := h.term.Confirm(testCtx(t), r, true); err != nil {
				t.Fatalf("Confirm = %v", err)
			}
		case err == nil, errors.Is(err, kiosk.ErrOutcomeUnknown):
			// A decline or an unknown outcome: what Recover says must be
			// the PT's truth, and an approval it finds is reversed.
			rec, rerr := h.term.Recover(testCtx(t), r)
			last, mine := ours()
			if rerr == nil && rec.Approved && (!mine || rec.Trace != traceOf(last.Trace)) {
				t.Fatalf("Recover = approved %+v, but the PT's newest is %+v", rec, last)
			}
			if rerr == nil && rec.Approved {
				r.Trace, r.ReceiptNo = rec.Trace, rec.ReceiptNo
				if err := h.term.Confirm(testCtx(t), r, false); err != nil {
					t.Fatalf("Confirm(false) after Recover = %v", err)
				}
			}
		case errors.Is(err, kiosk.ErrDeviceUnavailable):
			if last, mine := ours(); mine && !last.Reversed {
				t.Fatalf("Authorize = %v (nothing charged), but the PT approved %+v", err, last)
			}
		default:
			t.Fatalf("Authorize = %v", err)
		}
		if got := h.sim.Charged(); got != 1000 && got != 1000+amount {
			t.Fatalf("charged %v: twice, or the earlier sale lost (%+v)", got, h.sim.Txns())
		}
	})
}

func traceOf(n int) string {
	const digits = "0123456789"
	b := []byte("000000")
	for i := 5; i >= 0 && n > 0; i-- {
		b[i] = digits[n%10]
		n /= 10
	}
	return string(b)
}
