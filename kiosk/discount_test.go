package kiosk

import (
	"errors"
	"testing"
)

// TestReduceRefusesTobacco: no discount or price reduction on a tobacco
// line, whatever asks (tobakksskadeloven § 21); other goods may be
// reduced, never raised or below zero.
func TestReduceRefusesTobacco(t *testing.T) {
	cigs := Product{GTIN: MustGTIN("7040000000016"), Name: "Prince Rød 20", Group: GroupTobacco, VAT: VAT25, Price: 15900, MinAge: 18, Cabinet: true, Stock: 5}
	snus := Product{GTIN: MustGTIN("7040000000023"), Name: "General Portion", Group: GroupTobacco, VAT: VAT25, Price: 12900, MinAge: 18, Cabinet: true, Stock: 5}
	cola := Product{GTIN: MustGTIN("7039990000113"), Name: "Cola 0,5 l", Group: GroupSoftDrink, VAT: VAT15, Price: 3290, Stock: 5}
	for _, tt := range []struct {
		name  string
		p     Product
		price Money
		want  error
	}{
		{"cigarettes a krone off", cigs, 15800, ErrTobaccoDiscount},
		{"snus for free", snus, 0, ErrTobaccoDiscount},
		{"tobacco at its own price", cigs, 15900, ErrTobaccoDiscount},
		{"a soft drink on offer", cola, 2500, nil},
		{"a soft drink for free", cola, 0, nil},
		{"a soft drink dearer", cola, 3300, ErrBadPrice},
		{"a soft drink at its price", cola, 3290, ErrBadPrice},
		{"below zero", cola, -1, ErrBadPrice},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b Basket
			if err := b.Add(tt.p); err != nil {
				t.Fatal(err)
			}
			before := b.Total()
			err := b.Reduce(tt.p.GTIN, tt.price)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Reduce(%s, %s) = %v; want %v", tt.p.Name, tt.price, err, tt.want)
			}
			switch {
			case tt.want != nil && b.Total() != before:
				t.Errorf("a refused reduction changed the total from %s to %s", before, b.Total())
			case tt.want == nil && b.Total() != tt.price:
				t.Errorf("total %s after the reduction; want %s", b.Total(), tt.price)
			}
		})
	}
	var b Basket
	if err := b.Reduce(cola.GTIN, 100); !errors.Is(err, ErrNotInBasket) {
		t.Errorf("Reduce of a line not in the basket = %v; want ErrNotInBasket", err)
	}
}
