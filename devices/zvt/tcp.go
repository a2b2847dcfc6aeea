package zvt

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"
)

// TCPLink sends APDUs bare over a stream, as on TCP/IP (PA00P016 §4.1):
// no DLE/STX framing, no CRC and no ACK; the receiver reassembles APDUs
// from arbitrarily split data (§4 item 3).
type TCPLink struct {
	w    io.Writer
	p    *pump
	opt  LinkOptions
	buf  []byte
	wmu  sync.Mutex
	clsr closer
}

var _ Link = (*TCPLink)(nil)

// NewTCPLink starts a link over rw, usually a net.Conn to port
// DefaultPort. It reads rw from a goroutine until rw ends.
func NewTCPLink(rw io.ReadWriter, opt LinkOptions) *TCPLink {
	return &TCPLink{w: rw, p: startPump(rw), opt: opt.withDefaults(), clsr: newCloser()}
}

// Send writes a.
func (l *TCPLink) Send(ctx context.Context, a APDU) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case <-l.clsr.closed:
		return ErrClosed
	default:
	}
	b, err := a.Marshal()
	if err != nil {
		return err
	}
	if l.opt.Trace != nil {
		l.opt.Trace(true, a)
	}
	l.wmu.Lock()
	defer l.wmu.Unlock()
	return writeAll(l.w, b)
}

// Receive returns the next APDU.
func (l *TCPLink) Receive(ctx context.Context, within time.Duration) (APDU, error) {
	deadline, stop := timer(l.opt.Clock, within)
	defer stop()
	for {
		a, n, err := ParseAPDU(l.buf)
		if err == nil {
			l.buf = l.buf[n:]
			if l.opt.Trace != nil {
				l.opt.Trace(false, a)
			}
			return a, nil
		}
		if !errors.Is(err, ErrShort) {
			return APDU{}, err
		}
		b, err := l.p.next(ctx, l.clsr.closed, deadline, nil)
		if err != nil {
			if errors.Is(err, ErrLinkDown) {
				l.buf = nil // a half APDU before a drop is lost
			}
			return APDU{}, err
		}
		l.buf = append(l.buf, b...)
	}
}

// Close stops the link; it does not close the stream.
func (l *TCPLink) Close() error { return l.clsr.close(l.p) }
