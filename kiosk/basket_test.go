package kiosk

import (
	"errors"
	"testing"
)

func mustProduct(tb testing.TB, gtin, name string, g Group, vat VATRate, price Money, age int, cab bool) Product {
	tb.Helper()
	p := Product{GTIN: MustGTIN(gtin), Name: name, Group: g, VAT: vat, Price: price, MinAge: age, Cabinet: cab, Stock: 10}
	if err := p.Validate(); err != nil {
		tb.Fatal(err)
	}
	return p
}

func TestProductValidate(t *testing.T) {
	ok := Product{GTIN: MustGTIN("7038010009457"), Name: "Snus", Group: GroupTobacco, VAT: VAT25, Price: 13900, MinAge: 18, Cabinet: true}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	tests := map[string]func(p *Product){
		"shelf tobacco":    func(p *Product) { p.Cabinet = false },
		"tobacco under 18": func(p *Product) { p.MinAge = 0 },
		"age 16":           func(p *Product) { p.MinAge = 16 },
		"free":             func(p *Product) { p.Price = 0 },
		"no name":          func(p *Product) { p.Name = "" },
		"VAT 7":            func(p *Product) { p.VAT = 7 },
		"short GTIN":       func(p *Product) { p.GTIN = "7038010009457" },
		"bad group":        func(p *Product) { p.Group = 99 },
	}
	for name, f := range tests {
		p := ok
		f(&p)
		if err := p.Validate(); !errors.Is(err, ErrInvalidProduct) {
			t.Errorf("%s: err = %v, want ErrInvalidProduct", name, err)
		}
	}
}

func TestBasket(t *testing.T) {
	snus := mustProduct(t, "7038010009457", "Snus", GroupTobacco, VAT25, 13900, 18, true)
	soda := mustProduct(t, "96385074", "Brus", GroupSoftDrink, VAT15, 2990, 0, false)
	var b Basket
	if err := b.Add(soda); err != nil {
		t.Fatal(err)
	}
	if b.Restricted() {
		t.Fatal("soda is not restricted")
	}
	if err := b.Add(snus); err != nil {
		t.Fatal(err)
	}
	if err := b.Add(soda); err != nil {
		t.Fatal(err)
	}
	if b.Count() != 3 || len(b.Lines) != 2 || b.Total() != 2*2990+13900 {
		t.Fatalf("basket = %+v", b)
	}
	if !b.Restricted() || len(b.CabinetLines()) != 1 {
		t.Fatal("snus is restricted and from the cabinet")
	}
	vat := b.VAT()
	if len(vat) != 2 || vat[0].VAT != 2780 || vat[1].VAT != 780 {
		t.Fatalf("VAT = %+v", vat)
	}
	if err := b.SetQty(snus.GTIN, 11); !errors.Is(err, ErrOutOfStock) {
		t.Errorf("cabinet qty over stock: %v", err)
	}
	if err := b.SetQty(soda.GTIN, -1); !errors.Is(err, ErrBadQty) {
		t.Errorf("negative qty: %v", err)
	}
	if err := b.Remove(MustGTIN("96385074")); err != nil {
		t.Fatal(err)
	}
	if err := b.Remove(soda.GTIN); !errors.Is(err, ErrNotInBasket) {
		t.Errorf("remove twice: %v", err)
	}
	if n := b.RemoveRestricted(); n != 1 || !b.Empty() {
		t.Errorf("RemoveRestricted = %d, basket %+v", n, b)
	}
	none := snus
	none.Stock = 0
	if err := b.Add(none); !errors.Is(err, ErrOutOfStock) {
		t.Errorf("add out of stock: %v", err)
	}
}

// TestBasketStock: a cabinet product is refused beyond its stock; a shelf
// product sells at any stock the system believes, up to MaxQty (the goods
// are in the customer's hand).
func TestBasketStock(t *testing.T) {
	snus := mustProduct(t, "7038010009457", "Snus", GroupTobacco, VAT25, 13900, 18, true)
	soda := mustProduct(t, "96385074", "Brus", GroupSoftDrink, VAT15, 2990, 0, false)
	tests := []struct {
		name  string
		p     Product
		stock int
		adds  int
		qty   int // SetQty after the adds; 0: none
		want  error
	}{
		{"cabinet in stock", snus, 2, 2, 0, nil},
		{"cabinet at 0", snus, 0, 1, 0, ErrOutOfStock},
		{"cabinet negative", snus, -3, 1, 0, ErrOutOfStock},
		{"cabinet beyond stock", snus, 2, 3, 0, ErrOutOfStock},
		{"cabinet qty beyond stock", snus, 2, 1, 3, ErrOutOfStock},
		{"shelf at 0", soda, 0, 1, 0, nil},
		{"shelf negative", soda, -5, 2, 0, nil},
		{"shelf beyond stock", soda, 1, 4, 0, nil},
		{"shelf qty beyond stock", soda, 1, 1, 20, nil},
		{"shelf beyond MaxQty", soda, 0, 1, MaxQty + 1, ErrBadQty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.p
			p.Stock = tt.stock
			var b Basket
			var err error
			for i := 0; i < tt.adds && err == nil; i++ {
				err = b.Add(p)
			}
			if err == nil && tt.qty > 0 {
				err = b.SetQty(p.GTIN, tt.qty)
			}
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestBasketSoldByWeight: a product sold by the kg is refused by its own
// code (it has no weight); its weight label sells it.
func TestBasketSoldByWeight(t *testing.T) {
	sweets := Product{GTIN: MustGTIN("2312345000002"), Name: "Smågodt", Group: GroupFood, VAT: VAT15, Price: 18900, Stock: 100, Unit: UnitKg}
	var b Basket
	if err := b.Add(sweets); !errors.Is(err, ErrSoldByWeight) {
		t.Fatalf("Add of a kg product by its code: %v, want ErrSoldByWeight", err)
	}
	if err := b.AddInStore(Line{Product: sweets, Qty: 1, Code: MustGTIN("2312345004529"), Grams: 452}); err != nil {
		t.Fatalf("its weight label: %v", err)
	}
	if len(b.Lines) != 1 || b.Lines[0].Total() != 8543 {
		t.Errorf("lines %+v, want one of kr 85,43", b.Lines)
	}
}
