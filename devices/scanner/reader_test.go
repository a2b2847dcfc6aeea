package scanner

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// line is a serial line to a scanner that can be unplugged, as the
// serial port presents it: while unplugged, one Read fails with
// kiosk.ErrDeviceUnavailable and the next waits for the replug (the port
// reopening the device), then returns nothing.
type line struct {
	mu       sync.Mutex
	cond     *sync.Cond
	data     []byte
	plugged  bool
	reported bool // the unplug was reported to a Read
	replug   bool // a Read is to return (0, nil) for the replug
	reads    int  // Read calls so far
	replugAt int  // the Read that returned the replug
	closed   bool
}

func newLine() *line {
	l := &line{plugged: true}
	l.cond = sync.NewCond(&l.mu)
	return l
}

func (l *line) Read(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reads++
	l.cond.Broadcast()
	for {
		switch {
		case l.closed:
			return 0, errors.New("line closed")
		case !l.plugged && !l.reported:
			l.reported = true
			l.data = nil
			return 0, fmt.Errorf("test line unplugged: %w", kiosk.ErrDeviceUnavailable)
		case l.replug:
			l.replug, l.replugAt = false, l.reads
			return 0, nil
		case l.plugged && len(l.data) > 0:
			n := copy(p, l.data)
			l.data = l.data[n:]
			return n, nil
		}
		l.cond.Wait()
	}
}

func (l *line) write(b string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.plugged {
		l.data = append(l.data, b...)
		l.cond.Broadcast()
	}
}

func (l *line) set(f func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f()
	l.cond.Broadcast()
}

type harness struct {
	l *line
	r *Reader
}

func (h *harness) Scanner() kiosk.Scanner { return h.r }
func (h *harness) Feed(code string)       { h.l.write("]C0" + code + "\r\n") }
func (h *harness) FeedBad()               { h.l.write("\x00\x13garbage\r") }
func (h *harness) Unplug() {
	h.l.set(func() { h.l.plugged, h.l.reported = false, false })
}

// Replug returns once the reader has read past the replug, so it knows
// the scanner is back.
func (h *harness) Replug() {
	h.l.mu.Lock()
	defer h.l.mu.Unlock()
	h.l.plugged, h.l.replug = true, true
	h.l.cond.Broadcast()
	// The reader has taken the replug and come back for more.
	for h.l.replug || h.l.reads <= h.l.replugAt {
		h.l.cond.Wait()
	}
}

func newHarness(t *testing.T) *harness {
	l := newLine()
	t.Cleanup(func() { l.set(func() { l.closed = true }) })
	return &harness{l: l, r: NewReader(l, Config{}, 0, nil)}
}

// TestReaderConformance runs the kiosk's scanner suite against Reader.
func TestReaderConformance(t *testing.T) {
	kiosktest.TestScanner(t, func(t *testing.T) kiosktest.ScannerHarness { return newHarness(t) })
}

func TestReaderSymbologiesAndGap(t *testing.T) {
	clk := kiosktest.NewClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
	l := newLine()
	t.Cleanup(func() { l.set(func() { l.closed = true }) })
	r := NewReader(l, Config{}, 30*time.Millisecond, clk)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	l.write("]E07039990000113\r")
	l.write("]C1010703999000011310LOT\x1d17271231\n")
	l.write("]Z9what\r")
	for _, want := range []kiosk.Scan{
		{Code: "7039990000113", Symbology: "]E0"},
		{Code: "7039990000113", Symbology: "]C1"},
	} {
		got, err := r.ReadScan(ctx)
		if err != nil || got.Code != want.Code || got.Symbology != want.Symbology {
			t.Fatalf("ReadScan = %+v, %v; want %+v", got, err, want)
		}
	}
	if _, err := r.ReadScan(ctx); !errors.Is(err, kiosk.ErrBadScan) {
		t.Fatalf("unknown symbology: %v", err)
	}
	// No terminator: the gap ends the code.
	l.write("96385074")
	if err := clk.WaitTimers(ctx, 1); err != nil {
		t.Fatal(err)
	}
	clk.Advance(30 * time.Millisecond)
	if got, err := r.ReadScan(ctx); err != nil || got.Code != "96385074" {
		t.Fatalf("after the gap: %+v, %v", got, err)
	}
}

// TestReaderStaffBadges: a badge reaches the kiosk as staff, never as a
// product code; a broken badge is a bad scan.
func TestReaderStaffBadges(t *testing.T) {
	l := newLine()
	t.Cleanup(func() { l.set(func() { l.closed = true }) })
	r := NewReader(l, Config{StaffPrefix: "STAFF-"}, 30*time.Millisecond, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	l.write("]C0STAFF-ola\r")
	l.write("STAFF-kari\r")
	l.write("]C0STAFF-\r")
	l.write("7039990000113\r")
	for i, want := range []kiosk.Scan{{Staff: "ola", Symbology: "]C0"}, {Staff: "kari"}} {
		got, err := r.ReadScan(ctx)
		if err != nil || got.Staff != want.Staff || got.Code != "" || got.Symbology != want.Symbology {
			t.Fatalf("badge %d: %+v, %v", i, got, err)
		}
	}
	if _, err := r.ReadScan(ctx); !errors.Is(err, kiosk.ErrBadScan) {
		t.Fatalf("badge without an id: %v", err)
	}
	if got, err := r.ReadScan(ctx); err != nil || got.Code != "7039990000113" || got.Staff != "" {
		t.Fatalf("product after badges: %+v, %v", got, err)
	}
}

// inStoreCode is the 13-digit code with body (12 digits) and its check
// digit.
func inStoreCode(body string) string { return body + string(kiosk.CheckDigit(body)) }

// TestReaderInStoreCodes: a price or weight code with a configured prefix
// reaches the checkout as its item and value; a wrong price check digit
// is a bad scan; a code with no configured prefix passes as it is.
func TestReaderInStoreCodes(t *testing.T) {
	cfg := Config{InStore: []InStoreLayout{
		{Prefix: "23", ItemDigits: 5, ValueDigits: 5, Value: ValueWeight},
		{Prefix: "25", ItemDigits: 5, ValueCheck: true, ValueDigits: 4, Value: ValuePrice},
	}}
	// The price check digit of 1250 (GS1 §7.9.3), found by trying.
	var pc byte
	for d := byte('0'); d <= '9'; d++ {
		if priceCheckOK("1250", d) {
			pc = d
		}
	}
	weight := inStoreCode("231234500452")
	price := inStoreCode("2554321" + string(pc) + "1250")
	wrongCheck := inStoreCode("2554321" + string('0'+(pc-'0'+1)%10) + "1250")
	other := inStoreCode("220000100452") // prefix 22: not configured
	l := newLine()
	t.Cleanup(func() { l.set(func() { l.closed = true }) })
	r := NewReader(l, cfg, 30*time.Millisecond, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	l.write(weight + "\r")
	l.write("]E0" + price + "\r")
	l.write(wrongCheck + "\r")
	l.write(other + "\r")
	for _, want := range []kiosk.Scan{
		{Code: weight, InStore: kiosk.InStoreValue{Kind: kiosk.InStoreWeight, Item: kiosk.MustGTIN(inStoreCode("231234500000")), Grams: 452}},
		{Code: price, Symbology: "]E0", InStore: kiosk.InStoreValue{Kind: kiosk.InStorePrice, Item: kiosk.MustGTIN(inStoreCode("255432100000")), Price: 1250}},
	} {
		got, err := r.ReadScan(ctx)
		got.At = time.Time{}
		if err != nil || got != want {
			t.Fatalf("in-store code: %+v, %v; want %+v", got, err, want)
		}
		if err := got.InStore.Validate(); err != nil {
			t.Errorf("%s: %v", got.Code, err)
		}
	}
	if got, err := r.ReadScan(ctx); !errors.Is(err, kiosk.ErrBadScan) {
		t.Fatalf("wrong price check digit: %+v, %v; want ErrBadScan", got, err)
	}
	if got, err := r.ReadScan(ctx); err != nil || got.Code != other || got.InStore.Kind != kiosk.InStoreNone {
		t.Fatalf("unconfigured prefix: %+v, %v", got, err)
	}
}

// FuzzReaderInStore: whatever line arrives, the kiosk gets either a bad
// scan or a Scan whose in-store part names a restricted-circulation item
// of a known kind, never a panic.
func FuzzReaderInStore(f *testing.F) {
	for _, s := range []string{"2312345004529", "]E02312345004529", "2554321312505", "2500000000000", "23123450045", "]E0", "2312345x04529"} {
		f.Add([]byte(s))
	}
	r := &Reader{cfg: Config{StaffPrefix: "STAFF-", InStore: []InStoreLayout{
		{Prefix: "23", ItemDigits: 5, ValueDigits: 5, Value: ValueWeight},
		{Prefix: "25", ItemDigits: 5, ValueCheck: true, ValueDigits: 4, Value: ValuePrice},
	}}, clk: kiosk.SystemClock{}}
	f.Fuzz(func(t *testing.T, line []byte) {
		sc, err := r.scan(line)
		if err != nil {
			if !errors.Is(err, kiosk.ErrBadScan) {
				t.Fatalf("scan(%q): %v does not wrap ErrBadScan", line, err)
			}
			return
		}
		v := sc.InStore
		if v.Kind == kiosk.InStoreNone {
			return
		}
		if v.Kind != kiosk.InStorePrice && v.Kind != kiosk.InStoreWeight {
			t.Fatalf("scan(%q): kind %v", line, v.Kind)
		}
		if g, err := kiosk.ParseGTIN(string(v.Item)); err != nil || !kiosk.IsInStore(g) {
			t.Fatalf("scan(%q): item %q: %v", line, v.Item, err)
		}
		if _, err := kiosk.ParseGTIN(sc.Code); err != nil || len(sc.Code) != 13 {
			t.Fatalf("scan(%q): code %q", line, sc.Code)
		}
		if v.Price < 0 || v.Grams < 0 {
			t.Fatalf("scan(%q): negative value %+v", line, v)
		}
	})
}
