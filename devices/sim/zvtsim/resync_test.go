package zvtsim_test

import (
	"errors"
	"net"
	"testing"
	"time"

	"selvkasse/devices/sim/zvtsim"
	"selvkasse/devices/zvt"
	"selvkasse/kiosk"
)

// Issue 9: the driver against a terminal that misbehaves as terminals do
// in the field. Each test here failed on the driver before the issue.

// statusOf is an approved Status-Information 04 0F as a PT sends it for
// amount and trace (ZVT 13.08 §3.1.1): a stale one stands for a sale
// from before a restart.
func statusOf(tb testing.TB, amount kiosk.Money, trace uint64) zvt.APDU {
	tb.Helper()
	d := []byte{zvt.BMPResult, zvt.ResultOK}
	amt, err := zvt.AmountBCD(amount)
	if err != nil {
		tb.Fatal(err)
	}
	d, _ = zvt.AppendField(d, zvt.BMPAmount, amt)
	d, _ = zvt.AppendField(d, zvt.BMPTrace, zvt.BCD(trace, 3))
	return zvt.APDU{Cmd: zvt.CmdStatusInfo, Data: d}
}

// staleAfterRestart are the frames a PT that rebooted mid-transaction may
// send: the old sale's approval, an abort, "busy", a bare 80-00.
func staleAfterRestart(tb testing.TB, amount kiosk.Money) []zvt.APDU {
	return []zvt.APDU{
		statusOf(tb, amount, 1),
		{Cmd: zvt.CmdPTAbort, Data: []byte{zvt.ResultAborted}},
		zvt.Nak(0xA0),
		zvt.Ack(),
	}
}

// payHeld runs Authorize for r against a simulator that holds payments
// for the customer, who answers approve.
func payHeld(t *testing.T, h *harness, r kiosk.PaymentRequest, approve bool) (kiosk.PaymentResult, error) {
	t.Helper()
	type out struct {
		res kiosk.PaymentResult
		err error
	}
	ch := make(chan out, 1)
	go func() {
		res, err := h.term.Authorize(testCtx(t), r)
		ch <- out{res, err}
	}()
	if m, err := h.sim.WaitCustomer(testCtx(t)); err != nil || m != r.Amount {
		t.Fatalf("the terminal holds %v, %v; want %v", m, err, r.Amount)
	}
	h.sim.Card(approve)
	o := <-ch
	return o.res, o.err
}

// eachMode runs f as a subtest for each transport in modes.
func eachMode(t *testing.T, f func(t *testing.T, mode zvt.Mode)) {
	for _, m := range modes {
		t.Run(modeName(m), func(t *testing.T) { f(t, m) })
	}
}

// Case 2: after a terminal restart, its stale frames are not the answer
// to the next command: registration succeeds, and the next sale is paid
// with its own amount and trace, not the old sale's.
func TestStaleFramesAfterRestart(t *testing.T) {
	eachMode(t, func(t *testing.T, mode zvt.Mode) {
		h := newHarness(t, mode)
		completeSale(t, h.term, h.sim, 1, 8950)
		h.sim.Restart(staleAfterRestart(t, 8950)...)
		c, err := h.term.Register(testCtx(t))
		if err != nil || c.TerminalID != zvtsim.TerminalID {
			t.Fatalf("Register after a restart with stale frames = %+v, %v", c, err)
		}
		h.sim.Restart(staleAfterRestart(t, 8950)...)
		r := marked(t, h.term, req(2, 8950))
		res, err := payHeld(t, h, r, true)
		if err != nil || !res.Approved || res.Trace == "000001" || res.Amount != r.Amount {
			t.Fatalf("Authorize after a restart with stale frames = %+v, %v; want this sale's own approval", res, err)
		}
		if err := h.term.Confirm(testCtx(t), r, true); err != nil {
			t.Fatal(err)
		}
		if got := h.sim.Charged(); got != 2*8950 {
			t.Errorf("Charged = %v, want both sales", got)
		}
	})
}

// Case 2: stale answers arrive just before the real one to 06 01.
func TestStaleAnswersBeforeAuthorization(t *testing.T) {
	for _, tc := range []struct {
		name  string
		stale func(tb testing.TB) []zvt.APDU
	}{
		{"busy", func(testing.TB) []zvt.APDU { return []zvt.APDU{zvt.Nak(0xA0)} }},
		{"old approval", func(tb testing.TB) []zvt.APDU { return []zvt.APDU{statusOf(tb, 8950, 1)} }},
		{"old abort", func(testing.TB) []zvt.APDU {
			return []zvt.APDU{{Cmd: zvt.CmdPTAbort, Data: []byte{zvt.ResultAborted}}}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			eachMode(t, func(t *testing.T, mode zvt.Mode) {
				h := newHarness(t, mode)
				completeSale(t, h.term, h.sim, 1, 8950)
				h.sim.QueueStale(tc.stale(t)...)
				r := marked(t, h.term, req(2, 8950))
				res, err := payHeld(t, h, r, true)
				if err != nil || !res.Approved || res.Trace == "000001" {
					t.Fatalf("Authorize with %s stale before the answer = %+v, %v; want this sale's approval", tc.name, res, err)
				}
				if err := h.term.Confirm(testCtx(t), r, true); err != nil {
					t.Fatal(err)
				}
			})
		})
	}
}

// Case 3: a read error from before a reconnect is not handed to the next
// command, and a 06 01 that left is never "nothing charged".
func TestLeftoverErrorNotHandedOn(t *testing.T) {
	eachMode(t, func(t *testing.T, mode zvt.Mode) {
		h := newHarness(t, mode)
		completeSale(t, h.term, h.sim, 1, 4200)
		h.sim.Restart() // the line resets while the driver is idle
		r := marked(t, h.term, req(2, 4200))
		res, err := payHeld(t, h, r, true)
		if err != nil || !res.Approved {
			t.Fatalf("Authorize after an idle reconnect = %+v, %v", res, err)
		}
		if err := h.term.Confirm(testCtx(t), r, true); err != nil {
			t.Fatal(err)
		}
	})
}

// Case 4: the link drops after an approval, so Confirm fails; the driver
// still takes the next payment, and a later Confirm settles the first.
func TestFailedConfirmDoesNotWedge(t *testing.T) {
	eachMode(t, func(t *testing.T, mode zvt.Mode) {
		h := newHarness(t, mode)
		completeSale(t, h.term, h.sim, 1, 1000)
		first := marked(t, h.term, req(2, 2000))
		res, err := payHeld(t, h, first, true)
		if err != nil || !res.Approved {
			t.Fatalf("Authorize = %+v, %v", res, err)
		}
		first.Trace, first.ReceiptNo = res.Trace, res.ReceiptNo
		h.line.setOnline(false)
		if err := h.term.Confirm(testCtx(t), first, true); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
			t.Fatalf("Confirm on a cut line = %v, want ErrDeviceUnavailable", err)
		}
		h.line.setOnline(true)
		next := marked(t, h.term, req(3, 3000))
		res, err = payHeld(t, h, next, true)
		if err != nil || !res.Approved {
			t.Fatalf("Authorize after a failed Confirm = %+v, %v; want the next payment taken", res, err)
		}
		if err := h.term.Confirm(testCtx(t), next, true); err != nil {
			t.Fatal(err)
		}
		// The first approval's answer never arrived; this simulator keeps
		// it undetermined (a real PT may reverse it, §2.2.8): asked again,
		// the driver finds it kept.
		if err := h.term.Confirm(testCtx(t), first, true); err != nil {
			t.Fatalf("Confirm retried = %v", err)
		}
		if got := h.sim.Charged(); got != 1000+2000+3000 {
			t.Errorf("Charged = %v", got)
		}
	})
}

// Case 4: the PT reversed on its own while the answer could not get
// through; the retried Confirm says so instead of claiming the payment.
func TestRetriedConfirmFindsAutoReversal(t *testing.T) {
	h := newHarness(t, zvt.TCP)
	completeSale(t, h.term, h.sim, 1, 1000)
	r := marked(t, h.term, req(2, 2000))
	res, err := payHeld(t, h, r, true)
	if err != nil || !res.Approved {
		t.Fatalf("Authorize = %+v, %v", res, err)
	}
	h.line.setOnline(false)
	if err := h.term.Confirm(testCtx(t), r, true); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
		t.Fatalf("Confirm on a cut line = %v", err)
	}
	h.line.setOnline(true)
	h.sim.Restart() // reboots with the approval unanswered: auto-reversal
	err = h.term.Confirm(testCtx(t), r, true)
	if !errors.Is(err, kiosk.ErrReversed) || errors.Is(err, kiosk.ErrDeviceUnavailable) || errors.Is(err, kiosk.ErrOutcomeUnknown) {
		t.Fatalf("Confirm after the PT reversed = %v; want kiosk.ErrReversed", err)
	}
	if got := h.sim.Charged(); got != 1000 {
		t.Errorf("Charged = %v", got)
	}
}

// Case 6: a hung terminal gets Abort 06 B0 when T4 runs out and is free
// for the next payment.
func TestHungTerminalAbortedAfterT4(t *testing.T) {
	eachMode(t, func(t *testing.T, mode zvt.Mode) {
		const t4 = 90 * time.Second
		h := newHarness(t, mode, func(o *zvt.Options) { o.T4 = t4 })
		h.sim.SetHang(true)
		ch := make(chan error, 1)
		var res kiosk.PaymentResult
		go func() {
			var err error
			res, err = h.term.Authorize(testCtx(t), req(1, 5000))
			ch <- err
		}()
		// The PT has its 80-00 to the insert-card status: it hangs now,
		// and the driver's next wait is T4's.
		waitCmd(t, h.sim, zvt.RespOK, 1)
		for h.drvClk.fire(t4) == 0 {
			h.drvClk.waitArmed(t, t4)
		}
		if err := <-ch; err != nil || res.Approved || res.Code != "6C" {
			t.Fatalf("Authorize on a hung terminal = %+v, %v; want the PT's abort", res, err)
		}
		if h.sim.Aborts() != 1 {
			t.Errorf("06 B0 received %d times", h.sim.Aborts())
		}
		h.sim.SetHang(false)
		h.sim.SetDecision(zvtsim.Approve)
		r := req(2, 5000)
		if res, err := h.term.Authorize(testCtx(t), r); err != nil || !res.Approved {
			t.Fatalf("Authorize after the abort = %+v, %v", res, err)
		}
		if err := h.term.Confirm(testCtx(t), r, true); err != nil {
			t.Fatal(err)
		}
	})
}

// Case 7: after a kiosk restart, an approval whose goods were not
// released is reversed by its stored receipt number, with no Recover
// first.
func TestConfirmFalseInFreshSession(t *testing.T) {
	sim := zvtsim.New(zvtsim.Options{Mode: zvt.TCP, VendTimeout: -1})
	sim.SetDecision(zvtsim.Approve)
	addr := serveTCP(t, sim)
	dial := func() (*zvt.Terminal, net.Conn) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		return zvt.New(conn, zvt.Options{Mode: zvt.TCP}), conn
	}
	term, conn := dial()
	r := req(1, 6400)
	res, err := term.Authorize(testCtx(t), r)
	if err != nil || !res.Approved {
		t.Fatalf("Authorize = %+v, %v", res, err)
	}
	// The kiosk recorded the approval, then died before the cabinet
	// moved.
	r.Trace, r.ReceiptNo = res.Trace, res.ReceiptNo
	term.Close()
	conn.Close()
	if err := sim.Wait(testCtx(t), func([]zvtsim.Txn) bool { return sim.Charged() == 6400 }); err != nil {
		t.Fatal(err)
	}
	term, conn = dial()
	defer conn.Close()
	defer term.Close()
	if err := term.Confirm(testCtx(t), r, false); err != nil {
		t.Fatalf("Confirm(false) in a fresh session = %v; want the reversal by receipt number", err)
	}
	if got := sim.Charged(); got != 0 {
		t.Errorf("Charged = %v after the reversal", got)
	}
	if n := received(sim, zvt.CmdReversal); n != 1 {
		t.Errorf("06 30 sent %d times", n)
	}
}

// Case 9: a currency the terminal refuses is its setup, not a decline.
func TestRefusedCurrencyIsMisconfiguration(t *testing.T) {
	eachMode(t, func(t *testing.T, mode zvt.Mode) {
		h := newHarness(t, mode)
		h.sim.SetRefuseCurrency(true)
		res, err := h.term.Authorize(testCtx(t), req(1, 5000))
		if !errors.Is(err, kiosk.ErrMisconfigured) || !errors.Is(err, kiosk.ErrDeviceUnavailable) {
			t.Fatalf("Authorize, currency refused = %+v, %v; want ErrMisconfigured and ErrDeviceUnavailable", res, err)
		}
		if h.sim.Charged() != 0 {
			t.Errorf("Charged = %v", h.sim.Charged())
		}
	})
}

// waitCmd waits until the simulator has received n APDUs with control
// field c.
func waitCmd(t *testing.T, sim *zvtsim.Sim, c zvt.Cmd, n int) {
	t.Helper()
	ctx := testCtx(t)
	for {
		ch := sim.Changed()
		if received(sim, c) >= n {
			return
		}
		select {
		case <-ch:
		case <-ctx.Done():
			t.Fatalf("the simulator received %d of %v, want %d", received(sim, c), c, n)
		}
	}
}
