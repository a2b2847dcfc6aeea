package zvtsim_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"selvkasse/devices/sim/zvtsim"
	"selvkasse/devices/zvt"
	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// pipeBuf is one direction of the test line: bytes and connection resets
// in the order they happened. Reads block until there is something.
type pipeBuf struct {
	mu     sync.Mutex
	items  []item
	closed bool
	wake   chan struct{}
}

type item struct {
	data  []byte
	reset bool
}

var (
	errCut   = errors.New("testline: line cut")
	errReset = errors.New("testline: connection reset")
)

func newPipeBuf() *pipeBuf { return &pipeBuf{wake: make(chan struct{})} }

func (p *pipeBuf) notifyLocked() { close(p.wake); p.wake = make(chan struct{}) }

func (p *pipeBuf) read(b []byte) (int, error) {
	for {
		p.mu.Lock()
		if len(p.items) > 0 {
			it := &p.items[0]
			if it.reset {
				p.items = p.items[1:]
				p.mu.Unlock()
				return 0, errReset
			}
			n := copy(b, it.data)
			it.data = it.data[n:]
			if len(it.data) == 0 {
				p.items = p.items[1:]
			}
			p.mu.Unlock()
			return n, nil
		}
		if p.closed {
			p.mu.Unlock()
			return 0, io.EOF
		}
		w := p.wake
		p.mu.Unlock()
		<-w
	}
}

func (p *pipeBuf) push(it item) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed {
		p.items = append(p.items, it)
		p.notifyLocked()
	}
}

func (p *pipeBuf) close() { p.mu.Lock(); p.closed = true; p.notifyLocked(); p.mu.Unlock() }

// line joins the driver and the simulator like a cable that can be cut
// (writes fail, nothing arrives) and a connection the terminal can drop
// (the driver reads one reset; the simulator gets a fresh end).
type line struct {
	mu     sync.Mutex
	online bool
	toDrv  *pipeBuf
	toSim  *pipeBuf
}

func newLine() *line { return &line{online: true, toDrv: newPipeBuf(), toSim: newPipeBuf()} }

type drvEnd struct{ l *line }

func (e drvEnd) Read(b []byte) (int, error) { return e.l.toDrv.read(b) }

func (e drvEnd) Write(b []byte) (int, error) {
	e.l.mu.Lock()
	on, to := e.l.online, e.l.toSim
	e.l.mu.Unlock()
	if !on {
		return 0, errCut
	}
	to.push(item{data: append([]byte(nil), b...)})
	return len(b), nil
}

type simEnd struct {
	l  *line
	in *pipeBuf
}

func (e simEnd) Read(b []byte) (int, error) { return e.in.read(b) }

func (e simEnd) Write(b []byte) (int, error) {
	e.l.mu.Lock()
	ok := e.l.online && e.l.toSim == e.in
	e.l.mu.Unlock()
	if !ok {
		return 0, errCut
	}
	e.l.toDrv.push(item{data: append([]byte(nil), b...)})
	return len(b), nil
}

// reconnect ends the simulator's current end (its reads see EOF) and
// gives it a fresh one; the driver reads a reset after what was sent.
func (l *line) reconnect(first bool) simEnd {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !first {
		l.toSim.close()
		l.toSim = newPipeBuf()
		l.toDrv.push(item{reset: true})
	}
	return simEnd{l: l, in: l.toSim}
}

func (l *line) setOnline(on bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.online = on // bytes already on the wire still arrive
}

func (l *line) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.toDrv.close()
	l.toSim.close()
}

// manualClock is a kiosk.Clock whose timers fire only when told. armed
// reports each timer as it is set.
type manualClock struct {
	mu     sync.Mutex
	timers map[*manualTimer]bool
	armed  chan time.Duration
}

type manualTimer struct {
	c *manualClock
	d time.Duration
	f func()
}

func newManualClock() *manualClock {
	return &manualClock{timers: map[*manualTimer]bool{}, armed: make(chan time.Duration, 64)}
}

func (c *manualClock) Now() time.Time { return time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC) }

func (c *manualClock) AfterFunc(d time.Duration, f func()) kiosk.Timer {
	t := &manualTimer{c: c, d: d, f: f}
	c.mu.Lock()
	c.timers[t] = true
	c.mu.Unlock()
	select {
	case c.armed <- d:
	default:
	}
	return t
}

func (t *manualTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := t.c.timers[t]
	delete(t.c.timers, t)
	return was
}

// fire runs every pending timer of duration d and says how many.
func (c *manualClock) fire(d time.Duration) int {
	c.mu.Lock()
	var due []*manualTimer
	for t := range c.timers {
		if t.d == d {
			due = append(due, t)
			delete(c.timers, t)
		}
	}
	c.mu.Unlock()
	for _, t := range due {
		t.f()
	}
	return len(due)
}

// waitArmed waits until a timer of duration d is set.
func (c *manualClock) waitArmed(t *testing.T, d time.Duration) {
	t.Helper()
	timeout := time.NewTimer(10 * time.Second)
	defer timeout.Stop()
	for {
		select {
		case got := <-c.armed:
			if got == d {
				return
			}
		case <-timeout.C:
			t.Fatalf("no %v timer was set", d)
		}
	}
}

// harness runs a zvt.Terminal against a Sim over a line.
type harness struct {
	t      *testing.T
	sim    *zvtsim.Sim
	line   *line
	term   *zvt.Terminal
	clock  *manualClock // the simulator's clock
	drvClk *manualClock // the driver's clock

	mu      sync.Mutex
	lastReq kiosk.PaymentRequest
}

var _ kiosktest.PaymentHarness = (*harness)(nil)

type harnessOpt func(*zvt.Options)

func newHarness(t *testing.T, mode zvt.Mode, opts ...harnessOpt) *harness {
	t.Helper()
	h := &harness{t: t, line: newLine(), clock: newManualClock(), drvClk: newManualClock()}
	h.sim = zvtsim.New(zvtsim.Options{Mode: mode, Clock: h.clock, RepeatDelay: -1})
	o := zvt.Options{Mode: mode, Password: 123456, Clock: h.drvClk}
	for _, f := range opts {
		f(&o)
	}
	h.term = zvt.New(drvEnd{h.line}, o)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		end := h.line.reconnect(true)
		for {
			err := h.sim.Serve(ctx, end)
			if errors.Is(err, zvtsim.ErrDropped) {
				end = h.line.reconnect(false)
				continue
			}
			done <- err
			return
		}
	}()
	t.Cleanup(func() {
		cancel()
		h.term.Close()
		h.line.close()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, io.EOF) {
			t.Errorf("Serve: %v", err)
		}
	})
	return h
}

type recTerm struct{ h *harness }

func (r recTerm) Mark(ctx context.Context) (kiosk.TerminalMark, error) { return r.h.term.Mark(ctx) }

func (r recTerm) Authorize(ctx context.Context, req kiosk.PaymentRequest) (kiosk.PaymentResult, error) {
	r.h.mu.Lock()
	r.h.lastReq = req
	r.h.mu.Unlock()
	return r.h.term.Authorize(ctx, req)
}

func (r recTerm) Confirm(ctx context.Context, req kiosk.PaymentRequest, released bool) error {
	return r.h.term.Confirm(ctx, req, released)
}

func (r recTerm) Recover(ctx context.Context, req kiosk.PaymentRequest) (kiosk.PaymentResult, error) {
	return r.h.term.Recover(ctx, req)
}

// Terminal records each Authorize's request: ZVT sends only the amount,
// so AwaitCustomer pairs the amount the simulator saw with it.
func (h *harness) Terminal() kiosk.PaymentTerminal { return recTerm{h} }

func (h *harness) AwaitCustomer(ctx context.Context) (kiosk.PaymentRequest, error) {
	m, err := h.sim.WaitCustomer(ctx)
	if err != nil {
		return kiosk.PaymentRequest{}, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.lastReq.Amount != m {
		return kiosk.PaymentRequest{}, fmt.Errorf("the terminal shows %v, the last Authorize asked %v", m, h.lastReq.Amount)
	}
	return h.lastReq, nil
}

func (h *harness) Card(approve bool)           { h.sim.Card(approve) }
func (h *harness) CardAnswerLost(approve bool) { h.sim.CardAnswerLost(approve) }
func (h *harness) SetOnline(online bool)       { h.line.setOnline(online) }
func (h *harness) Charged() kiosk.Money        { return h.sim.Charged() }

func TestConformanceTCP(t *testing.T) {
	kiosktest.TestPaymentTerminal(t, func(t *testing.T) kiosktest.PaymentHarness { return newHarness(t, zvt.TCP) })
}

func TestConformanceSerial(t *testing.T) {
	kiosktest.TestPaymentTerminal(t, func(t *testing.T) kiosktest.PaymentHarness { return newHarness(t, zvt.Serial) })
}

// serveTCP serves sim on a loopback TCP listener until the test ends and
// returns its address.
func serveTCP(t *testing.T, sim *zvtsim.Sim) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skip("no loopback:", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- sim.ServeListener(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}
