package catalogio

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"selvkasse/kiosk"
)

// product reads one line's fields (get returns a field's trimmed text,
// "" when the file has no column for it) into a valid product, or says
// what is wrong with them, each field at most once.
func product(line int, get func(string) string) (kiosk.Product, []Problem) {
	var probs []Problem
	bad := func(field, format string, a ...any) {
		probs = append(probs, Problem{Line: line, Field: field, Reason: fmt.Sprintf(format, a...)})
	}
	var p kiosk.Product
	if s := get(FieldGTIN); s == "" {
		bad(FieldGTIN, "empty")
	} else if g, err := parseGTIN(s); err != nil {
		bad(FieldGTIN, "%v", err)
	} else {
		p.GTIN = g
	}
	if p.Name = get(FieldName); p.Name == "" {
		bad(FieldName, "empty")
	}
	p.NameEN = get(FieldNameEN)
	var err error
	if p.Price, err = parsePrice(get(FieldPrice)); err != nil {
		bad(FieldPrice, "%v", err)
	} else if p.Price == 0 {
		bad(FieldPrice, "%q: a price must be above 0", get(FieldPrice))
	}
	groupGiven, vatGiven := get(FieldGroup) != "", get(FieldVAT) != ""
	p.Group = kiosk.GroupOther
	if groupGiven {
		if p.Group, err = kiosk.ParseGroup(get(FieldGroup)); err != nil {
			bad(FieldGroup, "unknown group %q (other, tobacco, food, soft drink, press, or a SAF-T code 04003, 04006, 04011, 04013, 04014)", get(FieldGroup))
		}
	}
	switch {
	case vatGiven:
		if p.VAT, err = parseVAT(get(FieldVAT)); err != nil {
			bad(FieldVAT, "%v", err)
		}
	case groupGiven:
		p.VAT = defaultVAT[p.Group]
	default:
		bad(FieldVAT, "empty, and no group to take it from")
	}
	if s := get(FieldAgeLimit); s != "" {
		n, err := strconv.Atoi(strings.TrimSuffix(s, "+"))
		switch {
		case err != nil:
			bad(FieldAgeLimit, "%q is not a number", s)
		case n != 0 && n != kiosk.AdultAge:
			bad(FieldAgeLimit, "%d: the kiosk knows 0 and 18 only", n)
		default:
			p.MinAge = n
		}
	}
	if p.Group == kiosk.GroupTobacco && p.MinAge != kiosk.AdultAge && !hasProblem(probs, FieldAgeLimit) {
		bad(FieldAgeLimit, "tobacco needs age limit 18 (tobakksskadeloven § 16)")
	}
	if s := get(FieldBarcodes); s != "" {
		var gs []kiosk.GTIN
		for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == '|' || r == ' ' || r == '\t' }) {
			g, err := parseGTIN(f)
			if err != nil {
				bad(FieldBarcodes, "%v", err)
				break
			}
			if g == p.GTIN {
				bad(FieldBarcodes, "%s repeats the GTIN", f)
				break
			}
			gs = append(gs, g)
		}
		p.Barcodes = kiosk.NewBarcodeList(gs...)
	}
	if u, err := kiosk.ParseUnit(get(FieldUnit)); err != nil {
		bad(FieldUnit, "unknown unit %q (piece or kg)", get(FieldUnit))
	} else if u == kiosk.UnitKg {
		p.Unit = u // a piece is the zero value: stored as before units
	}
	if s := get(FieldDeposit); s != "" {
		if p.Deposit, err = parsePrice(s); err != nil {
			bad(FieldDeposit, "%v", err)
		}
	}
	if s := get(FieldCompartment); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > kiosk.MaxCompartment {
			bad(FieldCompartment, "%q: a compartment is 1 to %d", s, kiosk.MaxCompartment)
		}
		p.Compartment = n
	}
	if s := get(FieldCabinet); s != "" {
		if p.Cabinet, err = parseBool(s); err != nil {
			bad(FieldCabinet, "%v", err)
		}
	} else {
		// Tobacco is kept in the cabinet (tobakksskadeloven § 25), and
		// so is whatever has a compartment.
		p.Cabinet = p.Group == kiosk.GroupTobacco || p.Compartment > 0
	}
	if s := get(FieldActive); s != "" {
		active, err := parseBool(s)
		if err != nil {
			bad(FieldActive, "%v", err)
		}
		p.Inactive = !active
	}
	if len(probs) == 0 {
		if err := p.Validate(); err != nil {
			bad("", "%s", strings.TrimPrefix(err.Error(), kiosk.ErrInvalidProduct.Error()+": "))
		}
	}
	return p, probs
}

func hasProblem(ps []Problem, field string) bool {
	for _, p := range ps {
		if p.Field == field {
			return true
		}
	}
	return false
}

// defaultVAT is the rate of a group when the file gives no rate: tobacco
// and other goods 25 %, food and soft drinks 15 %, newspapers 0 %
// (merverdiavgiftsloven §§ 5-2, 6-1).
var defaultVAT = map[kiosk.Group]kiosk.VATRate{kiosk.GroupOther: kiosk.VAT25, kiosk.GroupTobacco: kiosk.VAT25,
	kiosk.GroupFood: kiosk.VAT15, kiosk.GroupSoftDrink: kiosk.VAT15, kiosk.GroupPress: kiosk.VAT0}

// parseGTIN reads a GTIN as a wholesaler writes it: 8, 12, 13 or 14
// digits, maybe with spaces, or as a spreadsheet's number ("7.03801E+12"
// is refused: the digits are lost).
func parseGTIN(s string) (kiosk.GTIN, error) {
	t := strings.ReplaceAll(s, " ", "")
	g, err := kiosk.ParseGTIN(t)
	switch {
	case errors.Is(err, kiosk.ErrBadCheckDigit):
		return "", fmt.Errorf("%s: bad check digit", s)
	case err != nil:
		return "", fmt.Errorf("%q is not a GTIN (8, 12, 13 or 14 digits)", s)
	}
	return g, nil
}

// parsePrice reads an amount in kroner with a decimal comma or point,
// maybe with "kr" and thousands separated by a space, or by the other of
// comma and point ("1.234,50", "1,234.50").
func parsePrice(s string) (kiosk.Money, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(t, "kr"), "NOK"), ",-"))
	if t == "" {
		return 0, fmt.Errorf("empty")
	}
	if c, p := strings.LastIndexByte(t, ','), strings.LastIndexByte(t, '.'); c >= 0 && p >= 0 {
		if c > p {
			t = strings.ReplaceAll(t, ".", "")
		} else {
			t = strings.ReplaceAll(t, ",", "")
		}
	}
	m, err := kiosk.ParseMoney(t)
	if err != nil {
		return 0, fmt.Errorf("%q is not an amount", s)
	}
	if m < 0 {
		return 0, fmt.Errorf("%q is negative", s)
	}
	return m, nil
}

// parseVAT reads a rate as 25, "25 %", "25,00" or "0.25" … of the four
// the kiosk knows: a VAT group by today's rate (a past rate such as
// 2020-21's 6 % is refused: kiosk.VATRate.Group).
func parseVAT(s string) (kiosk.VATRate, error) {
	t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	t = strings.Replace(t, ",", ".", 1)
	f, err := strconv.ParseFloat(t, 64)
	if err == nil && f > 0 && f < 1 {
		f = math.Round(f*1e4) / 100 // 0.25
	}
	if r := kiosk.VATRate(f); err == nil && f == float64(int(f)) && f >= 0 && f <= 25 && r.Group() {
		return r, nil
	}
	return 0, fmt.Errorf("unknown VAT rate %q (25, 15, 12 or 0)", s)
}

// parseBool reads yes or no as a wholesaler or a spreadsheet writes it.
func parseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes", "y", "ja", "j", "x", "sant":
		return true, nil
	case "0", "false", "no", "n", "nei", "usant", "-":
		return false, nil
	}
	return false, fmt.Errorf("%q is neither yes nor no", s)
}
