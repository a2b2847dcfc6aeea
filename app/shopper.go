package app

// The shopper's additions to the wiring: the price check and in-store
// price and weight codes (kiosk/checkout_pricecheck.go, kiosk/instore.go).

import (
	"selvkasse/devices/scanner"
	"selvkasse/kiosk"
)

func init() {
	subtypeDesc[kiosk.SubInStoreRefused] = "In-store price or weight code refused (tobacco)"
}

// priceCheckTaps are the simulator's taps of the price check:
// `selvkasse sim tap pricecheck` presses "Check price", `tap
// pricecheck-end` the way back.
func priceCheckTaps(co *kiosk.Checkout) map[string]func() error {
	return map[string]func() error{"pricecheck": co.PriceCheck, "pricecheck-end": co.EndPriceCheck}
}

// DemoInStore are the demo's in-store code layouts: weight labels with
// prefix 23 (item 5 digits, grams 5 digits) and price labels with prefix
// 24 (item 5 digits, øre 5 digits), as a shop's scale prints them.
var DemoInStore = []scanner.InStoreLayout{
	{Prefix: "23", ItemDigits: 5, ValueDigits: 5, Value: scanner.ValueWeight},
	{Prefix: "24", ItemDigits: 5, ValueDigits: 5, Value: scanner.ValuePrice},
}

// The demo's in-store goods, catalogued under their label's code with
// the value zeroed (kiosk/instore.go): pick-and-mix sweets at 189,00
// kr/kg (`selvkasse sim scan 2312345004529` is 0,452 kg of it) and fresh
// buns priced by label (`sim scan 2410001024901` is 24,90).
const (
	DemoSweets = "2312345000002"
	DemoBuns   = "2410001000004"
)

func demoInStoreProducts() []kiosk.Product {
	return []kiosk.Product{
		{GTIN: kiosk.MustGTIN(DemoSweets), Name: "Smågodt i løsvekt", Group: kiosk.GroupFood, VAT: kiosk.VAT15, Price: 18900, Stock: 100, Unit: kiosk.UnitKg},
		{GTIN: kiosk.MustGTIN(DemoBuns), Name: "Ferske rundstykker", Group: kiosk.GroupFood, VAT: kiosk.VAT15, Price: 100, Stock: 100},
	}
}

// demoLabels are sample labels of the demo's in-store goods, for the
// simulator's quick-scan list.
var demoLabels = map[kiosk.GTIN]struct{ code, what string }{
	kiosk.MustGTIN(DemoSweets): {"2312345004529", "0,452 kg"},
	kiosk.MustGTIN(DemoBuns):   {"2410001024901", "kr 24,90"},
}

// maxSimQuick bounds the simulator's quick-scan list.
const maxSimQuick = 40

// simQuickProducts is the simulator's quick-scan list: an in-store item
// is scanned by a sample label (its catalog code, with the value zeroed,
// is no label), and left out when the demo has none for it. It holds at
// most maxSimQuick products: the demo run on a shop's data dir with
// 20 000 products spent ten minutes building a row for each before its
// windows opened (and could not be stopped meanwhile); the others are
// scanned by typing their code into the simulator.
func simQuickProducts(ps []kiosk.Product) []kiosk.Product {
	out := make([]kiosk.Product, 0, min(len(ps), maxSimQuick))
	for _, p := range ps {
		if len(out) == maxSimQuick {
			break
		}
		if !kiosk.IsInStore(p.GTIN) {
			out = append(out, p)
			continue
		}
		if l, ok := demoLabels[p.GTIN]; ok {
			p.GTIN, p.Name = kiosk.MustGTIN(l.code), p.Name+" "+l.what
			out = append(out, p)
		}
	}
	return out
}
