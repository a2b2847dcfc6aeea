package kiosk

// The catalog fields of issue 13 (a product's extra barcodes, English
// name, unit, deposit and active flag), the parsing of a product group as
// a wholesaler's file names it, and the journal entries of a change to
// the catalog: a price change as SAF-T 13021, any other change of master
// data as 13999 "master-data" (SAF-T Cash Register code list
// PredefinedBasicID-13), each with its old and new values.

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Unit is what a product's price is per. The numbers are persisted; 0 is
// UnitPiece (a product from before units).
type Unit uint8

const (
	UnitPiece Unit = 1 // per piece
	UnitKg    Unit = 2 // per kilogram (weighed goods, priced by weight code)
)

func (u Unit) String() string {
	switch u {
	case 0, UnitPiece:
		return "piece"
	case UnitKg:
		return "kg"
	}
	return fmt.Sprintf("unit(%d)", uint8(u))
}

// ErrUnknownUnit is returned by ParseUnit.
var ErrUnknownUnit = errors.New("kiosk: unknown unit")

// ParseUnit reads a unit: "piece" (also "pcs", "stk", "") or "kg", in any
// case, or its number.
func ParseUnit(s string) (Unit, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "piece", "pcs", "pc", "stk", "1":
		return UnitPiece, nil
	case "kg", "2":
		return UnitKg, nil
	}
	return 0, fmt.Errorf("%w: %q (piece or kg)", ErrUnknownUnit, s)
}

// BarcodeList is a product's barcodes besides its GTIN: GTIN-14s, sorted,
// each once, kept as one string so that a Product stays comparable (a
// basket's lines are compared with ==). Its JSON is an array of strings.
// The zero value is no barcodes.
type BarcodeList string

// NewBarcodeList returns the list of gs, sorted, each once. The GTINs are
// kept as given: Product.Validate checks them.
func NewBarcodeList(gs ...GTIN) BarcodeList {
	ss := make([]string, 0, len(gs))
	for _, g := range gs {
		if g != "" {
			ss = append(ss, string(g))
		}
	}
	slices.Sort(ss)
	return BarcodeList(strings.Join(slices.Compact(ss), " "))
}

// GTINs returns the barcodes, in order; nil for none.
func (l BarcodeList) GTINs() []GTIN {
	if l == "" {
		return nil
	}
	f := strings.Fields(string(l))
	gs := make([]GTIN, len(f))
	for i, s := range f {
		gs[i] = GTIN(s)
	}
	return gs
}

// Has reports whether g is in the list.
func (l BarcodeList) Has(g GTIN) bool { return slices.Contains(l.GTINs(), g) }

// MarshalJSON writes the list as an array of strings.
func (l BarcodeList) MarshalJSON() ([]byte, error) {
	gs := l.GTINs()
	if gs == nil {
		gs = []GTIN{}
	}
	return json.Marshal(gs)
}

// UnmarshalJSON reads an array of strings.
func (l *BarcodeList) UnmarshalJSON(b []byte) error {
	var gs []GTIN
	if err := json.Unmarshal(b, &gs); err != nil {
		return fmt.Errorf("kiosk: barcodes: %w", err)
	}
	*l = NewBarcodeList(gs...)
	return nil
}

// validateInfo checks the catalog fields of issue 13; p's other fields
// are valid.
func (p Product) validateInfo() error {
	bad := func(why string) error { return fmt.Errorf("%w: %s: %s", ErrInvalidProduct, p.GTIN, why) }
	if p.Barcodes != NewBarcodeList(p.Barcodes.GTINs()...) {
		return bad("barcodes not sorted, or one given twice")
	}
	for _, g := range p.Barcodes.GTINs() {
		c, err := ParseGTIN(string(g))
		if err != nil {
			return fmt.Errorf("%w: %s: barcode: %v", ErrInvalidProduct, p.GTIN, err)
		}
		if c != g {
			return bad(fmt.Sprintf("barcode %s is not in 14-digit form", g))
		}
		if g == p.GTIN {
			return bad("a barcode repeats the GTIN")
		}
	}
	switch {
	case p.Unit > UnitKg:
		return bad("unknown unit")
	case p.Deposit < 0:
		return bad("deposit must not be negative")
	case p.Deposit > MaxDeposit:
		return bad(fmt.Sprintf("deposit %s is above %s: a deposit is in kroner and øre, per unit", p.Deposit.Decimal(), MaxDeposit.Decimal()))
	case p.Deposit != 0 && p.Unit == UnitKg:
		return bad("a product sold by the kg has no deposit")
	}
	return nil
}

// ErrUnknownGroup is returned by ParseGroup.
var ErrUnknownGroup = errors.New("kiosk: unknown product group")

// ParseGroup reads a product group by its name ("tobacco", "soft drink",
// any case; "soft-drink" and "soft_drink" too), its number, or the SAF-T
// article group code it maps to ("04013"; SAFTArticleGroup).
func ParseGroup(s string) (Group, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	t = strings.NewReplacer("-", " ", "_", " ").Replace(t)
	for g, n := range groupNames {
		if n == t || g.SAFTArticleGroup() == t {
			return g, nil
		}
	}
	if g, ok := groupNamesNB[t]; ok {
		return g, nil
	}
	if n, err := strconv.Atoi(t); err == nil && n > 0 && n < 256 {
		if _, ok := groupNames[Group(n)]; ok {
			return Group(n), nil
		}
	}
	return 0, fmt.Errorf("%w: %q (one of other, tobacco, food, soft drink, press, their Norwegian names, or a SAF-T code 04003, 04006, 04011, 04013, 04014)", ErrUnknownGroup, s)
}

// groupNamesNB are the groups as a Norwegian wholesaler's file names
// them (ParseGroup): the SAF-T code list's Norwegian descriptions in
// short, and the words shops use.
var groupNamesNB = map[string]Group{
	"annet": GroupOther, "andre varer": GroupOther, "diverse": GroupOther,
	"tobakk": GroupTobacco, "tobakksvarer": GroupTobacco, "snus": GroupTobacco, "sigaretter": GroupTobacco,
	"mat": GroupFood, "matvarer": GroupFood, "næringsmidler": GroupFood, "sjokolade": GroupFood, "godteri": GroupFood, "snacks": GroupFood,
	"brus": GroupSoftDrink, "mineralvann": GroupSoftDrink, "drikke": GroupSoftDrink,
	"blad": GroupPress, "aviser": GroupPress, "avis": GroupPress, "ukeblad": GroupPress, "blader": GroupPress, "presse": GroupPress,
}

// SubMasterData (13999) is a change of a product's master data other
// than its price (a price change is CodePriceChange, prices.go): Data
// holds "change" (added or changed), and "old.FIELD" and "new.FIELD" for
// each field that changed.
const SubMasterData = "master-data"

// CatalogChange says who changed the catalog, where and when, for its
// journal entries.
type CatalogChange struct {
	Time  time.Time
	Kiosk string // "" when made away from a kiosk (a stopped store)
	By    string // the staff ID or the user who made it
	Via   string // how: "catalog import", "price set" …
}

// CatalogEntries returns the journal entries of replacing old (nil: a
// new product) by p: a CodePriceChange when the price changed, and a
// SubMasterData entry when anything else did (for a new product, one
// entry naming its name, group, VAT, price and every other field not at
// its default). Stock is not master data and is not compared. None:
// nothing changed.
func CatalogEntries(old *Product, p Product, c CatalogChange) []Entry {
	base := func(code Code, sub, text string) Entry {
		e := Entry{Code: code, Subtype: sub, Time: c.Time, Kiosk: c.Kiosk, Text: text,
			Data: map[string]string{"gtin": string(p.GTIN)}}
		if c.By != "" {
			e.Data["by"] = c.By
		}
		if c.Via != "" {
			e.Data["via"] = c.Via
		}
		return e
	}
	newF := productFields(p)
	if old == nil {
		e := base(CodeOther, SubMasterData, fmt.Sprintf("product %s %s added", p.GTIN, p.Name))
		e.Data["change"] = "added"
		for k, v := range newF {
			switch k {
			case "name", "group", "vat", "price":
			default:
				if v == zeroFields[k] {
					continue // a default: said by its absence
				}
			}
			e.Data["new."+k] = v
		}
		return []Entry{e}
	}
	var out []Entry
	if old.Price != p.Price {
		// The same record as a price set: in force from the change.
		e := PriceChangeEntry(p, old.Price, p.Price, c.Time, c.Time, c.By)
		e.Kiosk = c.Kiosk
		if c.Via != "" {
			e.Data["via"] = c.Via
		}
		out = append(out, e)
	}
	oldF := productFields(*old)
	var changed []string
	for k, v := range newF {
		if k != "price" && oldF[k] != v {
			changed = append(changed, k)
		}
	}
	if len(changed) > 0 {
		slices.Sort(changed)
		e := base(CodeOther, SubMasterData, fmt.Sprintf("product %s %s changed: %s", p.GTIN, p.Name, strings.Join(changed, ", ")))
		e.Data["change"] = "changed"
		for _, k := range changed {
			e.Data["old."+k], e.Data["new."+k] = oldF[k], newF[k]
		}
		out = append(out, e)
	}
	return out
}

// CatalogAddedEntry is the one journal entry of products ps added to the
// catalog in bulk (an import): SubMasterData with "change" added, "count",
// and for each product its GTIN-14 → its master data as
// CatalogFieldsText writes it. A bulk import journals additions so, a few
// hundred to a record, rather than one record each (the journal would be
// three times the catalog); changes of stored products are journaled one
// by one (CatalogEntries).
func CatalogAddedEntry(ps []Product, c CatalogChange) Entry {
	e := Entry{Code: CodeOther, Subtype: SubMasterData, Time: c.Time, Kiosk: c.Kiosk,
		Text: fmt.Sprintf("catalog: products added: %d", len(ps)),
		Data: make(map[string]string, len(ps)+4)}
	e.Data["change"], e.Data["count"] = "added", strconv.Itoa(len(ps))
	if c.By != "" {
		e.Data["by"] = c.By
	}
	if c.Via != "" {
		e.Data["via"] = c.Via
	}
	for _, p := range ps {
		e.Data[string(p.GTIN)] = CatalogFieldsText(p)
	}
	return e
}

// CatalogFieldsText is p's master data as URL query text, fields by name
// ("age_limit=18&cabinet=true&group=tobacco&name=Snus&price=13900&vat=25"),
// each field left out that is at its default (but name, group, VAT and
// price).
func CatalogFieldsText(p Product) string {
	var b strings.Builder
	b.Grow(128)
	for _, f := range fieldList(p) {
		switch f.name {
		case "name", "group", "vat", "price":
		default:
			if f.value == zeroFields[f.name] {
				continue
			}
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(f.name)
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(f.value))
	}
	return b.String()
}

// zeroFields are the fields of a zero product: their defaults.
var zeroFields = productFields(Product{})

// field is one field of a product's master data as text.
type field struct{ name, value string }

// fieldList is p's master data by field name, in name order; Stock is
// left out.
func fieldList(p Product) [12]field {
	b := func(v bool) string { return strconv.FormatBool(v) }
	return [12]field{
		{"active", b(!p.Inactive)}, {"age_limit", strconv.Itoa(p.MinAge)}, {"barcodes", string(p.Barcodes)},
		{"cabinet", b(p.Cabinet)}, {"compartment", strconv.Itoa(p.Compartment)},
		{"deposit", strconv.FormatInt(int64(p.Deposit), 10)}, {"group", p.Group.String()},
		{"name", p.Name}, {"name_en", p.NameEN}, {"price", strconv.FormatInt(int64(p.Price), 10)},
		{"unit", p.Unit.String()}, {"vat", strconv.Itoa(int(p.VAT))},
	}
}

// productFields is p's master data as text, by field name (as the
// catalog file names them); Stock is left out.
func productFields(p Product) map[string]string {
	m := make(map[string]string, 12)
	for _, f := range fieldList(p) {
		m[f.name] = f.value
	}
	return m
}

// SameMasterData reports whether a and b hold the same master data: all
// but Stock.
func SameMasterData(a, b Product) bool {
	a.Stock, b.Stock = 0, 0
	if a.Unit == 0 {
		a.Unit = UnitPiece
	}
	if b.Unit == 0 {
		b.Unit = UnitPiece
	}
	return a == b
}
