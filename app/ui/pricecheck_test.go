package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"selvkasse/kiosk"
)

// priceFake is a recording Kiosk with the price check, as the checkout
// has it.
type priceFake struct{ *fakeKiosk }

func (f priceFake) PriceCheck() error    { return f.record("PriceCheck") }
func (f priceFake) EndPriceCheck() error { return f.record("EndPriceCheck") }

var _ PriceCheckKiosk = priceFake{}

// The checkout is what the binary hands the screens.
var _ PriceCheckKiosk = (*kiosk.Checkout)(nil)

// weighed is the shop's weighed sweets at 189,00 kr/kg, catalogued under
// its label with the weight zeroed, and a label of grams of it.
func weighed(tb testing.TB, grams int) kiosk.Line {
	tb.Helper()
	p := kiosk.Product{GTIN: mustGTIN(tb, "231234500000"), Name: "Smågodt i løsvekt", Group: kiosk.GroupFood, VAT: kiosk.VAT15, Price: 18900}
	body := fmt.Sprintf("2312345%05d", grams)
	l, err := kiosk.InStoreLine(p, body+string(kiosk.CheckDigit(body)), kiosk.InStoreValue{Kind: kiosk.InStoreWeight, Item: p.GTIN, Grams: grams})
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

// TestPriceCheckButton: the welcome and basket screens offer "check
// price" in both languages when the kiosk has it, and a tap starts it.
func TestPriceCheckButton(t *testing.T) {
	d := mustDemo(t)
	for _, lang := range []string{LangNorwegian, LangEnglish} {
		for _, st := range []kiosk.State{kiosk.Idle, kiosk.Shopping} {
			t.Run(lang+"_"+st.String(), func(t *testing.T) {
				newTestApp(t)
				k := priceFake{newFakeKiosk(d.views()[st])}
				_, w := showScreen(t, k, lang, size1280)
				if lang == LangNorwegian && st == kiosk.Idle {
					assertMarkup(t, "screen_nb_idle_pricecheck.xml", w)
				}
				test.Tap(findButton(t, w, tr(lang, mPriceCheck)))
				equalCalls(t, k.waitCalls(t, 1), "PriceCheck")
			})
		}
	}
	t.Run("without", func(t *testing.T) {
		newTestApp(t)
		_, w := showScreen(t, newFakeKiosk(d.views()[kiosk.Idle]), LangNorwegian, size1280)
		if hasText(w, tr(LangNorwegian, mPriceCheck)) {
			t.Error("a check-price button on a kiosk without the price check")
		}
	})
}

// noImages reports whether w shows no picture at all.
func noImages(w fyne.Window) bool {
	for _, o := range visible(w.Canvas().Content()) {
		if _, ok := o.(*canvas.Image); ok {
			return false
		}
	}
	return true
}

// TestPriceCheckScreen: waiting for a scan, then a tobacco product (name
// and price as text, no picture), then a weight label (price per kg and
// what the weight costs); the way back names the basket when there is
// one, and a tap on it ends the check.
func TestPriceCheckScreen(t *testing.T) {
	d := mustDemo(t)
	sweets := weighed(t, 452)
	for _, tc := range []struct {
		name  string
		lang  string
		view  kiosk.View
		want  []string
		back  msg
		extra func(t *testing.T, w fyne.Window)
	}{
		{name: "nb_wait", lang: LangNorwegian, view: kiosk.View{State: kiosk.PriceCheck},
			want: []string{"Sjekk pris", "Skann en vare for å se prisen", "Ingenting legges i kurven."}, back: mPriceCheckBack},
		{name: "nb_tobacco", lang: LangNorwegian, view: func() kiosk.View {
			v := d.shopping()
			v.State = kiosk.PriceCheck
			v.PriceCheck = &kiosk.PriceInfo{GTIN: d.snus.GTIN, Code: d.snus.GTIN.Short(), Name: d.snus.Name, Group: d.snus.Group,
				Price: d.snus.Price, Amount: d.snus.Price, TextOnly: true}
			return v
		}(), want: []string{d.snus.Name, "kr 124,50", "Tobakksvarer vises bare som tekst.", "Skann en ny vare"}, back: mPriceCheckBasket,
			extra: func(t *testing.T, w fyne.Window) {
				if !noImages(w) {
					t.Error("a picture on the price check of tobacco")
				}
				if hasText(w, "Betal") {
					t.Error("the basket's Pay button on the price check")
				}
			}},
		{name: "en_weight", lang: LangEnglish, view: kiosk.View{State: kiosk.PriceCheck, PriceCheck: &kiosk.PriceInfo{
			GTIN: sweets.Product.GTIN, Code: string(sweets.Code)[1:], Name: sweets.Product.Name, Group: kiosk.GroupFood,
			Price: 18900, Grams: 452, Amount: 8543}},
			want: []string{"Smågodt i løsvekt", "189,00 kr/kg", "0,452 kg costs kr 85,43", "Nothing is added to your basket."}, back: mPriceCheckBack},
		// A product sold by the kg, scanned by its own code: per kg, and
		// how to buy it (it was shown as a piece at its price per kg).
		{name: "nb_kg", lang: LangNorwegian, view: kiosk.View{State: kiosk.PriceCheck, PriceCheck: &kiosk.PriceInfo{
			GTIN: sweets.Product.GTIN, Code: sweets.Product.GTIN.Short(), Name: sweets.Product.Name, Group: kiosk.GroupFood,
			Price: 18900, Amount: 18900, ByKg: true}},
			want: []string{"Smågodt i løsvekt", "189,00 kr/kg", "Varen selges etter vekt. Vei den og skann etiketten fra vekten."}, back: mPriceCheckBack,
			extra: func(t *testing.T, w fyne.Window) {
				if hasText(w, "kr 189,00") {
					t.Error("the price per kg shown as a piece's price")
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			newTestApp(t)
			k := priceFake{newFakeKiosk(tc.view)}
			_, w := showScreen(t, k, tc.lang, size1280)
			for _, want := range tc.want {
				if !hasText(w, want) {
					t.Errorf("the price check does not show %q; it shows %q", want, texts(w))
				}
			}
			if tc.extra != nil {
				tc.extra(t, w)
			}
			assertMarkup(t, "pricecheck_"+tc.name+".xml", w)
			test.Tap(findButton(t, w, tr(tc.lang, tc.back)))
			equalCalls(t, k.waitCalls(t, 1), "EndPriceCheck")
		})
	}
}

// TestWeightLinesInBasket: two labels of one weight are two rows, each
// with its weight at the price per kg and its amount, no − or + (the
// quantity is the label's), and Remove names the label.
func TestWeightLinesInBasket(t *testing.T) {
	d := mustDemo(t)
	a, b := weighed(t, 452), weighed(t, 1000)
	for _, lang := range []string{LangNorwegian, LangEnglish} {
		t.Run(lang, func(t *testing.T) {
			newTestApp(t)
			k := priceFake{newFakeKiosk(d.basketView(a, a, b, kiosk.Line{Product: d.cola, Qty: 1}))}
			_, w := showScreen(t, k, lang, size1280)
			detail := tr(lang, mWeightLine, "0,452", "189,00")
			n := 0
			for _, s := range texts(w) {
				if s == detail {
					n++
				}
			}
			if n != 2 {
				t.Errorf("%d rows show %q, want 2; the screen shows %q", n, detail, texts(w))
			}
			if !hasText(w, tr(lang, mWeightLine, "1,000", "189,00")) || !hasText(w, "kr 85,43") || !hasText(w, "kr 189,00") {
				t.Errorf("weight rows: %q", texts(w))
			}
			if !hasText(w, "kr 392,76") { // 2 × 85,43 + 189,00 + 32,90
				t.Errorf("total: %q", texts(w))
			}
			pluses := 0
			for _, s := range texts(w) {
				if s == "+" {
					pluses++
				}
			}
			if pluses != 1 {
				t.Errorf("%d + buttons, want 1 (the cola's)", pluses)
			}
			if lang == LangNorwegian {
				assertMarkup(t, "screen_nb_shopping_weight.xml", w)
			}
			test.Tap(findButton(t, w, tr(lang, mRemove)))
			if c := k.waitCalls(t, 1); c[0] != "Remove "+a.Key().Short() {
				t.Errorf("Remove on the first weight row: %q, want the label %s", c, a.Key().Short())
			}
		})
	}
}

// TestPriceCheckInLargeText: in large text the price check shows its
// heading, the item, its price and the paragraph under them whole, on a
// 1280×800 panel as on the appliance's, for each kind of item, with the
// way back and the accessibility key on the screen. At 1280×800 the
// paragraph lay under the scroll's edge: the accessibility key had a row
// of its own under the way back.
func TestPriceCheckInLargeText(t *testing.T) {
	d := mustDemo(t)
	sweets := weighed(t, 452)
	can := kiosk.PriceInfo{GTIN: mustGTIN(t, "702000000007"), Code: "702000000007", Name: "Solo 0,33 l boks",
		Group: kiosk.GroupSoftDrink, Price: 2490, Amount: 2490, Pant: 200}
	tobacco := kiosk.PriceInfo{GTIN: d.snus.GTIN, Code: d.snus.GTIN.Short(), Name: d.snus.Name, Group: d.snus.Group,
		Price: d.snus.Price, Amount: d.snus.Price, TextOnly: true}
	label := kiosk.PriceInfo{GTIN: sweets.Product.GTIN, Code: string(sweets.Code)[1:], Name: sweets.Product.Name,
		Group: kiosk.GroupFood, Price: 18900, Grams: 452, Amount: 8543}
	byKg := kiosk.PriceInfo{GTIN: sweets.Product.GTIN, Code: sweets.Product.GTIN.Short(), Name: sweets.Product.Name,
		Group: kiosk.GroupFood, Price: 18900, Amount: 18900, ByKg: true}
	panel := fyne.NewSize(float32(DefaultPanel.WidthPx), float32(DefaultPanel.HeightPx))
	for _, tc := range []struct {
		name   string
		pc     *kiosk.PriceInfo
		basket bool
		whole  []msg // shown whole, in the language's words
		texts  []string
	}{
		{"wait", nil, false, []msg{mPriceCheckTitle, mPriceCheckNote}, nil},
		{"pant", &can, false, []msg{mPriceCheckNotes}, []string{"kr 24,90 + "}},
		{"tobacco", &tobacco, true, []msg{mPriceCheckNotesTobacco}, []string{"kr 124,50"}},
		{"label", &label, false, []msg{mPriceCheckNotes}, []string{"189,00 kr/kg"}},
		{"kg", &byKg, false, []msg{mPriceCheckNotes, mNoticeSoldByWeight}, []string{"189,00 kr/kg"}},
	} {
		for _, lang := range []string{LangNorwegian, LangEnglish} {
			for _, size := range []fyne.Size{size1280, panel} {
				t.Run(fmt.Sprintf("%s_%s_%.0fx%.0f", tc.name, lang, size.Width, size.Height), func(t *testing.T) {
					newTestApp(t)
					v := kiosk.View{State: kiosk.PriceCheck, PriceCheck: tc.pc}
					if tc.basket {
						v = d.shopping()
						v.State, v.PriceCheck = kiosk.PriceCheck, tc.pc
					}
					_, w := showScreen(t, priceFake{newFakeKiosk(v)}, lang, size)
					test.Tap(findButton(t, w, tr(lang, mLargeTextOn)))
					settle(w)
					if !hasText(w, tr(lang, mLargeTextOff)) {
						t.Fatalf("large text is not on: %q", texts(w))
					}
					for _, m := range tc.whole {
						assertWhole(t, w, tr(lang, m))
					}
					for _, s := range tc.texts {
						assertWhole(t, w, s)
					}
					if tc.pc != nil {
						assertWhole(t, w, tc.pc.Name)
					}
					assertFits(t, w)
				})
			}
		}
	}
}
