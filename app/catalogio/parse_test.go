package catalogio

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"selvkasse/kiosk"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// GTINs with right check digits, and one with a wrong one.
const (
	gCigs  = "7041000000013"
	gSnus  = "7041000000020"
	gWater = "7041000000037"
	gBar1  = "5000000000012"
	gBar2  = "5000000000029"
	gBad   = "7041000000014"
)

func mustWin1252(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func mustParse(tb testing.TB, b []byte, o Options) Result {
	tb.Helper()
	res, err := Parse(b, o)
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	return res
}

func problemLines(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

func TestParseGoodFiles(t *testing.T) {
	const header = "gtin;name;price;vat;group;age_limit\n"
	want := []kiosk.Product{
		{GTIN: "0" + gCigs, Name: "Røyk 20", Group: kiosk.GroupTobacco, VAT: kiosk.VAT25, Price: 16250, MinAge: 18, Cabinet: true},
		{GTIN: "0" + gWater, Name: "Farris 0,5 l", Group: kiosk.GroupSoftDrink, VAT: kiosk.VAT15, Price: 2990},
	}
	for _, tc := range []struct {
		name         string
		in           []byte
		o            Options
		enc, format  string
		comma        rune
		wantProducts []kiosk.Product
	}{
		{name: "utf-8, semicolon, decimal comma", in: []byte(header + gCigs + ";Røyk 20;162,50;25;tobacco;18\n" + gWater + ";Farris 0,5 l;29,90;15 %;soft drink;0\n"),
			enc: EncodingUTF8, format: FormatCSV, comma: ';', wantProducts: want},
		{name: "utf-8 with BOM, comma, decimal point, CRLF", in: []byte("\ufeffgtin,name,price,vat,group,age_limit\r\n" + gCigs + ",Røyk 20,162.50,25%,04013,18\r\n" + gWater + ",\"Farris 0,5 l\",29.90,15,04011,\r\n"),
			enc: EncodingUTF8, format: FormatCSV, comma: ',', wantProducts: want},
		{name: "windows-1252 detected", in: mustWin1252(t, header+gCigs+";Røyk 20;kr 162,50;25;tobacco;18\n"+gWater+";Farris 0,5 l;29,90;15;soft drink;\n"),
			enc: EncodingWindows1252, format: FormatCSV, comma: ';', wantProducts: want},
		{name: "windows-1252 forced", in: mustWin1252(t, header+gCigs+";Røyk 20;162,50;25;tobacco;18\n"+gWater+";Farris 0,5 l;29,90;15;soft drink;0\n"),
			o: Options{Encoding: EncodingWindows1252}, enc: EncodingWindows1252, format: FormatCSV, comma: ';', wantProducts: want},
		{name: "columns in another order, and more of them", in: []byte("age_limit;Stock;group;vat;price;name;gtin\n18;40;tobacco;25;162,50;Røyk 20;" + gCigs + "\n0;12;soft drink;15;29,90;Farris 0,5 l;" + gWater + "\n"),
			enc: EncodingUTF8, format: FormatCSV, comma: ';', wantProducts: want},
		{name: "a wholesaler's columns, mapped", in: mustWin1252(t, "EAN;Varetekst;Pris inkl. mva;Mva-sats;Varegruppe;Aldersgrense;Lev.nr\n"+gCigs+";Røyk 20;1.162,50;25;04013;18;A1\n"+gWater+";Farris 0,5 l;29,90;15;04011;0;A2\n"),
			o:   Options{Map: map[string]string{FieldGTIN: "EAN", FieldName: "Varetekst", FieldPrice: "Pris inkl. mva", FieldVAT: "mva-sats", FieldGroup: "Varegruppe", FieldAgeLimit: "Aldersgrense"}},
			enc: EncodingWindows1252, format: FormatCSV, comma: ';',
			wantProducts: []kiosk.Product{func() kiosk.Product { p := want[0]; p.Price = 116250; return p }(), want[1]}},
		{name: "JSON", in: []byte(`[{"gtin":"` + gCigs + `","name":"Røyk 20","price":162.5,"vat":25,"group":"tobacco","age_limit":18},
 {"gtin":"` + gWater + `","name":"Farris 0,5 l","price":"29,90","vat":"15%","group":"soft drink"}]`),
			enc: EncodingUTF8, format: FormatJSON, wantProducts: want},
		{name: "the optional fields", in: []byte("gtin;name;price;vat;group;age_limit;barcodes;name_en;unit;deposit;compartment;cabinet;active\n" +
			gCigs + ";Røyk 20;162,50;25;tobacco;18;" + gBar2 + "|" + gBar1 + ";Cigarettes;;;3;;ja\n" +
			gWater + ";Farris 0,5 l;29,90;15;soft drink;0;;;piece;2,00;;nei;false\n"),
			enc: EncodingUTF8, format: FormatCSV, comma: ';', wantProducts: []kiosk.Product{
				func() kiosk.Product {
					p := want[0]
					p.Barcodes, p.NameEN, p.Compartment = kiosk.NewBarcodeList("0"+gBar1, "0"+gBar2), "Cigarettes", 3
					return p
				}(),
				func() kiosk.Product { p := want[1]; p.Deposit, p.Inactive = 200, true; return p }(),
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := mustParse(t, tc.in, tc.o)
			if len(res.Problems) > 0 {
				t.Fatalf("problems: %q", problemLines(res.Problems))
			}
			if res.Encoding != tc.enc || res.Format != tc.format || res.Comma != tc.comma {
				t.Errorf("read as %s %s %q, want %s %s %q", res.Format, res.Encoding, res.Comma, tc.format, tc.enc, tc.comma)
			}
			if len(res.Rows) != len(tc.wantProducts) {
				t.Fatalf("rows = %+v", res.Rows)
			}
			for i, r := range res.Rows {
				if r.Product != tc.wantProducts[i] {
					t.Errorf("line %d = %+v\nwant %+v", r.Line, r.Product, tc.wantProducts[i])
				}
			}
		})
	}
}

func TestParseBadInput(t *testing.T) {
	const header = "gtin;name;price;vat;group;age_limit\n"
	good := gWater + ";Farris;29,90;15;soft drink;0\n"
	for _, tc := range []struct {
		name string
		in   []byte
		o    Options
		want []string
	}{
		{"bad check digit", []byte(header + gBad + ";X;10;25;other;0\n" + good), Options{}, []string{"line 2: gtin: " + gBad + ": bad check digit"}},
		{"not a GTIN", []byte(header + "7.04100E+12;X;10;25;other;0\n"), Options{}, []string{`line 2: gtin: "7.04100E+12" is not a GTIN (8, 12, 13 or 14 digits)`}},
		{"missing column", []byte("gtin;name;vat\n" + gCigs + ";X;25\n"), Options{}, []string{`line 1: price: missing column "price"`}},
		{"missing mapped column", []byte(header + good), Options{Map: map[string]string{FieldPrice: "Pris"}}, []string{`line 1: price: missing column "Pris"`}},
		{"neither vat nor group", []byte("gtin;name;price\n" + good), Options{}, []string{`line 1: vat: missing column "vat"`}},
		{"negative price", []byte(header + gCigs + ";X;-10,00;25;other;0\n"), Options{}, []string{`line 2: price: "-10,00" is negative`}},
		{"non-numeric price", []byte(header + gCigs + ";X;ti kroner;25;other;0\n"), Options{}, []string{`line 2: price: "ti kroner" is not an amount`}},
		{"zero price", []byte(header + gCigs + ";X;0;25;other;0\n"), Options{}, []string{`line 2: price: "0": a price must be above 0`}},
		{"duplicate GTIN", []byte(header + good + good), Options{}, []string{"line 3: gtin: 7041000000037 is also on line 2"}},
		{"duplicate barcode across products", []byte("gtin;name;price;vat;group;age_limit;barcodes\n" + gCigs + ";A;10;25;other;0;" + gBar1 + "\n" + gSnus + ";B;10;25;other;0;" + gBar1 + "\n"),
			Options{}, []string{"line 3: barcodes: 5000000000012 is also on line 2"}},
		{"tobacco without age limit", []byte(header + gCigs + ";Snus;10;25;tobacco;\n"), Options{}, []string{"line 2: age_limit: tobacco needs age limit 18 (tobakksskadeloven § 16)"}},
		{"age 16", []byte(header + gCigs + ";Snus;10;25;other;16\n"), Options{}, []string{"line 2: age_limit: 16: the kiosk knows 0 and 18 only"}},
		{"unknown group", []byte(header + gCigs + ";Øl;10;25;beer;0\n"), Options{}, []string{`line 2: group: unknown group "beer" (other, tobacco, food, soft drink, press, or a SAF-T code 04003, 04006, 04011, 04013, 04014)`}},
		{"unknown SAF-T group", []byte(header + gCigs + ";Øl;10;25;04001;0\n"), Options{}, []string{`line 2: group: unknown group "04001" (other, tobacco, food, soft drink, press, or a SAF-T code 04003, 04006, 04011, 04013, 04014)`}},
		{"unknown VAT rate", []byte(header + gCigs + ";X;10;7;other;0\n"), Options{}, []string{`line 2: vat: unknown VAT rate "7" (25, 15, 12 or 0)`}},
		{"VAT 6 % (2020-21)", []byte(header + gCigs + ";X;10;6%;other;0\n"), Options{}, []string{`line 2: vat: unknown VAT rate "6%" (25, 15, 12 or 0)`}},
		{"invalid UTF-8 when UTF-8 was chosen", mustWin1252(t, header+gCigs+";Røyk;10;25;other;0\n"), Options{Encoding: EncodingUTF8},
			[]string{"line 2: not valid UTF-8 (a Windows-1252 file? give --encoding windows-1252)"}},
		{"short line", []byte(header + gCigs + ";X\n"), Options{}, []string{"line 2: price: empty", "line 2: vat: empty, and no group to take it from"}},
		{"compartment on a shelf product", []byte("gtin;name;price;vat;compartment;cabinet\n" + gCigs + ";X;10;25;2;nei\n"), Options{}, []string{"line 2: 7041000000013: a compartment is for cabinet products only"}},
		{"negative deposit", []byte("gtin;name;price;vat;deposit\n" + gCigs + ";X;10;25;-2\n"), Options{}, []string{`line 2: deposit: "-2" is negative`}},
		{"bad barcode", []byte("gtin;name;price;vat;barcodes\n" + gCigs + ";X;10;25;" + gBad + "\n"), Options{}, []string{"line 2: barcodes: " + gBad + ": bad check digit"}},
		{"unknown unit", []byte("gtin;name;price;vat;unit\n" + gCigs + ";X;10;25;litre\n"), Options{}, []string{`line 2: unit: unknown unit "litre" (piece or kg)`}},
		{"not JSON objects", []byte(`[1]`), Options{}, []string{"line 1: not a JSON object: json: cannot unmarshal number into Go value of type map[string]interface {}"}},
		{"not a JSON array", []byte(`{"gtin":1}`), Options{Format: FormatJSON}, []string{"line 1: not a JSON array of products"}},
		{"empty file", nil, Options{}, []string{"line 1: no header row"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := mustParse(t, tc.in, tc.o)
			got := problemLines(res.Problems)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("problems = %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestParseOptions(t *testing.T) {
	if _, err := Parse(nil, Options{Encoding: "latin9"}); err == nil {
		t.Error("an unknown encoding was taken")
	}
	if _, err := Parse([]byte("gtin\n"), Options{Format: "xml"}); err == nil {
		t.Error("an unknown format was taken")
	}
	m, err := ParseMap("gtin=EAN, price = Pris inkl. mva")
	if err != nil || m[FieldGTIN] != "EAN" || m[FieldPrice] != "Pris inkl. mva" {
		t.Errorf("ParseMap = %v, %v", m, err)
	}
	for _, bad := range []string{"ean=EAN", "gtin", "gtin="} {
		if _, err := ParseMap(bad); err == nil {
			t.Errorf("ParseMap(%q) took it", bad)
		}
	}
}

// TestReportGolden: the report of a file with many faults, as the
// command prints it.
func TestReportGolden(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "bad.csv"))
	if err != nil {
		t.Fatal(err)
	}
	res := mustParse(t, in, Options{})
	var b bytes.Buffer
	if err := res.Report(&b); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "bad.report.golden")
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("report:\n%s\nwant (%s):\n%s", b.String(), golden, want)
	}
}

func TestExportRoundTrip(t *testing.T) {
	ps := []kiosk.Product{
		{GTIN: "0" + gCigs, Name: "Røyk; \"20\"", Group: kiosk.GroupTobacco, VAT: kiosk.VAT25, Price: 116250, MinAge: 18, Cabinet: true, Compartment: 2,
			Barcodes: kiosk.NewBarcodeList("0"+gBar1, "0"+gBar2), NameEN: "Cigarettes"},
		{GTIN: "0" + gWater, Name: "Farris 0,5 l", Group: kiosk.GroupSoftDrink, VAT: kiosk.VAT15, Price: 2990, Deposit: 200, Inactive: true},
		{GTIN: "0" + gSnus, Name: "Godteri", Group: kiosk.GroupFood, VAT: kiosk.VAT15, Price: 1990, Unit: kiosk.UnitKg},
	}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"csv":  func(b *bytes.Buffer) error { return WriteCSV(b, ps) },
		"json": func(b *bytes.Buffer) error { return WriteJSON(b, ps) },
	} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := write(&b); err != nil {
				t.Fatal(err)
			}
			res := mustParse(t, b.Bytes(), Options{})
			if len(res.Problems) > 0 || len(res.Rows) != len(ps) {
				t.Fatalf("read back: %q, %d rows\n%s", problemLines(res.Problems), len(res.Rows), b.String())
			}
			for i, r := range res.Rows {
				if r.Product != ps[i] {
					t.Errorf("read back %+v\nwant %+v", r.Product, ps[i])
				}
			}
		})
	}
}

// FuzzParse: whatever the bytes, Parse does not panic, every row is a
// valid product, and every problem names a line.
func FuzzParse(f *testing.F) {
	f.Add([]byte("gtin;name;price;vat;group;age_limit\n"+gCigs+";Røyk;162,50;25;tobacco;18\n"), "")
	f.Add([]byte("gtin,name,price,vat,barcodes\n"+gCigs+",X,1.5,15,"+gBar1+"|"+gBar2+"\n"), "")
	f.Add(mustWin1252(f, "EAN;Varetekst;Pris\n"+gCigs+";Røyk;1.162,50\n"), "gtin=EAN,name=Varetekst,price=Pris")
	f.Add([]byte(`[{"gtin":"`+gCigs+`","name":"X","price":1,"vat":25,"barcodes":["`+gBar1+`"]}]`), "")
	f.Add(in(f, "bad.csv"), "")
	f.Fuzz(func(t *testing.T, b []byte, mapping string) {
		m, err := ParseMap(mapping)
		if err != nil {
			m = nil
		}
		for _, o := range []Options{{Map: m}, {Map: m, Encoding: EncodingUTF8}, {Map: m, Format: FormatJSON}} {
			res, err := Parse(b, o)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			for _, r := range res.Rows {
				if err := r.Product.Validate(); err != nil || r.Line < 1 {
					t.Errorf("row on line %d: %+v: %v", r.Line, r.Product, err)
				}
			}
			for _, p := range res.Problems {
				if p.Line < 0 || p.Reason == "" {
					t.Errorf("problem %+v", p)
				}
			}
		}
	})
}

func in(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
