package zvt

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sync"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// fakeClock fires timers only when told; armed reports each new timer.
type fakeClock struct {
	mu     sync.Mutex
	timers map[*fakeTimer]bool
	armed  chan time.Duration
}

type fakeTimer struct {
	c *fakeClock
	d time.Duration
	f func()
}

func newFakeClock() *fakeClock {
	return &fakeClock{timers: map[*fakeTimer]bool{}, armed: make(chan time.Duration, 64)}
}

func (c *fakeClock) Now() time.Time { return time.Date(2026, 4, 5, 22, 56, 0, 0, time.UTC) }

func (c *fakeClock) AfterFunc(d time.Duration, f func()) kiosk.Timer {
	t := &fakeTimer{c: c, d: d, f: f}
	c.mu.Lock()
	c.timers[t] = true
	c.mu.Unlock()
	select {
	case c.armed <- d:
	default:
	}
	return t
}

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := t.c.timers[t]
	delete(t.c.timers, t)
	return was
}

// expire waits for a timer of d to be set and fires it.
func (c *fakeClock) expire(tb testing.TB, d time.Duration) {
	tb.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case got := <-c.armed:
			if got != d {
				continue
			}
			c.mu.Lock()
			var due []*fakeTimer
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
			return
		case <-deadline:
			tb.Fatalf("no %v timer was set", d)
		}
	}
}

// wire is a stream whose reads come from a channel the test feeds and
// whose writes go to a channel the test reads.
type wire struct {
	in     chan []byte
	out    chan []byte
	closed chan struct{}
	once   sync.Once
	pend   []byte
}

func newWire() *wire {
	return &wire{in: make(chan []byte, 16), out: make(chan []byte, 64), closed: make(chan struct{})}
}

func (w *wire) Read(b []byte) (int, error) {
	if len(w.pend) == 0 {
		select {
		case p := <-w.in:
			if p == nil {
				return 0, nil // (0, nil) as a port with a read time-out gives
			}
			w.pend = p
		case <-w.closed:
			return 0, io.EOF
		}
	}
	n := copy(b, w.pend)
	w.pend = w.pend[n:]
	return n, nil
}

func (w *wire) Write(b []byte) (int, error) {
	select {
	case <-w.closed:
		return 0, io.ErrClosedPipe
	default:
	}
	w.out <- append([]byte(nil), b...)
	return len(b), nil
}

func (w *wire) Close() { w.once.Do(func() { close(w.closed) }) }

func (w *wire) written(tb testing.TB) []byte {
	tb.Helper()
	select {
	case b := <-w.out:
		return b
	case <-time.After(10 * time.Second):
		tb.Fatal("nothing written")
		return nil
	}
}

func TestSerialSendNAKRetry(t *testing.T) {
	clk := newFakeClock()
	w := newWire()
	defer w.Close()
	l := NewSerialLink(w, LinkOptions{Clock: clk})
	defer l.Close()
	done := make(chan error, 1)
	go func() { done <- l.Send(context.Background(), Ack()) }()
	want := mustHex(t, "1002 800000 1003 F51F")
	if got := w.written(t); !bytes.Equal(got, want) {
		t.Fatalf("frame % X, want % X", got, want)
	}
	w.in <- []byte{NAK} // §3.5: repeat after NAK
	if got := w.written(t); !bytes.Equal(got, want) {
		t.Fatalf("repeat % X", got)
	}
	clk.expire(t, DefaultT2) // … and after T2 without an answer
	if got := w.written(t); !bytes.Equal(got, want) {
		t.Fatalf("second repeat % X", got)
	}
	w.in <- nil // a (0, nil) read changes nothing
	w.in <- []byte{ACK}
	if err := <-done; err != nil {
		t.Fatalf("Send = %v", err)
	}
}

func TestSerialSendGivesUp(t *testing.T) {
	w := newWire()
	defer w.Close()
	l := NewSerialLink(w, LinkOptions{Clock: newFakeClock()})
	defer l.Close()
	done := make(chan error, 1)
	go func() { done <- l.Send(context.Background(), Ack()) }()
	for range 3 { // sent once, repeated twice
		w.written(t)
		w.in <- []byte{NAK}
	}
	if err := <-done; !errors.Is(err, ErrTransmission) {
		t.Fatalf("Send after three NAKs = %v, want ErrTransmission", err)
	}
}

func TestSerialReceive(t *testing.T) {
	clk := newFakeClock()
	w := newWire()
	defer w.Close()
	l := NewSerialLink(w, LinkOptions{Clock: clk})
	defer l.Close()
	got := make(chan APDU, 1)
	errc := make(chan error, 1)
	recv := func() {
		a, err := l.Receive(context.Background(), 0)
		if err != nil {
			errc <- err
			return
		}
		got <- a
	}
	go recv()
	f := Frame(mustHex(t, "060F 03 19 10 29"))
	bad := bytes.Clone(f)
	bad[len(bad)-1] ^= 0xFF
	w.in <- bad // CRC error: NAK
	if b := w.written(t); !bytes.Equal(b, []byte{NAK}) {
		t.Fatalf("answer to a bad CRC % X, want NAK", b)
	}
	w.in <- f[:4] // half a message, then T1 runs out: NAK
	clk.expire(t, DefaultT1)
	if b := w.written(t); !bytes.Equal(b, []byte{NAK}) {
		t.Fatalf("answer to a stalled message % X, want NAK", b)
	}
	w.in <- append([]byte{0xAA}, f...) // noise, then the message in one go
	if b := w.written(t); !bytes.Equal(b, []byte{ACK}) {
		t.Fatalf("answer % X, want ACK", b)
	}
	select {
	case a := <-got:
		if a.Cmd != CmdCompletion || !bytes.Equal(a.Data, []byte{0x19, 0x10, 0x29}) {
			t.Errorf("received %v", a)
		}
	case err := <-errc:
		t.Fatal(err)
	}
	// A time-out on the link's clock.
	go func() {
		_, err := l.Receive(context.Background(), DefaultT3)
		errc <- err
	}()
	clk.expire(t, DefaultT3)
	if err := <-errc; !errors.Is(err, ErrTimeout) {
		t.Errorf("Receive = %v, want ErrTimeout", err)
	}
}

func TestTCPReceiveSplit(t *testing.T) {
	w := newWire()
	defer w.Close()
	l := NewTCPLink(w, LinkOptions{Clock: newFakeClock()})
	defer l.Close()
	b := captures(t)["1680728215.585561000_pt_ecr.blob"] // extended length
	for i := 0; i < len(b); i += 100 {
		w.in <- b[i:min(i+100, len(b))]
	}
	a, err := l.Receive(context.Background(), 0)
	if err != nil || a.Cmd != CmdPrintText || len(a.Data) != len(b)-5 {
		t.Fatalf("Receive = %v, %v", a.Cmd, err)
	}
}

// A Read that never returns must not hang Close; closing the stream ends
// the pump.
func TestCloseWithBlockedRead(t *testing.T) {
	w := newWire()
	l := NewTCPLink(w, LinkOptions{})
	errc := make(chan error, 1)
	go func() {
		_, err := l.Receive(context.Background(), 0)
		errc <- err
	}()
	l.Close()
	if err := <-errc; !errors.Is(err, ErrClosed) {
		t.Errorf("Receive after Close = %v, want ErrClosed", err)
	}
	w.Close()
	if err := l.Send(context.Background(), Ack()); !errors.Is(err, ErrClosed) {
		t.Errorf("Send after Close = %v", err)
	}
}

func TestLinkDownIsPermanentOnEOF(t *testing.T) {
	w := newWire()
	l := NewTCPLink(w, LinkOptions{})
	defer l.Close()
	w.Close()
	for range 2 {
		if _, err := l.Receive(context.Background(), 0); !errors.Is(err, ErrLinkDown) || !errors.Is(err, io.EOF) {
			t.Fatalf("Receive after EOF = %v", err)
		}
	}
}
