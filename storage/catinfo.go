package storage

import "selvkasse/kiosk"

// itemInfo is what a catItem leaves out of a product: the catalog fields
// of issue 13 that most products leave unset. The index keeps one only
// for a product that sets one of them, so a catalog without them costs
// nothing more (BenchmarkCatalogMemory100k).
type itemInfo struct {
	nameEN   string
	deposit  kiosk.Money
	barcodes kiosk.BarcodeList
}

// setInfo keeps p's rarely set fields as g's, and maps each of its extra
// barcodes to g; a product without them has no info. A GTIN not of 14
// digits (a product kept whole in odd) has none either. c.mu must be
// held, and the aliases of g's previous version dropped (unalias).
func (c *catIndex) setInfo(g kiosk.GTIN, p kiosk.Product) {
	n, ok := gtinNumber(g)
	if !ok {
		return
	}
	inf := itemInfo{nameEN: p.NameEN, deposit: p.Deposit, barcodes: p.Barcodes}
	if inf == (itemInfo{}) {
		delete(c.info, n)
		return
	}
	if c.info == nil {
		c.info = map[uint64]itemInfo{}
	}
	c.info[n] = inf
	for _, b := range p.Barcodes.GTINs() {
		if bn, ok := gtinNumber(b); ok {
			if c.alias == nil {
				c.alias = map[uint64]uint64{}
			}
			c.alias[bn] = n
		}
	}
}

// unalias drops the aliases of the extra barcodes the index holds for g.
// c.mu must be held.
func (c *catIndex) unalias(g kiosk.GTIN) {
	n, ok := gtinNumber(g)
	if !ok {
		return
	}
	for _, b := range c.info[n].barcodes.GTINs() {
		if bn, ok := gtinNumber(b); ok && c.alias[bn] == n {
			delete(c.alias, bn)
		}
	}
}

// withInfo is p, made from a catItem, with its rarely set fields.
func (c *catIndex) withInfo(p kiosk.Product) kiosk.Product {
	if n, ok := gtinNumber(p.GTIN); ok {
		if inf, had := c.info[n]; had {
			p.NameEN, p.Deposit, p.Barcodes = inf.nameEN, inf.deposit, inf.barcodes
		}
	}
	return p
}
