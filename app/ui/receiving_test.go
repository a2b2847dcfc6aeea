package ui

import (
	"errors"
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"selvkasse/kiosk"
)

// receiveKiosk is a fake kiosk that receives goods.
type receiveKiosk struct{ *fakeKiosk }

func (k receiveKiosk) StaffReceiving(on bool) error {
	return k.record(fmt.Sprintf("StaffReceiving %v", on))
}

func (k receiveKiosk) ReceiveStock(g kiosk.GTIN, qty int) error {
	return k.record(fmt.Sprintf("ReceiveStock %s %d", g.Short(), qty))
}

// receivingView is a clerk signed in at an idle kiosk, with stock st.
func receivingView(d demo, st *kiosk.StaffStock) kiosk.View {
	v := signedIn(d.views()[kiosk.Idle], kiosk.RoleClerk, kiosk.OvReceiveStock, kiosk.OvOpenCompartment, kiosk.OvXReport)
	v.Staff.Stock = st
	return v
}

// Issue 13 item 4: Varemottak on the staff screen: choose it, scan (the
// kiosk shows the product), type the quantity, OK books it; the panel
// stays for the next product; Back closes receiving.
func TestStaffReceiving(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	k := receiveKiosk{newFakeKiosk(receivingView(d, &kiosk.StaffStock{}))}
	s, w := showScreen(t, k, LangNorwegian, size1280)
	s.Bind()
	test.Tap(findButton(t, w, "Varemottak"))
	if !hasText(w, "Skann varen som er mottatt") {
		t.Fatalf("receiving shows %q", texts(w))
	}
	// A code that is no product is said where the staff member looks.
	k.set(receivingView(d, &kiosk.StaffStock{Receiving: true, Unknown: "7039990000991"}))
	if !hasText(w, "Strekkoden 7039990000991 er ingen vare i katalogen. Legg varen inn i katalogen, og skann den igjen.") ||
		!hasText(w, "Skann varen som er mottatt") {
		t.Fatalf("an unknown code while receiving shows %q", texts(w))
	}
	assertFits(t, w)
	cola := d.cola
	k.set(receivingView(d, &kiosk.StaffStock{Receiving: true, Scanned: &cola}))
	if !hasText(w, "Cola 0,5 l") || !hasText(w, cola.GTIN.Short()+" · på lager nå: 50") || !findButton(t, w, "OK").Disabled() {
		t.Fatalf("the scanned product shows %q", texts(w))
	}
	tapping("0", "2", "4")(t, w) // no leading zero
	if !hasText(w, "24") || findButton(t, w, "OK").Disabled() {
		t.Fatalf("typed: %q", texts(w))
	}
	tapping("Tøm", "1", "2")(t, w)
	assertMarkup(t, "staff_nb_receiving.xml", w)
	assertTouchTargets(t, w)
	assertFits(t, w)
	tapping("OK")(t, w)
	after := cola
	after.Stock = 62
	k.set(receivingView(d, &kiosk.StaffStock{Receiving: true, Received: &after, Qty: 12}))
	if !hasText(w, "Mottatt: 12 × Cola 0,5 l – på lager nå 62") || !hasText(w, "Skann varen som er mottatt") {
		t.Errorf("after OK: %q", texts(w))
	}
	test.Tap(findButton(t, w, "Tilbake"))
	if !hasText(w, "Velg handling") {
		t.Errorf("after Back: %q", texts(w))
	}
	equalCalls(t, k.Calls(), "StaffReceiving true", "ReceiveStock "+cola.GTIN.Short()+" 12", "StaffReceiving false")
}

// A keyboard or keypad wired to the kiosk types the quantity too.
func TestStaffReceivingKeys(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	cola := d.cola
	k := receiveKiosk{newFakeKiosk(receivingView(d, &kiosk.StaffStock{}))}
	s, w := showScreen(t, k, LangNorwegian, size1280)
	s.Bind()
	s.TypedRune('5') // not asking yet: nothing
	test.Tap(findButton(t, w, "Varemottak"))
	k.set(receivingView(d, &kiosk.StaffStock{Receiving: true, Scanned: &cola}))
	for _, r := range "9x" {
		s.TypedRune(r)
	}
	s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
	for _, r := range "36" {
		s.TypedRune(r)
	}
	s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	equalCalls(t, k.Calls(), "StaffReceiving true", "ReceiveStock "+cola.GTIN.Short()+" 36")
}

// A failure to book stays on the panel with the quantity and says so.
func TestStaffReceivingFails(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	cola := d.cola
	k := receiveKiosk{newFakeKiosk(receivingView(d, &kiosk.StaffStock{}))}
	s, w := showScreen(t, k, LangNorwegian, size1280)
	s.Bind()
	test.Tap(findButton(t, w, "Varemottak"))
	k.set(receivingView(d, &kiosk.StaffStock{Receiving: true, Scanned: &cola}))
	k.setErr(errors.New("disk full"))
	tapping("6", "OK")(t, w)
	if !hasText(w, "6") || !hasText(w, "Cola 0,5 l") || !hasText(w, s.t(mStaffFailed)) {
		t.Errorf("after a failure: %q", texts(w))
	}
}

// Without a kiosk that receives (a fake without it), choosing it says it
// is not possible and stays on the list.
func TestStaffReceivingUnsupported(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	k := newFakeKiosk(receivingView(d, &kiosk.StaffStock{}))
	_, w := showScreen(t, k, LangNorwegian, size1280)
	test.Tap(findButton(t, w, "Varemottak"))
	if !hasText(w, "Velg handling") {
		t.Errorf("shows %q", texts(w))
	}
}

// Issue 13 items 4, 5: the staff screen shows the stock: recounts, low
// stock, the first of the stock-out outlook; while it is read, and when
// it could not be.
func TestStaffStockStatus(t *testing.T) {
	d := mustDemo(t)
	paper, cola := d.paper, d.cola
	paper.Stock, paper.Recount = -2, true
	cola.Stock, cola.LowStock = 4, 6
	status := &kiosk.StockStatus{
		Recount: []kiosk.Product{paper},
		Low:     []kiosk.Product{cola},
		Outlook: []kiosk.OutlookRow{
			{GTIN: paper.GTIN, Name: paper.Name, Stock: -2, Sold: 20, DaysLeft10: 0, Order: 13},
			{GTIN: cola.GTIN, Name: cola.Name, Stock: 4, Sold: 46, DaysLeft10: 24, Order: 12},
		},
	}
	for _, c := range []struct {
		name   string
		lang   string
		st     *kiosk.StaffStock
		want   []string
		golden string
	}{
		{"status", LangNorwegian, &kiosk.StaffStock{Status: status}, []string{
			"Lager", "Tell opp: Dagsavisen (systemet sier -2)", "Lite igjen: Cola 0,5 l – 4 (varsel ved 6)",
			"Går tom innen leveringstiden:", "Dagsavisen – 0,0 dager igjen, bestill 13", "Cola 0,5 l – 2,4 dager igjen, bestill 12"},
			"staff_nb_stock.xml"},
		{"english", LangEnglish, &kiosk.StaffStock{Status: status}, []string{
			"Stock", "Recount: Dagsavisen (the system says -2)", "Running low: Cola 0,5 l – 4 (warning at 6)",
			"Runs out within the lead time:", "Cola 0,5 l – 2.4 days left, order 12"}, ""},
		{"all well", LangNorwegian, &kiosk.StaffStock{Status: &kiosk.StockStatus{}}, []string{"Lager", "Ingenting går tomt."}, ""},
		{"reading", LangNorwegian, &kiosk.StaffStock{}, []string{"Lager", "Leser lageret …"}, ""},
		{"failed", LangNorwegian, &kiosk.StaffStock{Err: "disk"}, []string{"Lageret kunne ikke leses: disk"}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			newTestApp(t)
			_, w := showScreen(t, newFakeKiosk(receivingView(d, c.st)), c.lang, size1280)
			settle(w)
			for _, s := range c.want {
				if !hasText(w, s) {
					t.Errorf("screen does not show %q; it shows %q", s, texts(w))
				}
			}
			if c.golden != "" {
				assertMarkup(t, c.golden, w)
				assertNoMissingText(t, w)
				assertFits(t, w)
			}
		})
	}
	// A shop that imported its catalog without counts: 40 products to
	// recount and 12 running low. The screen names the first five of
	// each, says how many more, and still fits the window.
	var recount, low []kiosk.Product
	for i := range 40 {
		p := paper
		p.Name = fmt.Sprintf("Avis %02d", i)
		recount = append(recount, p)
		if i < 12 {
			c := cola
			c.Name = fmt.Sprintf("Brus %02d", i)
			low = append(low, c)
		}
	}
	newTestApp(t)
	_, w := showScreen(t, newFakeKiosk(receivingView(d, &kiosk.StaffStock{Status: &kiosk.StockStatus{Recount: recount, Low: low}})),
		LangNorwegian, size1280)
	settle(w)
	for _, want := range []string{"Tell opp: Avis 04 (systemet sier -2)", "… og 35 til", "Lite igjen: Brus 04 – 4 (varsel ved 6)", "… og 7 til"} {
		if !hasText(w, want) {
			t.Errorf("screen does not show %q; it shows %q", want, texts(w))
		}
	}
	for _, not := range []string{"Tell opp: Avis 05 (systemet sier -2)", "Lite igjen: Brus 05 – 4 (varsel ved 6)"} {
		if hasText(w, not) {
			t.Errorf("screen shows %q, beyond the first five", not)
		}
	}
	assertFits(t, w)

	// Without a stock store: no stock section.
	newTestApp(t)
	_, w = showScreen(t, newFakeKiosk(receivingView(d, nil)), LangNorwegian, size1280)
	if hasText(w, "Lager") {
		t.Errorf("a stock section without stock: %q", texts(w))
	}
}

// Issue 13 item 5: a cabinet product at no stock says so on the
// customer's tobacco list, in either language, and cannot be chosen.
func TestCabinetSoldOut(t *testing.T) {
	d := mustDemo(t)
	for _, c := range []struct{ lang, open, want string }{
		{LangNorwegian, "Tobakk og snus", "Utsolgt"}, {LangEnglish, "Tobacco and snus", "Sold out"},
	} {
		t.Run(c.lang, func(t *testing.T) {
			newTestApp(t)
			k := newFakeKiosk(d.views()[kiosk.Idle])
			s, w := showScreen(t, k, c.lang, size1280)
			s.Bind()
			test.Tap(findButton(t, w, c.open))
			if !hasText(w, c.want) {
				t.Fatalf("no %q: %q", c.want, texts(w))
			}
			test.Tap(findRow(t, w, d.roll.Name)) // at 0
			equalCalls(t, k.Calls())
		})
	}
}
