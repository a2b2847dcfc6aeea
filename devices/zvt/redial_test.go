package zvt

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"selvkasse/kiosk/kiosktest"
)

// waitLimit bounds every wait of these tests: generous, for a loaded
// machine; a passing run never waits for it.
const waitLimit = 20 * time.Second

// peer is a loopback TCP listener standing in for the terminal: each
// connection the Redialer makes comes out of accepted.
type peer struct {
	ln       net.Listener
	accepted chan net.Conn
	dials    atomic.Int32
	refuse   atomic.Bool // the dial func fails without dialling
}

func newPeer(t *testing.T) *peer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &peer{ln: ln, accepted: make(chan net.Conn, 8)}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.accepted <- c
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		for {
			select {
			case c := <-p.accepted:
				c.Close()
			default:
				return
			}
		}
	})
	return p
}

// dial is the Redialer's dial func: the loopback address, or an error
// while refuse is set.
func (p *peer) dial(ctx context.Context) (io.ReadWriteCloser, error) {
	p.dials.Add(1)
	if p.refuse.Load() {
		return nil, errors.New("connection refused (test)")
	}
	var d net.Dialer
	return d.DialContext(ctx, "tcp", p.ln.Addr().String())
}

// accept returns the server side of the next connection.
func (p *peer) accept(t *testing.T) net.Conn {
	t.Helper()
	select {
	case c := <-p.accepted:
		t.Cleanup(func() { c.Close() })
		return c
	case <-time.After(waitLimit):
		t.Fatal("no connection came in")
		return nil
	}
}

// states records OnState calls.
type states chan linkState

func (s states) on(up bool, err error) {
	select {
	case s <- linkState{up, err}:
	default:
		panic("OnState: too many calls")
	}
}

func (s states) next(t *testing.T, wantUp bool) error {
	t.Helper()
	select {
	case st := <-s:
		if st.up != wantUp || (st.err == nil) == !wantUp {
			t.Fatalf("OnState(%v, %v), want up %v", st.up, st.err, wantUp)
		}
		return st.err
	case <-time.After(waitLimit):
		t.Fatalf("no OnState(%v)", wantUp)
		return nil
	}
}

func (s states) none(t *testing.T) {
	t.Helper()
	select {
	case st := <-s:
		t.Fatalf("unexpected OnState(%v, %v)", st.up, st.err)
	default:
	}
}

// fireBackoff waits for the Redialer to arm its back-off timer, fires it
// and returns how long it was.
func fireBackoff(t *testing.T, clk *kiosktest.Clock) time.Duration {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := clk.WaitTimers(ctx, 1); err != nil {
		t.Fatal("no back-off timer was armed")
	}
	at, _ := clk.Next()
	d := at.Sub(clk.Now())
	clk.AdvanceTo(at)
	return d
}

func newTestClock() *kiosktest.Clock {
	return kiosktest.NewClock(time.Date(2026, 4, 6, 10, 0, 0, 0, time.UTC))
}

// readResult is one Read, done in a goroutine.
type readResult struct {
	b   []byte
	err error
}

func goRead(r io.Reader) <-chan readResult {
	ch := make(chan readResult, 1)
	go func() {
		buf := make([]byte, 64)
		n, err := r.Read(buf)
		ch <- readResult{bytes.Clone(buf[:n]), err}
	}()
	return ch
}

func waitRead(t *testing.T, ch <-chan readResult) readResult {
	t.Helper()
	select {
	case res := <-ch:
		return res
	case <-time.After(waitLimit):
		t.Fatal("Read did not return")
		return readResult{}
	}
}

// readFull reads len(want) bytes from c and compares.
func expectBytes(t *testing.T, c net.Conn, want string) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(waitLimit))
	got := make([]byte, len(want))
	if _, err := io.ReadFull(c, got); err != nil || string(got) != want {
		t.Fatalf("peer read %q, %v; want %q", got, err, want)
	}
}

// checkRedialing checks that err is a link loss a link's pump reads on
// after: ErrRedialing, and none of the errors it takes as the end.
func checkRedialing(t *testing.T, what string, err error) {
	t.Helper()
	switch {
	case !errors.Is(err, ErrRedialing):
		t.Fatalf("%s = %v, want ErrRedialing", what, err)
	case errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed), errors.Is(err, os.ErrClosed), permanent(err):
		t.Fatalf("%s = %v: looks permanent", what, err)
	case isTimeout(err):
		t.Fatalf("%s = %v: looks like a time-out", what, err)
	}
}

// TestRedialerReconnects: the terminal closes the connection; Read
// reports it once, Write fails at once while the link is down, and after
// the back-off the Redialer is connected again and data flows both ways.
func TestRedialerReconnects(t *testing.T) {
	p := newPeer(t)
	clk := newTestClock()
	st := make(states, 16)
	r := NewRedialer(context.Background(), p.dial, RedialOptions{Clock: clk, OnState: st.on})
	defer r.Close()
	srv := p.accept(t)
	if !r.Up() {
		t.Fatal("not up after the first dial")
	}
	st.none(t) // the first connection is no change

	srv.Write([]byte("hello"))
	if res := waitRead(t, goRead(r)); res.err != nil || string(res.b) != "hello" {
		t.Fatalf("Read = %q, %v", res.b, res.err)
	}
	if n, err := r.Write([]byte("ping")); n != 4 || err != nil {
		t.Fatalf("Write = %d, %v", n, err)
	}
	expectBytes(t, srv, "ping")

	srv.Close() // the terminal drops the link
	res := waitRead(t, goRead(r))
	if len(res.b) != 0 {
		t.Fatalf("Read after the drop gave %q", res.b)
	}
	checkRedialing(t, "Read after the drop", res.err)
	st.next(t, false)
	if r.Up() {
		t.Error("Up after the drop")
	}
	n, err := r.Write([]byte("lost"))
	if n != 0 {
		t.Errorf("Write while down wrote %d bytes", n)
	}
	checkRedialing(t, "Write while down", err)

	// The next Read waits for the new connection and reads from it.
	pending := goRead(r)
	if d := fireBackoff(t, clk); d != DefaultMinBackoff {
		t.Errorf("first back-off %v, want %v", d, DefaultMinBackoff)
	}
	srv2 := p.accept(t)
	st.next(t, true)
	if !r.Up() {
		t.Error("not Up after the redial")
	}
	srv2.Write([]byte("again"))
	if res := waitRead(t, pending); res.err != nil || string(res.b) != "again" {
		t.Fatalf("Read after the redial = %q, %v", res.b, res.err)
	}
	if _, err := r.Write([]byte("pong")); err != nil {
		t.Fatalf("Write after the redial: %v", err)
	}
	expectBytes(t, srv2, "pong")
	st.none(t)
	if got := p.dials.Load(); got != 2 {
		t.Errorf("%d dials, want 2", got)
	}
}

// TestRedialerBackoff: failed redials wait twice as long each time, up
// to MaxBackoff, and are no change of state; the success is.
func TestRedialerBackoff(t *testing.T) {
	p := newPeer(t)
	clk := newTestClock()
	st := make(states, 16)
	r := NewRedialer(context.Background(), p.dial, RedialOptions{
		Clock: clk, MinBackoff: time.Second, MaxBackoff: 5 * time.Second, OnState: st.on,
	})
	defer r.Close()
	srv := p.accept(t)
	p.refuse.Store(true)
	srv.Close()
	checkRedialing(t, "Read after the drop", waitRead(t, goRead(r)).err)
	st.next(t, false)
	for i, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second} {
		if d := fireBackoff(t, clk); d != want {
			t.Fatalf("back-off %d: %v, want %v", i+1, d, want)
		}
	}
	// The sixth attempt succeeds.
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := clk.WaitTimers(ctx, 1); err != nil {
		t.Fatal(err)
	}
	st.none(t)
	n, err := r.Write([]byte("x"))
	if n != 0 || !errors.Is(err, ErrRedialing) || !bytes.Contains([]byte(err.Error()), []byte("redial attempt 5")) {
		t.Errorf("Write while redialing = %d, %v", n, err)
	}
	p.refuse.Store(false)
	if d := fireBackoff(t, clk); d != 5*time.Second {
		t.Errorf("back-off 6: %v", d)
	}
	p.accept(t)
	st.next(t, true)
	if got := p.dials.Load(); got != 7 {
		t.Errorf("%d dials, want 7", got)
	}
}

// flakyConn is a TCP connection whose writes fail on demand.
type flakyConn struct {
	net.Conn
	fail *atomic.Bool
}

func (c flakyConn) Write(b []byte) (int, error) {
	if c.fail.Load() {
		return 0, errors.New("write: broken pipe (test)")
	}
	return c.Conn.Write(b)
}

// TestRedialerWriteFailure: a failed Write drops the connection too; the
// Read that was waiting on it reports the loss once, then reads from the
// next connection.
func TestRedialerWriteFailure(t *testing.T) {
	p := newPeer(t)
	clk := newTestClock()
	st := make(states, 16)
	var fail atomic.Bool
	dial := func(ctx context.Context) (io.ReadWriteCloser, error) {
		c, err := p.dial(ctx)
		if err != nil {
			return nil, err
		}
		return flakyConn{c.(net.Conn), &fail}, nil
	}
	r := NewRedialer(context.Background(), dial, RedialOptions{Clock: clk, OnState: st.on})
	defer r.Close()
	srv := p.accept(t)
	srv.Write([]byte("a"))
	if res := waitRead(t, goRead(r)); string(res.b) != "a" {
		t.Fatalf("Read = %q, %v", res.b, res.err)
	}
	reading := goRead(r) // waits on the connection
	fail.Store(true)
	n, err := r.Write([]byte("boom"))
	if n != 0 {
		t.Errorf("failed Write reports %d bytes", n)
	}
	checkRedialing(t, "failed Write", err)
	st.next(t, false)
	checkRedialing(t, "Read after a Write lost the link", waitRead(t, reading).err)

	// After a redial the next Read reads on, with nothing more to report.
	fail.Store(false)
	reading = goRead(r)
	fireBackoff(t, clk)
	srv2 := p.accept(t)
	st.next(t, true)
	srv2.Write([]byte("b"))
	if res := waitRead(t, reading); res.err != nil || string(res.b) != "b" {
		t.Fatalf("Read after the redial = %q, %v", res.b, res.err)
	}
}

// TestRedialerWriteLossReportedToNextRead: a Write finds the connection
// gone while no Read runs; the next Read still reports it, once.
func TestRedialerWriteLossReportedToNextRead(t *testing.T) {
	p := newPeer(t)
	clk := newTestClock()
	var fail atomic.Bool
	dial := func(ctx context.Context) (io.ReadWriteCloser, error) {
		c, err := p.dial(ctx)
		if err != nil {
			return nil, err
		}
		return flakyConn{c.(net.Conn), &fail}, nil
	}
	r := NewRedialer(context.Background(), dial, RedialOptions{Clock: clk})
	defer r.Close()
	srv := p.accept(t)
	srv.Write([]byte("a"))
	if res := waitRead(t, goRead(r)); string(res.b) != "a" {
		t.Fatalf("Read = %q, %v", res.b, res.err)
	}
	fail.Store(true)
	if _, err := r.Write([]byte("x")); !errors.Is(err, ErrRedialing) {
		t.Fatalf("Write = %v", err)
	}
	fail.Store(false)
	fireBackoff(t, clk)
	srv2 := p.accept(t)
	srv2.Write([]byte("b"))
	checkRedialing(t, "Read after the loss", waitRead(t, goRead(r)).err)
	if res := waitRead(t, goRead(r)); res.err != nil || string(res.b) != "b" {
		t.Fatalf("second Read = %q, %v", res.b, res.err)
	}
}

// TestRedialerCloseUnblocksRead: Close ends a Read waiting on the
// connection and one waiting for a redial, with net.ErrClosed, and stops
// redialing.
func TestRedialerCloseUnblocksRead(t *testing.T) {
	t.Run("up", func(t *testing.T) {
		p := newPeer(t)
		r := NewRedialer(context.Background(), p.dial, RedialOptions{Clock: newTestClock()})
		p.accept(t)
		reading := goRead(r)
		r.Close()
		if res := waitRead(t, reading); !errors.Is(res.err, net.ErrClosed) {
			t.Fatalf("Read after Close = %v, want net.ErrClosed", res.err)
		}
		if _, err := r.Write([]byte("x")); !errors.Is(err, net.ErrClosed) {
			t.Errorf("Write after Close = %v", err)
		}
		if r.Up() {
			t.Error("Up after Close")
		}
		r.Close() // twice is fine
	})
	t.Run("down", func(t *testing.T) {
		p := newPeer(t)
		clk := newTestClock()
		r := NewRedialer(context.Background(), p.dial, RedialOptions{Clock: clk})
		p.accept(t).Close()
		checkRedialing(t, "Read after the drop", waitRead(t, goRead(r)).err)
		reading := goRead(r) // waits for the redial
		ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
		defer cancel()
		if err := clk.WaitTimers(ctx, 1); err != nil {
			t.Fatal(err)
		}
		r.Close()
		if res := waitRead(t, reading); !errors.Is(res.err, net.ErrClosed) || !permanent(res.err) {
			t.Fatalf("Read after Close = %v, want net.ErrClosed", res.err)
		}
		if n := clk.Pending(); n != 0 {
			t.Errorf("%d timers left after Close", n)
		}
		clk.Advance(time.Hour)
		if got := p.dials.Load(); got != 1 {
			t.Errorf("%d dials after Close, want 1", got)
		}
	})
}

// TestRedialerFirstDialFails: a terminal not there at the start is
// reported down and dialled until it is.
func TestRedialerFirstDialFails(t *testing.T) {
	p := newPeer(t)
	p.refuse.Store(true)
	clk := newTestClock()
	st := make(states, 16)
	r := NewRedialer(context.Background(), p.dial, RedialOptions{Clock: clk, OnState: st.on})
	defer r.Close()
	st.next(t, false)
	if r.Up() {
		t.Fatal("Up without a connection")
	}
	reading := goRead(r)
	p.refuse.Store(false)
	fireBackoff(t, clk)
	p.accept(t).Write([]byte("hi"))
	st.next(t, true)
	if res := waitRead(t, reading); res.err != nil || string(res.b) != "hi" {
		t.Fatalf("Read = %q, %v", res.b, res.err)
	}
}

// TestRedialerContextEnds: the constructor's ctx ending closes the
// Redialer.
func TestRedialerContextEnds(t *testing.T) {
	p := newPeer(t)
	ctx, cancel := context.WithCancel(context.Background())
	r := NewRedialer(ctx, p.dial, RedialOptions{Clock: newTestClock()})
	defer r.Close()
	p.accept(t)
	reading := goRead(r)
	cancel()
	if res := waitRead(t, reading); !errors.Is(res.err, net.ErrClosed) {
		t.Fatalf("Read after the ctx ended = %v, want net.ErrClosed", res.err)
	}
}

// TestTCPLinkOverRedialer: the terminal's link over a Redialer sees a
// dropped connection as ErrLinkDown, once, and carries APDUs again after
// the redial.
func TestTCPLinkOverRedialer(t *testing.T) {
	p := newPeer(t)
	clk := newTestClock()
	r := NewRedialer(context.Background(), p.dial, RedialOptions{Clock: clk})
	defer r.Close()
	l := NewTCPLink(r, LinkOptions{}) // Receive(ctx, 0) arms no timer on the link's clock
	defer l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	send := func(c net.Conn, a APDU) {
		t.Helper()
		b, err := a.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	srv := p.accept(t)
	send(srv, Ack())
	if a, err := l.Receive(ctx, 0); err != nil || a.Cmd != RespOK {
		t.Fatalf("Receive = %v, %v", a, err)
	}
	if err := l.Send(ctx, NewAPDU(CmdStatusEnquiry)); err != nil {
		t.Fatal(err)
	}
	expectBytes(t, srv, "\x05\x01\x00")

	// Half an APDU, then the drop: the half is lost with the link.
	srv.Write([]byte{0x04, 0x0F, 0x05, 0x01})
	srv.Close()
	_, err := l.Receive(ctx, 0)
	if !errors.Is(err, ErrLinkDown) || !errors.Is(err, ErrRedialing) {
		t.Fatalf("Receive after the drop = %v, want ErrLinkDown and ErrRedialing", err)
	}
	if err := l.Send(ctx, Ack()); !errors.Is(err, ErrLinkDown) || !errors.Is(err, ErrRedialing) {
		t.Fatalf("Send while down = %v, want ErrLinkDown", err)
	}

	fireBackoff(t, clk)
	srv2 := p.accept(t)
	completion := NewAPDU(CmdCompletion)
	send(srv2, completion)
	if a, err := l.Receive(ctx, 0); err != nil || a.Cmd != CmdCompletion {
		t.Fatalf("Receive after the redial = %v, %v", a, err)
	}
	if err := l.Send(ctx, Ack()); err != nil {
		t.Fatalf("Send after the redial: %v", err)
	}
	expectBytes(t, srv2, "\x80\x00\x00")
}
