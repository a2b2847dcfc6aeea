package saft

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"strings"
	"unicode/utf8"
)

// The official code lists, copied byte for byte (codelists/README.md).
//
//go:embed codelists/*.csv
var codeFiles embed.FS

// BasicType is a SAF-T basicType: the kind of an own code declared under
// company/basics (code list BasicType).
type BasicType string

// The basic types the kiosk uses (code list BasicType).
const (
	TypeArticleGroup BasicType = "04" // article group codes (varegrupper)
	TypeLine         BasicType = "05" // ticket line codes (varelinjer); no predefined list
	TypeDiscount     BasicType = "08" // discount codes; no predefined list
	TypeTransaction  BasicType = "11" // transaction codes
	TypePayment      BasicType = "12" // payment codes
	TypeEvent        BasicType = "13" // event codes
)

// Code is one entry of an official code list: a basicType (ID "04") or a
// predefined basicID (ID "04013" of Type "04").
type Code struct {
	ID        string
	Type      BasicType // the basic type a predefined ID belongs to; "" for a basic type itself
	English   string
	Norwegian string
}

// TaxCode is one of the SAF-T standard VAT codes (Standard_Tax_Codes.csv),
// used in vatCodeDetail/standardVatCode.
type TaxCode struct {
	Code         string // "3"
	Norwegian    string // "Utgående merverdiavgift"
	English      string // "Output VAT"
	Rate         string // "Regular rate", "Reduced rate, middle", …; "" when none
	Compensation bool
}

var (
	basicTypes     map[BasicType]Code
	predefined     map[string]Code
	predefinedList map[BasicType][]Code
	taxCodes       map[string]TaxCode
	taxCodeList    []TaxCode
)

// The embedded lists are this package's own data, checked by its tests; a
// failure to read them is a build defect, like a bad regexp.MustCompile.
func init() {
	if err := loadCodeLists(codeFiles); err != nil {
		panic(err)
	}
}

func loadCodeLists(fsys embed.FS) error {
	rows, err := readCodeCSV(fsys, "codelists/basictype.csv", 3)
	if err != nil {
		return err
	}
	basicTypes = make(map[BasicType]Code)
	for _, r := range rows {
		basicTypes[BasicType(r[0])] = Code{ID: r[0], English: r[1], Norwegian: r[2]}
	}
	predefined = make(map[string]Code)
	predefinedList = make(map[BasicType][]Code)
	for _, t := range []BasicType{"04", "10", "11", "12", "13"} {
		rows, err := readCodeCSV(fsys, "codelists/predefined-"+string(t)+".csv", 3)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if !strings.HasPrefix(r[0], string(t)) || len(r[0]) != 5 {
				return fmt.Errorf("saft: code list %s: code %q is not a %s code", t, r[0], t)
			}
			c := Code{ID: r[0], Type: t, English: r[1], Norwegian: r[2]}
			predefined[c.ID] = c
			predefinedList[t] = append(predefinedList[t], c)
		}
	}
	rows, err = readCodeCSV(fsys, "codelists/standard-tax-codes.csv", 5)
	if err != nil {
		return err
	}
	taxCodes = make(map[string]TaxCode)
	for _, r := range rows {
		c := TaxCode{Code: r[0], Norwegian: r[1], English: r[2], Rate: r[3], Compensation: strings.EqualFold(r[4], "TRUE")}
		taxCodes[c.Code] = c
		taxCodeList = append(taxCodeList, c)
	}
	return nil
}

// readCodeCSV reads a ';'-separated code list without its header row,
// decoding ISO-8859-1 when the bytes are not UTF-8, and trims each field.
func readCodeCSV(fsys embed.FS, name string, fields int) ([][]string, error) {
	b, err := fsys.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("saft: code list: %w", err)
	}
	if !utf8.Valid(b) {
		b = latin1ToUTF8(b)
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.Comma = ';'
	r.FieldsPerRecord = fields
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("saft: code list %s: %w", name, err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("saft: code list %s: no codes", name)
	}
	rows = rows[1:]
	for _, row := range rows {
		for i := range row {
			row[i] = strings.TrimSpace(row[i])
		}
	}
	return rows, nil
}

func latin1ToUTF8(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/8)
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return out
}

// LookupCode finds a predefined basicID ("13012") in the official code
// lists 04, 10, 11, 12 and 13.
func LookupCode(id string) (Code, bool) {
	c, ok := predefined[id]
	return c, ok
}

// Codes lists the predefined basicIDs of one basic type, in the code
// list's order; nil for a type without a predefined list.
func Codes(t BasicType) []Code {
	return append([]Code(nil), predefinedList[t]...)
}

// LookupBasicType finds a basic type ("04") in code list BasicType.
func LookupBasicType(t BasicType) (Code, bool) {
	c, ok := basicTypes[t]
	return c, ok
}

// LookupTaxCode finds a standard VAT code ("3") in Standard_Tax_Codes.csv.
func LookupTaxCode(code string) (TaxCode, bool) {
	c, ok := taxCodes[code]
	return c, ok
}

// TaxCodes lists the standard VAT codes in the list's order.
func TaxCodes() []TaxCode {
	return append([]TaxCode(nil), taxCodeList...)
}
