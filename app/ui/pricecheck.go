package ui

// The price check (kiosk checkout_pricecheck.go): a "Check price" button
// on the welcome and basket screens, the screen that shows a scanned
// item's price without adding it, and the basket rows of in-store price
// and weight codes (kiosk instore.go).

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selvkasse/kiosk"
)

// PriceCheckKiosk is what the price check needs of a Kiosk.
// *kiosk.Checkout implements it; without it no "Check price" button is
// shown.
type PriceCheckKiosk interface {
	PriceCheck() error    // the next scans show prices, nothing is added
	EndPriceCheck() error // back to the welcome or basket screen
}

// priceCheckButton is the "Check price" button, h high; nil (left out)
// when the Kiosk has no price check.
func (s *Screen) priceCheckButton(h float32) fyne.CanvasObject {
	pk, ok := s.k.(PriceCheckKiosk)
	if !ok {
		return nil
	}
	return tbutton(s.btext(s.t(mPriceCheck), ""), widget.MediumImportance, 240, h, func() { s.run(pk.PriceCheck) })
}

// priceCheck is the price-check screen: what to do, or the last item
// scanned with its price (per kg and what the weight costs for a weight
// label), and the way back. Tobacco is shown as its name and price only,
// never a picture (tobakksskadeloven § 25); no item is ever shown with
// one here.
func (s *Screen) priceCheck() fyne.CanvasObject {
	v := s.view
	back := mPriceCheckBack
	if len(v.Lines) > 0 {
		back = mPriceCheckBasket
	}
	done := func() error {
		if pk, ok := s.k.(PriceCheckKiosk); ok {
			return pk.EndPriceCheck()
		}
		return nil
	}
	objs := []fyne.CanvasObject{heading(s.t(mPriceCheckTitle))}
	if pc := v.PriceCheck; pc == nil {
		objs = append(objs, subheading(s.t(mPriceCheckScan)), body(s.t(mPriceCheckNote)))
	} else {
		objs = append(objs, label(pc.Name, theme.SizeNameSubHeadingText, true))
		if pc.PerKg() {
			// What the label's weight costs; by its own code, how to buy it.
			weighs := body(s.t(mNoticeSoldByWeight))
			if pc.Grams != 0 {
				weighs = body(s.t(mPriceCheckWeighs, kiosk.FormatKg(pc.Grams), pc.Amount.String()))
			}
			objs = append(objs, label(s.t(mPriceCheckPerKg, pc.Price.Plain()), theme.SizeNameHeadingText, true), weighs)
		} else {
			// The pant on the price's own line: a line more would push
			// the paragraph below out of view at 1280×800.
			objs = append(objs, label(s.withPant(pc.Amount.String(), pc.Pant), theme.SizeNameHeadingText, true))
		}
		// One paragraph, so the price and the way back stay in view.
		note := mPriceCheckNotes
		if pc.TextOnly {
			note = mPriceCheckNotesTobacco
		}
		objs = append(objs, body(s.t(note)))
	}
	row := []fyne.CanvasObject{tbutton(s.t(back), widget.HighImportance, 320, PrimaryTouch, func() { s.run(done) })}
	if s.keyInRow() {
		row = append(row, s.a11yKey(true))
	}
	return bottomed(targetRow(row...), objs...)
}

// inStoreBasketLine is the basket row of a line sold by an in-store
// code: its name, the weight at the price per kg (or the label's price),
// the line's total and remove. Its quantity is the label's, so it has no
// − and +; the line is named by its label (kiosk.Line.Key).
func (s *Screen) inStoreBasketLine(l kiosk.Line) fyne.CanvasObject {
	key := l.Key()
	detail := s.withPant(s.t(mEach, l.Product.Price.String()), l.Pant)
	if l.Grams != 0 {
		detail = s.t(mWeightLine, kiosk.FormatKg(l.Grams), l.Product.Price.Plain())
	}
	// Fjern as on every basket line (issue 14): a button, ≥ 15 mm.
	remove := tbutton(s.t(mRemove), widget.MediumImportance, 120, CustomerTouch, func() {
		s.run(func() error { return s.k.Remove(key) })
	})
	name, info := s.lineName(l.Product.Name, detail)
	if info != nil {
		// The detail in its own column: the name on one line, cut with
		// an ellipsis when it must be, as before.
		name = nameLabel(l.Product.Name, theme.SizeNameText, true)
	}
	right := targets(
		info,
		atLeast(container.NewCenter(rightLabel(l.Total().String(), theme.SizeNameText, true)), 180, CustomerTouch),
		remove,
	)
	return container.NewBorder(nil, nil, atLeast(layout.NewSpacer(), 64, 0), right, name)
}
