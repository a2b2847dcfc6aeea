package zvt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"selvkasse/kiosk"
)

// ErrRedialing is wrapped by the errors of a Redialer's Read and Write
// while its connection is lost and being dialled again. It is neither
// io.EOF nor a closed-stream error, and no time-out: a link reading a
// Redialer takes it as a transient ErrLinkDown and reads on.
var ErrRedialing = errors.New("zvt: link lost, redialing")

// Back-off between redial attempts, by default: the first attempt waits
// DefaultMinBackoff after the loss, each further one twice as long, up to
// DefaultMaxBackoff.
const (
	DefaultMinBackoff = 500 * time.Millisecond
	DefaultMaxBackoff = 30 * time.Second
)

// RedialOptions tune a Redialer. Zero fields take the defaults.
type RedialOptions struct {
	Clock      kiosk.Clock   // times the back-off; nil: kiosk.SystemClock
	MinBackoff time.Duration // wait before the first redial; <= 0: DefaultMinBackoff
	MaxBackoff time.Duration // longest wait between redials; <= 0: DefaultMaxBackoff
	// OnState, when set, is called on each change of the link: up false
	// with the reason when the connection is lost (or the first dial
	// failed), up true with a nil error when a redial succeeded. Calls
	// come one at a time, in order, from the goroutine of the Read or
	// Write that found the loss or from the redial goroutine; OnState
	// must return quickly and must not call Close.
	OnState func(up bool, err error)
}

func (o RedialOptions) withDefaults() RedialOptions {
	if o.Clock == nil {
		o.Clock = kiosk.SystemClock{}
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = DefaultMinBackoff
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = DefaultMaxBackoff
	}
	o.MaxBackoff = max(o.MaxBackoff, o.MinBackoff)
	return o
}

// Redialer is a stream that survives the loss of its connection, as a
// TCP link to the terminal needs: an io.ReadWriteCloser over whichever
// connection dial gave last. When the connection fails (end of stream,
// reset, any read or write error) the Redialer closes it, reports the
// loss once and dials again in the background with back-off, until a
// dial succeeds or the Redialer is closed. No byte is replayed: what was
// in flight is lost, and a Write is never retried.
//
// One Read and one Write may run at a time, concurrently with each other
// and with Close; further concurrent Reads (Writes) wait their turn.
type Redialer struct {
	dial   func(context.Context) (io.ReadWriteCloser, error)
	opt    RedialOptions
	ctx    context.Context // ends at Close (or with the constructor's ctx)
	cancel context.CancelFunc

	rmu sync.Mutex // one Read at a time
	wmu sync.Mutex // one Write at a time
	emu sync.Mutex // one OnState delivery at a time

	mu      sync.Mutex
	c       *redialConn   // the live connection; nil while down and after Close
	closed  bool          // Close has begun
	why     error         // while down: why the last connection went (or the latest dial failure)
	changed chan struct{} // closed and replaced on each change of c or closed
	last    *redialConn   // the connection the latest Read used, until its loss is reported (rmu too)
	events  []linkState   // to deliver, in order
	wg      sync.WaitGroup
}

// redialConn is one connection.
type redialConn struct {
	rwc io.ReadWriteCloser
	why error // how it was lost; set under Redialer.mu when retired
}

type linkState struct {
	up  bool
	err error
}

var _ io.ReadWriteCloser = (*Redialer)(nil)

// NewRedialer dials once and returns a Redialer over the connection. If
// that first dial fails, the Redialer starts down (OnState reports it)
// and dials again with back-off, as after a loss; Up tells. dial is
// called one at a time, with a context that ends at Close; it bounds its
// own wait (a dial time-out). Its connections must allow Close during a
// Read or Write, as a net.Conn does. When ctx ends the Redialer is
// closed, as by Close.
func NewRedialer(ctx context.Context, dial func(context.Context) (io.ReadWriteCloser, error), opt RedialOptions) *Redialer {
	r := &Redialer{dial: dial, opt: opt.withDefaults(), changed: make(chan struct{})}
	r.ctx, r.cancel = context.WithCancel(ctx)
	rwc, err := dial(r.ctx)
	r.mu.Lock()
	switch {
	case err == nil && rwc != nil:
		r.c = &redialConn{rwc: rwc}
	case err == nil:
		r.goDownLocked(errors.New("dial: no connection"))
	default:
		r.goDownLocked(fmt.Errorf("dial: %w", err))
	}
	r.mu.Unlock()
	r.flush()
	context.AfterFunc(r.ctx, func() { r.Close() }) // ctx ended; after Close, a no-op
	return r
}

// Read reads from the current connection.
//
//   - When the connection fails it returns, once and at once, an error
//     wrapping ErrRedialing (its cause in words only: it satisfies
//     neither io.EOF nor a time-out), and redialing starts; the caller
//     drops any half-read message. The loss is reported to Read even
//     when a Write found it.
//   - While the link is down it waits until a redial succeeds and reads
//     from the new connection.
//   - After Close it returns an error wrapping net.ErrClosed; a Read
//     waiting when Close is called returns with it.
//
// A time-out of the connection (a read deadline) is passed on as it is.
func (r *Redialer) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	r.rmu.Lock()
	defer r.rmu.Unlock()
	for {
		r.mu.Lock()
		if r.closed {
			r.mu.Unlock()
			return 0, r.closedErr()
		}
		c := r.c
		if last := r.last; last != nil && last != c {
			// The connection the latest Read used was lost since (a
			// Write found it): report that once before reading on.
			r.last = nil
			r.mu.Unlock()
			return 0, lostErr(last.why)
		}
		if c == nil {
			ch := r.changed
			r.mu.Unlock()
			<-ch // the redial or Close
			continue
		}
		r.last = c
		r.mu.Unlock()

		n, err := c.rwc.Read(b)
		switch {
		case err == nil:
			return n, nil
		case isTimeout(err):
			return n, err
		case n > 0:
			// Bytes with an error: hand over the bytes; the next Read
			// reports the loss, as r.last is c.
			r.lose(c, fmt.Errorf("read: %v", err))
			return n, nil
		}
		if why := r.lose(c, fmt.Errorf("read: %v", err)); why != nil {
			r.mu.Lock()
			r.last = nil
			r.mu.Unlock()
			return 0, lostErr(why)
		}
		return 0, r.closedErr()
	}
}

// Write writes b to the current connection. While the link is down it
// fails at once with an error wrapping ErrRedialing, having sent nothing.
// When the connection fails during the write it returns how many bytes
// were written and an error wrapping ErrRedialing, and redialing starts;
// the rest is never written. After Close: an error wrapping
// net.ErrClosed.
func (r *Redialer) Write(b []byte) (int, error) {
	r.wmu.Lock()
	defer r.wmu.Unlock()
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return 0, r.closedErr()
	}
	c, why := r.c, r.why
	r.mu.Unlock()
	if c == nil {
		return 0, lostErr(why)
	}
	n, err := c.rwc.Write(b)
	if err == nil {
		return n, nil
	}
	if why := r.lose(c, fmt.Errorf("write: %v", err)); why != nil {
		return n, lostErr(why)
	}
	return n, r.closedErr()
}

// lose handles a failure of c. If the Redialer was closed it returns nil.
// Otherwise it returns how c was lost: why, when c is still the current
// connection (it retires c, closes it and starts redialing), or the
// reason recorded when another Read or Write retired c first.
func (r *Redialer) lose(c *redialConn, why error) error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	if r.c != c { // retired already; r.c changes only so, or by Close
		why = c.why
		r.mu.Unlock()
		return why
	}
	c.why = why
	r.c = nil
	r.goDownLocked(why)
	r.mu.Unlock()
	c.rwc.Close() // the connection is dead: a close error tells nothing more
	r.flush()
	return why
}

// goDownLocked records that the link is down and starts redialing.
func (r *Redialer) goDownLocked(why error) {
	r.why = why
	r.queueLocked(linkState{up: false, err: why})
	r.broadcastLocked()
	r.wg.Add(1)
	go r.redial()
}

// redial dials with back-off until a dial succeeds or Close.
func (r *Redialer) redial() {
	defer r.wg.Done()
	wait := r.opt.MinBackoff
	for attempt := 1; ; attempt++ {
		if !r.sleep(wait) {
			return
		}
		rwc, err := r.dial(r.ctx)
		if err == nil && rwc == nil {
			err = errors.New("no connection")
		}
		r.mu.Lock()
		if r.closed {
			r.mu.Unlock()
			if rwc != nil {
				rwc.Close()
			}
			return
		}
		if err != nil {
			r.why = fmt.Errorf("redial attempt %d: %w", attempt, err)
			r.mu.Unlock()
			wait = min(2*wait, r.opt.MaxBackoff)
			continue
		}
		r.c = &redialConn{rwc: rwc}
		r.why = nil
		r.queueLocked(linkState{up: true})
		r.broadcastLocked()
		r.mu.Unlock()
		r.flush()
		return
	}
}

// sleep waits d on the clock; false when the Redialer was closed first.
func (r *Redialer) sleep(d time.Duration) bool {
	done := make(chan struct{})
	t := r.opt.Clock.AfterFunc(d, func() { close(done) })
	select {
	case <-done:
		return true
	case <-r.ctx.Done():
		t.Stop()
		return false
	}
}

func (r *Redialer) broadcastLocked() {
	close(r.changed)
	r.changed = make(chan struct{})
}

func (r *Redialer) queueLocked(s linkState) {
	if r.opt.OnState != nil {
		r.events = append(r.events, s)
	}
}

// flush delivers the queued states, in order, outside r.mu.
func (r *Redialer) flush() {
	if r.opt.OnState == nil {
		return
	}
	r.emu.Lock()
	defer r.emu.Unlock()
	for {
		r.mu.Lock()
		if len(r.events) == 0 {
			r.mu.Unlock()
			return
		}
		s := r.events[0]
		r.events = r.events[1:]
		r.mu.Unlock()
		r.opt.OnState(s.up, s.err)
	}
}

// lostErr wraps ErrRedialing with why in words: why must not make the
// error look like the end of the stream or a time-out.
func lostErr(why error) error {
	if why == nil {
		return ErrRedialing
	}
	return fmt.Errorf("%w: %v", ErrRedialing, why)
}

func (r *Redialer) closedErr() error {
	return fmt.Errorf("zvt: redialer: %w", net.ErrClosed)
}

// Up reports whether a connection is up now: false from a loss until the
// redial succeeds, and after Close.
func (r *Redialer) Up() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.c != nil && !r.closed
}

// Close closes the current connection and stops redialing. A Read in
// progress or waiting returns an error wrapping net.ErrClosed, as do all
// later Reads and Writes. Close waits for a dial in progress to return.
// Closing twice is a no-op.
func (r *Redialer) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	c := r.c
	r.c = nil
	r.broadcastLocked()
	r.mu.Unlock()
	r.cancel()
	var err error
	if c != nil {
		if cerr := c.rwc.Close(); cerr != nil && !errors.Is(cerr, net.ErrClosed) {
			err = fmt.Errorf("zvt: redialer: close: %w", cerr)
		}
	}
	r.wg.Wait()
	return err
}
