package kiosk

import (
	"errors"
	"fmt"
)

// Price reductions. Selvkasse has no promotions yet; whatever later asks
// to sell a line below its catalog price (a promotion, a staff price
// reduction, a loyalty scheme) goes through Basket.Reduce, which is where
// the law on tobacco is kept: tobakksskadeloven § 21 forbids giving
// consumers a discount or other price reduction on tobacco products.

var (
	// ErrTobaccoDiscount: the line is a tobacco product, which may not be
	// sold below its price (tobakksskadeloven § 21).
	ErrTobaccoDiscount = errors.New("kiosk: no discount on tobacco products (tobakksskadeloven § 21)")
	// ErrBadPrice: a reduced price that is not below the line's price, or
	// is below zero.
	ErrBadPrice = errors.New("kiosk: bad reduced price")
)

// Reduce sells line g at the lower unit price price (VAT included). It
// refuses, whatever asks for it, any reduction on a tobacco product
// (ErrTobaccoDiscount), and a price not below the line's or below zero
// (ErrBadPrice); ErrNotInBasket when there is no such line. The caller
// journals why.
func (b *Basket) Reduce(g GTIN, price Money) error {
	i := b.find(g)
	if i < 0 {
		return fmt.Errorf("%w: %s", ErrNotInBasket, g)
	}
	p := &b.Lines[i].Product
	switch {
	case p.Group == GroupTobacco:
		return fmt.Errorf("%w: %s", ErrTobaccoDiscount, p.Name)
	case price < 0 || price >= p.Price:
		return fmt.Errorf("%w: %s for %s at %s", ErrBadPrice, price, p.Name, p.Price)
	}
	p.Price = price
	return nil
}
