package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"selvkasse/kiosk"
)

// TestTimedBannerKeepsTheListInPlace: a banner that goes by itself (the
// unknown barcode's strip after IdleNoticeTime, "added" after
// ConfirmTime) leaves its room behind on a screen whose lists hang from
// the top, so that a row does not move up under a finger on its way to
// it. Before, the list moved up by the banner's height as the timer
// fired: a tap just then added the row below the one aimed at (seen in
// the demo with the cabinet list open). The banner's coming moves the
// list, once: it answers the customer's own scan or tap.
func TestTimedBannerKeepsTheListInPlace(t *testing.T) {
	d := mustDemo(t)
	goods := cabinetGoods(t, 40)
	isList := func(c fyne.CanvasObject) bool {
		col, ok := c.(*fyne.Container)
		return ok && len(col.Objects) == len(goods)
	}
	cases := []struct {
		name string
		// open shows the screen under test; banner then brings the
		// banner by the customer's scan or tap.
		open, banner func(s *Screen, k *fakeKiosk)
		wait         string // the banner's text
		list         func(s *Screen, w fyne.Window) *container.Scroll
		expiry       time.Duration
	}{{
		name: "unknown barcode over the cabinet list on the welcome screen",
		open: func(s *Screen, k *fakeKiosk) { s.openCabinet(true) },
		banner: func(s *Screen, k *fakeKiosk) {
			v := k.View()
			v.Notice, v.NoticeArg = kiosk.NoticeUnknownCode, "1234567890128"
			k.set(v)
		},
		wait:   "1234567890128",
		list:   func(s *Screen, w fyne.Window) *container.Scroll { return scrollOf(w, isList) },
		expiry: IdleNoticeTime,
	}, {
		name: "added from the cabinet list",
		open: func(s *Screen, k *fakeKiosk) {
			v := d.basketView(kiosk.Line{Product: d.cola, Qty: 1})
			v.Cabinet = goods
			k.set(v)
			s.openCabinet(true)
		},
		banner: func(s *Screen, k *fakeKiosk) {
			p := goods[12]
			s.pickItem(p.GTIN, p.Name)
			v := d.basketView(kiosk.Line{Product: d.cola, Qty: 1}, kiosk.Line{Product: p, Qty: 1})
			v.Rev, v.LastAdded, v.Cabinet = 2, p.GTIN, goods
			k.set(v)
		},
		wait:   tr(LangNorwegian, mAdded, goods[12].Name),
		list:   func(s *Screen, w fyne.Window) *container.Scroll { return scrollOf(w, isList) },
		expiry: ConfirmTime,
	}, {
		name: "added to the basket by a scan",
		open: func(s *Screen, k *fakeKiosk) {
			v := d.basketView(kiosk.Line{Product: d.cola, Qty: 1}, kiosk.Line{Product: d.cigs, Qty: 1})
			v.Rev = 1
			k.set(v)
		},
		banner: func(s *Screen, k *fakeKiosk) {
			v := d.basketView(kiosk.Line{Product: d.cola, Qty: 1}, kiosk.Line{Product: d.cigs, Qty: 1}, kiosk.Line{Product: d.choc, Qty: 1})
			v.Rev, v.LastAdded = 2, d.choc.GTIN
			k.set(v)
		},
		wait:   tr(LangNorwegian, mAdded, d.choc.Name),
		list:   func(s *Screen, w fyne.Window) *container.Scroll { return s.shop.inView.scroll },
		expiry: ConfirmTime,
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			newTestApp(t)
			clk := fakeClock()
			idle := kiosk.View{State: kiosk.Idle, Cabinet: goods}
			k := newFakeKiosk(idle)
			s, w := showScreen(t, k, LangNorwegian, size1280)
			s.SetClock(clk)
			s.Bind()
			c.open(s, k)
			settle(w)
			c.banner(s, k)
			settle(w)
			if !hasText(w, c.wait) {
				t.Fatalf("no banner with %q: the test proves nothing; the screen shows %q", c.wait, texts(w))
			}
			sc := c.list(s, w)
			if sc == nil {
				t.Fatalf("no list on the screen: %q", texts(w))
			}
			at := listPlace(sc)

			clk.Advance(c.expiry)
			settle(w)
			if hasText(w, c.wait) {
				t.Fatalf("the banner outlived %v: %q", c.expiry, texts(w))
			}
			if sc2 := c.list(s, w); sc2 != sc {
				t.Fatalf("the list was built anew when the banner went")
			}
			if now := listPlace(sc); now != at {
				t.Errorf("the list's rows began at y %.0f when the banner was up, and at %.0f once it went by itself", at, now)
			}
			assertFits(t, w)
		})
	}
}

// TestWelcomeScreenLetsTheStripGo: the welcome screen's buttons stand at
// its foot, where a banner above does not move them, and it is what the
// next customer sees: a notice that goes by itself takes its room along.
func TestWelcomeScreenLetsTheStripGo(t *testing.T) {
	d := mustDemo(t)
	newTestApp(t)
	clk := fakeClock()
	v := d.views()[kiosk.Idle]
	k := newFakeKiosk(v)
	s, w := showScreen(t, k, LangNorwegian, size1280)
	s.SetClock(clk)
	s.Bind()
	settle(w)
	btn := findButton(t, w, "Tobakk og snus")
	y := fyne.CurrentApp().Driver().AbsolutePositionForObject(btn).Y
	v.Notice = kiosk.NoticeCancelled
	k.set(v)
	settle(w)
	if !s.bannerBox.Visible() {
		t.Fatal("no notice: the test proves nothing")
	}
	clk.Advance(IdleNoticeTime)
	settle(w)
	if s.bannerBox.Visible() {
		t.Errorf("the welcome screen kept the notice's room after it went: %v", s.bannerBox.Size())
	}
	if now := fyne.CurrentApp().Driver().AbsolutePositionForObject(findButton(t, w, "Tobakk og snus")).Y; now != y {
		t.Errorf("the welcome screen's button moved from y %.0f to %.0f", y, now)
	}
	// Leaving a screen lets its held room go too: the Shopping screen
	// held the "added" banner's, the welcome screen after the sale has
	// none.
	k.set(d.basketView(kiosk.Line{Product: d.cola, Qty: 1}))
	v2 := d.basketView(kiosk.Line{Product: d.cola, Qty: 1}, kiosk.Line{Product: d.choc, Qty: 1})
	v2.Rev, v2.LastAdded = 2, d.choc.GTIN
	k.set(v2)
	clk.Advance(ConfirmTime)
	settle(w)
	if !s.bannerBox.Visible() {
		t.Fatal("the Shopping screen let the \"added\" banner's room go: the test proves nothing")
	}
	k.set(kiosk.View{State: kiosk.Idle, Cabinet: d.cabinet()})
	settle(w)
	if s.bannerBox.Visible() {
		t.Errorf("the welcome screen after a sale shows the Shopping screen's held room")
	}
}

// listPlace is where the first row of the scroll's content is on the
// window: the scroll's place less how far it is scrolled.
func listPlace(sc *container.Scroll) float32 {
	return fyne.CurrentApp().Driver().AbsolutePositionForObject(sc).Y - sc.Offset.Y
}
