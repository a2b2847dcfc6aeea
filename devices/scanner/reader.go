package scanner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"selvkasse/kiosk"
)

// DefaultGap is how long a line may pause before it counts as complete,
// for scanners set up without a terminator. Scanners send a code in one
// burst, a few milliseconds at 9600 baud.
const DefaultGap = 50 * time.Millisecond

// Reader implements kiosk.Scanner over the byte stream of a serial
// scanner. A goroutine reads the stream; ReadScan hands out what it
// framed, in order. A read error wrapping kiosk.ErrDeviceUnavailable (the
// serial port is unplugged) is reported and reading goes on, as the port
// reconnects itself; any other read error, io.EOF included, ends the
// stream for good.
//
// Codes are passed on as data for the checkout to look up: the AIM
// identifier is stripped into Scan.Symbology, GS1 element strings become
// their GTIN (AI 01), staff badges Scan.Staff and in-store price and
// weight codes (Config.InStore) Scan.InStore. The GS1 extras (batch,
// expiry) are understood by Config.Parse; passing them through the
// kiosk's Scanner port is not done yet.
type Reader struct {
	cfg  Config
	clk  kiosk.Clock
	gap  time.Duration
	conn connector // the stream, if it can tell that its device is back

	out chan result

	mu     sync.Mutex
	fr     Framer
	timer  kiosk.Timer
	gen    uint64
	down   bool          // the port reported it is unplugged, and has not read since
	gone   chan struct{} // closed while down: wakes waiting ReadScans
	closed error         // the stream ended
}

// connector is a stream that knows whether its device is there, like
// serialport.Port. After an unplug the Reader asks it, so a ReadScan after
// the replug waits for the next code instead of reporting the unplug
// until one arrives.
type connector interface{ Connected() bool }

type result struct {
	scan kiosk.Scan
	err  error
}

var _ kiosk.Scanner = (*Reader)(nil)

// NewReader starts reading r. gap 0 means DefaultGap.
func NewReader(r io.Reader, cfg Config, gap time.Duration, clk kiosk.Clock) *Reader {
	if gap <= 0 {
		gap = DefaultGap
	}
	if clk == nil {
		clk = kiosk.SystemClock{}
	}
	s := &Reader{cfg: cfg, clk: clk, gap: gap, out: make(chan result, 64), gone: make(chan struct{})}
	s.conn, _ = r.(connector)
	go s.loop(r)
	return s
}

func (s *Reader) loop(r io.Reader) {
	buf := make([]byte, 256)
	for {
		n, err := r.Read(buf)
		s.mu.Lock()
		if (err == nil || n > 0) && s.down {
			s.down, s.gone = false, make(chan struct{})
		}
		var out []result
		for _, b := range buf[:n] {
			line, done, ferr := s.fr.Feed(b)
			out = s.collect(out, line, done, ferr)
		}
		s.armGapLocked()
		switch {
		case err == nil:
		case errors.Is(err, kiosk.ErrDeviceUnavailable):
			if !s.down {
				s.down = true
				close(s.gone)
			}
			s.fr = Framer{Max: s.fr.Max} // a half line does not survive a replug
		default:
			s.closed = fmt.Errorf("scanner: stream ended: %v: %w", err, kiosk.ErrDeviceUnavailable)
			if !s.down {
				close(s.gone)
			}
		}
		closed := s.closed
		s.mu.Unlock()
		for _, o := range out {
			s.out <- o
		}
		if closed != nil {
			return
		}
	}
}

// collect turns a framed line (or a framing error) into a result.
func (s *Reader) collect(out []result, line []byte, done bool, ferr error) []result {
	switch {
	case ferr != nil:
		return append(out, result{err: fmt.Errorf("%w: %v", kiosk.ErrBadScan, ferr)})
	case done:
		sc, err := s.scan(line)
		return append(out, result{scan: sc, err: err})
	}
	return out
}

// armGapLocked flushes a half line after the inter-byte gap.
func (s *Reader) armGapLocked() {
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	if !s.fr.Pending() {
		return
	}
	s.gen++
	gen := s.gen
	s.timer = s.clk.AfterFunc(s.gap, func() {
		s.mu.Lock()
		if gen != s.gen {
			s.mu.Unlock()
			return
		}
		line, done, ferr := s.fr.Flush()
		out := s.collect(nil, line, done, ferr)
		s.mu.Unlock()
		for _, o := range out {
			s.out <- o
		}
	})
}

// scan makes the kiosk's Scan of one framed line.
func (s *Reader) scan(line []byte) (kiosk.Scan, error) {
	sc := kiosk.Scan{Code: string(line), At: s.clk.Now()}
	if s.cfg.StaffPrefix != "" {
		if c, err := s.cfg.Parse(line); err == nil && c.Kind == KindStaff {
			return kiosk.Scan{Staff: c.Staff, Symbology: c.Symbology, At: sc.At}, nil
		} else if err != nil && strings.HasPrefix(strings.TrimPrefix(string(line), "]C0"), s.cfg.StaffPrefix) {
			return kiosk.Scan{}, fmt.Errorf("%w: %v", kiosk.ErrBadScan, err) // a broken badge is no product either
		}
	}
	if sc, ok, err := s.inStoreScan(line, sc.At); ok {
		return sc, err
	}
	if len(line) == 0 || line[0] != ']' {
		return sc, nil
	}
	bad := func(why string) (kiosk.Scan, error) {
		return kiosk.Scan{}, fmt.Errorf("%w: %q: %s", kiosk.ErrBadScan, line, why)
	}
	if len(line) < 3 {
		return bad("cut-off symbology identifier")
	}
	sym := string(line[:3])
	gs1, ok := symbologies[sym]
	if !ok {
		return bad("unknown symbology " + sym)
	}
	sc.Symbology, sc.Code = sym, string(line[3:])
	if gs1 { // GS1 element strings: the GTIN is the product
		var c Code
		if err := parseGS1(sc.Code, &c); err != nil {
			return bad(err.Error())
		}
		sc.Code = c.GTIN.Short()
	}
	return sc, nil
}

// inStoreScan makes the kiosk's Scan of an in-store price or weight code
// (a 13-digit code, bare or as EAN-13 "]E0", with a prefix the shop
// configured: Config.InStore): the item and value in Scan.InStore, the
// code without its identifier in Scan.Code. ok is false for any other
// line. A line with an in-store prefix that its layout cannot read (a
// wrong price check digit) is kiosk.ErrBadScan, never looked up.
func (s *Reader) inStoreScan(line []byte, at time.Time) (sc kiosk.Scan, ok bool, err error) {
	data := strings.TrimPrefix(string(line), "]E0")
	if len(s.cfg.InStore) == 0 || len(data) != 13 {
		return kiosk.Scan{}, false, nil
	}
	configured := false
	for _, l := range s.cfg.InStore {
		configured = configured || strings.HasPrefix(data, l.Prefix)
	}
	if !configured {
		return kiosk.Scan{}, false, nil
	}
	c, perr := s.cfg.Parse(line)
	switch {
	case perr != nil && digitsOnly(data) && kiosk.CheckDigit(data[:12]) == data[12]:
		// The GTIN is right, so what Parse refused is the value's own
		// check digit.
		return kiosk.Scan{}, true, fmt.Errorf("%w: %v", kiosk.ErrBadScan, perr)
	case perr != nil || c.Kind != KindInStore:
		return kiosk.Scan{}, false, nil // not readable as in-store: the checkout says why
	}
	kind := kiosk.InStorePrice
	if c.Value == ValueWeight {
		kind = kiosk.InStoreWeight
	}
	return kiosk.Scan{Code: c.Data, Symbology: c.Symbology, At: at,
		InStore: kiosk.InStoreValue{Kind: kind, Item: c.GTIN, Price: c.Price, Grams: c.Grams}}, true, nil
}

// ReadScan implements kiosk.Scanner. Codes read before an unplug are
// still handed out first.
func (s *Reader) ReadScan(ctx context.Context) (kiosk.Scan, error) {
	select {
	case r := <-s.out:
		return r.scan, r.err
	default:
	}
	s.mu.Lock()
	if s.down && s.closed == nil && s.conn != nil && s.conn.Connected() {
		s.down, s.gone = false, make(chan struct{}) // replugged: wait for data
	}
	gone, closed := s.gone, s.closed
	s.mu.Unlock()
	if closed != nil {
		return kiosk.Scan{}, closed
	}
	select {
	case r := <-s.out:
		return r.scan, r.err
	case <-gone:
		return kiosk.Scan{}, fmt.Errorf("scanner: unplugged: %w", kiosk.ErrDeviceUnavailable)
	case <-ctx.Done():
		return kiosk.Scan{}, ctx.Err()
	}
}
