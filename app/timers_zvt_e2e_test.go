package app

// The "Sett inn kort" screen's faults (issue 14's opening paragraph),
// through the real ZVT driver and the terminal simulator: Cancel works
// at once while the terminal holds the payment, the ZVT way (Abort
// 06 B0), and a terminal that stops answering is reported as what it is,
// not as "a payment from before a restart".

import (
	"context"
	"io"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"selvkasse/devices/zvt"
	"selvkasse/kiosk"
)

// payCola puts a cola (no age check) in the basket, presses Pay and
// waits until the terminal took the request.
func (k *zvtKiosk) payCola() kiosk.Money {
	k.t.Helper()
	if err := k.co.Add(kiosk.MustGTIN("7039990000113")); err != nil {
		k.t.Fatal(err)
	}
	total := k.co.View().Total
	auths := func(got []zvt.APDU) int {
		n := 0
		for _, a := range got {
			if a.Cmd == zvt.CmdAuthorization {
				n++
			}
		}
		return n
	}
	before := auths(k.term.Received())
	if err := k.co.Pay(); err != nil {
		k.t.Fatal(err)
	}
	k.untilReceived("the payment reached the terminal", func(got []zvt.APDU) bool {
		return auths(got) > before
	})
	return total
}

// untilReceived waits until ok holds for what the terminal received.
func (k *zvtKiosk) untilReceived(what string, ok func([]zvt.APDU) bool) {
	k.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for !ok(k.term.Received()) {
		select {
		case <-k.term.Changed():
		case <-ctx.Done():
			k.t.Fatalf("never: %s", what)
		}
	}
}

// noticesSeen records the notices the checkout shows from now on.
func noticesSeen(t *testing.T, co *kiosk.Checkout) func() []kiosk.Notice {
	var mu sync.Mutex
	var seen []kiosk.Notice
	cancel := co.Subscribe(func(v kiosk.View) {
		mu.Lock()
		defer mu.Unlock()
		if len(seen) == 0 || seen[len(seen)-1] != v.Notice {
			seen = append(seen, v.Notice)
		}
	})
	t.Cleanup(cancel)
	return func() []kiosk.Notice {
		mu.Lock()
		defer mu.Unlock()
		return append([]kiosk.Notice(nil), seen...)
	}
}

// TestZVTCancelWhileTerminalHangs: the terminal took the payment and
// says nothing more (hung after "insert card"). Before, the customer had
// no Cancel until T4 ran out; now Cancel at once sends Abort 06 B0, and
// the sale ends cancelled when the terminal confirms the abort: nothing
// charged, nothing pending.
func TestZVTCancelWhileTerminalHangs(t *testing.T) {
	k := mustZVTKiosk(t)
	k.term.SetHang(true)
	k.payCola()
	// Hung means after its "insert card" (04 FF) was acknowledged: the
	// ECR's 80-00 after the 06 01. (A Cancel racing that status is
	// another case: TestZVTCancelCrossesInsertCard.)
	k.untilReceived("the terminal's insert card acknowledged", func(got []zvt.APDU) bool {
		i := slices.IndexFunc(got, func(a zvt.APDU) bool { return a.Cmd == zvt.CmdAuthorization })
		return i >= 0 && slices.ContainsFunc(got[i+1:], func(a zvt.APDU) bool { return a.Positive() })
	})
	seen := noticesSeen(t, k.co)
	if err := k.co.Cancel(); err != nil {
		t.Fatalf("cancel while the terminal holds the payment: %v", err)
	}
	v := k.state(kiosk.Idle)
	if v.Notice != kiosk.NoticeCancelled {
		t.Fatalf("notice %v, want Cancelled", v.Notice)
	}
	if n := k.term.Aborts(); n != 1 {
		t.Errorf("%d aborts sent, want 1", n)
	}
	if m := k.term.Charged(); m != 0 {
		t.Errorf("charged %v", m)
	}
	if p, err := k.db.Pending(context.Background()); err != nil || len(p) != 0 {
		t.Errorf("pending %+v, %v", p, err)
	}
	if ns := seen(); len(ns) == 0 || ns[0] != kiosk.NoticeAborting {
		t.Errorf("notices %v: the screen did not say it waits for the terminal", ns)
	}
}

// TestZVTCancelCrossesInsertCard: the customer's Cancel leaves as Abort
// 06 B0 at the moment the terminal sends "insert card" 04 FF, and the two
// cross (ZVT 13.08 §2.21, "Caution"): the terminal falls back into its
// basic state without answering the Abort. The kiosk must end the sale
// cancelled and say so, after asking the terminal what became of the
// payment: nothing charged, nothing pending, no staff called. The
// terminal has made a sale before, as a shop's has: what it answers to
// Repeat Receipt shows that the cancelled payment was never made.
func TestZVTCancelCrossesInsertCard(t *testing.T) {
	k := mustZVTKiosk(t)
	before := k.sellOne()
	k.term.SetCollide(true)
	k.payCola()
	seen := noticesSeen(t, k.co)
	if err := k.co.Cancel(); err != nil {
		t.Fatalf("cancel as the terminal says insert card: %v", err)
	}
	v := k.state(kiosk.Idle)
	if v.Notice != kiosk.NoticeCancelled {
		t.Errorf("notice %v, want Cancelled (notices %v)", v.Notice, seen())
	}
	if n := k.term.Aborts(); n < 1 {
		t.Errorf("%d aborts sent", n)
	}
	if m := k.term.Charged(); m != before {
		t.Errorf("charged %v, want %v (the sale before)", m, before)
	}
	if p, err := k.db.Pending(context.Background()); err != nil || len(p) != 0 {
		t.Errorf("pending %+v, %v", p, err)
	}
	if ns := seen(); slices.Contains(ns, kiosk.NoticeTerminalUnknown) {
		t.Errorf("notices %v: staff called for a payment the terminal never made", ns)
	}
}

// TestZVTTerminalSilentSaysSo: the line to the terminal goes silent
// while it holds the payment (a cable pulled: nothing arrives, nothing
// is closed). Cancel is there at once; the abort gets no answer, so the
// kiosk says it checks whether the card was charged, and when the
// terminal cannot tell, that the terminal did not answer — the sale
// stays for staff, never voided as "not charged" and never called a
// payment from before a restart.
func TestZVTTerminalSilentSaysSo(t *testing.T) {
	k := mustZVTKiosk(t)
	p := startCutProxy(t, k.addr)
	k.kill()
	k.addr = p.addr()
	k.start()
	k.payCola()
	seen := noticesSeen(t, k.co)
	p.cut.Store(true)
	if err := k.co.Cancel(); err != nil {
		t.Fatalf("cancel with the terminal silent: %v", err)
	}
	v := k.state(kiosk.Assistance)
	if v.Notice != kiosk.NoticeTerminalUnknown {
		t.Fatalf("notice %v, want TerminalUnknown", v.Notice)
	}
	ns := seen()
	for _, want := range []kiosk.Notice{kiosk.NoticeAborting, kiosk.NoticeTerminalSilent} {
		if !slices.Contains(ns, want) {
			t.Errorf("notices %v lack %v", ns, want)
		}
	}
	if slices.Contains(ns, kiosk.NoticeRecoveryPending) {
		t.Errorf("notices %v: a restart that never happened", ns)
	}
	if pend, err := k.db.Pending(context.Background()); err != nil || len(pend) != 1 {
		t.Errorf("pending %+v, %v: want the sale kept for staff", pend, err)
	}
}

// cutProxy forwards TCP between the kiosk and the terminal until cut:
// then it swallows everything both ways and closes nothing, as a pulled
// cable or a dead switch does.
type cutProxy struct {
	ln  net.Listener
	cut atomic.Bool
}

func startCutProxy(t *testing.T, target string) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			d, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			mu.Lock()
			conns = append(conns, c, d)
			mu.Unlock()
			wg.Add(2)
			go func() { defer wg.Done(); p.pipe(d, c) }()
			go func() { defer wg.Done(); p.pipe(c, d) }()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return p
}

func (p *cutProxy) addr() string { return p.ln.Addr().String() }

func (p *cutProxy) pipe(dst io.Writer, src io.Reader) {
	buf := make([]byte, 4096)
	for {
		n, err := src.Read(buf)
		if n > 0 && !p.cut.Load() {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil { // the end of either side ends the pipe
			return
		}
	}
}
