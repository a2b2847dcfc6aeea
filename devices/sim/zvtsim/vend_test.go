package zvtsim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"selvkasse/devices/sim/zvtsim"
	"selvkasse/devices/zvt"
	"selvkasse/kiosk"
)

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func req(n int, ore kiosk.Money) kiosk.PaymentRequest {
	return kiosk.PaymentRequest{SaleID: "K1-vend", Attempt: n, Amount: ore}
}

// received reports whether the simulator got an APDU with control field c.
func received(s *zvtsim.Sim, c zvt.Cmd) int {
	n := 0
	for _, a := range s.Received() {
		if a.Cmd == c {
			n++
		}
	}
	return n
}

// syncBuf is a goroutine-safe log sink.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

var panRun = regexp.MustCompile(`[0-9]{13,19}`)

func TestVendReleaseCompletesOnce(t *testing.T) {
	for _, mode := range []zvt.Mode{zvt.TCP, zvt.Serial} {
		for _, style := range []zvtsim.ReceiptStyle{zvtsim.PrintLines, zvtsim.TextBlock} {
			t.Run("", func(t *testing.T) {
				var logs syncBuf
				var mu sync.Mutex
				var statuses []string
				h := newHarness(t, mode, func(o *zvt.Options) {
					o.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
					o.OnStatus = func(code byte, nb, en string) {
						mu.Lock()
						statuses = append(statuses, nb+"|"+en)
						mu.Unlock()
					}
				})
				h.sim.SetDecision(zvtsim.Approve)
				h.sim.SetAskPIN(true)
				h.sim.SetReceipt(style, "5598831234568074") // a full card number on the receipt
				r := req(1, 8950)
				res, err := h.term.Authorize(testCtx(t), r)
				if err != nil || !res.Approved || res.Amount != r.Amount || res.Code != "00" {
					t.Fatalf("Authorize = %+v, %v", res, err)
				}
				if res.TerminalID != zvtsim.TerminalID || res.Trace == "" || res.ReceiptNo == "" || res.MaskedPAN != "559883******1234" || res.CardType != "MasterCard" {
					t.Errorf("result fields = %+v", res)
				}
				// The approval is not answered before Confirm: 80-00 went only
				// to the three 04 FF (insert card, PIN, please wait).
				if got := received(h.sim, zvt.RespOK); got != 3 {
					t.Errorf("the simulator got %d 80-00 before Confirm, want 3", got)
				}
				if err := h.term.Confirm(testCtx(t), r, true); err != nil {
					t.Fatalf("Confirm(released) = %v", err)
				}
				txns := h.sim.Txns()
				if len(txns) != 1 || !txns[0].Confirmed || txns[0].Reversed {
					t.Fatalf("simulator transactions = %+v, want one confirmed", txns)
				}
				if h.sim.Charged() != r.Amount {
					t.Errorf("Charged = %v, want %v", h.sim.Charged(), r.Amount)
				}
				lines := h.term.LastReceipt()
				if !strings.Contains(strings.Join(lines, "\n"), "************8074") {
					t.Errorf("receipt lines %q: want the card number masked to its last four digits", lines)
				}
				mu.Lock()
				joined := strings.Join(statuses, ";")
				mu.Unlock()
				for _, want := range []string{"Sett inn kort|Insert card", "Tast PIN", "Vent litt …|Please wait…"} {
					if !strings.Contains(joined, want) {
						t.Errorf("status texts %q lack %q", joined, want)
					}
				}
				// No card number anywhere: results, receipt, logs.
				js, _ := json.Marshal(res)
				for what, s := range map[string]string{"result": string(js), "receipt": strings.Join(lines, "\n"), "log": logs.String()} {
					if m := panRun.FindString(s); m != "" {
						t.Errorf("%s holds a 13–19 digit run %q", what, m)
					}
				}
				if logs.String() == "" {
					t.Errorf("nothing was logged")
				}
			})
		}
	}
}

func TestVendLockFaultReverses(t *testing.T) {
	for _, mode := range []zvt.Mode{zvt.TCP, zvt.Serial} {
		h := newHarness(t, mode)
		h.sim.SetDecision(zvtsim.Approve)
		r := req(1, 15000)
		if res, err := h.term.Authorize(testCtx(t), r); err != nil || !res.Approved {
			t.Fatalf("Authorize = %+v, %v", res, err)
		}
		if h.sim.Charged() != r.Amount {
			t.Fatalf("Charged before Confirm = %v", h.sim.Charged())
		}
		if err := h.term.Confirm(testCtx(t), r, false); err != nil {
			t.Fatalf("Confirm(not released) = %v", err)
		}
		if h.sim.Charged() != 0 {
			t.Errorf("Charged after the reversal = %v, want 0", h.sim.Charged())
		}
		if received(h.sim, 0x8400|zvt.Cmd(zvt.DefaultVendFailure)) != 1 {
			t.Errorf("the simulator did not get 84-%02X: %v", zvt.DefaultVendFailure, h.sim.Received())
		}
	}
}

func TestVendDeclineByAmount(t *testing.T) {
	h := newHarness(t, zvt.TCP)
	h.sim.SetDecision(zvtsim.Approve)
	r := req(1, 4913) // amounts ending in ,13 are declined
	res, err := h.term.Authorize(testCtx(t), r)
	if err != nil || res.Approved || res.Code != "05" || res.Message == "" {
		t.Fatalf("Authorize = %+v, %v; want a decline with code 05", res, err)
	}
	if err := h.term.Confirm(testCtx(t), r, true); err == nil || errors.Is(err, kiosk.ErrDeviceUnavailable) {
		t.Errorf("Confirm of a decline = %v, want a plain error", err)
	}
	if h.sim.Charged() != 0 {
		t.Errorf("Charged = %v", h.sim.Charged())
	}
}

func TestVendStillDispensing(t *testing.T) {
	h := newHarness(t, zvt.Serial)
	h.sim.SetDecision(zvtsim.Approve)
	r := req(1, 2000)
	if _, err := h.term.Authorize(testCtx(t), r); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := h.term.StillDispensing(testCtx(t), r); err != nil {
			t.Fatalf("StillDispensing = %v", err)
		}
	}
	if err := h.term.Confirm(testCtx(t), r, true); err != nil {
		t.Fatalf("Confirm = %v", err)
	}
	if n := received(h.sim, 0x849C); n != 2 {
		t.Errorf("84-9C received %d times, want 2", n)
	}
	if h.sim.Charged() != r.Amount || !h.sim.Txns()[0].Confirmed {
		t.Errorf("after release: %v, %+v", h.sim.Charged(), h.sim.Txns())
	}
}

func TestVendTimeoutInTerminalReverses(t *testing.T) {
	h := newHarness(t, zvt.TCP, func(o *zvt.Options) { o.VendTimeout = 45 })
	h.sim.SetDecision(zvtsim.Approve)
	r := req(1, 3000)
	if _, err := h.term.Authorize(testCtx(t), r); err != nil {
		t.Fatal(err)
	}
	// The driver asked for 45 s (BMP 01); the terminal's timer runs out.
	h.clock.waitArmed(t, 45*time.Second)
	if n := h.clock.fire(45 * time.Second); n != 1 {
		t.Fatalf("fired %d vend timers", n)
	}
	if err := h.sim.Wait(testCtx(t), func(ts []zvtsim.Txn) bool {
		return len(ts) == 2 && ts[0].Reversed && ts[1].OrigTrace == ts[0].Trace // the approval and its reversal
	}); err != nil {
		t.Fatal(err)
	}
	err := h.term.Confirm(testCtx(t), r, true)
	if !errors.Is(err, kiosk.ErrReversed) || errors.Is(err, kiosk.ErrDeviceUnavailable) {
		t.Errorf("Confirm(released) after the terminal's time-out = %v, want kiosk.ErrReversed", err)
	}
	if h.sim.Charged() != 0 {
		t.Errorf("Charged = %v, want 0: the terminal reverses on its time-out", h.sim.Charged())
	}
}

func TestAuthorizeTimeout(t *testing.T) {
	for _, mode := range []zvt.Mode{zvt.TCP, zvt.Serial} {
		const t3 = 7 * time.Second // distinct from T2 (5 s), which serial Send also sets
		h := newHarness(t, mode, func(o *zvt.Options) { o.T3 = t3 })
		h.sim.SetSilent(true)
		ch := make(chan error, 1)
		go func() {
			_, err := h.term.Authorize(testCtx(t), req(1, 1000))
			ch <- err
		}()
		// Serial: the message is ACKed by the link, then T3 runs for 80-00.
		h.drvClk.waitArmed(t, t3)
		h.drvClk.fire(t3)
		// The 06 01 left (serial: the PT even ACKed it): it may be under
		// way, so the outcome is unknown, never "nothing charged".
		if err := <-ch; !errors.Is(err, kiosk.ErrOutcomeUnknown) || !errors.Is(err, zvt.ErrTimeout) {
			t.Errorf("Authorize without an answer = %v, want ErrOutcomeUnknown (time-out)", err)
		}
		if h.sim.Charged() != 0 {
			t.Errorf("Charged = %v", h.sim.Charged())
		}
	}
}

// completeSale runs one approved, released sale of amount, so that the
// terminal carries an earlier sale, as it does in a shop.
func completeSale(t *testing.T, term *zvt.Terminal, sim *zvtsim.Sim, n int, amount kiosk.Money) {
	t.Helper()
	sim.SetDecision(zvtsim.Approve)
	defer sim.SetDecision(zvtsim.Hold)
	r := req(n, amount)
	if res, err := term.Authorize(testCtx(t), r); err != nil || !res.Approved {
		t.Fatalf("Authorize = %+v, %v", res, err)
	}
	if err := term.Confirm(testCtx(t), r, true); err != nil {
		t.Fatal(err)
	}
}

// marked is r with the terminal's mark, as the kiosk stores it.
func marked(t *testing.T, term *zvt.Terminal, r kiosk.PaymentRequest) kiosk.PaymentRequest {
	t.Helper()
	m, err := term.Mark(testCtx(t))
	if err != nil || !m.Known {
		t.Fatalf("Mark = %+v, %v", m, err)
	}
	r.Before = m
	return r
}

func TestDropAfterAckThenRecover(t *testing.T) {
	for _, approve := range []bool{true, false} {
		h := newHarness(t, zvt.Serial)
		completeSale(t, h.term, h.sim, 9, 7700)
		r := marked(t, h.term, req(1, 7700))
		ch := make(chan error, 1)
		go func() {
			_, err := h.term.Authorize(testCtx(t), r)
			ch <- err
		}()
		if _, err := h.sim.WaitCustomer(testCtx(t)); err != nil {
			t.Fatal(err)
		}
		h.sim.CardAnswerLost(approve) // decided, then the link drops
		if err := <-ch; !errors.Is(err, kiosk.ErrOutcomeUnknown) {
			t.Fatalf("Authorize = %v, want ErrOutcomeUnknown", err)
		}
		res, err := h.term.Recover(testCtx(t), r)
		if err != nil || res.Approved != approve || res.Amount != r.Amount {
			t.Fatalf("Recover = %+v, %v; want approved=%v", res, err, approve)
		}
		if received(h.sim, zvt.CmdAuthorization) != 2 {
			t.Errorf("06 01 sent %d times, want 2 (the earlier sale and this one)", received(h.sim, zvt.CmdAuthorization))
		}
		if approve {
			if err := h.term.Confirm(testCtx(t), r, false); err != nil {
				t.Fatalf("Confirm(false) after Recover = %v", err)
			}
			if received(h.sim, zvt.CmdReversal) != 1 || h.sim.Charged() != 7700 {
				t.Errorf("reversal: %d 06 30, charged %v; want the earlier sale's 7700 only", received(h.sim, zvt.CmdReversal), h.sim.Charged())
			}
		}
	}
}

func TestDropRightAfterAck(t *testing.T) {
	h := newHarness(t, zvt.TCP)
	h.sim.SetDropAfterAck(true)
	r := req(1, 1200)
	if _, err := h.term.Authorize(testCtx(t), r); !errors.Is(err, kiosk.ErrOutcomeUnknown) {
		t.Fatalf("Authorize = %v, want ErrOutcomeUnknown", err)
	}
	h.sim.SetDropAfterAck(false)
	if res, err := h.term.Recover(testCtx(t), r); !errors.Is(err, kiosk.ErrOutcomeUnknown) && (err != nil || res.Approved) {
		t.Errorf("Recover = %+v, %v; want not approved", res, err)
	}
	if h.sim.Charged() != 0 {
		t.Errorf("Charged = %v", h.sim.Charged())
	}
}

func TestDropBeforeRequest(t *testing.T) {
	h := newHarness(t, zvt.Serial)
	h.line.setOnline(false)
	if _, err := h.term.Authorize(testCtx(t), req(1, 1000)); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
		t.Fatalf("Authorize on a cut line = %v, want ErrDeviceUnavailable", err)
	}
	if n := len(h.sim.Received()); n != 0 || h.sim.Charged() != 0 {
		t.Errorf("the simulator received %d APDUs, charged %v", n, h.sim.Charged())
	}
}

func TestAdminCommands(t *testing.T) {
	for _, mode := range []zvt.Mode{zvt.TCP, zvt.Serial} {
		h := newHarness(t, mode)
		c, err := h.term.Register(testCtx(t))
		if err != nil || c.TerminalID != zvtsim.TerminalID || c.StatusByte&zvt.StatusVending == 0 {
			t.Errorf("Register = %+v, %v", c, err)
		}
		c, err = h.term.StatusEnquiry(testCtx(t))
		if err != nil || c.TerminalStatus != 0 || c.SWVersion != "zvtsim 1.0" {
			t.Errorf("StatusEnquiry = %+v, %v", c, err)
		}
		h.sim.SetDecision(zvtsim.Approve)
		for i, amt := range []kiosk.Money{1000, 2550} {
			r := req(i+1, amt)
			if _, err := h.term.Authorize(testCtx(t), r); err != nil {
				t.Fatal(err)
			}
			if err := h.term.Confirm(testCtx(t), r, true); err != nil {
				t.Fatal(err)
			}
		}
		tot, err := h.term.EndOfDay(testCtx(t))
		if err != nil || tot.Amount != 3550 || tot.Count != 2 || tot.ReceiptTo != "0002" {
			t.Errorf("EndOfDay = %+v, %v", tot, err)
		}
		// The next day starts empty; the kiosk's view of it the same.
		r := req(3, 700)
		if _, err := h.term.Authorize(testCtx(t), r); err != nil {
			t.Fatal(err)
		}
		if err := h.term.Confirm(testCtx(t), r, true); err != nil {
			t.Fatal(err)
		}
		day, err := h.term.CloseDay(testCtx(t))
		if err != nil || day.Amount != 700 || day.Count != 1 || day.ReceiptFrom != "0003" || day.ReceiptTo != "0003" {
			t.Errorf("CloseDay the next day = %+v, %v", day, err)
		}
	}
}

// TestTCPSocket wires the driver and the simulator over a real socket.
func TestTCPSocket(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skip("no loopback:", err)
	}
	sim := zvtsim.New(zvtsim.Options{Mode: zvt.TCP})
	sim.SetDecision(zvtsim.Approve)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- sim.ServeListener(ctx, ln) }()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	term := zvt.New(conn, zvt.Options{Mode: zvt.TCP})
	r := req(1, 6400)
	res, err := term.Authorize(testCtx(t), r)
	if err != nil || !res.Approved {
		t.Fatalf("Authorize = %+v, %v", res, err)
	}
	if err := term.Confirm(testCtx(t), r, true); err != nil {
		t.Fatal(err)
	}
	// What the kiosk stored: the approval's numbers, and the mark for the
	// next sale's intent, whose 06 01 the crash below keeps from leaving.
	r.Trace, r.ReceiptNo = res.Trace, res.ReceiptNo
	next := marked(t, term, req(2, 6400))
	if sim.Charged() != r.Amount {
		t.Errorf("Charged = %v", sim.Charged())
	}
	term.Close()
	conn.Close()

	// The kiosk restarts: a new connection and a new driver that knows
	// nothing recovers the payment by Repeat Receipt, by its trace.
	conn, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	term = zvt.New(conn, zvt.Options{Mode: zvt.TCP})
	res, err = term.Recover(testCtx(t), r)
	if err != nil || !res.Approved || res.Amount != r.Amount || res.ReceiptNo != "0001" {
		t.Errorf("Recover after a restart = %+v, %v", res, err)
	}
	// Issue 9 case 1: the next sale, same price, never reached the
	// terminal. Its mark is still the newest transaction: not charged,
	// and the previous customer's payment is not taken for it.
	if res, err := term.Recover(testCtx(t), next); err != nil || res.Approved {
		t.Errorf("Recover of a request never sent, same amount as the last sale = %+v, %v; want not charged", res, err)
	}
	if _, err := term.Recover(testCtx(t), req(3, 6400)); !errors.Is(err, kiosk.ErrOutcomeUnknown) {
		t.Errorf("Recover without a mark = %v, want ErrOutcomeUnknown", err)
	}
	other := req(4, 6500)
	other.Before = kiosk.TerminalMark{Known: true, Trace: "000000"}
	if _, err := term.Recover(testCtx(t), other); !errors.Is(err, kiosk.ErrOutcomeUnknown) {
		t.Errorf("Recover of another amount = %v, want ErrOutcomeUnknown", err)
	}
	if n := received(sim, zvt.CmdAuthorization); n != 1 {
		t.Errorf("06 01 sent %d times", n)
	}
	term.Close()
	conn.Close()
	cancel()
	<-done
}

// TestPersonAtTerminal: what a person does at the simulator (Present,
// TimeOut, DropLink) acts only on a payment that waits, and each leads
// the driver to its answer.
func TestPersonAtTerminal(t *testing.T) {
	h := newHarness(t, zvt.TCP)
	if _, ok := h.sim.Holding(); ok || h.sim.Present(true) {
		t.Fatal("a card presented with no payment waiting was taken")
	}
	type out struct {
		res kiosk.PaymentResult
		err error
	}
	pay := func(n int) <-chan out {
		ch := make(chan out, 1)
		go func() {
			res, err := h.term.Authorize(testCtx(t), req(n, 4990))
			ch <- out{res, err}
		}()
		if _, err := h.sim.WaitCustomer(testCtx(t)); err != nil {
			t.Fatal(err)
		}
		if m, ok := h.sim.Holding(); !ok || m != 4990 {
			t.Fatalf("Holding = %v, %v", m, ok)
		}
		return ch
	}

	ch := pay(1)
	if !h.sim.TimeOut() {
		t.Fatal("TimeOut not taken")
	}
	if o := <-ch; o.err != nil || o.res.Approved || o.res.Code != "6C" {
		t.Fatalf("time-out = %+v, %v", o.res, o.err)
	}

	ch = pay(2)
	if !h.sim.Present(true) {
		t.Fatal("card not taken")
	}
	if o := <-ch; o.err != nil || !o.res.Approved {
		t.Fatalf("approve = %+v, %v", o.res, o.err)
	}
	if err := h.term.Confirm(testCtx(t), req(2, 4990), true); err != nil {
		t.Fatal(err)
	}

	ch = pay(3)
	if !h.sim.DropLink() {
		t.Fatal("drop not taken")
	}
	if o := <-ch; !errors.Is(o.err, kiosk.ErrOutcomeUnknown) {
		t.Fatalf("drop = %+v, %v; want the outcome unknown", o.res, o.err)
	}
	if got := h.sim.Charged(); got != 4990 {
		t.Errorf("charged %v, want only the approved payment", got)
	}
}
