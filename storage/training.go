package storage

import "selvkasse/kiosk"

// stockTaken is how many of each product sale s takes from stock: none
// for a training sale (kassasystemforskrifta § 2-8-7: staff practise
// with goods that go back on the shelf; kiosk/checkout_training.go).
func stockTaken(s kiosk.Sale) map[kiosk.GTIN]int {
	qty := map[kiosk.GTIN]int{}
	if s.Training {
		return qty
	}
	for _, l := range s.Lines {
		qty[l.Product.GTIN] += l.Qty
	}
	return qty
}
