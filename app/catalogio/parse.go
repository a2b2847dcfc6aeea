package catalogio

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"selvkasse/kiosk"
)

// The fields of a catalog line, by the names a file's header gives them
// when no mapping says otherwise.
const (
	FieldGTIN        = "gtin"
	FieldName        = "name"
	FieldPrice       = "price"
	FieldVAT         = "vat"
	FieldGroup       = "group"
	FieldAgeLimit    = "age_limit"
	FieldBarcodes    = "barcodes"
	FieldNameEN      = "name_en"
	FieldUnit        = "unit"
	FieldDeposit     = "deposit"
	FieldCompartment = "compartment"
	FieldCabinet     = "cabinet"
	FieldActive      = "active"
)

// Fields lists every field, in the order an export writes them.
var Fields = []string{FieldGTIN, FieldName, FieldPrice, FieldVAT, FieldGroup, FieldAgeLimit, FieldBarcodes,
	FieldNameEN, FieldUnit, FieldDeposit, FieldCompartment, FieldCabinet, FieldActive}

// required are the fields every file must have a column for; of VAT and
// group one is enough (the other follows from it: defaultVAT).
var required = []string{FieldGTIN, FieldName, FieldPrice}

// Formats and encodings, as the flags name them.
const (
	FormatCSV  = "csv"
	FormatJSON = "json"

	EncodingUTF8        = "utf-8"
	EncodingWindows1252 = "windows-1252"
)

// Errors of Options: the caller's mistakes, not the file's.
var (
	ErrUnknownField    = errors.New("catalogio: unknown field")
	ErrUnknownFormat   = errors.New("catalogio: unknown format")
	ErrUnknownEncoding = errors.New("catalogio: unknown encoding")
)

// Options say how to read a file. The zero value detects everything and
// expects the default header names.
type Options struct {
	Format   string            // FormatCSV, FormatJSON; "": JSON when the file starts with "[", else CSV
	Encoding string            // EncodingUTF8, EncodingWindows1252; "": UTF-8 when valid (or with a BOM), else Windows-1252
	Map      map[string]string // field → the file's column (or JSON key) holding it; unmapped fields by their own name
}

// ParseMap reads a mapping as the --map flag gives it:
// "gtin=EAN,price=Pris inkl. mva". Errors: ErrUnknownField.
func ParseMap(s string) (map[string]string, error) {
	m := map[string]string{}
	for _, kv := range strings.Split(s, ",") {
		if strings.TrimSpace(kv) == "" {
			continue
		}
		f, col, ok := strings.Cut(kv, "=")
		f, col = strings.ToLower(strings.TrimSpace(f)), strings.TrimSpace(col)
		if !ok || col == "" {
			return nil, fmt.Errorf("%w: %q is not field=Column", ErrUnknownField, kv)
		}
		if !slices.Contains(Fields, f) {
			return nil, fmt.Errorf("%w: %q (one of %s)", ErrUnknownField, f, strings.Join(Fields, ", "))
		}
		m[f] = col
	}
	return m, nil
}

// Row is a good line: its product, valid, with Stock 0.
type Row struct {
	Line    int
	Product kiosk.Product
}

// Problem is a line Parse could not take (Line 0: the file as a whole),
// and why; Field is "" when no one field is to blame.
type Problem struct {
	Line   int
	Field  string
	Reason string
}

func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", p.Line)
	} else {
		b.WriteString("file: ")
	}
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Reason)
	return b.String()
}

// Result is a parsed file.
type Result struct {
	Rows     []Row
	Problems []Problem // by line
	Format   string    // as read
	Encoding string    // as read
	Comma    rune      // the CSV separator found; 0 for JSON
	Ignored  []string  // the file's columns no field reads (stock, say: booked by receiving)
}

// Report writes the problems, one a line, and a count.
func (r Result) Report(w io.Writer) error {
	for _, p := range r.Problems {
		if _, err := fmt.Fprintln(w, p); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "good lines: %d, problems: %d\n", len(r.Rows), len(r.Problems))
	return err
}

// Parse reads a catalog file. The file's faults are Problems, never an
// error; an error is for o (ErrUnknownFormat, ErrUnknownEncoding).
func Parse(b []byte, o Options) (Result, error) {
	var res Result
	switch o.Encoding {
	case "", EncodingUTF8, EncodingWindows1252:
	default:
		return res, fmt.Errorf("%w: %q (utf-8 or windows-1252)", ErrUnknownEncoding, o.Encoding)
	}
	format := o.Format
	if format == "" {
		format = FormatCSV
		if t := bytes.TrimLeft(bytes.TrimPrefix(b, bom), " \t\r\n"); len(t) > 0 && t[0] == '[' {
			format = FormatJSON
		}
	}
	res.Format = format
	text, enc, bad := decode(b, o.Encoding)
	res.Encoding = enc
	for _, line := range bad {
		res.Problems = append(res.Problems, Problem{Line: line, Reason: "not valid UTF-8 (a Windows-1252 file? give --encoding windows-1252)"})
	}
	if len(bad) > 0 {
		return res, nil
	}
	var recs []record
	var cols []string
	switch format {
	case FormatCSV:
		recs, cols, res.Comma = readCSV(text, &res.Problems)
	case FormatJSON:
		recs, cols = readJSON(text, &res.Problems)
	default:
		return res, fmt.Errorf("%w: %q (csv or json)", ErrUnknownFormat, o.Format)
	}
	if recs == nil && len(res.Problems) > 0 {
		return res, nil
	}
	m, missing, ignored := mapColumns(cols, o.Map)
	res.Ignored = ignored
	for _, f := range missing {
		res.Problems = append(res.Problems, Problem{Line: 1, Field: f, Reason: "missing column " + strconv.Quote(columnName(f, o.Map))})
	}
	if len(missing) > 0 {
		return res, nil
	}
	seen := map[kiosk.GTIN]int{} // a GTIN or barcode → the line giving it first
	for _, r := range recs {
		get := func(f string) string {
			if i, ok := m[f]; ok && i < len(r.values) {
				return strings.TrimSpace(r.values[i])
			}
			return ""
		}
		p, probs := product(r.line, get)
		if len(probs) == 0 {
			for i, g := range append([]kiosk.GTIN{p.GTIN}, p.Barcodes.GTINs()...) {
				field := FieldBarcodes
				if i == 0 {
					field = FieldGTIN
				}
				if first, dup := seen[g]; dup {
					probs = append(probs, Problem{Line: r.line, Field: field, Reason: fmt.Sprintf("%s is also on line %d", g, first)})
					break
				}
			}
		}
		if len(probs) > 0 {
			res.Problems = append(res.Problems, probs...)
			continue
		}
		for _, g := range append([]kiosk.GTIN{p.GTIN}, p.Barcodes.GTINs()...) {
			seen[g] = r.line
		}
		res.Rows = append(res.Rows, Row{Line: r.line, Product: p})
	}
	slices.SortStableFunc(res.Problems, func(a, b Problem) int { return a.Line - b.Line })
	return res, nil
}

var bom = []byte("\xef\xbb\xbf")

// decode returns b as UTF-8 text: as it is (without a BOM) when enc is
// UTF-8 or it is valid UTF-8, else from Windows-1252. bad lists the lines
// not valid UTF-8 when enc is EncodingUTF8.
func decode(b []byte, enc string) (text string, used string, bad []int) {
	if bytes.HasPrefix(b, bom) && enc != EncodingWindows1252 {
		b, enc = b[len(bom):], EncodingUTF8
	}
	if enc == "" {
		enc = EncodingWindows1252
		if utf8.Valid(b) {
			enc = EncodingUTF8
		}
	}
	if enc == EncodingWindows1252 {
		t, err := charmap.Windows1252.NewDecoder().Bytes(b)
		if err == nil { // it maps every byte
			return string(t), enc, nil
		}
	}
	if !utf8.Valid(b) {
		for i, line := range bytes.Split(b, []byte("\n")) {
			if !utf8.Valid(line) {
				bad = append(bad, i+1)
			}
		}
	}
	return string(b), EncodingUTF8, bad
}

// record is one line's values, by column.
type record struct {
	line   int
	values []string
}

// readCSV reads the header and the records, finding the separator in the
// header: ";" unless "," (or a tab) is more frequent.
func readCSV(text string, probs *[]Problem) (recs []record, cols []string, comma rune) {
	header, _, _ := strings.Cut(text, "\n")
	comma = ';'
	if c, s, t := strings.Count(header, ","), strings.Count(header, ";"), strings.Count(header, "\t"); t > s && t > c {
		comma = '\t'
	} else if c > s {
		comma = ','
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma, r.FieldsPerRecord, r.LazyQuotes, r.ReuseRecord = comma, -1, true, false
	cols, err := r.Read()
	if err != nil {
		why := "no header row"
		if !errors.Is(err, io.EOF) {
			why = err.Error()
		}
		*probs = append(*probs, Problem{Line: 1, Reason: why})
		return nil, nil, comma
	}
	recs = []record{}
	for {
		vs, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			*probs = append(*probs, Problem{Line: line, Reason: "not CSV: " + err.Error()})
			if pe == nil {
				break
			}
			continue
		}
		if len(vs) == 1 && strings.TrimSpace(vs[0]) == "" {
			continue // an empty line
		}
		recs = append(recs, record{line: line, values: vs})
	}
	return recs, cols, comma
}

// readJSON reads an array of objects; the columns are every key any
// object has, in the order first seen. An object's line is where it
// starts.
func readJSON(text string, probs *[]Problem) (recs []record, cols []string) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	lineAt := func(off int64) int {
		rest := text[min(int(off), len(text)):]
		skip := len(rest) - len(strings.TrimLeft(rest, " \t\r\n,"))
		return 1 + strings.Count(text[:int(off)+skip], "\n")
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		*probs = append(*probs, Problem{Line: 1, Reason: "not a JSON array of products"})
		return nil, nil
	}
	index := map[string]int{}
	recs = []record{}
	for dec.More() {
		line := lineAt(dec.InputOffset())
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			*probs = append(*probs, Problem{Line: line, Reason: "not a JSON object: " + err.Error()})
			return nil, nil
		}
		r := record{line: line, values: make([]string, len(cols))}
		for k, v := range obj {
			i, ok := index[k]
			if !ok {
				i = len(cols)
				index[k] = i
				cols = append(cols, k)
			}
			for len(r.values) <= i {
				r.values = append(r.values, "")
			}
			r.values[i] = jsonText(v)
		}
		recs = append(recs, r)
	}
	if _, err := dec.Token(); err != nil {
		*probs = append(*probs, Problem{Line: lineAt(dec.InputOffset()), Reason: "the JSON array does not end"})
		return nil, nil
	}
	return recs, cols
}

// jsonText is a JSON value as the CSV would give it.
func jsonText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	case []any:
		ss := make([]string, len(v))
		for i, e := range v {
			ss[i] = jsonText(e)
		}
		return strings.Join(ss, " ")
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// columnName is the column field f is read from.
func columnName(f string, m map[string]string) string {
	if c, ok := m[f]; ok {
		return c
	}
	return f
}

// mapColumns finds each field's column (case and surrounding space
// ignored): missing are the required fields (and those mapped) without
// one; ignored the columns no field reads.
func mapColumns(cols []string, mapping map[string]string) (m map[string]int, missing, ignored []string) {
	m = map[string]int{}
	used := make([]bool, len(cols))
	norm := func(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
	for _, f := range Fields {
		want := norm(columnName(f, mapping))
		for i, c := range cols {
			if norm(c) == want {
				m[f], used[i] = i, true
				break
			}
		}
		_, mapped := mapping[f]
		if _, ok := m[f]; !ok && (mapped || slices.Contains(required, f)) {
			missing = append(missing, f)
		}
	}
	_, vat := m[FieldVAT]
	_, group := m[FieldGroup]
	if !vat && !group {
		missing = append(missing, FieldVAT)
	}
	for i, c := range cols {
		if !used[i] && strings.TrimSpace(c) != "" {
			ignored = append(ignored, c)
		}
	}
	return m, missing, ignored
}
