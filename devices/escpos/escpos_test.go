package escpos

import (
	"bytes"
	"encoding/hex"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestText(t *testing.T) {
	tests := []struct {
		in   string
		want []byte
	}{
		{"abc", []byte("abc")},
		{"æøå ÆØÅ", []byte{0x91, 0x9B, 0x86, ' ', 0x92, 0x9D, 0x8F}},
		{"€ 5", []byte{0xD5, ' ', '5'}}, // PC858 has the euro at 0xD5
		{"ü é", []byte{0x81, ' ', 0x82}},
		{"a–b…", []byte("a-b...")},            // fallback spellings
		{"日本", []byte("??")},                  // unknown: '?', never SUB
		{"x\x1by\x1dz\x10", []byte("x y z ")}, // no command smuggled in
		{"l1\nl2", []byte("l1\nl2")},
	}
	for _, tt := range tests {
		if got := Text(tt.in); !bytes.Equal(got, tt.want) {
			t.Errorf("Text(%q) = % x, want % x", tt.in, got, tt.want)
		}
	}
}

func FuzzText(f *testing.F) {
	for _, s := range []string{"æøå€", "\x1a", "日本語", "\x00\x1b@"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, b := range Text(s) {
			if b == 0x1A || (b < 0x20 && b != lf) || b == 0x7F {
				t.Fatalf("Text(%q) contains control byte %#02x", s, b)
			}
		}
	})
}

func mustSale(tb testing.TB) kiosk.Sale {
	tb.Helper()
	cola := kiosk.Product{GTIN: kiosk.MustGTIN("7039990000113"), Name: "Cola 0,5 l", Group: kiosk.GroupSoftDrink, VAT: kiosk.VAT15, Price: 3290, Stock: 1}
	snus := kiosk.Product{GTIN: kiosk.MustGTIN("7039990000014"), Name: "Nordlys Snus Original Portion 24 g", Group: kiosk.GroupTobacco, VAT: kiosk.VAT25, Price: 12900, MinAge: 18, Cabinet: true, Stock: 1}
	p := kiosk.PendingSale{ID: "K1-x", Kiosk: "K1", Lines: []kiosk.Line{{Product: cola, Qty: 2}, {Product: snus, Qty: 1}}, Amount: 2*3290 + 12900,
		Result: &kiosk.PaymentResult{Approved: true, CardType: "Visa", MaskedPAN: "************4242", TerminalID: "SIM00001", Trace: "000042"}}
	s := kiosk.NewSale(p, time.Date(2026, 11, 26, 14, 5, 9, 0, time.UTC))
	s.No = 17
	return s
}

var goldenShop = kiosk.Shop{Name: "Søstrene Ærlig Tobakk", OrgNo: "999 999 999", Address: "Storgata 1, 0155 Oslo"}

// lateAt is when the golden copy and late receipt were printed.
var lateAt = time.Date(2026, 11, 26, 16, 40, 0, 0, time.UTC)

func mustReceipt(tb testing.TB) kiosk.Document {
	tb.Helper()
	d := kiosk.BuildReceipt(goldenShop, mustSale(tb))
	d.QR("https://example.invalid/r/K1-17")
	return d
}

// TestEncodeGolden keeps the byte stream of each receipt kind, as hex: a
// sales receipt at the sale (receipt), its one copy (copy), printed late
// from the reprint queue (late), a training receipt (training) and a
// return receipt (return).
func TestEncodeGolden(t *testing.T) {
	training := mustSale(t)
	training.Training = true
	sold := mustSale(t)
	ret := kiosk.Return{No: 18, ID: "K1-R18", Kiosk: "K1", Original: sold.No, OriginalSale: sold.ID, Time: lateAt,
		Lines: sold.Lines[:1], Total: sold.Lines[0].Total(),
		VAT:    kiosk.VATBreakdown(map[kiosk.VATRate]kiosk.Money{sold.Lines[0].Product.VAT: sold.Lines[0].Total()}),
		Method: kiosk.RefundCard, Refund: kiosk.PaymentResult{Approved: true, Amount: sold.Lines[0].Total(), CardType: "Visa", Trace: "000043"},
		Staff: "kari", Reason: kiosk.ReasonCustomerAsked}
	docs := map[string]kiosk.Document{
		"receipt":  mustReceipt(t),
		"copy":     kiosk.BuildCopyReceipt(goldenShop, mustSale(t), lateAt),
		"late":     kiosk.BuildLateReceipt(goldenShop, mustSale(t), lateAt),
		"training": kiosk.BuildReceipt(goldenShop, training),
		"return":   kiosk.BuildReturnReceipt(goldenShop, ret),
	}
	for _, kind := range []string{"receipt", "copy", "late", "training", "return"} {
		for _, cols := range []int{Columns42, Columns48} {
			got := Encoder{Columns: cols}.Encode(docs[kind])
			assertHexGolden(t, kind+strconv.Itoa(cols)+".hex", got)
			if !bytes.HasPrefix(got, []byte{esc, '@', esc, 't', 19}) || !bytes.HasSuffix(got, []byte{gs, 'V', 66, 0}) {
				t.Errorf("%s: stream does not initialise, select PC858 and cut", kind)
			}
			if bytes.IndexByte(got, 0x1A) >= 0 {
				t.Errorf("%s: SUB byte in the stream", kind)
			}
			if !bytes.Contains(got, []byte{'S', 0x9B, 's', 't', 'r', 'e', 'n', 'e', ' ', 0x92, 'r', 'l', 'i', 'g'}) {
				t.Errorf("%s: shop name not in PC858", kind)
			}
		}
	}
}

// TestCopyPrintsKOPILargest reads the copy's stream back as a printer
// does: "KOPI" comes out double width and height (GS ! 0x11), larger
// than every amount, the double-height total included; every item line
// has its quantity under it, also a quantity of 1.
func TestCopyPrintsKOPILargest(t *testing.T) {
	stream := Encoder{Columns: Columns42}.Encode(kiosk.BuildCopyReceipt(goldenShop, mustSale(t), lateAt))
	if !bytes.Contains(stream, append([]byte{gs, '!', 0x11}, "KOPI"...)) {
		t.Fatal("KOPI not sent in double width and height")
	}
	var page kiosk.Document
	dec := Decoder{OnPage: func(p kiosk.Document) { page = p }}
	if _, err := dec.Write(stream); err != nil {
		t.Fatal(err)
	}
	size := func(st kiosk.Style) (w, h int) {
		w, h = 1, 1
		if st.DoubleWidth {
			w = 2
		}
		if st.DoubleHeight {
			h = 2
		}
		return w, h
	}
	amount := regexp.MustCompile(`\d,\d\d`)
	kopi, amounts := 0, 0
	var text []string
	for _, l := range page.Lines {
		text = append(text, l.Text)
		w, h := size(l.Style)
		switch {
		case strings.TrimSpace(l.Text) == "KOPI":
			kopi++
			if w != 2 || h != 2 {
				t.Errorf("KOPI printed %dx%d", w, h)
			}
		case amount.MatchString(l.Text):
			amounts++
			if w*h >= 4 {
				t.Errorf("amount line %q printed %dx%d, as large as KOPI", l.Text, w, h)
			}
		}
	}
	if kopi != 2 || amounts < 5 {
		t.Errorf("KOPI %d times, %d amount lines, in:\n%s", kopi, amounts, strings.Join(text, "\n"))
	}
	all := strings.Join(text, "\n")
	for _, q := range []string{"  2 x 32,90", "  1 x 129,00"} {
		if !strings.Contains(all, q) {
			t.Errorf("no quantity line %q in:\n%s", q, all)
		}
	}
}

func TestPairWraps(t *testing.T) {
	if got := pair("Cola", "32,90", 12); got != "Cola   32,90" {
		t.Errorf("fits: %q", got)
	}
	if got := pair("Nordlys Snus Original", "129,00", 12); got != "Nordlys Snus Original\n      129,00" {
		t.Errorf("wraps: %q", got)
	}
}

// Replies from the Epson reference's tables: a ready printer answers
// 0x12 to every request.
func TestStatus(t *testing.T) {
	tests := []struct {
		name string
		s    Status
		want kiosk.PrinterStatus
	}{
		{"ready", Status{0x12, 0x12, 0x12, 0x12}, kiosk.PrinterStatus{Ready: true}},
		{"paper near end", Status{0x12, 0x12, 0x12, 0x1E}, kiosk.PrinterStatus{Ready: true, PaperLow: true}},
		{"paper out", Status{0x1A, 0x32, 0x12, 0x7E}, kiosk.PrinterStatus{PaperLow: true, Problem: "paper out"}},
		{"cover open", Status{0x1A, 0x16, 0x12, 0x12}, kiosk.PrinterStatus{Problem: "cover open"}},
		{"cutter jammed", Status{0x1A, 0x52, 0x1A, 0x12}, kiosk.PrinterStatus{Problem: "cutter error"}},
		{"head too hot", Status{0x1A, 0x52, 0x52, 0x12}, kiosk.PrinterStatus{Problem: "printer error (recovering)"}},
		{"offline", Status{0x1A, 0x12, 0x12, 0x12}, kiosk.PrinterStatus{Problem: "offline"}},
	}
	for _, tt := range tests {
		got, err := tt.s.Kiosk()
		if err != nil || got != tt.want {
			t.Errorf("%s: %+v, %v; want %+v", tt.name, got, err, tt.want)
		}
	}
	for _, bad := range []Status{{}, {0x12, 0x12, 0x12, 0xFF}, {0x13, 0x12, 0x12, 0x12}, {0x12, 0x92, 0x12, 0x12}} {
		if _, err := bad.Kiosk(); !errors.Is(err, ErrBadStatus) {
			t.Errorf("%+v: err = %v, want ErrBadStatus", bad, err)
		}
	}
	if !bytes.Equal(StatusRequest(4), []byte{0x10, 0x04, 0x04}) {
		t.Error("DLE EOT 4")
	}
}

func FuzzStatus(f *testing.F) {
	f.Add(byte(0x12), byte(0x12), byte(0x12), byte(0x12))
	f.Add(byte(0x1A), byte(0x32), byte(0x12), byte(0x7E))
	f.Fuzz(func(t *testing.T, a, b, c, d byte) {
		st, err := Status{a, b, c, d}.Kiosk()
		if err != nil {
			return
		}
		if st.Ready != (st.Problem == "") {
			t.Fatalf("ready %v with problem %q", st.Ready, st.Problem)
		}
	})
}

// BenchmarkEncodeReceipt renders a typical receipt (header, three lines,
// VAT table, card details, QR code, barcode) to ESC/POS bytes, and
// reports its size and how long it takes to send at 38400 baud (10 bits a
// byte on an 8N1 line).
func BenchmarkEncodeReceipt(b *testing.B) {
	d := mustReceipt(b)
	enc := Encoder{Columns: Columns42}
	n := len(enc.Encode(d))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = enc.Encode(d)
	}
	b.ReportMetric(float64(n), "bytes/receipt")
	b.ReportMetric(float64(n)*10/38400*1000, "wire-ms@38400")
}

// BenchmarkPlainTextReceipt is the baseline for BenchmarkEncodeReceipt:
// the same document laid out as plain text for the screen, with no
// printer commands or code page.
func BenchmarkPlainTextReceipt(b *testing.B) {
	d := mustReceipt(b)
	n := len(d.PlainText(Columns42))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = d.PlainText(Columns42)
	}
	b.ReportMetric(float64(n), "bytes/receipt")
}

// assertHexGolden compares the hex dump of the stream got with
// testdata/name, which -update rewrites.
func assertHexGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden := filepath.Join("testdata", name)
	dump := hex.Dump(got)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(dump), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if dump != string(want) {
		t.Errorf("the stream differs from %s", golden)
	}
}
