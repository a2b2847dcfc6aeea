package scanner

import (
	"errors"
	"strings"
	"testing"

	"selvkasse/kiosk"
)

// frames feeds s to a framer and collects what comes out.
func frames(f *Framer, s string) (lines []string, errs int) {
	for i := 0; i < len(s); i++ {
		line, done, err := f.Feed(s[i])
		if err != nil {
			errs++
		}
		if done {
			lines = append(lines, string(line))
		}
	}
	return lines, errs
}

func TestFramer(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		lines []string
		errs  int
	}{
		{"CR", "123\r456\r", []string{"123", "456"}, 0},
		{"LF", "123\n456\n", []string{"123", "456"}, 0},
		{"CRLF is one end", "123\r\n456\r\n", []string{"123", "456"}, 0},
		{"empty lines skipped", "\r\n\r\n123\n\n", []string{"123"}, 0},
		{"NUL rejects the line", "12\x003\r456\r", []string{"456"}, 1},
		{"noise rejects the line", "\x01\x02\x03\r7\r", []string{"7"}, 1},
		{"GS kept for GS1", "]C10109501101530003\x1d10AB\r", []string{"]C10109501101530003\x1d10AB"}, 0},
		{"overlong dropped whole", strings.Repeat("9", 300) + "\r1\r", []string{"1"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, errs := frames(&Framer{}, tt.in)
			if strings.Join(lines, "|") != strings.Join(tt.lines, "|") || errs != tt.errs {
				t.Errorf("lines %q errs %d; want %q %d", lines, errs, tt.lines, tt.errs)
			}
		})
	}
}

func TestFramerFlushOnGap(t *testing.T) {
	var f Framer
	lines, _ := frames(&f, "7039990000113")
	if len(lines) != 0 || !f.Pending() {
		t.Fatal("no terminator yet")
	}
	line, done, err := f.Flush()
	if err != nil || !done || string(line) != "7039990000113" {
		t.Fatalf("Flush = %q %v %v", line, done, err)
	}
	if _, done, _ := f.Flush(); done {
		t.Error("second Flush returned a line")
	}
}

var cfg = Config{
	StaffPrefix: "STAFF-",
	InStore: []InStoreLayout{
		{Prefix: "23", ItemDigits: 5, ValueDigits: 5, Value: ValuePrice},
		{Prefix: "24", ItemDigits: 5, ValueCheck: true, ValueDigits: 4, Value: ValuePrice},
		{Prefix: "28", ItemDigits: 5, ValueDigits: 5, Value: ValueWeight},
	},
}

func withCheck(body string) string { return body + string(kiosk.CheckDigit(body)) }

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Code
	}{
		{"7039990000113", Code{Kind: KindProduct, Data: "7039990000113", GTIN: "07039990000113"}},
		{"]E07039990000113", Code{Kind: KindProduct, Symbology: "]E0", Data: "7039990000113", GTIN: "07039990000113"}},
		{"]E496385074", Code{Kind: KindProduct, Symbology: "]E4", Data: "96385074", GTIN: "00000096385074"}},
		{"]C1010703999000011310LOT42\x1d17271231", Code{Kind: KindProduct, Symbology: "]C1",
			Data: "010703999000011310LOT42\x1d17271231", GTIN: "07039990000113", Batch: "LOT42", Expiry: "271231"}},
		{"]d201070399900001131727123139221990", Code{Kind: KindProduct, Symbology: "]d2",
			Data: "01070399900001131727123139221990", GTIN: "07039990000113", Expiry: "271231", Price: 1990}},
		{"]e001070399900001133103000125", Code{Kind: KindProduct, Symbology: "]e0",
			Data: "01070399900001133103000125", GTIN: "07039990000113", Grams: 125}},
		{"]C0STAFF-0042", Code{Kind: KindStaff, Symbology: "]C0", Data: "STAFF-0042", Staff: "0042"}},
		{withCheck("231234501990"), Code{Kind: KindInStore, Data: withCheck("231234501990"),
			GTIN: kiosk.GTIN("0" + withCheck("231234500000")), Price: 1990, Value: ValuePrice}},
		{withCheck("2412345" + "9" + "2875"), Code{Kind: KindInStore, Data: withCheck("241234592875"),
			GTIN: kiosk.GTIN("0" + withCheck("241234500000")), Price: 2875, Value: ValuePrice}}, // GS1's example: 2875 has price check 9
		{withCheck("281234500450"), Code{Kind: KindInStore, Data: withCheck("281234500450"),
			GTIN: kiosk.GTIN("0" + withCheck("281234500000")), Grams: 450, Value: ValueWeight}},
		{withCheck("251234501990"), Code{Kind: KindProduct, Data: withCheck("251234501990"),
			GTIN: kiosk.GTIN("0" + withCheck("251234501990"))}}, // prefix 25 not configured: a plain GTIN
	}
	for _, tt := range tests {
		got, err := cfg.Parse([]byte(tt.in))
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) =\n %+v, %v\nwant %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, in := range []string{
		"", "]", "]E", "]X0123", "7039990000114", "12345", "hello",
		"]C101", "]C10107039990000113\x1d", "]C110ABC", "]C10107039990000113\x1d17AB1231",
		"]C10107039990000113399x", "]Q3", "STAFF-", "]E0STAFF-1",
		withCheck("241234512875"), // wrong price check digit (2875 wants 9)
	} {
		if _, err := cfg.Parse([]byte(in)); !errors.Is(err, ErrCode) {
			t.Errorf("Parse(%q): err = %v, want ErrCode", in, err)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, l := range []InStoreLayout{
		{Prefix: "19", ItemDigits: 5, ValueDigits: 5, Value: ValuePrice},
		{Prefix: "23", ItemDigits: 4, ValueDigits: 5, Value: ValuePrice},
		{Prefix: "23", ItemDigits: 5, ValueDigits: 5},
	} {
		if err := (Config{InStore: []InStoreLayout{l}}).Validate(); err == nil {
			t.Errorf("%+v accepted", l)
		}
	}
	twice := Config{InStore: []InStoreLayout{cfg.InStore[0], cfg.InStore[0]}}
	if twice.Validate() == nil {
		t.Error("prefix configured twice accepted")
	}
}

// FuzzScan runs scanner bytes through the framer and every line through
// Parse: no panic, and whatever parses is consistent.
func FuzzScan(f *testing.F) {
	for _, s := range []string{"7039990000113\r", "]C1010703999000011310LOT\x1d17271231\r\n", "\x00\xff\r", "]C0STAFF-1\n", "2312345019902\r"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var fr Framer
		for _, c := range b {
			line, done, err := fr.Feed(c)
			if err != nil || !done {
				continue
			}
			code, err := cfg.Parse(line)
			if err != nil {
				if !errors.Is(err, ErrCode) {
					t.Fatalf("Parse(%q): unwrapped error %v", line, err)
				}
				continue
			}
			switch code.Kind {
			case KindProduct, KindInStore:
				if _, err := kiosk.ParseGTIN(string(code.GTIN)); err != nil {
					t.Fatalf("Parse(%q) gave bad GTIN %q", line, code.GTIN)
				}
			case KindStaff:
				if code.Staff == "" {
					t.Fatalf("Parse(%q): staff badge without id", line)
				}
			default:
				t.Fatalf("Parse(%q): kind %v", line, code.Kind)
			}
		}
	})
}
