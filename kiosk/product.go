package kiosk

import (
	"errors"
	"fmt"
	"time"
)

// Group is a product group. The numbers are persisted. Each maps to a SAF-T
// predefined article group (basicType 04, ../shared/saft code list 04).
type Group uint8

const (
	GroupOther     Group = 1 // 04014 other goods
	GroupTobacco   Group = 2 // 04013 tobacco: cigarettes, snus, rolling tobacco
	GroupFood      Group = 3 // 04006 food, incl. confectionery
	GroupSoftDrink Group = 4 // 04011 soft drinks / mineral water
	GroupPress     Group = 5 // 04003 sale of goods: newspapers and magazines
)

var groupNames = map[Group]string{
	GroupOther:     "other",
	GroupTobacco:   "tobacco",
	GroupFood:      "food",
	GroupSoftDrink: "soft drink",
	GroupPress:     "press",
}

func (g Group) String() string {
	if s, ok := groupNames[g]; ok {
		return s
	}
	return fmt.Sprintf("group(%d)", uint8(g))
}

// SAFTArticleGroup is the predefined SAF-T article group code.
func (g Group) SAFTArticleGroup() string {
	switch g {
	case GroupTobacco:
		return "04013"
	case GroupFood:
		return "04006"
	case GroupSoftDrink:
		return "04011"
	case GroupPress:
		return "04003"
	default:
		return "04014"
	}
}

// AdultAge is the minimum age for tobacco in Norway (tobakksskadeloven § 16).
const AdultAge = 18

// Product is an item in the catalog.
type Product struct {
	GTIN    GTIN
	Name    string
	Group   Group
	VAT     VATRate
	Price   Money // per unit, VAT included
	MinAge  int   // 0 or 18
	Cabinet bool  // delivered from the locked cabinet, never on an open shelf
	// Compartment is the cabinet compartment the product is kept in,
	// numbered from 1; 0 on a cabinet product means compartment 1 (a
	// catalog from before compartments), and a shelf product has none.
	Compartment int
	Stock       int
	// LowStock is the stock at or below which the staff screen shows the
	// product as running low; 0: no threshold (stock.go).
	LowStock int `json:",omitempty"`
	// Recount: a shelf product was sold while the store believed it had
	// none; a stock count clears it (stock.go).
	Recount bool `json:",omitempty"`
	// The catalog fields of issue 13 (productinfo.go). Their zero values
	// keep the meaning a product had before them, and they are left out
	// of the JSON when zero, so stored products, sales and journal
	// records read and hash as before.
	Barcodes BarcodeList `json:",omitempty"` // more barcodes besides GTIN
	NameEN   string      `json:",omitempty"` // the English name; "": Name
	Unit     Unit        `json:",omitempty"` // 0: UnitPiece
	Deposit  Money       `json:",omitempty"` // pant per unit, charged on top of Price (Line.Pant)
	Inactive bool        `json:",omitempty"` // not sold: Lookup does not find it
	// PriceFrom is when Price took effect: the price version a sale line
	// records (prices.go). Zero: in force since forever (a store that
	// kept no history). The store sets it; Put ignores what it is given.
	PriceFrom time.Time `json:",omitzero"`
}

// MaxDeposit bounds Product.Deposit: Norway's pant on a bottle or a can
// is a few kroner (Infinitum, since 2018: 2 kr up to 0,5 l, 3 kr above),
// on a crate some more; a deposit above 100 kr is a price typed into the
// wrong column.
const MaxDeposit Money = 100_00

// MaxCompartment bounds Product.Compartment.
const MaxCompartment = 99

// CompartmentNo is the compartment a cabinet product is released from;
// 0 for a shelf product.
func (p Product) CompartmentNo() int {
	switch {
	case !p.Cabinet:
		return 0
	case p.Compartment < 1:
		return 1
	}
	return p.Compartment
}

// ErrInvalidProduct is returned by Product.Validate.
var ErrInvalidProduct = errors.New("kiosk: invalid product")

// Validate checks the rules every product in the catalog obeys. Tobacco is
// 18+ and kept out of view in the cabinet (tobakksskadeloven §§ 16, 25).
func (p Product) Validate() error {
	bad := func(why string) error { return fmt.Errorf("%w: %s: %s", ErrInvalidProduct, p.GTIN, why) }
	if _, err := ParseGTIN(string(p.GTIN)); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidProduct, err)
	}
	if p.GTIN != canonical(p.GTIN) {
		return bad("GTIN is not in 14-digit form")
	}
	switch {
	case p.Name == "":
		return bad("no name")
	case p.Price <= 0:
		return bad("price must be positive")
	case !p.VAT.Valid():
		return bad("unknown VAT rate")
	case !p.VAT.Group():
		return bad(fmt.Sprintf("VAT rate %s is a past rate: name the VAT group by today's rate (%s)", p.VAT, p.VAT.GroupRate()))
	case p.MinAge != 0 && p.MinAge != AdultAge:
		return bad("minimum age must be 0 or 18")
	case p.Group == GroupTobacco && (p.MinAge != AdultAge || !p.Cabinet):
		return bad("tobacco must be 18+ and in the cabinet")
	case groupNames[p.Group] == "":
		return bad("unknown group")
	case p.Compartment < 0 || p.Compartment > MaxCompartment:
		return bad(fmt.Sprintf("compartment must be 1 to %d", MaxCompartment))
	case p.Compartment > 0 && !p.Cabinet:
		return bad("a compartment is for cabinet products only")
	case p.LowStock < 0:
		return bad("the low-stock threshold must not be negative")
	}
	return p.validateInfo()
}

func canonical(g GTIN) GTIN {
	c, err := ParseGTIN(string(g))
	if err != nil {
		return ""
	}
	return c
}

// Restricted reports whether selling p needs an age check.
func (p Product) Restricted() bool { return p.MinAge > 0 }

// CabinetOnly keeps the products delivered from the cabinet, in order. It
// reuses ps's backing array.
func CabinetOnly(ps []Product) []Product {
	out := ps[:0]
	for _, p := range ps {
		if p.Cabinet {
			out = append(out, p)
		}
	}
	return out
}
