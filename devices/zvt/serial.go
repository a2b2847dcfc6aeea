package zvt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// Transport control characters (PA00P016 §1.2).
const (
	DLE byte = 0x10
	STX byte = 0x02
	ETX byte = 0x03
	ACK byte = 0x06
	NAK byte = 0x15
)

// CRC computes the serial block check of PA00P016 §3.3: CRC-16 with the
// CCITT polynomial x^16+x^12+x^5+1 processed bit-reversed (the spec writes
// it as x^16+x^15+x^10+x^3, i.e. 0x8408), initial value 0, over the APDU's
// bytes (without the doubled DLEs) and the ETX. The frame carries the low
// byte first.
func CRC(b []byte) uint16 {
	var c uint16
	for _, x := range b {
		c ^= uint16(x)
		for range 8 {
			if c&1 != 0 {
				c = c>>1 ^ 0x8408
			} else {
				c >>= 1
			}
		}
	}
	return c
}

// Frame packs an APDU for the serial line: DLE STX, the APDU with every
// DLE doubled, DLE ETX, CRC low byte, CRC high byte (PA00P016 §3.1).
func Frame(apdu []byte) []byte {
	out := make([]byte, 0, len(apdu)+8)
	out = append(out, DLE, STX)
	for _, c := range apdu {
		out = append(out, c)
		if c == DLE {
			out = append(out, DLE)
		}
	}
	crc := CRC(append(append([]byte{}, apdu...), ETX))
	return append(out, DLE, ETX, byte(crc), byte(crc>>8))
}

// ErrFrame: a serial message that is not formally correct.
var ErrFrame = errors.New("zvt: bad serial frame")

// ParseFrame decodes one message at the start of b (which must start with
// DLE STX) and says how many bytes it took. ErrShort means more bytes are
// needed; an error wrapping ErrFrame means the message is broken (bad
// escape or CRC) and n bytes of it can be dropped.
func ParseFrame(b []byte) (apdu []byte, n int, err error) {
	if len(b) < 2 {
		return nil, 0, ErrShort
	}
	if b[0] != DLE || b[1] != STX {
		return nil, 1, fmt.Errorf("%w: no DLE STX", ErrFrame)
	}
	for i := 2; i < len(b); {
		c := b[i]
		if c != DLE {
			apdu = append(apdu, c)
			i++
			if len(apdu) > MaxData+5 {
				return nil, i, fmt.Errorf("%w: longer than any APDU", ErrFrame)
			}
			continue
		}
		if i+1 >= len(b) {
			return nil, 0, ErrShort
		}
		switch b[i+1] {
		case DLE:
			apdu = append(apdu, DLE)
			i += 2
		case ETX:
			if i+3 >= len(b) {
				return nil, 0, ErrShort
			}
			got := uint16(b[i+2]) | uint16(b[i+3])<<8
			if want := CRC(append(apdu, ETX)); got != want {
				return nil, i + 4, fmt.Errorf("%w: CRC %04X, computed %04X", ErrFrame, got, want)
			}
			return apdu[:len(apdu):len(apdu)], i + 4, nil
		default:
			return nil, i + 1, fmt.Errorf("%w: DLE %02X inside a message", ErrFrame, b[i+1])
		}
	}
	return nil, 0, ErrShort
}

// SerialLink frames APDUs for RS232 (PA00P016 §3): each message is
// acknowledged with ACK or NAK; a NAK or no acknowledgement within T2 makes
// the sender repeat it up to two times (§3.5); a message whose bytes stop
// for T1 is answered with NAK (§3.4.1).
type SerialLink struct {
	w      io.Writer
	p      *pump
	opt    LinkOptions
	raw    []byte // bytes read, not yet scanned
	frames []APDU // received, ACKed, not yet returned
	acks   []byte // ACK/NAK bytes received
	wmu    sync.Mutex
	clsr   closer
}

var _ Link = (*SerialLink)(nil)

// NewSerialLink starts a link over rw, a serial port opened 9600 8N2
// (LineBaud). It reads rw from a goroutine until rw ends.
func NewSerialLink(rw io.ReadWriter, opt LinkOptions) *SerialLink {
	return &SerialLink{w: rw, p: startPump(rw), opt: opt.withDefaults(), clsr: newCloser()}
}

func (l *SerialLink) write(b []byte) error {
	l.wmu.Lock()
	defer l.wmu.Unlock()
	return writeAll(l.w, b)
}

// scan moves whole messages and acknowledgements out of raw, answering
// each message. It reports whether a message has begun but not ended.
func (l *SerialLink) scan() (partial bool, err error) {
	for len(l.raw) > 0 {
		switch c := l.raw[0]; {
		case c == ACK || c == NAK:
			l.acks = append(l.acks, c)
			l.raw = l.raw[1:]
		case c == DLE && len(l.raw) == 1:
			return true, nil
		case c == DLE && l.raw[1] == STX:
			apdu, n, perr := ParseFrame(l.raw)
			if errors.Is(perr, ErrShort) {
				return true, nil
			}
			l.raw = l.raw[n:]
			var a APDU
			if perr == nil {
				var m int
				a, m, perr = ParseAPDU(apdu)
				if perr == nil && m != len(apdu) {
					perr = fmt.Errorf("%w: %d bytes after the APDU", ErrFrame, len(apdu)-m)
				}
			}
			if perr != nil {
				if err := l.write([]byte{NAK}); err != nil {
					return false, err
				}
				continue
			}
			if err := l.write([]byte{ACK}); err != nil {
				return false, err
			}
			if l.opt.Trace != nil {
				l.opt.Trace(false, a)
			}
			l.frames = append(l.frames, a)
		default:
			l.raw = l.raw[1:] // line noise between messages
		}
	}
	return false, nil
}

// fill reads the next chunk into raw, NAKing a message stuck for T1.
func (l *SerialLink) fill(ctx context.Context, partial bool, deadline <-chan struct{}) error {
	var t1 <-chan struct{}
	if partial {
		var stop func()
		t1, stop = timer(l.opt.Clock, l.opt.T1)
		defer stop()
	}
	b, err := l.p.next(ctx, l.clsr.closed, deadline, t1)
	if errors.Is(err, errT1) {
		l.raw = nil // T1 ran out inside a message (PA00P016 §3.4.1)
		return l.write([]byte{NAK})
	}
	if err != nil {
		if errors.Is(err, ErrLinkDown) {
			l.raw = nil
		}
		return err
	}
	l.raw = append(l.raw, b...)
	return nil
}

// Send writes a's message and waits for the ACK, repeating it after a NAK
// or T2. It returns an error wrapping ErrTransmission when the peer never
// ACKed.
func (l *SerialLink) Send(ctx context.Context, a APDU) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b, err := a.Marshal()
	if err != nil {
		return err
	}
	if l.opt.Trace != nil {
		l.opt.Trace(true, a)
	}
	frame := Frame(b)
	// Once the message is on the wire the ACK wait is bounded by T2 alone:
	// giving up early for ctx would leave the peer's state unknown.
	wctx := context.WithoutCancel(ctx)
	for try := 0; try <= l.opt.Repeats; try++ {
		l.acks = nil
		if err := l.write(frame); err != nil {
			return err
		}
		ok, err := l.awaitAck(wctx)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
	}
	return fmt.Errorf("%w: %v not acknowledged after %d tries", ErrTransmission, a.Cmd, l.opt.Repeats+1)
}

// awaitAck waits T2 for ACK (true) or NAK/time-out (false).
func (l *SerialLink) awaitAck(ctx context.Context) (bool, error) {
	deadline, stop := timer(l.opt.Clock, l.opt.T2)
	defer stop()
	for {
		partial, err := l.scan()
		if err != nil {
			return false, err
		}
		if len(l.acks) > 0 {
			c := l.acks[0]
			l.acks = l.acks[1:]
			return c == ACK, nil
		}
		if err := l.fill(ctx, partial, deadline); err != nil {
			if errors.Is(err, ErrTimeout) {
				return false, nil
			}
			return false, err
		}
	}
}

// Receive returns the next message's APDU (already ACKed).
func (l *SerialLink) Receive(ctx context.Context, within time.Duration) (APDU, error) {
	deadline, stop := timer(l.opt.Clock, within)
	defer stop()
	for {
		partial, err := l.scan()
		if err != nil {
			return APDU{}, err
		}
		if len(l.frames) > 0 {
			a := l.frames[0]
			l.frames = l.frames[1:]
			return a, nil
		}
		if err := l.fill(ctx, partial, deadline); err != nil {
			return APDU{}, err
		}
	}
}

// Close stops the link; it does not close the stream.
func (l *SerialLink) Close() error { return l.clsr.close(l.p) }
