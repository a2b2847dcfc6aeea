package escpos

import (
	"bytes"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// emulator plays an ESC/POS printer on the far end of a pipe: it answers
// DLE EOT from its paper sensor and keeps the text of every cut receipt.
type emulator struct {
	drv *Printer

	mu       sync.Mutex
	conn     net.Conn
	plugged  bool
	status   Status
	receipts []string
}

var (
	statusReady    = Status{0x12, 0x12, 0x12, 0x12}
	statusLow      = Status{0x12, 0x12, 0x12, 0x1E}
	statusPaperOut = Status{0x1A, 0x32, 0x12, 0x7E}
)

// emulatorReplyTimeout is the driver's wait for each status reply
// against the emulator. Its Unplug is a printer that stops answering, so
// the conformance suite's Unplugged case waits for it to run out twice
// (Status, then Print): long enough that a reply delayed by a loaded
// machine (the emulator answers from a goroutine) is never taken for
// silence, short enough to keep that case at about 2 s. It was 100 ms.
const emulatorReplyTimeout = time.Second

func newEmulator(t *testing.T) *emulator {
	kioskSide, printerSide := net.Pipe()
	e := &emulator{conn: printerSide, plugged: true, status: statusReady}
	e.drv = NewPrinter(kioskSide, Encoder{Columns: Columns42}, emulatorReplyTimeout)
	dec := &Decoder{
		OnStatus: func(n byte) {
			// Called with e.mu held (from the loop below).
			if !e.plugged || n < 1 || n > 4 {
				return
			}
			reply := [4]byte{e.status.Printer, e.status.Offline, e.status.Error, e.status.Paper}[n-1]
			go printerSide.Write([]byte{reply}) // the kiosk's reader takes it
		},
		OnCut: func(text string) {
			if e.plugged && e.status.Paper&bitsPaperEnd == 0 {
				e.receipts = append(e.receipts, text)
			}
		},
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 256)
		for {
			n, err := printerSide.Read(buf)
			e.mu.Lock()
			dec.Write(buf[:n])
			e.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		kioskSide.Close()
		printerSide.Close()
		<-done
	})
	return e
}

func (e *emulator) set(f func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	f()
}

func (e *emulator) Printer() kiosk.Printer { return e.drv }
func (e *emulator) PaperOut()              { e.set(func() { e.status = statusPaperOut }) }
func (e *emulator) PaperLow()              { e.set(func() { e.status = statusLow }) }
func (e *emulator) Refill()                { e.set(func() { e.status = statusReady }) }
func (e *emulator) Unplug()                { e.set(func() { e.plugged = false }) }
func (e *emulator) Replug()                { e.set(func() { e.plugged = true }) }
func (e *emulator) Receipts() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.receipts...)
}

// TestPrinterConformance runs the kiosk's printer suite against the ESC/POS
// driver talking to an emulated printer over a pipe.
func TestPrinterConformance(t *testing.T) {
	kiosktest.TestPrinter(t, func(t *testing.T) kiosktest.PrinterHarness { return newEmulator(t) })
}

// TestDecodeRoundTrip: what the encoder sends, the decoder puts on paper.
func TestDecodeRoundTrip(t *testing.T) {
	d := mustReceipt(t)
	var got []string
	dec := Decoder{OnCut: func(s string) { got = append(got, s) }}
	b := Encoder{Columns: Columns42}.Encode(d)
	for i := range b { // byte by byte: commands split across writes
		dec.Write(b[i : i+1])
	}
	if len(got) != 1 {
		t.Fatalf("%d cuts", len(got))
	}
	want := d.PlainText(Columns42)
	for _, line := range strings.Split(want, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "[") {
			continue
		}
		if !strings.Contains(got[0], line) {
			t.Errorf("paper lacks %q:\n%s", line, got[0])
		}
	}
	for _, want := range []string{"Søstrene Ærlig Tobakk", "[QR https://example.invalid/r/K1-17]", "[BARCODE K1-17]"} {
		if !strings.Contains(got[0], want) {
			t.Errorf("paper lacks %q", want)
		}
	}
}

func FuzzDecoder(f *testing.F) {
	f.Add(Encoder{}.Encode(kiosk.Document{Lines: []kiosk.DocLine{{Text: "æøå"}, {Kind: kiosk.KindQR, Text: "x"}, {Kind: kiosk.KindBarcode, Text: "y"}}}))
	f.Add([]byte{gs, '(', 'k', 0xFF, 0xFF})
	f.Add([]byte{gs, 'k', 0, 'a'})
	f.Fuzz(func(t *testing.T, b []byte) {
		var d Decoder
		d.OnStatus = func(byte) {}
		d.OnCut = func(string) {}
		d.Write(b)
		_ = d.Paper()
	})
}

// TestDecodePage: styles, codes and alignment survive the trip through
// the wire, line by line, as a printer would lay them out.
func TestDecodePage(t *testing.T) {
	bold := kiosk.Style{Bold: true, Align: kiosk.AlignCenter}
	big := kiosk.Style{DoubleWidth: true, DoubleHeight: true}
	var in kiosk.Document
	in.Text("Søstrene Ærlig Tobakk", bold)
	in.Pair("Cola", "kr 32,90", kiosk.Style{})
	in.Feed()
	in.Pair("TOTAL", "kr 65,80", big)
	in.Rule()
	in.QR("https://example.invalid/r/1")
	in.Barcode("K1-1")
	in.EAN13("703999000011")  // the printer adds the check digit
	in.EAN13("7039990000114") // a wrong check digit: printed as Code 128
	in.Text("Takk for handelen – velkommen igjen", kiosk.Style{Align: kiosk.AlignRight})
	var pages []kiosk.Document
	dec := Decoder{OnPage: func(p kiosk.Document) { pages = append(pages, p) }}
	b := Encoder{Columns: Columns42}.Encode(in)
	for i := range b {
		dec.Write(b[i : i+1])
	}
	if len(pages) != 1 {
		t.Fatalf("%d pages", len(pages))
	}
	want := []kiosk.DocLine{
		{Text: "Søstrene Ærlig Tobakk", Style: bold},
		{Text: "Cola" + strings.Repeat(" ", 42-4-8) + "kr 32,90"},
		{Kind: kiosk.KindFeed},
		{Text: "TOTAL" + strings.Repeat(" ", 21-5-8) + "kr 65,80", Style: big},
		{Text: strings.Repeat("-", 42)},
		{Kind: kiosk.KindQR, Text: "https://example.invalid/r/1", Style: kiosk.Style{Align: kiosk.AlignCenter}},
		{Kind: kiosk.KindFeed},
		{Kind: kiosk.KindBarcode, Text: "K1-1", Style: kiosk.Style{Align: kiosk.AlignCenter}},
		{Kind: kiosk.KindFeed},
		{Kind: kiosk.KindEAN13, Text: "7039990000113", Style: kiosk.Style{Align: kiosk.AlignCenter}},
		{Kind: kiosk.KindFeed},
		{Kind: kiosk.KindBarcode, Text: "7039990000114", Style: kiosk.Style{Align: kiosk.AlignCenter}},
		{Kind: kiosk.KindFeed},
		{Text: "Takk for handelen - velkommen igjen", Style: kiosk.Style{Align: kiosk.AlignRight}},
		{Kind: kiosk.KindFeed}, {Kind: kiosk.KindFeed}, {Kind: kiosk.KindFeed}, {Kind: kiosk.KindFeed},
	}
	got := pages[0].Lines
	if len(got) != len(want) {
		t.Fatalf("%d lines, want %d:\n%+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestFontBFor56Columns: 56 columns fit 80 mm paper only in font B.
func TestFontBFor56Columns(t *testing.T) {
	for _, c := range []struct {
		cols  int
		fontB bool
	}{{Columns58, false}, {Columns42, false}, {Columns48, false}, {Columns56, true}} {
		got := Encoder{Columns: c.cols}.Encode(kiosk.Document{})
		if has := bytes.Contains(got, []byte{esc, 'M', 1}); has != c.fontB {
			t.Errorf("%d columns: font B selected = %v", c.cols, has)
		}
	}
}
