package kiosk

// Checkout: the price check and in-store codes. A customer or staff
// member presses "check price" on the welcome or basket screen (state
// PriceCheck, checkout.go's table); each scan then shows the product's
// name and price, adds nothing, and is journaled as a price look-up
// (SAF-T 13022, which the X and Z reports count per product group:
// kassasystemforskrifta § 2-8-2 (1) t, Totals.AddEntry). A tap or
// Config.PriceCheckTime without a scan returns to the screen the customer
// came from, the basket as it was. In-store price and weight codes
// (instore.go) sell from the basket screen and are priced in the price
// check alike.

import (
	"errors"
	"fmt"
	"strconv"
)

// Subtypes of the price check and in-store codes. Persisted.
const (
	// SubPriceCheck (with CodePriceLookup): a price shown by the price
	// check; Amount is what the scanned item costs, Data its gtin,
	// group, price and, for an in-store code, code and grams.
	SubPriceCheck = "price-check"
	// SubInStoreRefused (of CodeOther): an in-store code refused (a
	// tobacco product); Data code and gtin.
	SubInStoreRefused = "in-store-refused"
)

// PriceInfo is a price the price check shows.
type PriceInfo struct {
	GTIN  GTIN   // the product
	Code  string // the code as scanned
	Name  string
	Group Group
	// Price is the product's price: per piece; per kg for a weight code;
	// the label's for a price code.
	Price Money
	// Grams is a weight code's weight; 0 for any other code.
	Grams int
	// Amount is what the scanned item costs: Price, or the weight's
	// price (WeightAmount).
	Amount Money
	// Pant is the deposit charged on top of Amount (Line.Pant); 0 for
	// goods without one.
	Pant Money
	// TextOnly: tobacco, shown as its name and price only, never a
	// picture (tobakksskadeloven § 25: tobacco is kept out of view).
	TextOnly bool
	// ByKg: a product sold by the kg (UnitKg) scanned by its own code:
	// Price is per kg, nothing was weighed, and it is bought by the
	// scale's label (Basket.Add refuses its own code, ErrSoldByWeight).
	ByKg bool
}

// PerKg reports whether Price is a price per kg: a weight label's, or a
// product sold by the kg scanned by its own code.
func (p PriceInfo) PerKg() bool { return p.Grams != 0 || p.ByKg }

// PriceCheck puts the kiosk into price-check mode from the welcome or the
// basket screen. Errors: ErrNotNow (wrapped) anywhere else.
func (c *Checkout) PriceCheck() error {
	c.mu.Lock()
	if !Accepts(c.state, EvPriceCheck) {
		st := c.state
		c.mu.Unlock()
		return fmt.Errorf("%w: price check in %v", ErrNotNow, st)
	}
	c.priceShown = nil
	c.clearNotice()
	c.fire(EvPriceCheck)
	c.mu.Unlock()
	c.notify()
	return nil
}

// EndPriceCheck leaves price-check mode (the customer tapped): back to
// the basket, untouched, or to the welcome screen when there is none.
// Errors: ErrNotNow (wrapped) when the kiosk is not checking prices.
func (c *Checkout) EndPriceCheck() error {
	c.mu.Lock()
	if c.state != PriceCheck {
		st := c.state
		c.mu.Unlock()
		return fmt.Errorf("%w: ending a price check in %v", ErrNotNow, st)
	}
	c.endPriceCheckLocked()
	c.mu.Unlock()
	c.notify()
	return nil
}

func (c *Checkout) endPriceCheckLocked() {
	c.priceShown = nil
	if c.basket.Empty() {
		c.fire(EvPriceCheckDone)
	} else {
		c.fire(EvPriceCheckResume)
	}
}

// ScanRead handles one read of the scanner: a price check while the
// kiosk checks prices, an in-store code (s.InStore) into the basket, any
// other code as Scan.
func (c *Checkout) ScanRead(s Scan) {
	switch {
	case c.priceCheckScan(s):
	case s.InStore.Kind != InStoreNone:
		c.scanInStore(s)
	default:
		c.Scan(s.Code)
	}
}

func (c *Checkout) checkingPrices() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state == PriceCheck
}

// priceCheckScan shows the price of s when the kiosk checks prices, and
// reports whether it did (or refused the code there).
func (c *Checkout) priceCheckScan(s Scan) bool {
	if !c.checkingPrices() {
		return false
	}
	info, ok := c.lookupScan(s)
	c.mu.Lock()
	defer func() { c.mu.Unlock(); c.notify() }()
	if c.state != PriceCheck {
		return true // the check ended while the catalog answered
	}
	c.priceShown = nil
	if ok {
		e := c.entry(CodePriceLookup, SubPriceCheck, "price check "+info.GTIN.String()+" "+info.Name)
		e.SaleID, e.Amount = c.saleID, info.Amount
		e.Data = map[string]string{"gtin": info.GTIN.String(), "group": strconv.Itoa(int(info.Group)), "price": info.Price.Decimal()}
		if info.Grams != 0 {
			e.Data["grams"] = strconv.Itoa(info.Grams)
		}
		if info.Code != info.GTIN.Short() {
			e.Data["code"] = info.Code
		}
		markTraining(&e, c.trn.on) // a look-up all the same: counted in X and Z
		c.journal(e)
		c.priceShown = &info
		c.clearNotice()
	}
	c.armTimer() // a second scan gets its own time
	return true
}

// lookupScan finds the price of s. A code that is bad, unknown or refused
// is journaled and put up as a notice, and ok is false.
func (c *Checkout) lookupScan(s Scan) (info PriceInfo, ok bool) {
	if s.InStore.Kind != InStoreNone {
		l, ok := c.inStoreLine(s)
		if !ok {
			return PriceInfo{}, false
		}
		return PriceInfo{GTIN: l.Product.GTIN, Code: s.Code, Name: l.Product.Name, Group: l.Product.Group,
			Price: l.Product.Price, Grams: l.Grams, Amount: l.Goods(), Pant: l.Pant}, true
	}
	g, err := ParseGTIN(s.Code)
	if err != nil {
		c.journal(c.entry(CodeOther, SubScanError, err.Error()))
		c.setNotice(NoticeBadCode, s.Code)
		return PriceInfo{}, false
	}
	p, ok := c.lookup(g, s.Code)
	if !ok {
		return PriceInfo{}, false
	}
	return PriceInfo{GTIN: p.GTIN, Code: s.Code, Name: p.Name, Group: p.Group, Price: p.Price, Amount: p.Price,
		Pant: NewLine(p, 1).Pant, TextOnly: p.Group == GroupTobacco, ByKg: p.Unit == UnitKg}, true
}

// lookup finds g in the catalog, as Scan does: an unknown code is
// journaled as a look-up miss and shown, a store fault shown.
func (c *Checkout) lookup(g GTIN, code string) (Product, bool) {
	p, err := c.d.Catalog.Lookup(c.ctx, g)
	if errors.Is(err, ErrNotFound) {
		e := c.entry(CodePriceLookup, SubLookupMiss, "unknown code "+code)
		e.Data = map[string]string{"code": code}
		c.journal(e)
		c.setNotice(NoticeUnknownCode, code)
		return Product{}, false
	}
	if err != nil {
		c.log.Error("catalog lookup", "code", code, "err", err)
		c.setNotice(NoticeStorageError, "")
		return Product{}, false
	}
	return p, true
}

// inStoreLine makes the basket line of the in-store code s; a code that
// is bad, unknown or names tobacco is journaled and put up as a notice,
// and ok is false.
func (c *Checkout) inStoreLine(s Scan) (Line, bool) {
	v := s.InStore
	if err := v.Validate(); err != nil {
		c.journal(c.entry(CodeOther, SubScanError, err.Error()))
		c.setNotice(NoticeBadCode, s.Code)
		return Line{}, false
	}
	p, ok := c.lookup(v.Item, s.Code)
	if !ok {
		return Line{}, false
	}
	l, err := InStoreLine(p, s.Code, v)
	switch {
	case errors.Is(err, ErrInStoreTobacco):
		e := c.entry(CodeOther, SubInStoreRefused, err.Error())
		e.Data = map[string]string{"code": s.Code, "gtin": p.GTIN.String()}
		c.journal(e)
		c.setNotice(NoticeInStoreTobacco, p.Name)
		return Line{}, false
	case err != nil:
		c.journal(c.entry(CodeOther, SubScanError, err.Error()))
		c.setNotice(NoticeBadCode, s.Code)
		return Line{}, false
	}
	return l, true
}

// scanInStore puts the in-store code s into the basket as a line of its
// own (Basket.AddInStore).
func (c *Checkout) scanInStore(s Scan) {
	l, ok := c.inStoreLine(s)
	if !ok {
		return
	}
	c.mu.Lock()
	staff := c.staff != nil
	c.mu.Unlock()
	if staff {
		c.endStaff("the customer's sale resumed") // as Scan does
	}
	if err := c.addTo(l.Product, func(b *Basket) error { return b.AddInStore(l) }); errors.Is(err, ErrNotNow) {
		c.setNotice(NoticeScanNotNow, l.Product.Name)
	}
}
