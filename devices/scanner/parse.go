package scanner

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"selvkasse/kiosk"
)

// Kind says what a code is.
type Kind uint8

const (
	KindProduct Kind = 1 // a GTIN, alone or in GS1 element strings
	KindInStore Kind = 2 // a restricted-circulation code (prefix 20–29) with a price or weight
	KindStaff   Kind = 3 // a staff badge
)

func (k Kind) String() string {
	switch k {
	case KindProduct:
		return "product"
	case KindInStore:
		return "in-store"
	case KindStaff:
		return "staff"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Code is one parsed scan.
type Code struct {
	Kind      Kind
	Symbology string      // AIM identifier such as "]E0"; empty when the scanner sent none
	Data      string      // the data after the identifier
	GTIN      kiosk.GTIN  // product: the item; in-store: the item number with the value zeroed
	Batch     string      // AI 10
	Expiry    string      // AI 17, YYMMDD
	Price     kiosk.Money // AI 392n, or an in-store price
	Grams     int         // AI 310n (kg) in grams, or an in-store weight
	Staff     string      // the badge id, without the prefix
	Value     ValueKind   // in-store: what the code carries (Price or Grams); 0 otherwise
}

// ValueKind is what an in-store code carries.
type ValueKind uint8

const (
	ValuePrice  ValueKind = 1 // in øre
	ValueWeight ValueKind = 2 // in grams
)

func (v ValueKind) String() string {
	switch v {
	case ValuePrice:
		return "price"
	case ValueWeight:
		return "weight"
	}
	return fmt.Sprintf("ValueKind(%d)", uint8(v))
}

// MarshalText writes "price" or "weight" (configuration files).
func (v ValueKind) MarshalText() ([]byte, error) {
	if v != ValuePrice && v != ValueWeight {
		return nil, fmt.Errorf("scanner: no such value kind %d", uint8(v))
	}
	return []byte(v.String()), nil
}

// UnmarshalText reads "price" or "weight".
func (v *ValueKind) UnmarshalText(b []byte) error {
	switch string(b) {
	case "price":
		*v = ValuePrice
	case "weight":
		*v = ValueWeight
	default:
		return fmt.Errorf("scanner: value kind %q: want price or weight", b)
	}
	return nil
}

// InStoreLayout is the layout of 13-digit restricted-circulation codes
// with one prefix. GS1 leaves the layout to each country and shop, so no
// layout is assumed: the shop configures its own. The digits are
// prefix(2) item(ItemDigits) [check(1) if ValueCheck] value(ValueDigits)
// check(1), 13 in all.
type InStoreLayout struct {
	Prefix      string    `json:"prefix"` // "20" … "29"
	ItemDigits  int       `json:"item_digits"`
	ValueCheck  bool      `json:"value_check"` // a check digit over the value (common for prices)
	ValueDigits int       `json:"value_digits"`
	Value       ValueKind `json:"value"` // "price" (øre) or "weight" (grams)
}

func (l InStoreLayout) valid() error {
	n := 2 + l.ItemDigits + l.ValueDigits + 1
	if l.ValueCheck {
		n++
	}
	p, err := strconv.Atoi(l.Prefix)
	switch {
	case err != nil || len(l.Prefix) != 2 || p < 20 || p > 29:
		return fmt.Errorf("scanner: in-store prefix %q is not 20–29", l.Prefix)
	case n != 13:
		return fmt.Errorf("scanner: in-store layout %s has %d digits, want 13", l.Prefix, n)
	case l.Value != ValuePrice && l.Value != ValueWeight:
		return fmt.Errorf("scanner: in-store layout %s: value must be price or weight", l.Prefix)
	}
	return nil
}

// Config is what Parse needs to know about the shop.
type Config struct {
	StaffPrefix string // Code 128 badges start with it, e.g. "STAFF-"; empty: no badges
	InStore     []InStoreLayout
}

// Validate checks the in-store layouts.
func (c Config) Validate() error {
	seen := map[string]bool{}
	for _, l := range c.InStore {
		if err := l.valid(); err != nil {
			return err
		}
		if seen[l.Prefix] {
			return fmt.Errorf("scanner: in-store prefix %s configured twice", l.Prefix)
		}
		seen[l.Prefix] = true
	}
	return nil
}

// ErrCode is wrapped by Parse's errors: the line is not a usable code.
var ErrCode = errors.New("scanner: bad code")

// symbologies are the AIM identifiers the kiosk expects (ISO/IEC 15424),
// and whether their data is GS1 element strings.
var symbologies = map[string]bool{
	"]E0": false, // EAN-13, UPC-A
	"]E4": false, // EAN-8
	"]C0": false, // Code 128
	"]C1": true,  // GS1-128 (FNC1 in first position)
	"]e0": true,  // GS1 DataBar
	"]Q1": false, // QR Code
	"]Q3": true,  // QR Code, GS1
	"]d1": false, // Data Matrix
	"]d2": true,  // GS1 DataMatrix
}

// gs is FNC1 as scanners transmit it inside GS1 data: the ASCII group
// separator.
const gs = "\x1d"

// Parse reads one line from the Framer.
func (c Config) Parse(line []byte) (Code, error) {
	s := string(line)
	bad := func(why string, a ...any) (Code, error) {
		return Code{}, fmt.Errorf("%w: %q: %s", ErrCode, s, fmt.Sprintf(why, a...))
	}
	var code Code
	if strings.HasPrefix(s, "]") {
		if len(s) < 3 {
			return bad("cut-off symbology identifier")
		}
		gs1, ok := symbologies[s[:3]]
		if !ok {
			return bad("unknown symbology %s", s[:3])
		}
		code.Symbology, s = s[:3], s[3:]
		if gs1 {
			code.Data = s
			if err := parseGS1(s, &code); err != nil {
				return bad("%v", err)
			}
			code.Kind = KindProduct
			return code, nil
		}
	}
	code.Data = s
	if s == "" {
		return bad("empty")
	}
	if c.StaffPrefix != "" && strings.HasPrefix(s, c.StaffPrefix) {
		if code.Symbology != "" && code.Symbology != "]C0" {
			return bad("staff badge must be Code 128")
		}
		id := strings.TrimPrefix(s, c.StaffPrefix)
		if id == "" {
			return bad("staff badge without an id")
		}
		code.Kind, code.Staff = KindStaff, id
		return code, nil
	}
	g, err := kiosk.ParseGTIN(s)
	if err != nil {
		return bad("%v", err)
	}
	code.Kind, code.GTIN = KindProduct, g
	if len(s) == 13 {
		for _, l := range c.InStore {
			if strings.HasPrefix(s, l.Prefix) {
				return inStore(code, s, l)
			}
		}
	}
	return code, nil
}

// inStore reads the item and value of a restricted-circulation code.
func inStore(code Code, s string, l InStoreLayout) (Code, error) {
	at := 2 + l.ItemDigits
	if l.ValueCheck {
		at++
	}
	digits := s[at : at+l.ValueDigits]
	v, err := strconv.Atoi(digits)
	if err != nil {
		return Code{}, fmt.Errorf("%w: %q: value %q", ErrCode, s, digits)
	}
	if l.ValueCheck && !priceCheckOK(digits, s[at-1]) {
		return Code{}, fmt.Errorf("%w: %q: wrong price check digit", ErrCode, s)
	}
	// The item is the code with the value (and its check) zeroed, and a
	// fresh check digit, so one catalog entry matches every price.
	item := s[:2+l.ItemDigits] + strings.Repeat("0", 13-1-2-l.ItemDigits)
	code.GTIN = kiosk.GTIN("0" + item + string(kiosk.CheckDigit(item)))
	code.Kind, code.Value = KindInStore, l.Value
	if l.Value == ValuePrice {
		code.Price = kiosk.Money(v)
	} else {
		code.Grams = v
	}
	return code, nil
}

// priceCheckOK checks the price check digit of a 4-digit price field
// (GS1 General Specifications §7.9.3, weights 2-, 3, 5-, 5+ per digit)
// and accepts other field lengths unchecked.
func priceCheckOK(digits string, check byte) bool {
	if len(digits) != 4 {
		return true
	}
	w2m := [10]int{0, 2, 4, 6, 8, 9, 1, 3, 5, 7}
	w3 := [10]int{0, 3, 6, 9, 2, 5, 8, 1, 4, 7}
	w5m := [10]int{0, 5, 9, 4, 8, 3, 7, 2, 6, 1}
	d := func(i int) int { return int(digits[i] - '0') }
	sum := w2m[d(0)] + w2m[d(1)] + w3[d(2)] + w5m[d(3)]
	return byte('0'+(sum*3)%10) == check
}

// parseGS1 reads the element strings the kiosk uses: 01 GTIN, 10 batch,
// 17 expiry, 310n net weight in kg, 392n price; other AIs are checked for
// shape and skipped.
func parseGS1(s string, code *Code) error {
	for s != "" {
		s = strings.TrimPrefix(s, gs)
		if len(s) < 2 {
			return fmt.Errorf("cut-off application identifier %q", s)
		}
		ai, fixed := aiOf(s)
		if ai == "" {
			return fmt.Errorf("unknown application identifier at %q", s)
		}
		rest := s[len(ai):]
		var val string
		if fixed > 0 {
			if len(rest) < fixed {
				return fmt.Errorf("AI %s: %q is too short", ai, rest)
			}
			val, s = rest[:fixed], rest[fixed:]
		} else {
			end := strings.Index(rest, gs)
			if end < 0 {
				end = len(rest)
			}
			val, s = rest[:end], rest[end:]
			if val == "" {
				return fmt.Errorf("AI %s is empty", ai)
			}
		}
		switch {
		case ai == "01":
			g, err := kiosk.ParseGTIN(val)
			if err != nil {
				return err
			}
			code.GTIN = g
		case ai == "10":
			code.Batch = val
		case ai == "17":
			if !digitsOnly(val) {
				return fmt.Errorf("AI 17: %q is no date", val)
			}
			code.Expiry = val
		case strings.HasPrefix(ai, "310"):
			g, err := scaled(val, ai[3]-'0', 3) // kg with n decimals → grams
			if err != nil {
				return fmt.Errorf("AI %s: %v", ai, err)
			}
			code.Grams = int(g)
		case strings.HasPrefix(ai, "392"):
			p, err := scaled(val, ai[3]-'0', 2) // amount with n decimals → øre
			if err != nil {
				return fmt.Errorf("AI %s: %v", ai, err)
			}
			code.Price = kiosk.Money(p)
		}
	}
	if code.GTIN == "" {
		return errors.New("no GTIN (AI 01)")
	}
	return nil
}

// aiOf finds the application identifier at the start of s and its fixed
// data length (0 for variable length, ended by GS or the end).
func aiOf(s string) (ai string, fixed int) {
	switch s[:2] {
	case "00":
		return "00", 18
	case "01", "02":
		return s[:2], 14
	case "11", "13", "15", "17":
		return s[:2], 6
	case "10", "21", "22":
		return s[:2], 0
	}
	if len(s) >= 4 {
		switch {
		case s[:3] == "310" && s[3] >= '0' && s[3] <= '5':
			return s[:4], 6
		case s[:3] == "392" && s[3] >= '0' && s[3] <= '3':
			return s[:4], 0
		}
	}
	return "", 0
}

// scaled reads digits with decimals implied decimals as a whole number of
// units with want decimals, rounding half up.
func scaled(digits string, decimals byte, want int) (int64, error) {
	if !digitsOnly(digits) || len(digits) > 15 {
		return 0, fmt.Errorf("%q is no amount", digits)
	}
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, err
	}
	for d := int(decimals); d < want; d++ {
		v *= 10
	}
	for d := int(decimals); d > want; d-- {
		v = (v + 5) / 10
	}
	return v, nil
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
