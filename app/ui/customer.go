package ui

import (
	"context"
	"image/color"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selvkasse/kiosk"
)

// The customer screen's parts added for issue 14 (items 5 and 6, and the
// faults found trying it as a new customer): the accessibility key and
// large text, touch targets in millimetres with gaps between them, the
// newest basket line, "remove last item", feedback on a tap in the
// cabinet list, the unknown barcode's choices, the search by name, and
// the timers that close what a customer left open.

// Times the screen keeps things on its own (Screen.SetClock).
const (
	// ConfirmTime is how long "added to your basket" and the newest
	// line's highlight stay.
	ConfirmTime = 4 * time.Second
	// ListIdleTime closes the cabinet list or the search nobody touched.
	ListIdleTime = 45 * time.Second
	// IdleNoticeTime hides a notice on the welcome screen (the checkout
	// clears it too, after kiosk.Config.NoticeTime).
	IdleNoticeTime = 10 * time.Second
)

// Finder is implemented by a Kiosk that can search its catalog by name
// (*kiosk.Checkout): the search screen is offered only then. Search
// errors are the catalog's; the screen says the search does not work.
type Finder interface {
	Search(ctx context.Context, q string, max int) ([]kiosk.Product, error)
}

// LastRemover is implemented by a Kiosk that can take the item added
// last out of the basket (*kiosk.Checkout.RemoveLast); the "remove last
// item" button is shown only then.
type LastRemover interface {
	RemoveLast() error
}

var (
	_ Finder      = (*kiosk.Checkout)(nil)
	_ LastRemover = (*kiosk.Checkout)(nil)
)

// searchMax is how many results the search shows.
const searchMax = 20

// SetClock gives the screen the clock its own timers run on: the
// confirmation, the list left open, a notice on the welcome screen.
// Without one (nil, the default) those wait for the next change.
func (s *Screen) SetClock(c kiosk.Clock) {
	s.clock = c
	s.armNotice()
}

// SetLargeText sets the large-text mode the screen starts in and goes
// back to after each sale (config screen.large_text); the customer's
// key toggles it meanwhile.
func (s *Screen) SetLargeText(on bool) {
	s.baseLarge = on
	s.setLarge(on)
}

// LargeText reports whether the large-text mode is on.
func (s *Screen) LargeText() bool { return s.large }

func (s *Screen) setLarge(on bool) {
	if on == s.large {
		return
	}
	s.large = on
	s.redraw()
}

// applyTheme puts the customer's theme on the app: large text only on
// the customer's screens, never on staff's. It is the app's theme, not a
// container.ThemeOverride around the screen: an override must be
// refreshed after every redraw for the widgets built since, and each
// refresh opens a new theme scope whose fonts Fyne loads and caches anew
// (a render in large text took 20 ms, BenchmarkRenderLargeText).
// A change of the app's theme redraws every window once.
func (s *Screen) applyTheme() {
	th := Theme()
	if s.large && s.staffPhase() == 0 {
		th = LargeTheme()
	}
	a := fyne.CurrentApp()
	if a == nil || a.Settings().Theme() == th {
		return
	}
	a.Settings().SetTheme(th)
}

// after runs f on the Fyne goroutine after d, if the screen has a clock.
func (s *Screen) after(d time.Duration, f func()) {
	if s.clock == nil {
		return
	}
	s.clock.AfterFunc(d, func() { fyne.Do(f) })
}

// a11yButton is the accessibility key: large text on or off.
func (s *Screen) a11yButton() fyne.CanvasObject { return s.a11yKey(false) }

// a11yKey is the accessibility key; inRow: in the row of buttons of the
// Shopping screen, the cabinet list or the price check (keyInRow), its
// label on two lines in either text size, so that the row fits a
// 1280-unit window.
func (s *Screen) a11yKey(inRow bool) fyne.CanvasObject {
	text := s.t(mLargeTextOn)
	if s.large {
		text = s.t(mLargeTextOff)
	}
	if inRow {
		text = twoLines(text, "")
	}
	return tbutton(text, widget.MediumImportance, PrimaryTouch, PrimaryTouch, func() {
		s.interacted()
		s.setLarge(!s.large)
	})
}

// interacted is any tap by the customer: a notice on the welcome screen
// has been seen, and a list left open stays a while longer.
func (s *Screen) interacted() {
	if s.view.State == kiosk.Idle && s.view.Notice != kiosk.NoticeNone && !s.noticeGone {
		s.noticeGone = true
		s.redraw()
	}
	if s.cabinet || s.searching {
		s.armListIdle()
	}
}

// armListIdle closes the cabinet list and the search after ListIdleTime
// without a tap.
func (s *Screen) armListIdle() {
	s.listGen++
	gen := s.listGen
	s.after(ListIdleTime, func() {
		if gen != s.listGen || (!s.cabinet && !s.searching) {
			return
		}
		s.cabinet, s.searching, s.query = false, false, nil
		s.redraw()
	})
}

// confirmAdded shows "added to your basket: name" and highlights g for
// ConfirmTime.
func (s *Screen) confirmAdded(g kiosk.GTIN, name string) {
	s.added, s.addedName = g, name
	s.confirmGen++
	gen := s.confirmGen
	s.after(ConfirmTime, func() {
		if gen != s.confirmGen {
			return
		}
		// The highlight goes: the update builds that line's row anew
		// (its key changes), and the basket stays where it was scrolled.
		s.added, s.addedName = "", ""
		s.redraw()
	})
}

// noticeShown reports whether the view's notice is on the screen: not
// once the customer tapped the welcome screen or IdleNoticeTime passed.
func (s *Screen) noticeShown() bool {
	return s.view.Notice != kiosk.NoticeNone && !s.noticeGone
}

// noticeChanged starts a new notice's life on the screen.
func (s *Screen) noticeChanged(prev kiosk.View) {
	v := s.view
	if v.Notice == prev.Notice && v.NoticeArg == prev.NoticeArg && v.State == prev.State {
		return
	}
	s.noticeGone = false
	s.armNotice()
}

// armNotice lets the notice on the welcome screen go after
// IdleNoticeTime.
func (s *Screen) armNotice() {
	v := s.view
	s.noticeGen++
	if v.State != kiosk.Idle || v.Notice == kiosk.NoticeNone || !idleNoticeGoes[v.Notice] {
		return
	}
	gen := s.noticeGen
	s.after(IdleNoticeTime, func() {
		if gen == s.noticeGen && !s.noticeGone {
			s.noticeGone = true
			s.redraw()
		}
	})
}

// idleNoticeGoes are the notices the welcome screen lets go of by
// itself; the others ask for staff and stay while the kiosk shows them.
var idleNoticeGoes = map[kiosk.Notice]bool{
	kiosk.NoticeUnknownCode: true, kiosk.NoticeBadCode: true, kiosk.NoticeOutOfStock: true,
	kiosk.NoticeAgeRefused: true, kiosk.NoticeTooMany: true, kiosk.NoticeSaleTimedOut: true,
	kiosk.NoticeCancelled: true, kiosk.NoticeScanNotNow: true, kiosk.NoticeDeclined: true,
	kiosk.NoticePaymentError: true, kiosk.NoticeAgeTimeout: true,
}

// noticeBanners is the notice as a banner; an unknown barcode comes
// with what the customer can do: try again, search by name, call staff.
func (s *Screen) noticeBanners() []fyne.CanvasObject {
	if s.unknownChoicesShown() {
		return []fyne.CanvasObject{s.unknownChoices()}
	}
	n := viewNoticeText(s.lang, s.view)
	if n == "" || !s.noticeShown() || s.view.State == kiosk.PaymentDeclined {
		return nil
	}
	return []fyne.CanvasObject{banner(n, theme.ColorNameWarning, theme.ColorNameForegroundOnWarning)}
}

// unknownChoicesShown reports whether the banner of an unknown barcode,
// with its choices, is on the screen (noticeBanners).
func (s *Screen) unknownChoicesShown() bool {
	return s.view.Notice == kiosk.NoticeUnknownCode && s.noticeShown() &&
		(s.view.State == kiosk.Idle || s.view.State == kiosk.Shopping)
}

// unknownChoices is the unknown barcode's strip: what it is, and the
// choices.
func (s *Screen) unknownChoices() fyne.CanvasObject {
	choices := []fyne.CanvasObject{
		tbutton(s.t(mRetry), widget.MediumImportance, 0, CustomerTouch, func() {
			s.noticeGone = true
			s.redraw()
		}),
	}
	if _, ok := s.k.(Finder); ok {
		choices = append(choices, tbutton(s.btext(s.t(mSearchByName), ""), widget.MediumImportance, 0, CustomerTouch, s.openSearch))
	}
	if s.view.Help.IsZero() {
		choices = append(choices, tbutton(s.btext(s.t(mCallStaff), ""), widget.MediumImportance, 0, CustomerTouch, func() { s.run(s.k.Help) }))
	}
	// The choices sit in the strip, beside the text, as the help panel's
	// do: the basket keeps its room. Calling staff is one of them, so the
	// text does not say to ask staff (in English, in large text at
	// 1280×800, that took a third line and the basket's last whole line;
	// TestScreenFitsTheWindow).
	n := trArg(s.lang, [2]msg{mUnknownCodeChoices, mUnknownCodeChoicesArg}, s.view.NoticeArg)
	text := colouredText(n, theme.ColorNameForegroundOnWarning, theme.SizeNameText)
	text.Segments[0].(*widget.TextSegment).Style.Alignment = fyne.TextAlignLeading
	return pill(theme.Color(theme.ColorNameWarning),
		container.NewBorder(nil, nil, nil, container.NewCenter(targets(choices...)), text))
}

// confirmBanner says what was just added.
func (s *Screen) confirmBanner() fyne.CanvasObject {
	if s.addedName == "" || (s.view.State != kiosk.Shopping && s.view.State != kiosk.Idle) {
		return nil
	}
	return banner(s.t(mAdded, s.addedName), theme.ColorNameSuccess, theme.ColorNameForegroundOnSuccess)
}

// watchAdded notices an item added since the last view: the newest
// line is highlighted and confirmed.
func (s *Screen) watchAdded(prev kiosk.View) {
	v := s.view
	if v.LastAdded == "" || v.Count <= prev.Count || v.Rev == prev.Rev && v.Count == prev.Count {
		return
	}
	for _, l := range v.Lines {
		if l.Product.GTIN == v.LastAdded {
			s.confirmAdded(l.Product.GTIN, l.Product.Name)
			return
		}
	}
}

// removeLastButton takes the item added last out again.
func (s *Screen) removeLastButton() fyne.CanvasObject {
	r, ok := s.k.(LastRemover)
	if !ok {
		return nil
	}
	return tbutton(s.btext(s.t(mRemoveLast), ""), widget.MediumImportance, 0, CustomerTouch, func() {
		s.interacted()
		s.run(r.RemoveLast)
	})
}

// openSearch shows the search by name.
func (s *Screen) openSearch() {
	s.searching, s.query, s.cabinet = true, nil, false
	s.noticeGone = true
	s.armListIdle()
	s.redraw()
}

// searchShown reports whether build shows the search by name.
func (s *Screen) searchShown() bool {
	if s.staffPhase() != 0 || s.askingCancel || !s.searching || (s.view.State != kiosk.Idle && s.view.State != kiosk.Shopping) {
		return false
	}
	_, ok := s.k.(Finder)
	return ok
}

func (s *Screen) closeSearch() {
	s.searching, s.query = false, nil
	s.redraw()
}

// typeKey adds r to the search ('\b' erases the last letter).
func (s *Screen) typeKey(r rune) {
	if r == '\b' {
		if len(s.query) > 0 {
			s.query = s.query[:len(s.query)-1]
		}
	} else if len(s.query) < 40 {
		s.query = append(s.query, r)
	}
	s.armListIdle()
	s.redraw()
}

// keyRows is the on-screen keyboard's Norwegian layout.
var keyRows = []string{"QWERTYUIOPÅ", "ASDFGHJKLØÆ", "ZXCVBNM"}

// search is the search by name: what was typed, the results as text
// (name and price; tobacco is never shown as a picture, tobakksskadeloven
// § 25), the on-screen keyboard. A result is added with Add, so an
// age-limited item goes through the age check at Pay like a scanned one.
func (s *Screen) search() fyne.CanvasObject {
	q := string(s.query)
	shown := q
	if shown == "" {
		shown = s.t(mSearchHint)
	}
	query := pill(theme.Color(theme.ColorNameInputBackground), leftLabel(shown+"▏", theme.SizeNameSubHeadingText, q != ""))
	var results fyne.CanvasObject = layout.NewSpacer()
	if q != "" {
		found, err := s.k.(Finder).Search(context.Background(), q, searchMax)
		switch {
		case err != nil:
			if s.onError != nil {
				s.onError(err)
			}
			results = container.NewVScroll(body(s.t(mSearchFailed)))
		case len(found) == 0:
			results = container.NewVScroll(body(s.t(mSearchNone)))
		default:
			results = s.searchScroll(q, found)
		}
	}
	note := leftLabel(s.t(mSearchAgeNote), theme.SizeNameCaptionText, false)
	note.Wrapping = fyne.TextWrapWord
	closeKey := tbutton(s.t(mSearchClose), widget.DangerImportance, 0, CustomerTouch, s.closeSearch)
	space := tbutton(s.t(mSearchSpace), widget.MediumImportance, 280, CustomerTouch, func() { s.typeKey(' ') })
	erase := tbutton("⌫ "+s.t(mSearchErase), widget.MediumImportance, 0, CustomerTouch, func() { s.typeKey('\b') })
	// In a window lower than shortHeight the keyboard left the results
	// less than one product (TestSearchRoom). There its other keys have
	// no row of their own: the accessibility key (which stays in the
	// lower half) and erase flank the letters' last row (space there
	// made it wider than the window); space and Close stand at the top
	// right, beside what was typed, with the age note under them; and
	// the title goes into the header (beside the query's hint, in large
	// text, it made the row wider than the window; over it, it took the
	// results' room).
	low := s.lowWindow()
	keys := container.New(gapColumn)
	for i, row := range keyRows {
		var ks []fyne.CanvasObject
		last := low && i == len(keyRows)-1
		if last {
			ks = append(ks, s.a11yKey(true))
		}
		for _, r := range row {
			ks = append(ks, tbutton(string(r), widget.MediumImportance, CustomerTouch, CustomerTouch, func() { s.typeKey(r) }))
		}
		if last {
			ks = append(ks, erase)
		}
		keys.Add(container.NewCenter(targets(ks...)))
	}
	if low {
		s.title.SetText(s.t(mSearchTitle)) // redraw sets the app's title again for every other screen
		// The note 4 units under the buttons: its label's own padding
		// above its text is taken off the gap.
		top := container.New(layout.NewCustomPaddedVBoxLayout(4-theme.InnerPadding()),
			container.NewBorder(nil, nil, nil, targets(space, closeKey), query), note)
		// TouchGap between the results and the keys, as the note made it.
		bottom := container.NewVBox(atLeast(layout.NewSpacer(), 0, TouchGap-2*theme.Padding()), keys)
		return container.NewBorder(top, bottom, nil, nil, results)
	}
	keys.Add(container.NewCenter(targets(s.a11yButton(), closeKey, space, erase)))
	top := container.NewBorder(nil, nil, leftLabel(s.t(mSearchTitle), theme.SizeNameSubHeadingText, true), nil, query)
	return container.NewBorder(top, container.NewVBox(note, keys), nil, nil, results)
}

// lowWindow reports whether the screen is laid out in a window lower
// than shortHeight (resized redraws it when that changes).
func (s *Screen) lowWindow() bool {
	h := s.root.Size().Height
	return h > 0 && h < shortHeight
}

// searchRows is the search's results as last built (searchScroll). While
// the search shows the same query's same products, in the same language
// and text size, a redraw (a pick makes two, "added" going a third)
// keeps them and their scroll, as the cabinet list does (cabinetRows):
// built anew, they began at their top again, and the row just tapped
// went out of view under the finger (TestSearchKeepsItsPlace).
type searchRows struct {
	query  string
	lang   string
	large  bool
	found  []kiosk.Product
	scroll *container.Scroll // of a VBox of *productRow, one per product found
}

func (c *searchRows) same(query string, found []kiosk.Product, lang string, large bool) bool {
	return c.scroll != nil && query == c.query && lang == c.lang && large == c.large &&
		slices.EqualFunc(found, c.found, func(a, b kiosk.Product) bool {
			return a.GTIN == b.GTIN && a.Name == b.Name && a.Price == b.Price && a.Deposit == b.Deposit && a.Restricted() == b.Restricted()
		})
}

// searchScroll is the results of query, found: a tap adds one. A row
// whose highlight changed since the last build is made anew, in its
// place; the others and the scroll stay.
func (s *Screen) searchScroll(query string, found []kiosk.Product) *container.Scroll {
	c := &s.searchRows
	if c.same(query, found, s.lang, s.large) {
		return s.relight(c.scroll, found, s.searchRow)
	}
	rows := make([]fyne.CanvasObject, len(found))
	for i, p := range found {
		rows[i] = s.searchRow(p)
	}
	*c = searchRows{query: query, lang: s.lang, large: s.large, found: found,
		scroll: container.NewVScroll(container.NewVBox(rows...))}
	return c.scroll
}

// searchRow is one product found: its name (tobacco marked 18+) and
// price, text only; lit while just added.
func (s *Screen) searchRow(p kiosk.Product) *productRow {
	g, name := p.GTIN, p.Name
	if p.Restricted() {
		name = s.t(mAdult) + "  " + name
	}
	r := newProductRow(name, s.withPant(p.Price.String(), kiosk.NewLine(p, 1).Pant), func() { s.pickItem(g, p.Name) })
	r.customer = true
	r.highlight = g == s.added
	return r
}

// pickItem adds g from the cabinet list or the search, and shows it was.
func (s *Screen) pickItem(g kiosk.GTIN, name string) {
	s.interacted()
	s.pickedInList = true
	if err := s.k.Add(g); err != nil {
		s.failed = true
		if s.onError != nil {
			s.onError(err)
		}
		s.redraw()
		return
	}
	s.failed = false
	s.confirmAdded(g, name)
	s.redraw()
}

// targets puts touch targets side by side with TouchGap between them.
func targets(objs ...fyne.CanvasObject) *fyne.Container {
	var in []fyne.CanvasObject
	for _, o := range objs {
		if o != nil {
			in = append(in, o)
		}
	}
	return container.New(gapRow, in...)
}

// targetRow centres touch targets side by side, TouchGap apart.
func targetRow(objs ...fyne.CanvasObject) *fyne.Container {
	return container.NewCenter(targets(objs...))
}

// gapBox lays objects out left to right (top to bottom when vertical)
// at their minimum width (height) and the full height (width), gap
// apart.
type gapBox struct {
	gap      float32
	vertical bool
}

var (
	gapRow    = gapBox{gap: TouchGap}
	gapColumn = gapBox{gap: TouchGap, vertical: true}
)

// along and across are a size's two lengths: along the box, across it.
func (g gapBox) along(s fyne.Size) (along, across float32) {
	if g.vertical {
		return s.Height, s.Width
	}
	return s.Width, s.Height
}

func (g gapBox) size(along, across float32) fyne.Size {
	if g.vertical {
		return fyne.NewSize(across, along)
	}
	return fyne.NewSize(along, across)
}

func (g gapBox) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var sum, most float32
	n := 0
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		a, c := g.along(o.MinSize())
		sum += a
		most = max(most, c)
		n++
	}
	if n > 1 {
		sum += g.gap * float32(n-1)
	}
	return g.size(sum, most)
}

func (g gapBox) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	at := float32(0)
	_, across := g.along(size)
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		a, _ := g.along(o.MinSize())
		p := g.size(at, 0)
		o.Move(fyne.NewPos(p.Width, p.Height))
		o.Resize(g.size(a, across))
		at += a + g.gap
	}
}

// infoLine is information, not a control: an icon and text on the
// screen's own background, with no box around it that could pass for a
// button (issue 14: the door indicator and the terminal's prompt looked
// like buttons).
func infoLine(icon fyne.Resource, text string, size fyne.ThemeSizeName) fyne.CanvasObject {
	// Not wrapped: a wrapped label shrinks to a word per line in a
	// centring box, and these are one short line.
	l := widget.NewLabelWithStyle(text, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	l.SizeName = size
	ic := widget.NewIcon(icon)
	return container.NewCenter(container.NewHBox(container.NewCenter(atLeast(ic, 40, 40)), l))
}

// outline is the border every customer button gets, so its shape shows
// against the screen (WCAG 2.x SC 1.4.11: 3:1 for the parts of a
// control); it lies over the button and takes no taps.
func outline() *canvas.Rectangle {
	r := canvas.NewRectangle(color.Transparent)
	r.StrokeColor = colSeparator
	r.StrokeWidth = 2
	r.CornerRadius = 8
	return r
}

// newestMark marks the basket line added last: a pale fill and a bar in
// the primary colour at its left, besides the confirmation banner.
func newestMark(o fyne.CanvasObject) fyne.CanvasObject {
	bg := canvas.NewRectangle(colNewest)
	bar := canvas.NewRectangle(colPrimary)
	return container.NewStack(bg, container.NewBorder(nil, nil, atLeast(bar, 8, 0), nil, o))
}

// customerRow is a customer screen's product row: outlined so it shows
// as something to tap, the name wrapped, pale yellow while just added.
func (r *productRow) customerRow(bg *canvas.Rectangle, name, price *widget.Label) fyne.CanvasObject {
	bg.StrokeColor = colSeparator
	bg.StrokeWidth = 2
	if r.highlight && !r.Disabled() {
		bg.FillColor = colNewest
	}
	name.Wrapping = fyne.TextWrapWord
	return atLeast(container.NewStack(bg, container.NewBorder(nil, nil, nil, price, name)), 0, CustomerTouch)
}

// tbutton is a customer screen's button: button with an outline.
func tbutton(text string, imp widget.Importance, w, h float32, tapped func()) *fyne.Container {
	c := button(text, imp, w, h, tapped)
	c.Add(outline())
	return c
}

// searchButton opens the search by name, when the kiosk can search.
func (s *Screen) searchButton() fyne.CanvasObject {
	if _, ok := s.k.(Finder); !ok {
		return nil
	}
	return tbutton(s.btext(s.t(mSearchByName), ""), widget.MediumImportance, 0, CustomerTouch, s.openSearch)
}

// redrawFooter shows the accessibility key under the customer's
// screens (not the staff screens, nor the search, whose keyboard has
// it), and sizes the language button for the customer or staff.
func (s *Screen) redrawFooter() {
	lang := fyne.NewSize(180, MinTouch)
	if s.staffPhase() == 0 {
		lang = fyne.NewSize(180, CustomerTouch)
	}
	if l := (minSizeLayout{min: lang}); s.langBox.Layout != l {
		s.langBox.Layout = l
		s.langBox.Refresh()
	}
	if s.staffPhase() != 0 || s.searchShown() || s.keyInRow() {
		s.footer.Objects = nil
		s.footer.Hide()
		return
	}
	s.footer.Objects = []fyne.CanvasObject{
		atLeast(layout.NewSpacer(), 0, TouchGap-2*theme.Padding()),
		container.NewHBox(atLeast(layout.NewSpacer(), 0, 0), s.a11yButton(), layout.NewSpacer()),
	}
	s.footer.Show()
	s.footer.Refresh()
}

// bottomed is a screen of text, centred and scrolling if it must (large
// text), over a row of buttons that is always on the screen, in its
// lower part.
func bottomed(actions fyne.CanvasObject, objs ...fyne.CanvasObject) fyne.CanvasObject {
	return container.NewBorder(nil, container.NewVBox(atLeast(layout.NewSpacer(), 0, TouchGap), actions), nil, nil,
		container.NewVScroll(middle(objs...)))
}

// btext is a customer button's label as shown: in large text on a
// narrow window (and on a short one's Shopping screen, twoLineLabels) a
// long one is broken in two lines at the space nearest its middle, never
// inside keep (an amount), so that the Shopping screen's rows of buttons
// fit the demo's 1200-unit window and a 1280×800 one
// (TestNothingOverlaps). Not on a wider one: two lines make a button
// taller than its target size, and the basket shorter. What a button
// says (the keypad's focus, speech) is its label on one line (oneLine).
func (s *Screen) btext(text, keep string) string {
	if !s.twoLineLabels() {
		return text
	}
	return twoLines(text, keep)
}

// twoLines breaks a label of twoLineMin runes or more in two lines at
// the space nearest its middle, never inside keep.
func twoLines(text, keep string) string {
	if utf8.RuneCountInString(text) < twoLineMin {
		return text
	}
	skip0, skip1 := -1, -1
	if keep != "" {
		if i := strings.Index(text, keep); i >= 0 {
			skip0, skip1 = i, i+len(keep)
		}
	}
	mid, best := len(text)/2, -1
	for i := 0; i < len(text); i++ {
		if text[i] != ' ' || i > skip0 && i < skip1 {
			continue
		}
		if best < 0 || abs(i-mid) < abs(best-mid) {
			best = i
		}
	}
	if best < 0 {
		return text
	}
	return text[:best] + "\n" + text[best+1:]
}

// twoLineMin is the length from which btext breaks a label.
const twoLineMin = 12

// narrowWidth is the window width under which btext breaks labels in
// large text: the Shopping screen's rows fit 1920 units on one line and
// did not fit 1280.
const narrowWidth = 1600

// shortHeight is the window height under which the Shopping screen, the
// cabinet list and the price check take the accessibility key into
// their row of buttons instead of under it, in a row of its own: a
// 10-inch panel's 1280×800 window had room for 1.6 basket lines in
// normal text and 1.0 in large text, and in large text under the
// unknown barcode's choices the screen was taller than the window and
// its parts lay over each other; the cabinet list showed 1.1 products
// in large text; the price check's paragraph lay under its scroll's
// edge in large text. The demo's 1200×1100 window and the appliance's
// 1920×1080 panel keep the key's own row.
const shortHeight = 1000

// keyInRow reports whether the accessibility key is in the row of
// buttons at the foot of the Shopping screen, of the cabinet list or of
// the price check: one of them is shown, in a window lower than
// shortHeight. (The price check's paragraph under the price lay under
// its scroll's edge in large text at 1280×800 with the key in a row of
// its own.)
func (s *Screen) keyInRow() bool {
	if !s.lowWindow() || s.staffPhase() != 0 || s.askingCancel || s.searchShown() {
		return false
	}
	return s.view.State == kiosk.Shopping || s.view.State == kiosk.PriceCheck || s.cabinet && s.view.State == kiosk.Idle
}

// resized redraws the screen when its window changed across
// narrowWidth or shortHeight: what is built depends on the window's size
// (twoLineLabels, keyInRow).
func (s *Screen) resized(old, now fyne.Size) {
	kind := func(sz fyne.Size) [2]bool {
		return [2]bool{sz.Width > 0 && sz.Width < narrowWidth, sz.Height > 0 && sz.Height < shortHeight}
	}
	if kind(old) != kind(now) {
		s.redraw()
	}
}

// twoLineLabels reports whether btext breaks long labels: once the
// screen was laid out in a window narrower than narrowWidth, in large
// text, and on the Shopping screen or the cabinet list in a window lower
// than shortHeight (keyInRow), where the row of buttons has one more.
func (s *Screen) twoLineLabels() bool {
	w := s.root.Size().Width
	return (s.large || s.keyInRow()) && w > 0 && w < narrowWidth
}

// payText is the Pay button's label with the total.
func (s *Screen) payText() string {
	total := s.view.Total.String()
	return s.btext(s.t(mPay, total), total)
}

// oneLine is a label broken by btext on one line again.
func oneLine(text string) string { return strings.ReplaceAll(text, "\n", " ") }

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
