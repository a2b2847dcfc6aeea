package serialport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"sync"
	"time"

	"go.bug.st/serial"

	"selvkasse/kiosk"
)

// What go.bug.st/serial v1.8.0 does, read in its source, which Port is
// built on:
//
//   - serial_unix.go, unixPort.Read: waits in select(2) on the device and
//     on a "close signal" pipe. It returns (0, nil) when the read timeout
//     passes without a byte; a *serial.PortError with code PortClosed when
//     Close signals the pipe; the same PortClosed error when read(2) gives
//     0 bytes, which is how a hung-up tty (a USB serial device that was
//     unplugged, a pty whose master was closed) reads on Linux; and a raw
//     errno (EIO) when read(2) fails.
//   - serial_unix.go, unixPort.Write: a bare write(2) on the descriptor,
//     with no check that the port is still open, so writing after Close
//     could hit another file that reuses the descriptor number. Port never
//     calls Write on a handle it has begun to close (handle.mu). On a
//     hung-up tty write(2) fails with EIO.
//   - serial_unix.go, unixPort.Close: closes the descriptor, then signals
//     the pipe and waits for pending Reads to return.
//   - serial_unix.go, nativeOpen: EBUSY and EACCES become PortBusy and
//     PermissionDenied; any other open(2) error is returned raw (ENOENT
//     for a missing path or a dangling udev symlink); a path that is no
//     tty fails as InvalidSerialPort. It sets TIOCEXCL, so the device is
//     exclusive until Close.
//   - serial_windows.go: Read may return bytes together with an error;
//     a missing port is PortNotFound.
//   - *serial.PortError has no Unwrap: its cause is visible only in its
//     message.
//
// So Port treats every error from a device Read or Write, other than one
// caused by its own Close, as the device gone: it retires the handle and
// reopens the path.

// ErrUnplugged is wrapped by the errors of Open, Read and Write when the
// device is missing or went away. It wraps kiosk.ErrDeviceUnavailable, so
// errors.Is(err, kiosk.ErrDeviceUnavailable) holds for these errors too;
// drivers need test only the kiosk's sentinel.
var ErrUnplugged error = unpluggedError{}

type unpluggedError struct{}

func (unpluggedError) Error() string { return "serialport: device unplugged" }
func (unpluggedError) Unwrap() error { return kiosk.ErrDeviceUnavailable }

// Back-off between reopen attempts, by default: the first attempt waits
// DefaultBackoff, each further one twice as long, up to DefaultMaxBackoff.
// A USB device takes about a second to come back after it is plugged in.
const (
	DefaultBackoff    = 250 * time.Millisecond
	DefaultMaxBackoff = 5 * time.Second
)

// EventKind says what happened to a Port's device. The numbers are fixed.
type EventKind int

// Event kinds.
const (
	// EventUnplugged: the device went away (or, with AllowMissing, was
	// not there at Open). Event.Err says how.
	EventUnplugged EventKind = 1
	// EventReopenFailed: reopen attempt Event.Attempt failed with
	// Event.Err; another follows after the back-off.
	EventReopenFailed EventKind = 2
	// EventReopened: the device is back, at attempt Event.Attempt.
	EventReopened EventKind = 3
)

// String names k for logs.
func (k EventKind) String() string {
	switch k {
	case EventUnplugged:
		return "unplugged"
	case EventReopenFailed:
		return "reopen failed"
	case EventReopened:
		return "reopened"
	}
	return "EventKind(" + strconv.Itoa(int(k)) + ")"
}

// Event is a change in a Port's device, for the kiosk's log ("scanner
// back").
type Event struct {
	Kind    EventKind
	Path    string // Config.Path
	Attempt int    // reopen attempts since the unplug, from 1 (EventReopenFailed, EventReopened)
	Err     error  // why (EventUnplugged, EventReopenFailed)
}

// String describes e for logs.
func (e Event) String() string {
	s := e.Path + ": " + e.Kind.String()
	if e.Attempt > 0 {
		s += " (attempt " + strconv.Itoa(e.Attempt) + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Option changes how Open sets up a Port.
type Option func(*options)

type options struct {
	clk          kiosk.Clock
	first, max   time.Duration
	onEvent      func(Event)
	allowMissing bool
}

// WithClock makes the Port time its reopen back-off on clk (default
// kiosk.SystemClock). Tests pass a fake clock.
func WithClock(clk kiosk.Clock) Option {
	return func(o *options) {
		if clk != nil {
			o.clk = clk
		}
	}
}

// WithBackoff sets the wait before the first reopen attempt and the
// longest wait between attempts; the wait doubles from first up to
// longest. Values <= 0 keep the defaults; a longest below first is raised
// to first.
func WithBackoff(first, longest time.Duration) Option {
	return func(o *options) {
		if first > 0 {
			o.first = first
		}
		if longest > 0 {
			o.max = longest
		}
	}
}

// WithEvents calls f for each Event, one at a time, in order. f runs on
// the goroutine of the Read or Write that found the device gone, or on
// the Port's reconnect goroutine; it must return quickly, may call
// Reopened, and must not call Close (Close waits for it).
func WithEvents(f func(Event)) Option {
	return func(o *options) { o.onEvent = f }
}

// AllowMissing makes Open succeed when the device is missing: the Port
// starts unplugged (Read and Write fail with ErrUnplugged) and opens the
// device when it appears, as after an unplug. Other open errors (not a
// tty, busy, permission) still fail Open.
func AllowMissing() Option {
	return func(o *options) { o.allowMissing = true }
}

// Port is a serial device that survives being unplugged: an
// io.ReadWriteCloser over whichever handle to Config.Path is open now.
//
// One Read and one Write may run at a time, concurrently with each other
// and with Close; further concurrent Reads (Writes) wait their turn.
type Port struct {
	cfg    Config
	o      options
	ctx    context.Context // ends at Close; stops the reconnect goroutine
	cancel context.CancelFunc

	rmu sync.Mutex // one Read at a time
	wmu sync.Mutex // one Write at a time
	emu sync.Mutex // one event delivery at a time

	mu      sync.Mutex
	h       *handle // the open device; nil while it is away and after Close
	closed  bool
	why     error         // while away: the latest reason (the unplug, then each failed reopen)
	changed chan struct{} // closed and replaced on each change of h, why or closed
	last    *handle       // the handle the latest Read used, until its loss is reported (rmu too)
	tries   uint64        // failed reopen attempts, all told
	told    uint64        // tries when Read last reported the device away (rmu too)
	reopens uint64
	events  []Event        // to deliver, in order
	wg      sync.WaitGroup // the reconnect goroutine and closes of retired handles
}

// handle is one open of the device.
type handle struct {
	sp serial.Port

	mu   sync.RWMutex // Write holds it shared while in sp.Write; close exclusive to set dead
	dead bool         // close has begun: sp.Write must not be called

	why error // how the device was lost; set under Port.mu when retired
}

var errHandleClosed = errors.New("serialport: handle closed")

var _ io.ReadWriteCloser = (*Port)(nil)

// Open validates cfg and opens the device at cfg.Path. Errors: the
// Validate error (wrapping ErrConfig); an error wrapping ErrUnplugged when
// the device is missing (no such path, a udev symlink not there yet, a
// node without its device), unless AllowMissing; any other open error
// (busy, permission, not a tty) wrapped as "serialport: open PATH: ...".
func Open(cfg Config, opts ...Option) (*Port, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	o := options{clk: kiosk.SystemClock{}, first: DefaultBackoff, max: DefaultMaxBackoff}
	for _, opt := range opts {
		opt(&o)
	}
	o.max = max(o.max, o.first)
	p := &Port{cfg: cfg, o: o, changed: make(chan struct{})}
	p.ctx, p.cancel = context.WithCancel(context.Background())
	sp, err := openSerial(cfg)
	switch {
	case err == nil:
		p.h = &handle{sp: sp}
	case missing(err) && o.allowMissing:
		p.mu.Lock()
		p.goDownLocked(fmt.Errorf("open: %w", err))
		p.mu.Unlock()
		p.flush()
	case missing(err):
		p.cancel()
		return nil, fmt.Errorf("%w: %s: open: %w", ErrUnplugged, cfg.Path, err)
	default:
		p.cancel()
		return nil, fmt.Errorf("serialport: open %s: %w", cfg.Path, err)
	}
	return p, nil
}

// openSerial opens and sets up the device once, in fds the library's
// select can wait on (openLow).
func openSerial(cfg Config) (serial.Port, error) {
	sp, err := openLow(func() (serial.Port, error) { return serial.Open(cfg.Path, cfg.mode()) })
	if err != nil {
		return nil, err
	}
	if err := sp.SetReadTimeout(cfg.timeout()); err != nil {
		closeSerial(sp)
		return nil, fmt.Errorf("set read timeout %v: %w", cfg.ReadTimeout, err)
	}
	return sp, nil
}

// missing reports whether an open error means the device is not there.
func missing(err error) bool {
	var pe *serial.PortError
	if errors.As(err, &pe) && pe.Code() == serial.PortNotFound {
		return true
	}
	return errors.Is(err, fs.ErrNotExist) || goneErrno(err)
}

// lost describes a failed device operation op: a PortClosed error that
// Port did not cause is a hang-up (the device was unplugged).
func lost(op string, err error) error {
	var pe *serial.PortError
	if errors.As(err, &pe) && pe.Code() == serial.PortClosed {
		return fmt.Errorf("%s: the device hung up (%w)", op, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// Read reads at least one byte into b, or fails; it never returns (0, nil)
// for a non-empty b, and never io.EOF: a serial line has no end.
//
//   - With Config.ReadTimeout 0 it waits until a byte arrives.
//   - With ReadTimeout > 0, after that long without a byte it returns an
//     error satisfying errors.Is(err, os.ErrDeadlineExceeded) (and
//     net.Error with Timeout() true); reading may go on. A synchronous
//     line-framing driver sets ReadTimeout to its inter-byte gap and
//     takes this error as "the line paused".
//   - When the device goes away it returns an error wrapping ErrUnplugged
//     (and so kiosk.ErrDeviceUnavailable) once, at once, and starts
//     reopening the path; the caller drops any half-read frame. While
//     the device is away, each failed reopen attempt is reported to one
//     Read, with its reason: a Read with no failure left to report waits
//     for the next attempt (the back-off, not ReadTimeout); if the device
//     is back it reads from it. So a loop calling Read neither spins nor
//     hangs.
//   - After Close it returns an error wrapping os.ErrClosed; a Read
//     blocked when Close is called returns with it.
//
// The loss of the device is reported to Read even when a Write found it.
func (p *Port) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	p.rmu.Lock()
	defer p.rmu.Unlock()
	for {
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			return 0, p.closedErr()
		}
		h := p.h
		if last := p.last; last != nil && last != h {
			// The handle the latest Read used was lost since (a Write
			// found it): report that once before reading on.
			p.last, p.told = nil, p.tries
			p.mu.Unlock()
			return 0, p.unplugged(last.why)
		}
		if h == nil {
			if p.tries > p.told { // a reopen attempt failed since the last report
				p.told = p.tries
				why := p.why
				p.mu.Unlock()
				return 0, p.unplugged(why)
			}
			ch := p.changed
			p.mu.Unlock()
			<-ch // the next reopen attempt, the reopen, or Close
			continue
		}
		p.last = h
		p.mu.Unlock()

		n, err := readSerial(h.sp, b)
		switch {
		case err == nil && n > 0:
			return n, nil
		case err == nil && p.cfg.ReadTimeout > 0:
			return 0, fmt.Errorf("serialport: %s: no byte within %v: %w", p.cfg.Path, p.cfg.ReadTimeout, os.ErrDeadlineExceeded)
		case err == nil:
			continue // no timeout is set, so the library does not return (0, nil); read on if it does
		case n > 0:
			// Bytes with an error (Windows): hand over the bytes; the
			// next Read reports the loss, as p.last is h.
			p.lose(h, lost("read", err))
			return n, nil
		}
		if why := p.lose(h, lost("read", err)); why != nil {
			p.mu.Lock()
			p.last, p.told = nil, p.tries
			p.mu.Unlock()
			return 0, p.unplugged(why)
		}
		return 0, p.closedErr()
	}
}

// errLibrary is the cause of a read in which go.bug.st/serial panicked.
var errLibrary = errors.New("serialport: the serial library failed")

// readSerial is sp.Read with a panic of the library turned into an error,
// so that Port takes it as the loss of the device and reopens it, instead
// of the kiosk going down. The one known is an fd at or above FD_SETSIZE
// (lowfd_unix.go), which only an exhausted reserve lets through: the
// reopen gets a low fd once one is free.
func readSerial(sp serial.Port, b []byte) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			n, err = 0, fmt.Errorf("%w: %v", errLibrary, r)
		}
	}()
	return sp.Read(b)
}

// Write writes all of b, or fails. It does not wait for a device that is
// away: it returns an error wrapping ErrUnplugged (and so
// kiosk.ErrDeviceUnavailable) at once, having written nothing. When the
// device goes away during the write it returns how many bytes were
// written and that error, and starts reopening the path; Port never
// writes the rest by itself. After Close: an error wrapping os.ErrClosed.
//
// A Write blocks while the device holds off output (a full buffer); Close
// waits for it.
func (p *Port) Write(b []byte) (int, error) {
	p.wmu.Lock()
	defer p.wmu.Unlock()
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return 0, p.closedErr()
	}
	h, why := p.h, p.why
	p.mu.Unlock()
	if h == nil {
		return 0, p.unplugged(why)
	}
	n, err := h.write(b)
	if err == nil {
		return n, nil
	}
	if why := p.lose(h, lost("write", err)); why != nil {
		return n, p.unplugged(why)
	}
	return n, p.closedErr()
}

func (h *handle) write(b []byte) (int, error) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.dead {
		return 0, errHandleClosed
	}
	total := 0
	for total < len(b) {
		n, err := h.sp.Write(b[total:])
		total += max(n, 0)
		if err != nil {
			return total, err
		}
		if n <= 0 {
			return total, io.ErrShortWrite
		}
	}
	return total, nil
}

// close closes the device once; it waits for a Write in progress.
func (h *handle) close() error {
	h.mu.Lock()
	if h.dead {
		h.mu.Unlock()
		return nil
	}
	h.dead = true
	h.mu.Unlock()
	return closeSerial(h.sp)
}

// closeSerial closes an open of the device and puts the fds it freed back
// into the reserve of low fds (lowfd_unix.go).
func closeSerial(sp serial.Port) error {
	err := sp.Close()
	keepLow()
	return err
}

// lose handles an error from h. If Port was closed it returns nil.
// Otherwise it returns how the device was lost: why, when h is still the
// current handle (it retires h, closes it and starts reopening), or the
// reason recorded when another Read or Write retired h first.
func (p *Port) lose(h *handle, why error) error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	if p.h != h { // retired already; p.h changes only so, or by Close
		why = h.why
		p.mu.Unlock()
		return why
	}
	h.why = why
	p.h = nil
	p.goDownLocked(why)
	p.wg.Add(1)
	p.mu.Unlock()
	h.close() // the device is gone: a close error tells nothing more
	p.wg.Done()
	p.flush()
	return why
}

// goDownLocked records that the device is away and starts reopening it.
func (p *Port) goDownLocked(why error) {
	p.why = why
	p.queueLocked(Event{Kind: EventUnplugged, Err: why})
	p.broadcastLocked()
	p.wg.Add(1)
	go p.reconnect()
}

// reconnect reopens the path with back-off until it succeeds or Close.
func (p *Port) reconnect() {
	defer p.wg.Done()
	wait := p.o.first
	for attempt := 1; ; attempt++ {
		if !p.sleep(wait) {
			return
		}
		sp, err := openSerial(p.cfg)
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			if sp != nil {
				closeSerial(sp)
			}
			return
		}
		if err != nil {
			p.why = fmt.Errorf("reopen attempt %d: %w", attempt, err)
			p.tries++
			p.queueLocked(Event{Kind: EventReopenFailed, Attempt: attempt, Err: err})
			p.broadcastLocked()
			p.mu.Unlock()
			p.flush()
			wait = min(2*wait, p.o.max)
			continue
		}
		p.h = &handle{sp: sp}
		p.why = nil
		p.reopens++
		p.queueLocked(Event{Kind: EventReopened, Attempt: attempt})
		p.broadcastLocked()
		p.mu.Unlock()
		p.flush()
		return
	}
}

// sleep waits d on the Port's clock; false when Close came first.
func (p *Port) sleep(d time.Duration) bool {
	done := make(chan struct{})
	t := p.o.clk.AfterFunc(d, func() { close(done) })
	select {
	case <-done:
		return true
	case <-p.ctx.Done():
		t.Stop()
		return false
	}
}

func (p *Port) broadcastLocked() {
	close(p.changed)
	p.changed = make(chan struct{})
}

func (p *Port) queueLocked(e Event) {
	if p.o.onEvent == nil {
		return
	}
	e.Path = p.cfg.Path
	p.events = append(p.events, e)
}

// flush delivers the queued events, in order, outside p.mu.
func (p *Port) flush() {
	if p.o.onEvent == nil {
		return
	}
	p.emu.Lock()
	defer p.emu.Unlock()
	for {
		p.mu.Lock()
		if len(p.events) == 0 {
			p.mu.Unlock()
			return
		}
		e := p.events[0]
		p.events = p.events[1:]
		p.mu.Unlock()
		p.o.onEvent(e)
	}
}

func (p *Port) unplugged(why error) error {
	if why == nil {
		return fmt.Errorf("%w: %s", ErrUnplugged, p.cfg.Path)
	}
	return fmt.Errorf("%w: %s: %w", ErrUnplugged, p.cfg.Path, why)
}

func (p *Port) closedErr() error {
	return fmt.Errorf("serialport: %s: %w", p.cfg.Path, os.ErrClosed)
}

// Reopened counts the times the device came back: reopens after an unplug,
// and the first open when Open was given AllowMissing.
func (p *Port) Reopened() uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.reopens
}

// Connected reports whether the device is open now: false from an
// unplug until the reopen (or after Close). A driver that was told of an
// unplug asks it to know when to wait for data again.
func (p *Port) Connected() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.h != nil && !p.closed
}

// Close closes the device and stops reopening it. A Read or Write in
// progress returns an error wrapping os.ErrClosed (Close waits for a
// Write to finish). Closing twice is a no-op.
func (p *Port) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	h := p.h
	p.h = nil
	p.broadcastLocked()
	p.mu.Unlock()
	p.cancel()
	var err error
	if h != nil {
		if cerr := h.close(); cerr != nil {
			err = fmt.Errorf("serialport: close %s: %w", p.cfg.Path, cerr)
		}
	}
	p.wg.Wait()
	return err
}
