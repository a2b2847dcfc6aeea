package zvt

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func mustHex(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		tb.Fatalf("hex %q: %v", s, err)
	}
	return b
}

func TestCRC(t *testing.T) {
	// PA00P016 rev 04 §3.3 names the polynomial but, since "reference to
	// trace examples removed" (rev 04 history), carries no worked example.
	// The check value of the reflected CCITT CRC with init 0 over
	// "123456789" is 0x2189 (CRC-16/KERMIT); and the frames of 80-00-00 and
	// 84-9C-00 as sent by deployed ZVT terminals end F5 1F and C3 41.
	if got := CRC([]byte("123456789")); got != 0x2189 {
		t.Errorf("CRC(123456789) = %04X, want 2189", got)
	}
	for _, tc := range []struct{ apdu, frame string }{
		{"800000", "1002 800000 1003 F51F"},
		{"849C00", "1002 849C00 1003 C341"},
	} {
		if got := Frame(mustHex(t, tc.apdu)); !bytes.Equal(got, mustHex(t, tc.frame)) {
			t.Errorf("Frame(%s) = % X, want %s", tc.apdu, got, tc.frame)
		}
	}
}

func TestFrameDLEDoubling(t *testing.T) {
	// §3.1: a DLE in the APDU is sent twice; the CRC counts it once.
	apdu := mustHex(t, "060F 03 19 10 29") // contains 10
	f := Frame(apdu)
	if !bytes.Contains(f, []byte{0x19, DLE, DLE, 0x29}) {
		t.Fatalf("Frame = % X: DLE not doubled", f)
	}
	crc := CRC(append(append([]byte{}, apdu...), ETX))
	if f[len(f)-2] != byte(crc) || f[len(f)-1] != byte(crc>>8) {
		t.Errorf("CRC bytes % X, want %04X low byte first", f[len(f)-2:], crc)
	}
	got, n, err := ParseFrame(f)
	if err != nil || n != len(f) || !bytes.Equal(got, apdu) {
		t.Fatalf("ParseFrame = % X, %d, %v", got, n, err)
	}
	bad := bytes.Clone(f)
	bad[len(bad)-1] ^= 1
	if _, _, err := ParseFrame(bad); !errors.Is(err, ErrFrame) {
		t.Errorf("ParseFrame with a bad CRC = %v, want ErrFrame", err)
	}
	for i := 1; i < len(f); i++ {
		if _, _, err := ParseFrame(f[:i]); !errors.Is(err, ErrShort) {
			t.Errorf("ParseFrame(%d of %d bytes) = %v, want ErrShort", i, len(f), err)
		}
	}
}

func TestAPDULength(t *testing.T) {
	// PA00P016 §5.2.4: up to 254 bytes one length byte; longer: FF, then
	// the length low byte first.
	a := APDU{Cmd: CmdPrintText, Data: bytes.Repeat([]byte{0x41}, 0x0461)}
	b, err := a.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b[:5], mustHex(t, "06D3 FF 6104")) {
		t.Errorf("header % X, want 06 D3 FF 61 04", b[:5])
	}
	got, n, err := ParseAPDU(b)
	if err != nil || n != len(b) || !bytes.Equal(got.Data, a.Data) {
		t.Errorf("round trip: %d, %v", n, err)
	}
	if b, _ := (APDU{Cmd: CmdAbort}).Marshal(); !bytes.Equal(b, mustHex(t, "06B000")) {
		t.Errorf("abort = % X", b)
	}
	if _, err := (APDU{Data: make([]byte, MaxData+1)}).Marshal(); !errors.Is(err, ErrTooLong) {
		t.Errorf("65536 bytes: %v", err)
	}
}

func TestSpecAPDUs(t *testing.T) {
	// Command layouts from ZVT 13.08.
	pt := byte(0x40)
	auth, err := AuthorizationAPDU(AuthRequest{Amount: 8950, PaymentType: &pt})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		a    APDU
		want string
	}{
		// §2.1: 06 00 xx <password><config-byte><CC>
		{"registration", RegistrationAPDU(123456, DefaultConfig, nil), "0600 06 123456 BE 0578"},
		// §2.2.1: 04<amount> 49<CC> 19<payment-type>
		{"authorization", auth, "0601 0C 04 000000008950 49 0578 19 40"},
		// §2.20.1: 06 20 03 <password> — with 03<service-byte>
		{"repeat receipt", RepeatReceiptAPDU(123456), "0620 05 123456 03 01"},
		// §2.16.1: 06 50 03 <password>
		{"end of day", EndOfDayAPDU(123456), "0650 03 123456"},
		{"status enquiry", StatusEnquiryAPDU(123456), "0501 03 123456"},
		{"abort", AbortAPDU(), "06B0 00"},
		// §2.2.6 b: 84-9C-00
		{"still dispensing", Nak(ResultPleaseWait), "849C 00"},
		{"ack", Ack(), "8000 00"},
	}
	for _, tc := range tests {
		b, err := tc.a.Marshal()
		if err != nil || !bytes.Equal(b, mustHex(t, tc.want)) {
			t.Errorf("%s = % X, %v; want %s", tc.name, b, err, tc.want)
		}
	}
	rev, err := ReversalAPDU(123456, "0042", 0)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := rev.Marshal(); !bytes.Equal(b, mustHex(t, "0630 06 123456 87 0042")) {
		t.Errorf("reversal = % X", b)
	}
}

func TestBMPErrors(t *testing.T) {
	for _, tc := range []string{
		"04 0000",           // amount cut short
		"22 F1",             // LL cut short
		"22 F1 F5 00",       // LL longer than the data
		"22 FA F1 00",       // LL digit not 0-9
		"FE 00",             // unknown BMP
		"06 83 000000",      // BER length form not supported
		"06 05 0102",        // TLV container longer than the data
		"3C F0 F0",          // LLL cut short
		"27",                // fixed field with no bytes
		"06 04 1F 81 81 81", // tag too long inside TLV (container itself fine)
	} {
		fs, err := ParseFields(mustHex(t, tc))
		if err == nil && len(fs) > 0 && fs[len(fs)-1].BMP == BMPTLV {
			_, err = ParseTLV(fs[len(fs)-1].Data)
		}
		if err == nil {
			t.Errorf("ParseFields(%s) = %v, nil; want an error", tc, fs)
		}
	}
}

func TestTLV(t *testing.T) {
	// §9.3: multi-byte tag 1F07, constructed 25 holding 07 and 09.
	in := []TLV{
		{Tag: 0x1F07, Value: []byte{1}},
		{Tag: 0x25, Children: []TLV{{Tag: 0x07, Value: []byte("hei")}, {Tag: 0x07}, {Tag: 0x09, Value: []byte{0x81}}}},
		{Tag: 0x1F5B, Value: bytes.Repeat([]byte{1}, 300)},
	}
	b := AppendTLV(nil, in...)
	out, err := ParseTLV(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 3 || out[0].Tag != 0x1F07 || len(out[1].Children) != 3 || len(out[2].Value) != 300 {
		t.Fatalf("ParseTLV round trip = %+v", out)
	}
	if !bytes.Equal(AppendTLV(nil, out...), b) {
		t.Errorf("re-encoding differs")
	}
	if _, ok := Find(out, 0x09); !ok {
		t.Errorf("Find(09) in a constructed object failed")
	}
}

var digitRun = regexp.MustCompile(`[0-9]{13,}`)

func TestMaskPANs(t *testing.T) {
	for in, want := range map[string]string{
		"Kort 5598831234568074 ok":  "Kort ************8074 ok",
		"5598 8312 3456 8074":       "**** **** **** 8074",
		"Trace 000977 Beløp 25,00":  "Trace 000977 Beløp 25,00",
		"4111-1111-1111-1111":       "****-****-****-1111",
		"559883EEEEEE8074 (masked)": "559883EEEEEE8074 (masked)",
	} {
		if got := MaskPANs(in); got != want {
			t.Errorf("MaskPANs(%q) = %q, want %q", in, got, want)
		}
	}
	if got := panFromBCD(mustHex(t, "5598831234568074")); got != "************8074" {
		t.Errorf("unmasked BMP 22 = %q", got)
	}
	if got := panFromBCD(mustHex(t, "559883EEEEEE8074")); got != "559883******8074" {
		t.Errorf("masked BMP 22 = %q", got)
	}
}

func TestStatusTexts(t *testing.T) {
	for code, want := range map[byte][2]string{
		0x0A: {"Sett inn kort", "Insert card"},
		0x17: {"Vent litt …", "Please wait…"},
		0x15: {"Feil PIN", "Incorrect PIN"},
		0x4C: {"Kortet kan ikke leses. Ta ut kortet", "Card not readable. Please remove card"},
		0x7F: {"Vent litt …", "Please wait…"},
	} {
		nb, en := StatusText(code)
		if nb != want[0] || en != want[1] {
			t.Errorf("StatusText(%02X) = %q, %q; want %q", code, nb, en, want)
		}
	}
	// Every code of table 17 has its own text, not the fallback.
	var listed []byte
	for c := 0x00; c <= 0x1D; c++ {
		listed = append(listed, byte(c), byte(c+0x40))
	}
	listed = append(listed, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x66, 0x67, 0x68, 0x69,
		0xC7, 0xC8, 0xC9, 0xCA, 0xCB, 0xCC, 0xD2, 0xD3, 0xE0, 0xE1, 0xE2, 0xF1, 0xF2, 0xF3)
	for _, c := range listed {
		if c == 0x40 || c == 0x4A { // 40 is not in the table; 4A is listed without a text
			continue
		}
		if _, en := StatusText(c); en == "Please wait…" && c != 0x0E && c != 0x17 && c != 0x4E && c != 0x57 {
			t.Errorf("StatusText(%02X) falls back to the generic text", c)
		}
	}
	for code := range 256 {
		nb, en := ResultText(byte(code))
		if nb == "" || en == "" {
			t.Errorf("ResultText(%02X) empty", code)
		}
	}
	if _, en := ResultText(0x6C); !strings.HasPrefix(en, "Aborted") {
		t.Errorf("ResultText(6C) = %q", en)
	}
}

func captures(tb testing.TB) map[string][]byte {
	tb.Helper()
	files, err := filepath.Glob("testdata/captures/*.blob")
	if err != nil || len(files) == 0 {
		tb.Fatalf("no captures: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		out[filepath.Base(f)] = b
	}
	return out
}

func TestCaptures(t *testing.T) {
	for name, b := range captures(t) {
		as, err := ParseAPDUs(b)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for _, a := range as {
			switch a.Cmd {
			case CmdStatusInfo:
				s, err := ParseStatusInfo(a.Data)
				if err != nil {
					t.Errorf("%s: status information: %v", name, err)
				}
				if digitRun.MatchString(strings.Join([]string{s.MaskedPAN, s.AddText, s.CardName, s.AID}, "|")) {
					t.Errorf("%s: a card number survived: %+v", name, s)
				}
			case CmdPrintText:
				lines, err := ParsePrintText(a.Data)
				if err != nil || len(lines) == 0 {
					t.Errorf("%s: print text: %d lines, %v", name, len(lines), err)
				}
			}
		}
	}
}

func TestCaptureValues(t *testing.T) {
	c := captures(t)
	one := func(name string) APDU {
		t.Helper()
		as, err := ParseAPDUs(c[name])
		if err != nil || len(as) != 1 {
			t.Fatalf("%s: %d APDUs, %v", name, len(as), err)
		}
		return as[0]
	}
	// A MasterCard payment of 25,00 EUR.
	a := one("1680728165.675509000_pt_ecr.blob")
	s, err := ParseStatusInfo(a.Data)
	if err != nil {
		t.Fatal(err)
	}
	want := StatusInfo{Result: 0, HasResult: true, Amount: 2500, HasAmount: true, Currency: "0978",
		Time: "225558", Date: "0405", MaskedPAN: "559883******8074", ReceiptNo: "0231",
		Trace: "000975", PaymentType: 0x60, TerminalID: "52523535", Expiry: "2405", CardType: 6,
		CardTypeID: 1, CardName: "MasterCard", VU: "804011926"}
	s.AID, s.TLV = "", nil
	if !equalStatus(s, want) {
		t.Errorf("status = %+v\nwant   %+v", s, want)
	}
	// Registration 06 00 with password 123456, config DE, EUR.
	a = one("1681273860.511128000_ecr_pt.blob")
	if a.Cmd != CmdRegistration || !bytes.Equal(a.Data, mustHex(t, "123456 DE 0978")) {
		t.Errorf("registration = %v", a)
	}
	// Completion after registration: vending mode, TID 52523535.
	a = one("1680761818.641601000_pt_ecr.blob")
	comp, err := ParseRegistrationCompletion(a.Data)
	if err != nil || comp.StatusByte&StatusVending == 0 || comp.TerminalID != "52523535" {
		t.Errorf("completion = %+v, %v", comp, err)
	}
	// End-of-day totals: 9,58, BMP 60 singles.
	a = one("1680761828.489701000_pt_ecr.blob")
	s, err = ParseStatusInfo(a.Data)
	if err != nil || s.Amount != 958 {
		t.Fatalf("end of day = %+v, %v", s, err)
	}
	if tot := totalsFrom(s); tot.Count != 2 || tot.Amount != 958 {
		t.Errorf("totals = %+v", tot)
	}
	// Print text block: the customer receipt header.
	lines, err := ParsePrintText(one("1680728215.585561000_pt_ecr.blob").Data)
	if err != nil || !strings.Contains(strings.Join(lines, "\n"), "Customer Receipt") {
		t.Errorf("print text = %q, %v", lines, err)
	}
	// Intermediate status 17: "please wait".
	if a := one("1680728162.647465000_pt_ecr.blob"); a.Cmd != CmdIntermediate || a.Data[0] != 0x17 {
		t.Errorf("intermediate = %v", a)
	}
	// Abort with result code B8.
	if a := one("partial_reversal.blob"); a.Cmd != CmdPTAbort || a.Data[0] != 0xB8 {
		t.Errorf("abort = %v", a)
	}
	// Read card: track 2 data is dropped, never decoded into the result.
	s, err = ParseStatusInfo(one("status_information_read_card.blob").Data)
	if err != nil || s.MaskedPAN != "" {
		t.Errorf("read card = %+v, %v", s, err)
	}
}

func equalStatus(a, b StatusInfo) bool {
	a.Singles, b.Singles, a.TLV, b.TLV = nil, nil, nil, nil
	return a.Result == b.Result && a.Amount == b.Amount && a.Trace == b.Trace && a.Time == b.Time &&
		a.Date == b.Date && a.ReceiptNo == b.ReceiptNo && a.TerminalID == b.TerminalID && a.VU == b.VU &&
		a.Currency == b.Currency && a.PaymentType == b.PaymentType && a.CardType == b.CardType &&
		a.CardTypeID == b.CardTypeID && a.CardName == b.CardName && a.MaskedPAN == b.MaskedPAN &&
		a.Expiry == b.Expiry && a.HasAmount == b.HasAmount && a.HasResult == b.HasResult
}

func FuzzAPDU(f *testing.F) {
	for _, b := range captures(f) {
		f.Add(b)
	}
	f.Add(mustHex(f, "040F 0E 27 00 04 000000008950 22 F0 F2 1234"))
	f.Add(mustHex(f, "06D3 0A 06 08 25 06 07 02 4142 09 01 81"))
	f.Add(mustHex(f, "060F 06 F0F0F1 41 00 06"))
	f.Fuzz(func(t *testing.T, b []byte) {
		as, _ := ParseAPDUs(b)
		for _, a := range as {
			s, _ := ParseStatusInfo(a.Data)
			if digitRun.MatchString(strings.Join([]string{s.MaskedPAN, s.AddText, s.CardName, s.AID}, "|")) {
				t.Fatalf("card number in %+v", s)
			}
			_, _ = ParsePrintLine(a.Data)
			_, _ = ParsePrintText(a.Data)
			_, _ = ParseRegistrationCompletion(a.Data)
			_, _ = ParseEnquiryCompletion(a.Data)
			_, _ = ParseAuthorization(a.Data)
			_, _ = ParseTLV(a.Data)
			m, err := a.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			back, n, err := ParseAPDU(m)
			if err != nil || n != len(m) || back.Cmd != a.Cmd || !bytes.Equal(back.Data, a.Data) {
				t.Fatalf("round trip of %v failed", a)
			}
		}
	})
}

func FuzzSerialFrame(f *testing.F) {
	f.Add(mustHex(f, "1002 800000 1003 F51F"))
	f.Add(Frame(mustHex(f, "060F 03 19 10 29")))
	f.Add(mustHex(f, "06 15 1002 1010 1003"))
	for _, b := range captures(f) {
		f.Add(Frame(b))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		// The link's scanner over the same bytes: it never panics, and what
		// it accepts are whole APDUs.
		l := &SerialLink{w: io.Discard, opt: LinkOptions{}.withDefaults(), raw: bytes.Clone(b)}
		if _, err := l.scan(); err != nil {
			t.Fatalf("scan: %v", err)
		}
		for _, a := range l.frames {
			if m, err := a.Marshal(); err != nil || len(m) > MaxData+5 {
				t.Fatalf("scanned APDU %v does not re-encode: %v", a.Cmd, err)
			}
		}
		for len(b) > 0 {
			apdu, n, err := ParseFrame(b)
			if errors.Is(err, ErrShort) {
				return
			}
			if n <= 0 || n > len(b) {
				t.Fatalf("ParseFrame took %d of %d bytes", n, len(b))
			}
			if err == nil {
				if re := Frame(apdu); !bytes.Equal(re, b[:n]) {
					t.Fatalf("re-framed % X differs from % X", re, b[:n])
				}
			}
			b = b[n:]
		}
	})
}
