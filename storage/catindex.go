package storage

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"time"

	"selvkasse/kiosk"
)

// catIndex is the catalog in memory: every product by GTIN, and the
// order List and Cabinet give (by name, then GTIN). Open loads it once;
// Put and CompleteSale refresh the products they changed from the store
// after their commit, so Lookup, List and Cabinet never read Badger and
// cost nothing proportional to the number of sales. An index that could
// not be loaded or refreshed is dropped (valid false): the catalog calls
// then read Badger, and the next of them loads it again.
//
// It is kept small, since a kiosk holds it for as long as it runs (with
// 100 000 products: about 8.7 MiB, 7.9 before the price version's 8
// bytes, against 18 MiB as a map of
// kiosk.Product; BenchmarkCatalogMemory100k): each product is a catItem
// of 56 bytes in one slice, found by its GTIN's number in a map that holds
// no pointers (the garbage collector never scans it), and the names a load
// read share one string. A product a catItem cannot hold exactly (a GTIN
// not of 14 digits, a minimum age other than 0 or 18, a compartment above
// 255, a product stored under another product's key: none that Put
// accepts) is kept whole in odd. The catalog fields most products leave
// unset (an English name, a deposit, extra barcodes) are kept in info,
// for the products that set them, and each extra barcode in alias; the
// unit and the active flag are flags of the item (catinfo.go).
type catIndex struct {
	mu    sync.RWMutex
	valid bool
	// items are the products; one removed since the load stays, marked
	// gone, until the next load.
	items []catItem
	pos   map[uint64]int32             // a GTIN-14's number → its item
	odd   map[kiosk.GTIN]kiosk.Product // the products a catItem cannot hold
	info  map[uint64]itemInfo          // a GTIN-14's number → its item's rarely set fields
	alias map[uint64]uint64            // an extra barcode's number → its product's GTIN number
	// order and cabinet are the items (all, and those in the cabinet) by
	// name, then GTIN; nil: sort again.
	order, cabinet []int32
}

// catItem is a product in the index.
type catItem struct {
	name        string
	gtin        uint64 // the GTIN-14's digits as a number
	priceFrom   int64  // PriceFrom in Unix nanoseconds; 0: the zero time
	price       int32  // kiosk.Money, øre (a price above 21 million kr goes to odd)
	stock       int32  // Stock (beyond ±2 147 483 647 the product goes to odd)
	group       kiosk.Group
	vat         kiosk.VATRate
	compartment uint8
	flags       itemFlags
	lowStock    uint32 // LowStock (stock.go), in the padding
}

type itemFlags uint8

const (
	itemAdult   itemFlags = 1 << iota // MinAge is kiosk.AdultAge (else 0)
	itemCabinet                       // Cabinet
	itemGone                          // removed from the store since the load
	itemRecount                       // Recount (stock.go)
	itemKg                            // Unit is kiosk.UnitKg (else 0 or UnitPiece: see itemPiece)
	itemOff                           // Inactive: not sold
	itemPiece                         // Unit is kiosk.UnitPiece, given (else 0)
)

// compact returns p as a catItem; ok is false when a catItem cannot hold
// p exactly.
func compact(p kiosk.Product) (it catItem, ok bool) {
	n, ok := gtinNumber(p.GTIN)
	from, err := priceNanos(p.PriceFrom)
	if !ok || (p.MinAge != 0 && p.MinAge != kiosk.AdultAge) || p.Compartment < 0 || p.Compartment > 255 ||
		p.LowStock < 0 || int64(p.LowStock) > 1<<32-1 || err != nil ||
		int64(p.Price) != int64(int32(p.Price)) || int64(p.Stock) != int64(int32(p.Stock)) {
		return catItem{}, false
	}
	it = catItem{name: p.Name, gtin: n, price: int32(p.Price), priceFrom: int64(from), stock: int32(p.Stock), group: p.Group, vat: p.VAT,
		compartment: uint8(p.Compartment), lowStock: uint32(p.LowStock)}
	if p.Recount {
		it.flags |= itemRecount
	}
	if p.MinAge == kiosk.AdultAge {
		it.flags |= itemAdult
	}
	if p.Cabinet {
		it.flags |= itemCabinet
	}
	switch p.Unit {
	case 0:
	case kiosk.UnitPiece:
		it.flags |= itemPiece
	case kiosk.UnitKg:
		it.flags |= itemKg
	default:
		return catItem{}, false
	}
	if p.Inactive {
		it.flags |= itemOff
	}
	return it, true
}

// product is the item as a kiosk.Product with GTIN g, its own GTIN.
func (it *catItem) product(g kiosk.GTIN) kiosk.Product {
	p := kiosk.Product{GTIN: g, Name: it.name, Group: it.group, VAT: it.vat, Price: kiosk.Money(it.price),
		Cabinet: it.flags&itemCabinet != 0, Compartment: int(it.compartment), Stock: int(it.stock),
		LowStock: int(it.lowStock), Recount: it.flags&itemRecount != 0}
	if it.priceFrom != 0 {
		p.PriceFrom = time.Unix(0, it.priceFrom).UTC()
	}
	if it.flags&itemAdult != 0 {
		p.MinAge = kiosk.AdultAge
	}
	switch {
	case it.flags&itemKg != 0:
		p.Unit = kiosk.UnitKg
	case it.flags&itemPiece != 0:
		p.Unit = kiosk.UnitPiece
	}
	p.Inactive = it.flags&itemOff != 0
	return p
}

// gtinNumber reads a GTIN of 14 digits as a number (its check digit is
// not checked); ok is false for anything else.
func gtinNumber(g kiosk.GTIN) (n uint64, ok bool) {
	if len(g) != 14 {
		return 0, false
	}
	for i := 0; i < len(g); i++ {
		c := g[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, true
}

// gtinString is gtinNumber's inverse: the number as 14 digits.
func gtinString(n uint64) kiosk.GTIN {
	var b [14]byte
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return kiosk.GTIN(b[:])
}

// drop empties the index; the next catalog call loads it again. c.mu must
// be held.
func (c *catIndex) drop() {
	c.valid, c.items, c.pos, c.odd, c.order, c.cabinet = false, nil, nil, nil, nil, nil
	c.info, c.alias = nil, nil
}

// replace makes the index n's. c.mu must be held.
func (c *catIndex) replace(n *catIndex) {
	c.valid, c.items, c.pos, c.odd, c.order, c.cabinet = n.valid, n.items, n.pos, n.odd, n.order, n.cabinet
	c.info, c.alias = n.info, n.alias
}

// shareNames makes the items' names substrings of one string, and drops
// the items' spare capacity: for an index just loaded, whose names were
// decoded one by one.
func (c *catIndex) shareNames() {
	n := 0
	for i := range c.items {
		n += len(c.items[i].name)
	}
	var b strings.Builder
	b.Grow(n)
	for i := range c.items {
		b.WriteString(c.items[i].name)
	}
	all, off := b.String(), 0
	for i := range c.items {
		it := &c.items[i]
		it.name, off = all[off:off+len(it.name)], off+len(it.name)
	}
	if cap(c.items) > len(c.items)+len(c.items)/16 {
		c.items = slices.Clone(c.items)
	}
}

// get returns the product with GTIN g.
// An extra barcode finds its product.
func (c *catIndex) get(g kiosk.GTIN) (kiosk.Product, bool) {
	if n, ok := gtinNumber(g); ok {
		if i, had := c.pos[n]; had {
			return c.withInfo(c.items[i].product(g)), true
		}
		if prim, had := c.alias[n]; had {
			if i, had := c.pos[prim]; had {
				return c.withInfo(c.items[i].product(gtinString(prim))), true
			}
			g = gtinString(prim)
		}
	}
	p, ok := c.odd[g]
	return p, ok
}

// set puts p into the index under g, the GTIN of its key in the store.
// c.mu must be held.
func (c *catIndex) set(g kiosk.GTIN, p kiosk.Product) {
	c.unalias(g)
	c.setInfo(g, p)
	it, ok := compact(p)
	if !ok || p.GTIN != g {
		c.remove(g)
		if c.odd == nil {
			c.odd = map[kiosk.GTIN]kiosk.Product{}
		}
		c.odd[g] = p
		c.order, c.cabinet = nil, nil
		return
	}
	if _, had := c.odd[g]; had {
		delete(c.odd, g)
		c.order, c.cabinet = nil, nil
	}
	if c.pos == nil {
		c.pos = map[uint64]int32{}
	}
	i, had := c.pos[it.gtin]
	if !had {
		c.pos[it.gtin] = int32(len(c.items))
		c.items = append(c.items, it)
		c.order, c.cabinet = nil, nil
		return
	}
	old := &c.items[i]
	if old.name == it.name {
		it.name = old.name // keep the loaded one, shared with the others
	} else {
		c.order, c.cabinet = nil, nil
	}
	if old.flags&(itemCabinet|itemOff) != it.flags&(itemCabinet|itemOff) {
		c.order, c.cabinet = nil, nil
	}
	*old = it
}

// remove takes the product with GTIN g out of the index. c.mu must be
// held.
func (c *catIndex) remove(g kiosk.GTIN) {
	c.unalias(g)
	c.setInfo(g, kiosk.Product{})
	if n, ok := gtinNumber(g); ok {
		if i, had := c.pos[n]; had {
			c.items[i] = catItem{flags: itemGone}
			delete(c.pos, n)
			c.order, c.cabinet = nil, nil
		}
	}
	if _, had := c.odd[g]; had {
		delete(c.odd, g)
		c.order, c.cabinet = nil, nil
	}
}

// sorted returns the items keep keeps, by name, then GTIN. c.mu must be
// held.
func (c *catIndex) sorted(keep func(*catItem) bool) []int32 {
	kept := func(it *catItem) bool { return it.flags&itemGone == 0 && keep(it) }
	n := 0
	for i := range c.items {
		if kept(&c.items[i]) {
			n++
		}
	}
	is := make([]int32, 0, n)
	for i := range c.items {
		if kept(&c.items[i]) {
			is = append(is, int32(i))
		}
	}
	slices.SortFunc(is, func(a, b int32) int {
		x, y := &c.items[a], &c.items[b]
		return cmp.Or(strings.Compare(x.name, y.name), cmp.Compare(x.gtin, y.gtin))
	})
	return is
}

// find returns copies of the products whose name match accepts, as
// products(false) gives them and in its order, at most max (max ≤ 0:
// all): only the matches are copied.
func (c *catIndex) find(match func(name string) bool, max int) []kiosk.Product {
	return c.collect(false, match, max)
}

// byNameGTIN is the order of List and Cabinet: by name, then GTIN.
func byNameGTIN(a, b kiosk.Product) int {
	return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(string(a.GTIN), string(b.GTIN)))
}

// products returns copies of the products (all, or those in the cabinet)
// by name, then GTIN.
func (c *catIndex) products(cabinet bool) []kiosk.Product { return c.collect(cabinet, nil, 0) }

// collect returns copies of the products (all, or those in the cabinet)
// whose name match accepts (nil: every one), by name, then GTIN, at most
// max (max ≤ 0: all), sorting the order first when a write invalidated
// it. Only the products returned are copied.
func (c *catIndex) collect(cabinet bool, match func(name string) bool, max int) []kiosk.Product {
	c.mu.Lock()
	defer c.mu.Unlock()
	order := &c.order
	keep := func(*catItem) bool { return true }
	if cabinet {
		order = &c.cabinet
		keep = func(it *catItem) bool { return it.flags&itemCabinet != 0 && it.flags&itemOff == 0 }
	}
	if *order == nil {
		*order = c.sorted(keep)
	}
	matches := func(name string) bool { return match == nil || match(name) }
	n := 0
	if match == nil {
		n = len(*order) + len(c.odd)
	}
	ps := make([]kiosk.Product, 0, n)
	for _, i := range *order {
		if max > 0 && len(ps) == max {
			break
		}
		if it := &c.items[i]; matches(it.name) {
			ps = append(ps, c.withInfo(it.product(gtinString(it.gtin))))
		}
	}
	// The odd products go into the order too: the first max of all the
	// products are among the first max of the items' and every odd one.
	odd := false
	for _, p := range c.odd {
		if (!cabinet || p.Cabinet && !p.Inactive) && matches(p.Name) {
			ps, odd = append(ps, p), true
		}
	}
	if odd {
		slices.SortFunc(ps, byNameGTIN)
		if max > 0 && len(ps) > max {
			ps = ps[:max]
		}
	}
	return ps
}
