package escpos

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"selvkasse/kiosk"
)

// DefaultReplyTimeout is how long Status waits for each DLE EOT reply. A
// printer answers real-time requests within milliseconds even while busy;
// silence means it is off or unplugged.
const DefaultReplyTimeout = 500 * time.Millisecond

// Printer implements kiosk.Printer over a stream to an ESC/POS printer
// (a serial line in the kiosk). It reads the stream in the background
// for status replies. A read error wrapping kiosk.ErrDeviceUnavailable
// (the port is unplugged and reconnecting) is read past; any other ends
// the stream for good.
type Printer struct {
	w       io.Writer
	enc     Encoder
	timeout time.Duration

	mu      sync.Mutex // one exchange at a time
	replies chan byte
	done    chan struct{}
	readErr error
}

var _ kiosk.Printer = (*Printer)(nil)

// NewPrinter drives the printer on rw, rendering for enc's paper width.
// replyTimeout 0 means DefaultReplyTimeout.
func NewPrinter(rw io.ReadWriter, enc Encoder, replyTimeout time.Duration) *Printer {
	if replyTimeout <= 0 {
		replyTimeout = DefaultReplyTimeout
	}
	p := &Printer{w: rw, enc: enc, timeout: replyTimeout, replies: make(chan byte, 64), done: make(chan struct{})}
	go p.read(rw)
	return p
}

func (p *Printer) read(r io.Reader) {
	defer close(p.done)
	buf := make([]byte, 64)
	for {
		n, err := r.Read(buf)
		for _, b := range buf[:n] {
			select {
			case p.replies <- b:
			default: // nobody asked: drop unsolicited bytes
			}
		}
		if errors.Is(err, kiosk.ErrDeviceUnavailable) {
			continue // the serial port reconnects itself; read on
		}
		if err != nil {
			p.readErr = err
			return
		}
	}
}

// Status implements kiosk.Printer with DLE EOT 1 to 4.
func (p *Printer) Status(ctx context.Context) (kiosk.PrinterStatus, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	raw, err := p.status(ctx)
	if err != nil {
		return kiosk.PrinterStatus{}, err
	}
	return raw.Kiosk()
}

func (p *Printer) status(ctx context.Context) (Status, error) {
	for len(p.replies) > 0 { // late replies from an earlier timeout
		<-p.replies
	}
	var got [4]byte
	for i := range got {
		if _, err := p.w.Write(StatusRequest(byte(i + 1))); err != nil {
			return Status{}, fmt.Errorf("escpos: status request: %v: %w", err, kiosk.ErrDeviceUnavailable)
		}
		t := time.NewTimer(p.timeout)
		select {
		case b := <-p.replies:
			got[i] = b
		case <-t.C:
			return Status{}, fmt.Errorf("escpos: no answer to DLE EOT %d within %v: %w", i+1, p.timeout, kiosk.ErrDeviceUnavailable)
		case <-p.done:
			t.Stop()
			return Status{}, fmt.Errorf("escpos: stream closed (%v): %w", p.readErr, kiosk.ErrDeviceUnavailable)
		case <-ctx.Done():
			t.Stop()
			return Status{}, ctx.Err()
		}
		t.Stop()
	}
	s := Status{got[0], got[1], got[2], got[3]}
	if err := s.Valid(); err != nil {
		return s, fmt.Errorf("%v: %w", err, kiosk.ErrDeviceUnavailable)
	}
	return s, nil
}

// ErrNotReady is wrapped, with kiosk.ErrDeviceUnavailable, when Print
// finds the printer unable to print.
var ErrNotReady = errors.New("escpos: printer not ready")

// Print implements kiosk.Printer: it checks the printer, sends d and
// cuts, and checks again, so paper running out during the receipt is
// reported.
func (p *Printer) Print(ctx context.Context, d kiosk.Document) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, err := p.ready(ctx); err != nil {
		return err
	}
	if _, err := p.w.Write(p.enc.Encode(d)); err != nil {
		return fmt.Errorf("escpos: print: %v: %w", err, kiosk.ErrDeviceUnavailable)
	}
	if _, err := p.ready(ctx); err != nil {
		return fmt.Errorf("escpos: the receipt may be incomplete: %w", err)
	}
	return nil
}

func (p *Printer) ready(ctx context.Context) (kiosk.PrinterStatus, error) {
	raw, err := p.status(ctx)
	if err != nil {
		return kiosk.PrinterStatus{}, err
	}
	st, err := raw.Kiosk()
	if err != nil {
		return st, fmt.Errorf("%v: %w", err, kiosk.ErrDeviceUnavailable)
	}
	if !st.Ready {
		return st, fmt.Errorf("%w (%s): %w", ErrNotReady, st.Problem, kiosk.ErrDeviceUnavailable)
	}
	return st, nil
}
