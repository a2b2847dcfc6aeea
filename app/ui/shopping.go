package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selvkasse/kiosk"
)

// The Shopping screen is the one redrawn at every scan, so it is built
// once and updated in place (issue 11 item 4: scan to screen within one
// frame): the basket's rows are kept by what they show and only a changed
// or new line is built; the count, the VAT note, the total and the Pay
// button get new text. Rebuilding the whole screen per scan made about
// 350 KB of garbage, and the garbage collections were the tail of scan
// to screen.

// shopScreen is the Shopping screen as built, and what its update
// changes.
type shopScreen struct {
	lang  string // built in; another language builds anew
	help  bool   // a help call was open when built (the Help button is disabled)
	large bool   // built in large text (sizes taken from the theme)
	split bool   // built with long labels on two lines (btext)
	key   bool   // built with the accessibility key in the row of buttons (keyInRow)
	// unknown: built under the unknown barcode's choices
	// (unknownChoicesShown), without the basket's own row of tools.
	unknown bool

	root  fyne.CanvasObject
	count *widget.Label
	lines *fyne.Container
	vat   *widget.Label
	total *widget.Label
	pay   *fyne.Container // the Pay button, there while the basket has lines
	// bottom holds the VAT note and total, then the actions: the
	// buttons on the left and Pay (or a spacer) on the right, a Border
	// rebuilt when Pay comes or goes.
	bottom  *fyne.Container
	buttons fyne.CanvasObject
	payIn   bool
	empty   fyne.CanvasObject
	rows    map[lineKey]shopRow
	// inView lays out the basket's scroll and keeps the newest line's
	// row in view.
	inView *keepInView
}

// shopRow is a basket line's row and the separator under it.
type shopRow struct{ row, sep fyne.CanvasObject }

// lineKey is everything a basket line's row shows and does.
type lineKey struct {
	gtin       kiosk.GTIN
	name       string
	price      kiosk.Money
	pant       kiosk.Money
	qty        int
	restricted bool
	code       kiosk.GTIN // an in-store line's label
	grams      int
	n          int  // the how-manieth line like it: two scans of one label are two rows
	newest     bool // highlighted as just added
}

// Shopping: the basket, its total and what to do next.
func (s *Screen) shopping() fyne.CanvasObject {
	if sh := s.shop; sh == nil || sh.lang != s.lang || sh.help != !s.view.Help.IsZero() || sh.large != s.large || sh.split != s.twoLineLabels() ||
		sh.key != s.keyInRow() || sh.unknown != s.unknownChoicesShown() {
		s.shop = s.newShopScreen()
	}
	s.shop.update(s)
	return s.shop.root
}

func (s *Screen) newShopScreen() *shopScreen {
	sh := &shopScreen{lang: s.lang, help: !s.view.Help.IsZero(), large: s.large, split: s.twoLineLabels(), key: s.keyInRow(),
		unknown: s.unknownChoicesShown(), rows: map[lineKey]shopRow{}}
	sh.count = rightLabel("", theme.SizeNameText, false)
	// The basket's tools: check a price, search by name, take the last
	// item out. While the unknown barcode's choices are up (a search by
	// name among them) they wait, and the basket has their room: in large
	// text at 1280×800 it showed 0.8 of a line under those choices
	// (TestScreenFitsTheWindow).
	var right fyne.CanvasObject = sh.count
	if !sh.unknown {
		right = container.NewHBox(sh.count, targets(s.priceCheckButton(CustomerTouch), s.searchButton(), s.removeLastButton()))
	}
	top := container.NewBorder(nil, nil, leftLabel(s.t(mBasket), theme.SizeNameSubHeadingText, true), right)
	sh.lines = container.NewVBox()
	sh.empty = body(s.t(mBasketEmpty))
	sh.total = rightLabel("", theme.SizeNameHeadingText, true)
	total := container.NewHBox(container.NewCenter(rightLabel(s.t(mTotal), theme.SizeNameText, false)), sh.total)
	sh.pay = s.payButton().(*fyne.Container)
	buttons := []fyne.CanvasObject{s.cancelButton(), s.helpButton(), s.cabinetButton(CustomerTouch)}
	if sh.key {
		buttons = append(buttons, s.a11yKey(true))
	}
	sh.buttons = targets(buttons...)
	sh.vat = leftLabel("", theme.SizeNameCaptionText, false)
	sh.bottom = container.NewVBox(widget.NewSeparator(), container.NewBorder(nil, nil, sh.vat, total), sh.actions(false))
	top = container.NewVBox(top, atLeast(layout.NewSpacer(), 0, TouchGap-2*theme.Padding()))
	sh.bottom.Objects = append([]fyne.CanvasObject{atLeast(layout.NewSpacer(), 0, TouchGap-2*theme.Padding())}, sh.bottom.Objects...)
	sh.inView = &keepInView{scroll: container.NewVScroll(sh.lines), lines: sh.lines}
	sh.root = container.NewBorder(top, sh.bottom, nil, nil, container.New(sh.inView, sh.inView.scroll))
	return sh
}

// actions is the row of buttons, with Pay on the right or a spacer.
func (sh *shopScreen) actions(pay bool) fyne.CanvasObject {
	sh.payIn = pay
	var right fyne.CanvasObject = layout.NewSpacer()
	if pay {
		right = sh.pay
	}
	return container.NewBorder(nil, nil, sh.buttons, container.NewHBox(atLeast(layout.NewSpacer(), TouchGap, 0), right))
}

// update shows s's view: rows for lines that did not change are kept,
// rows for lines that did are built.
func (sh *shopScreen) update(s *Screen) {
	v := s.view
	sh.count.SetText(itemCount(s.lang, v.Count))
	objs := make([]fyne.CanvasObject, 0, 2*len(v.Lines)+1)
	rows := make(map[lineKey]shopRow, len(v.Lines))
	var seen map[lineKey]int // in-store lines, the only ones that repeat
	var newestRow fyne.CanvasObject
	for _, l := range v.Lines {
		k := lineKey{gtin: l.Product.GTIN, name: l.Product.Name, price: l.Product.Price, pant: l.Pant, qty: l.Qty, restricted: l.Product.Restricted(), code: l.Code, grams: l.Grams,
			newest: l.Product.GTIN == s.added}
		if l.InStore() {
			if seen == nil {
				seen = map[lineKey]int{}
			}
			base := k
			k.n = seen[base]
			seen[base]++
		}
		r, ok := sh.rows[k]
		if !ok {
			r = shopRow{s.basketLine(l), widget.NewSeparator()}
		}
		rows[k] = r
		objs = append(objs, r.row, r.sep)
		if k.newest {
			newestRow = r.row
		}
	}
	if len(v.Lines) == 0 {
		objs = append(objs, sh.empty)
	}
	sh.rows = rows
	sh.lines.Objects = objs
	sh.lines.Refresh()
	// A line the customer just scanned (or scanned once more) is
	// brought into view, and kept there while it is highlighted. A row
	// is kept for as long as its line's key, so another row is another
	// newest line (or none).
	if newestRow != sh.inView.row {
		sh.inView.show(newestRow)
	}
	sh.vat.SetText(s.vatNote())
	sh.total.SetText(v.Total.String())
	sh.pay.Objects[0].(*widget.Button).SetText(s.payText())
	if pay := len(v.Lines) > 0; pay != sh.payIn {
		sh.bottom.Objects[len(sh.bottom.Objects)-1] = sh.actions(pay)
		sh.bottom.Refresh()
	}
}

// keepInView lays out the basket's scroll over all of its place and
// keeps the row it was given wholly in view: in a basket longer than the
// screen a scanned item's line is added at the foot, below the lower
// edge, where the customer would not see it, nor its quantity buttons.
// It moves the basket no further than it must: a row below the view ends
// at its lower edge, one above it (or taller than the view) begins at its
// upper edge. It does so when given the row and at every layout after,
// until given none: the "added" banner comes with the row and makes the
// basket shorter, after the row was first shown. The Shopping screen
// gives it the newest line while that is highlighted; the customer's own
// scrolling is not a layout, so it stands.
type keepInView struct {
	scroll *container.Scroll
	lines  *fyne.Container   // the scroll's content, a VBox
	row    fyne.CanvasObject // to keep in view; nil: none
}

func (k *keepInView) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	k.scroll.Move(fyne.Position{})
	k.scroll.Resize(size)
	k.apply()
}

func (k *keepInView) MinSize([]fyne.CanvasObject) fyne.Size { return k.scroll.MinSize() }

// show keeps row, one of lines' objects, in view from now on; nil: none.
func (k *keepInView) show(row fyne.CanvasObject) {
	k.row = row
	k.apply()
}

func (k *keepInView) apply() {
	view := k.scroll.Size().Height
	if k.row == nil || view <= 0 {
		return
	}
	top := k.row.Position().Y
	bottom := top + k.row.Size().Height
	off := k.scroll.Offset.Y
	if bottom > off+view {
		off = bottom - view
	}
	if top < off {
		off = top
	}
	if off == k.scroll.Offset.Y {
		return
	}
	// The content must be as tall as its rows before the offset is set,
	// or the scroll bounds the offset by its old height. A VBox stacks
	// its objects from the top at their minimum heights, so its height is
	// where its last object ends: no MinSize of every row, which is most
	// of what a scan costs to draw.
	if objs := k.lines.Objects; len(objs) > 0 {
		last := objs[len(objs)-1]
		if h := last.Position().Y + last.Size().Height; k.lines.Size().Height < h {
			k.lines.Resize(fyne.NewSize(max(k.lines.Size().Width, k.scroll.Size().Width), h))
		}
	}
	k.scroll.ScrollToOffset(fyne.NewPos(k.scroll.Offset.X, off))
}
