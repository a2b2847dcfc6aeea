package zvt

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"runtime"
	"sync"
	"time"

	"selvkasse/kiosk"
)

// Link carries APDUs between the ECR and the terminal. Send returns once
// the peer has the APDU as far as the transport can tell (serial: ACKed;
// TCP: written). Receive returns the next APDU; within > 0 bounds the wait
// on the link's clock (ErrTimeout), 0 waits until ctx ends. One goroutine
// at a time calls Send and Receive: ZVT is half-duplex. Close stops the
// link without waiting for a Read in progress; the caller closes the
// stream.
type Link interface {
	Send(ctx context.Context, a APDU) error
	Receive(ctx context.Context, within time.Duration) (APDU, error)
	Close() error
}

// Link errors.
var (
	// ErrTimeout: no APDU (or ACK) within the time-out.
	ErrTimeout = errors.New("zvt: time-out")
	// ErrTransmission: the serial peer did not ACK a message after the
	// retries (PA00P016 §3.5).
	ErrTransmission = errors.New("zvt: transmission error")
	// ErrLinkDown: the stream failed (read or write error, closed).
	ErrLinkDown = errors.New("zvt: link down")
	// ErrClosed: the link was closed.
	ErrClosed = errors.New("zvt: link closed")
)

// Spec defaults (PA00P016 §3.4, §5.2.5, §5.2.6).
const (
	DefaultT1 = 200 * time.Millisecond // between two bytes of a serial message (§3.4.1)
	DefaultT2 = 5 * time.Second        // message → ACK/NAK (§3.4.2)
	DefaultT3 = 5 * time.Second        // command → 80-00/84-xx (§5.2.5)
	DefaultT4 = 180 * time.Second      // 80-00 → completion, reset by (intermediate) status (§5.2.6)
	// DefaultRepeats: a message is repeated up to two times after a NAK or
	// time-out (§3.5), so sent at most three times.
	DefaultRepeats = 2
	// DefaultPort is the terminal's TCP port (PA00P016 §2.2).
	DefaultPort = 20007
	// LineBaud and the line format the serial port is opened with: 9600
	// baud, 8 data bits, no parity, 2 stop bits, no handshake (PA00P016
	// §2.1). devices/serialport opens the port; this package never does.
	LineBaud     = 9600
	LineDataBits = 8
	LineStopBits = 2
)

// LinkOptions tune a link. Zero fields take the spec defaults.
type LinkOptions struct {
	Clock   kiosk.Clock   // nil: kiosk.SystemClock
	T1      time.Duration // serial inter-byte time-out
	T2      time.Duration // serial ACK time-out
	Repeats int           // serial repeats after NAK/time-out; <0 means none
	// Trace, when set, sees every APDU sent (out true) and received.
	Trace func(out bool, a APDU)
}

func (o LinkOptions) withDefaults() LinkOptions {
	if o.Clock == nil {
		o.Clock = kiosk.SystemClock{}
	}
	if o.T1 <= 0 {
		o.T1 = DefaultT1
	}
	if o.T2 <= 0 {
		o.T2 = DefaultT2
	}
	if o.Repeats == 0 {
		o.Repeats = DefaultRepeats
	} else if o.Repeats < 0 {
		o.Repeats = 0
	}
	return o
}

// chunk is bytes or a read error from the pump.
type chunk struct {
	b   []byte
	err error
}

// pump reads the stream in its own goroutine so that the protocol can wait
// for bytes, a timer and ctx at once. The channel is unbuffered: the pump
// reads ahead at most one chunk, and a failing stream is read again only
// when the link asks for more. A permanent error (EOF, closed) ends it.
type pump struct {
	ch       chan chunk
	dead     chan struct{} // closed when the stream has ended
	err      error         // why, set before dead is closed
	done     chan struct{} // closed by stop
	stopOnce sync.Once
}

func startPump(r io.Reader) *pump {
	p := &pump{ch: make(chan chunk), dead: make(chan struct{}), done: make(chan struct{})}
	go p.run(r)
	return p
}

func (p *pump) run(r io.Reader) {
	buf := make([]byte, 1024)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			select {
			case p.ch <- chunk{b: bytes.Clone(buf[:n])}:
			case <-p.done:
				return
			}
		}
		switch {
		case err == nil:
			if n == 0 {
				runtime.Gosched() // a port with a read time-out returns (0, nil)
			}
			continue
		case isTimeout(err):
			continue
		case permanent(err):
			p.err = err
			close(p.dead)
			return
		}
		select {
		case p.ch <- chunk{err: err}:
		case <-p.done:
			return
		}
	}
}

func (p *pump) stop() { p.stopOnce.Do(func() { close(p.done) }) }

func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout()
}

func permanent(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrClosedPipe) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, os.ErrClosed) || errors.Is(err, ErrClosed)
}

// timer is a channel closed after d on clk; nil (never ready) for d <= 0.
func timer(clk kiosk.Clock, d time.Duration) (<-chan struct{}, func()) {
	if d <= 0 {
		return nil, func() {}
	}
	ch := make(chan struct{})
	var once sync.Once
	t := clk.AfterFunc(d, func() { once.Do(func() { close(ch) }) })
	return ch, func() { t.Stop() }
}

// errT1: the serial inter-byte time-out ran out.
var errT1 = errors.New("zvt: T1 inter-byte time-out")

// next waits for the next chunk, the deadline, ctx or the end of the link.
func (p *pump) next(ctx context.Context, closed, deadline, t1 <-chan struct{}) ([]byte, error) {
	select {
	case c := <-p.ch:
		if c.err != nil {
			return nil, errors.Join(ErrLinkDown, c.err)
		}
		return c.b, nil
	case <-p.dead:
		return nil, errors.Join(ErrLinkDown, p.err)
	case <-closed:
		return nil, ErrClosed
	case <-deadline:
		return nil, ErrTimeout
	case <-t1:
		return nil, errT1
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// writeAll writes b, failing on a short write.
func writeAll(w io.Writer, b []byte) error {
	for len(b) > 0 {
		n, err := w.Write(b)
		if err != nil {
			return errors.Join(ErrLinkDown, err)
		}
		if n == 0 {
			return errors.Join(ErrLinkDown, io.ErrShortWrite)
		}
		b = b[n:]
	}
	return nil
}

// closer is the common Close of both links.
type closer struct {
	once   sync.Once
	closed chan struct{}
}

func newCloser() closer { return closer{closed: make(chan struct{})} }

func (c *closer) close(p *pump) error {
	c.once.Do(func() { close(c.closed); p.stop() })
	return nil
}
