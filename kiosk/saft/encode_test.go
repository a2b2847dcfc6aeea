package saft

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const goldenFile = "demo-day.xml"

func mustEncode(tb testing.TB, d *Doc) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := Encode(&buf, d); err != nil {
		tb.Fatalf("Encode: %v", err)
	}
	return buf.Bytes()
}

func TestEncodeGolden(t *testing.T) {
	got := mustEncode(t, demoDay(t))
	path := filepath.Join("testdata", goldenFile)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update once)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("output differs from %s at line %d:\n got: %s\nwant: %s\n(go test -update rewrites it)", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("output differs from %s in length: %d lines, want %d", path, len(gl), len(wl))
	}
}

func TestEncodeRefusesInvalid(t *testing.T) {
	tests := []struct {
		name string
		edit func(d *Doc)
		want string
	}{
		{"eventType not declared", func(d *Doc) { reg(d).Events[0].Type = "POSSTART" }, `eventType "POSSTART" is not declared in basics`},
		{"eventType of another basic type", func(d *Doc) { reg(d).Events[0].Type = "11001" }, `eventType "11001" is declared as basicType 11, want 13`},
		{"predefined code from another list", func(d *Doc) { d.Basics[0].Predefined = "13012" }, `predefinedBasicID "13012" belongs to code list 13, not 04`},
		{"predefined code not in the list", func(d *Doc) { d.Basics[0].Predefined = "04099" }, `predefinedBasicID "04099" is not in code list 04`},
		{"predefined code missing", func(d *Doc) { d.Basics[0].Predefined = "" }, `needs its predefinedBasicID`},
		{"basicID twice", func(d *Doc) { d.Basics = append(d.Basics, d.Basics[0]) }, `basicID "04003" is declared twice`},
		{"empID unknown", func(d *Doc) { reg(d).Transactions[2].EmpID = "9999" }, `cashtransaction[3]: empID "9999" is not among the employees`},
		{"artID unknown", func(d *Doc) { reg(d).Transactions[0].Lines[1].ArtID = "123" }, `ctLine[2]: artID "123" is not among the articles`},
		{"lineType missing", func(d *Doc) { reg(d).Transactions[0].Lines[0].Type = "" }, `lineType is required`},
		{"unsigned", func(d *Doc) { reg(d).Transactions[4].Signature = "" }, `cashtransaction[5]: signature is required`},
		{"no keyVersion", func(d *Doc) { reg(d).Transactions[4].KeyVersion = "" }, `keyVersion is required`},
		{"receipt prints beyond 999", func(d *Doc) { reg(d).Transactions[0].ReceiptPrints = 1000 }, `receiptNum 1000 is not 0 to 999`},
		{"org number check digit", func(d *Doc) { d.Company.OrgNo = "999999998" }, `fails its check digit`},
		{"org number length", func(d *Doc) { d.Company.OrgNo = "12345" }, `is not 9 digits`},
		{"text too long", func(d *Doc) { d.Articles[0].Desc = strings.Repeat("x", 1000) }, `artDesc has 1000 characters, the schema allows 999`},
		{"control character", func(d *Doc) { reg(d).Events[2].Text = "bad\x07bell" }, `eventText holds '\a'`},
		{"invalid UTF-8", func(d *Doc) { d.Company.Name = "Kiosk \xff" }, `companyName holds`},
		{"VAT rate", func(d *Doc) { reg(d).Transactions[0].VAT[0].Rate = 7 }, `VAT rate 7 % is not a Norwegian rate`},
		{"vatCode unknown", func(d *Doc) { reg(d).Transactions[0].VAT[0].Code = "99" }, `vatCode "99" is not among the VAT codes`},
		{"standard VAT code unknown", func(d *Doc) { d.VATCodes[0].Standard = "4" }, `standardVatCode "4" is not in the standard VAT code list`},
		{"report under the wrong event", func(d *Doc) { reg(d).Events[14].Report.Kind = ZReport }, `a Z report belongs to an event of code 13009, not 13008`},
		{"reportID twice", func(d *Doc) { reg(d).Events[17].Report.ID = "X1" }, `reportID "X1" appears twice`},
		{"period unknown", func(d *Doc) { reg(d).Transactions[0].Period = 4 }, `periodNumber 4 is not among the periods`},
		{"transID twice", func(d *Doc) { reg(d).Transactions[1].TransID = "1" }, `transID "1" appears twice`},
		{"no time", func(d *Doc) { reg(d).Events[0].Time = time.Time{} }, `eventDate is required`},
		{"period ends before it starts", func(d *Doc) { d.Header.End = d.Header.Start.AddDate(0, 0, -1) }, `endDate 2025-03-13 is before startDate 2025-03-14`},
		{"no system id", func(d *Doc) { d.Header.SystemID = "" }, `SystemID is required`},
		{"postal address without city", func(d *Doc) { d.Company.Postal.City = "" }, `postalAddress: city is required`},
		{"country", func(d *Doc) { d.Company.Street.Country = "Norway" }, `country "Norway" is not an ISO 3166-1 alpha-2 code`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := demoDay(t)
			tc.edit(d)
			var buf bytes.Buffer
			err := Encode(&buf, d)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Encode = %v, want ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Encode = %v\nwant it to say %q", err, tc.want)
			}
			if buf.Len() != 0 {
				t.Errorf("Encode wrote %d bytes of an invalid file", buf.Len())
			}
			if verr := d.Validate(); verr == nil || verr.Error() != err.Error() {
				t.Errorf("Validate = %v, want Encode's error", verr)
			}
		})
	}
	if err := demoDay(t).Validate(); err != nil {
		t.Errorf("demo day: Validate = %v", err)
	}
}

func reg(d *Doc) *Register { return &d.Locations[0].Registers[0] }

// TestEncodeListsManyProblems: one error names several problems, and says
// how many more there are past the limit.
func TestEncodeListsManyProblems(t *testing.T) {
	d := demoDay(t)
	for i := range reg(d).Transactions {
		reg(d).Transactions[i].Signature = ""
	}
	for i := range reg(d).Events {
		reg(d).Events[i].Type = "nope"
	}
	err := d.Validate()
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `event[20]: eventType "nope" is not declared in basics`) {
		t.Fatalf("Validate = %v", err)
	}
	if n := strings.Count(err.Error(), "; "); n != maxProblems {
		t.Errorf("error lists %d problems, want %d and a count: %v", n, maxProblems, err)
	}
	if !strings.HasSuffix(err.Error(), "; and 5 more") {
		t.Errorf("error does not end with the count: %v", err)
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n <= 0 {
		return 0, errors.New("disk full")
	}
	w.n--
	return len(p), nil
}

func TestEncodeWriteError(t *testing.T) {
	err := Encode(&failWriter{n: 1}, demoDay(t))
	if err == nil || errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Encode to a failing writer = %v, want the writer's error", err)
	}
}

func TestEncodeZone(t *testing.T) {
	d := demoDay(t)
	d.Zone = nil // Europe/Oslo
	if _, err := time.LoadLocation("Europe/Oslo"); err != nil {
		if err := Encode(&bytes.Buffer{}, d); err == nil || !strings.Contains(err.Error(), "Europe/Oslo") {
			t.Fatalf("Encode without a zone database = %v, want a clear error", err)
		}
		return
	}
	// Times given in UTC are written in Norwegian time.
	for i := range reg(d).Transactions {
		tr := &reg(d).Transactions[i]
		tr.Time = tr.Time.UTC()
	}
	if got, want := string(mustEncode(t, d)), string(mustEncode(t, demoDay(t))); got != want {
		t.Errorf("UTC times and Oslo times encode differently")
	}
}

func TestFileName(t *testing.T) {
	z := testZone()
	created := time.Date(2025, 3, 15, 7, 30, 0, 0, z)
	tests := []struct {
		org         string
		part, parts int
		want        string
	}{
		{"999999999", 1, 1, "SAF-T Cash Register_999999999_20250315073000_1_1.xml"},
		{"999 999 999", 2, 12, "SAF-T Cash Register_999999999_20250315073000_2_12.xml"},
	}
	for _, tc := range tests {
		got, err := FileName(tc.org, created, tc.part, tc.parts)
		if err != nil || got != tc.want {
			t.Errorf("FileName(%q, %d, %d) = %q, %v; want %q", tc.org, tc.part, tc.parts, got, err, tc.want)
		}
	}
	for _, bad := range []struct {
		org         string
		at          time.Time
		part, parts int
	}{
		{"999999998", created, 1, 1}, {"99999999", created, 1, 1}, {"99999999x", created, 1, 1},
		{"999999999", time.Time{}, 1, 1}, {"999999999", created, 0, 1}, {"999999999", created, 2, 1}, {"999999999", created, 1, 0},
	} {
		if got, err := FileName(bad.org, bad.at, bad.part, bad.parts); !errors.Is(err, ErrInvalid) {
			t.Errorf("FileName(%q, %v, %d, %d) = %q, %v; want ErrInvalid", bad.org, bad.at, bad.part, bad.parts, got, err)
		}
	}
	// The Doc's name uses its zone, whatever zone Created was given in, so
	// it agrees with dateCreated and timeCreated.
	d := demoDay(t)
	d.Header.Created = created.UTC()
	if got, err := d.FileName(1, 1); err != nil || got != tests[0].want {
		t.Errorf("Doc.FileName = %q, %v; want %q", got, err, tests[0].want)
	}
	// The official example's name is the same up to the part numbers.
	if ex, _ := FileName("999999999", time.Date(2021, 3, 30, 10, 40, 0, 0, z), 1, 1); strings.TrimSuffix(ex, "_1_1.xml")+".xml" != "SAF-T Cash Register_999999999_20210330104000.xml" {
		t.Errorf("FileName = %q, not the official example's pattern", ex)
	}
}

// TestSignatureData: Skatteetaten's HMAC-SHA1 example, and the same text
// from a transaction given in UTC.
func TestSignatureData(t *testing.T) {
	z := testZone()
	tr := CashTransaction{Nr: "2", AmountIn: 100, AmountEx: 96, Time: time.Date(2016, 11, 24, 10, 39, 0, 0, z)}
	for _, tt := range []CashTransaction{tr, func() CashTransaction { u := tr; u.Time = u.Time.UTC(); return u }()} {
		data, err := SignatureData("0", tt, z)
		if err != nil {
			t.Fatal(err)
		}
		if want := "0;2016-11-24;10:39:00;2;1.00;0.96"; data != want {
			t.Errorf("SignatureData = %q, want %q", data, want)
		}
		if got, want := hmacSign(data), "iHh68DWCU3G42eL/7vOGUMSkvMM="; got != want {
			t.Errorf("HMAC-SHA1 = %s, want %s", got, want)
		}
	}
	neg := CashTransaction{Nr: "3", AmountIn: -2750, AmountEx: -2391, Time: tr.Time}
	if data, _ := SignatureData("abc=", neg, z); data != "abc=;2016-11-24;10:39:00;3;-27.50;-23.91" {
		t.Errorf("SignatureData of a return = %q", data)
	}
	if _, err := SignatureData("", tr, z); !errors.Is(err, ErrInvalid) {
		t.Errorf("SignatureData without a previous signature = %v, want ErrInvalid", err)
	}
	if _, err := SignatureData("0", CashTransaction{Nr: "1"}, z); !errors.Is(err, ErrInvalid) {
		t.Errorf("SignatureData without a time = %v, want ErrInvalid", err)
	}
}

func TestPredefinedBasic(t *testing.T) {
	b, err := PredefinedBasic("04013")
	if err != nil || b != (Basic{Type: TypeArticleGroup, ID: "04013", Predefined: "04013", Desc: "Tobacco"}) {
		t.Errorf("PredefinedBasic(04013) = %+v, %v", b, err)
	}
	if _, err := PredefinedBasic("05001"); !errors.Is(err, ErrInvalid) {
		t.Errorf("PredefinedBasic(05001) = %v, want ErrInvalid", err)
	}
	if v := VATCodeFor(kiosk.VAT15, time.Time{}); v.Code != "31" || v.Standard != "31" || v.Desc != "MVA 15 %" {
		t.Errorf("VATCodeFor(15) = %+v", v)
	}
}
