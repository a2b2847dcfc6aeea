package kiosk

// In-store price and weight codes: GS1 restricted circulation numbers with
// the prefixes 20–29 (GS1 General Specifications §2.1.11.1 and §7.9.3),
// which a shop prints itself on goods it weighs or prices. GS1 leaves the
// layout to each country and shop, so the scanner reads them with the
// shop's configured layouts (devices/scanner InStoreLayout) and hands the
// kiosk the item and the value in Scan.InStore.
//
// How an item number maps to a catalog product: the catalog holds the
// product under the code with its value digits (and the value's own check
// digit, if the layout has one) set to zero and a fresh GTIN check digit
// — the PLU form Norwegian shops label such items with. With the layout
// 23 IIII P VVVVV C, the label 2312345012508 (price 125,00) and every
// other price of item 1234 find the product 2312340000001 (as a GTIN-14,
// 02312340000001). A price code sells one item at the price on the label;
// a weight code sells the weight on the label at the product's price,
// which is then the price per kg. Tobacco is never sold by in-store code:
// its price is fixed by the importer and its code is its GTIN.

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// InStoreKind is what an in-store code carries. The numbers are persisted
// (they match devices/scanner's ValueKind).
type InStoreKind uint8

const (
	InStoreNone   InStoreKind = 0 // not an in-store code
	InStorePrice  InStoreKind = 1 // the item's price, in øre
	InStoreWeight InStoreKind = 2 // the item's net weight, in grams
)

func (k InStoreKind) String() string {
	switch k {
	case InStoreNone:
		return "none"
	case InStorePrice:
		return "price"
	case InStoreWeight:
		return "weight"
	}
	return fmt.Sprintf("InStoreKind(%d)", uint8(k))
}

// InStoreValue is an in-store code as the scanner decoded it with the
// shop's layout.
type InStoreValue struct {
	Kind  InStoreKind
	Item  GTIN  // the catalog code: the value digits zeroed, a fresh check digit
	Price Money // InStorePrice: the price on the label
	Grams int   // InStoreWeight: the weight on the label
}

// Bounds of an in-store code's value. A label beyond them is misread or
// misprinted; the kiosk refuses it rather than sell it.
const (
	MaxInStoreGrams = 100_000        // 100 kg on one label
	MaxInStorePrice = Money(1000000) // 10 000,00 kr on one label
	// MaxPricePerKg bounds the price per kg a weight line is computed
	// with, so that price × grams stays far inside int64.
	MaxPricePerKg = Money(100_000_000) // 1 000 000,00 kr/kg
)

// Errors of in-store codes.
var (
	// ErrBadInStore: the in-store code's item or value is not usable (no
	// prefix 20–29, a bad check digit, a value of 0 or beyond the bounds).
	ErrBadInStore = errors.New("kiosk: bad in-store code")
	// ErrInStoreTobacco: an in-store code names a tobacco product, which
	// is never sold by in-store code.
	ErrInStoreTobacco = errors.New("kiosk: tobacco is not sold by in-store code")
)

// Validate checks that v is an in-store code the kiosk can sell from: a
// known kind, an item code with prefix 20–29 and a right check digit, a
// value above 0 and within the bounds. Errors: ErrBadInStore (wrapped).
func (v InStoreValue) Validate() error {
	bad := func(why string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrBadInStore, fmt.Sprintf(why, a...))
	}
	g, err := ParseGTIN(string(v.Item))
	if err != nil {
		return bad("item %v", err)
	}
	if !IsInStore(g) {
		return bad("item %s has no prefix 20–29", g)
	}
	switch v.Kind {
	case InStorePrice:
		if v.Price <= 0 || v.Price > MaxInStorePrice {
			return bad("price %s out of range", v.Price)
		}
	case InStoreWeight:
		if v.Grams <= 0 || v.Grams > MaxInStoreGrams {
			return bad("weight %d g out of range", v.Grams)
		}
	default:
		return bad("%v", v.Kind)
	}
	return nil
}

// IsInStore reports whether g is a restricted-circulation number of a
// shop: an EAN-13 with the prefix 20–29.
func IsInStore(g GTIN) bool {
	s := string(canonical(g))
	return len(s) == 14 && s[0] == '0' && s[1] == '2'
}

// WeightAmount is what grams cost at perKg per kilogram, rounded to the
// øre half away from zero (0,5 øre up, -0,5 øre down). perKg × grams must
// fit in int64 (MaxPricePerKg × MaxInStoreGrams does).
func WeightAmount(perKg Money, grams int) Money {
	n := int64(perKg) * int64(grams)
	q, r := n/1000, n%1000
	switch {
	case r >= 500:
		q++
	case r <= -500:
		q--
	}
	return Money(q)
}

// FormatKg writes grams as kilograms with three decimals and a decimal
// comma, the Norwegian way: 452 → "0,452", 1500 → "1,500".
func FormatKg(grams int) string {
	sign := ""
	if grams < 0 {
		sign, grams = "-", -grams
	}
	return fmt.Sprintf("%s%d,%03d", sign, grams/1000, grams%1000)
}

// DecimalKg writes grams as kilograms with a point and three decimals
// ("0.452"), the form SAF-T's decimal quantities use.
func DecimalKg(grams int64) string {
	sign := ""
	if grams < 0 {
		sign, grams = "-", -grams
	}
	return sign + strconv.FormatInt(grams/1000, 10) + "." + fmt.Sprintf("%03d", grams%1000)
}

// WeightText is a weight line's detail as the screen and the receipt show
// it: "0,452 kg à 189,00 kr/kg".
func WeightText(grams int, perKg Money) string {
	return FormatKg(grams) + " kg à " + perKg.Plain() + " kr/kg"
}

// InStore reports whether l was sold by an in-store code.
func (l Line) InStore() bool { return l.Code != "" }

// key is what identifies l in its basket: the in-store code scanned for
// an in-store line, the product's GTIN for any other.
func (l Line) key() GTIN {
	if l.Code != "" {
		return l.Code
	}
	return l.Product.GTIN
}

// Key is what Basket.SetQty and Checkout.SetQty take to name l.
func (l Line) Key() GTIN { return l.key() }

// InStoreLine is the basket line that the in-store code code (as scanned)
// with value v sells of p: a price code one item at the label's price
// and p's pant, a weight code the label's weight at p's price per kg.
// Errors:
// ErrBadInStore (wrapped) for a code v.Validate refuses, a code that is
// not v's item with a value, or a price per kg beyond MaxPricePerKg;
// ErrInStoreTobacco for tobacco.
func InStoreLine(p Product, code string, v InStoreValue) (Line, error) {
	if err := v.Validate(); err != nil {
		return Line{}, err
	}
	c, err := ParseGTIN(code)
	if err != nil || !IsInStore(c) {
		return Line{}, fmt.Errorf("%w: code %q", ErrBadInStore, code)
	}
	if p.Group == GroupTobacco {
		return Line{}, fmt.Errorf("%w: %s", ErrInStoreTobacco, p.Name)
	}
	if canonical(v.Item) != p.GTIN && canonical(v.Item) != canonical(p.GTIN) {
		return Line{}, fmt.Errorf("%w: item %s is not %s", ErrBadInStore, v.Item, p.GTIN)
	}
	l := Line{Product: p, Qty: 1, Code: c}
	switch v.Kind {
	case InStorePrice:
		// The label prices the goods; their pant is owed as on any
		// other line (a reduced drink still has its bottle).
		l.Product.Price, l.Pant = v.Price, p.Deposit
	case InStoreWeight:
		if p.Price <= 0 || p.Price > MaxPricePerKg {
			return Line{}, fmt.Errorf("%w: price per kg %s out of range", ErrBadInStore, p.Price)
		}
		l.Grams = v.Grams
	}
	return l, nil
}

// AddInStore puts an in-store line (InStoreLine) into the basket: each
// scan is a line of its own, also the same label scanned twice (each
// label is one package). Stock does not limit it (the goods are in the
// customer's hand, weighed in the shop), but at most MaxQty lines of one
// product are taken. Errors: ErrBadQty (wrapped) beyond that.
func (b *Basket) AddInStore(l Line) error {
	n := 0
	for _, x := range b.Lines {
		if x.Product.GTIN == l.Product.GTIN {
			n++
		}
	}
	if n >= MaxQty {
		return fmt.Errorf("%w: %d lines of %s", ErrBadQty, n+1, l.Product.Name)
	}
	b.Lines = append(b.Lines, l)
	return nil
}

// errInStoreQty is SetQty's refusal to change an in-store line's quantity:
// it is sold as labelled, one package a line.
func errInStoreQty(l Line) error {
	return fmt.Errorf("%w: %s is sold as labelled (%s)", ErrBadQty, l.Product.Name, strings.TrimPrefix(string(l.Code), "0"))
}

// findLine is the line named g: an in-store line's label (Line.Key), or
// else the first line of the product g; -1 when there is none.
func (b *Basket) findLine(g GTIN) int {
	if i := b.find(g); i >= 0 {
		return i
	}
	for i, l := range b.Lines {
		if l.Product.GTIN == g {
			return i
		}
	}
	return -1
}

// inStoreData adds an in-store line's label and weight to a journal
// entry's data.
func inStoreData(data map[string]string, l Line) {
	if l.Code != "" {
		data["code"] = l.Code.Short()
	}
	if l.Grams != 0 {
		data["grams"] = strconv.Itoa(l.Grams)
	}
}
