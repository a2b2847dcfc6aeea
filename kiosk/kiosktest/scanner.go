package kiosktest

import (
	"context"
	"fmt"
	"sync"

	"selvkasse/kiosk"
)

// Scanner is a fake kiosk.Scanner that reads what the test feeds it. Feed
// queues a code, FeedError a garbled read; Unplug and Replug pull the
// cable. It records the outcome of every ReadScan. Make one with
// NewScanner.
type Scanner struct {
	clk kiosk.Clock

	mu        sync.Mutex
	queue     []scanItem
	unplugged bool
	reads     []ScanRead
	wake      chan struct{} // closed and replaced on every change
}

var _ kiosk.Scanner = (*Scanner)(nil)

// scanItem is one queued read: a scan, or the reason a read was garbled.
type scanItem struct {
	scan kiosk.Scan
	bad  error
}

// ScanRead is what one ReadScan call returned.
type ScanRead struct {
	Scan kiosk.Scan
	Err  error
}

// NewScanner returns a plugged-in scanner with nothing to read. clk stamps
// each fed code's Scan.At; nil means kiosk.SystemClock.
func NewScanner(clk kiosk.Clock) *Scanner {
	if clk == nil {
		clk = kiosk.SystemClock{}
	}
	return &Scanner{clk: clk, wake: make(chan struct{})}
}

// changedLocked wakes every waiting ReadScan and WaitPlugged. s.mu is held.
func (s *Scanner) changedLocked() {
	close(s.wake)
	s.wake = make(chan struct{})
}

// Feed queues code as read now, without a symbology identifier.
func (s *Scanner) Feed(code string) { s.FeedSymbology(code, "") }

// FeedSymbology queues code as read now with the AIM symbology identifier
// sym (such as "]E0").
func (s *Scanner) FeedSymbology(code, sym string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, scanItem{scan: kiosk.Scan{Code: code, Symbology: sym, At: s.clk.Now()}})
	s.changedLocked()
}

// FeedScan queues s as read; a zero At is stamped now. For staff badges
// (Scan.Staff) and other reads Feed cannot express.
func (s *Scanner) FeedScan(sc kiosk.Scan) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sc.At.IsZero() {
		sc.At = s.clk.Now()
	}
	s.queue = append(s.queue, scanItem{scan: sc})
	s.changedLocked()
}

// FeedError queues a garbled read: the ReadScan that reaches it returns an
// error wrapping kiosk.ErrBadScan and reason (nil reads as "noise").
func (s *Scanner) FeedError(reason error) {
	bad := fmt.Errorf("kiosktest: scanner read noise: %w", kiosk.ErrBadScan)
	if reason != nil {
		bad = fmt.Errorf("kiosktest: scanner: %w: %w", kiosk.ErrBadScan, reason)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, scanItem{bad: bad})
	s.changedLocked()
}

// Unplug pulls the scanner's cable: ReadScan, waiting or not, returns
// kiosk.ErrDeviceUnavailable until Replug. Queued reads are kept.
func (s *Scanner) Unplug() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unplugged = true
	s.changedLocked()
}

// Replug plugs the scanner in again.
func (s *Scanner) Replug() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unplugged = false
	s.changedLocked()
}

// WaitPlugged returns once the scanner is plugged in, or ctx.Err().
func (s *Scanner) WaitPlugged(ctx context.Context) error {
	for {
		s.mu.Lock()
		plugged, wake := !s.unplugged, s.wake
		s.mu.Unlock()
		if plugged {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-wake:
		}
	}
}

// Queued is the number of fed reads no ReadScan has taken yet.
func (s *Scanner) Queued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// Reads returns the outcome of every ReadScan call so far, oldest first.
func (s *Scanner) Reads() []ScanRead {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ScanRead(nil), s.reads...)
}

// ReadScan returns the oldest queued read. It waits while there is none;
// it returns ctx.Err() when ctx ends and an error wrapping
// kiosk.ErrDeviceUnavailable while the scanner is unplugged.
func (s *Scanner) ReadScan(ctx context.Context) (kiosk.Scan, error) {
	for {
		s.mu.Lock()
		var r ScanRead
		switch {
		case ctx.Err() != nil:
			r.Err = ctx.Err()
		case s.unplugged:
			r.Err = fmt.Errorf("kiosktest: scanner unplugged: %w", kiosk.ErrDeviceUnavailable)
		case len(s.queue) > 0:
			it := s.queue[0]
			s.queue = s.queue[1:]
			r = ScanRead{Scan: it.scan, Err: it.bad}
		default:
			wake := s.wake
			s.mu.Unlock()
			select {
			case <-ctx.Done():
			case <-wake:
			}
			continue
		}
		s.reads = append(s.reads, r)
		s.mu.Unlock()
		return r.Scan, r.Err
	}
}
