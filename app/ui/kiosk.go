package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selvkasse/kiosk"
)

// Kiosk is what the screens drive. *kiosk.Checkout implements it.
//
// View returns the current snapshot. Subscribe registers fn, which is
// called from any goroutine with the new snapshot after each change, until
// the returned cancel is called.
//
// The customer's commands are called on the Fyne goroutine when the
// customer taps a button, so they must return promptly: device work
// happens elsewhere and is reported through Subscribe. A command that does
// not apply in the current state returns an error (wrapping
// kiosk.ErrNoTransition or kiosk.ErrNotNow, or a basket error such as
// kiosk.ErrOutOfStock) and changes nothing; the screen then shows a short
// "that did not work" banner and passes the error to the OnError hook.
//
// The staff commands are reached only from the PIN pad and the staff
// screen, which are shown while View.Staff is set (a badge was read).
// StaffPIN (argon2, tens of milliseconds) and Override (it may ask the
// payment terminal: seconds) are called off the Fyne goroutine;
// StaffCancelLogin and StaffLogout on it.
type Kiosk interface {
	View() kiosk.View
	Subscribe(fn func(kiosk.View)) (cancel func())

	// The customer's.
	Add(g kiosk.GTIN) error // from the cabinet list
	SetQty(g kiosk.GTIN, qty int) error
	Remove(g kiosk.GTIN) error
	Pay() error
	Retry() error
	Cancel() error
	Help() error         // call staff; the customer's screen stays
	WithdrawHelp() error // the customer no longer needs staff
	Touch()              // the customer's activity: any tap, scroll or key on a customer screen (timers.go); never blocks
	FinishReceipt() error

	// Staff's, behind a badge and a PIN.
	StaffPIN(pin string) error
	StaffChoose(id string) error // who logs in, when the key switch opened the log-in
	StaffCancelLogin()
	StaffTouch() // staff is using the PIN pad or the staff screen: their idle time starts again
	StaffLogout()
	Override(o kiosk.Override) error
}

// Screen is the kiosk's touchscreen: one customer screen per checkout
// state, a notice banner, the language toggle and the text-only cabinet
// list; and, while a staff badge was read (View.Staff), the PIN pad or
// the staff screen instead (staff.go). Create it, put Content in a window
// and call Bind. All methods run on the Fyne goroutine.
type Screen struct {
	k        Kiosk
	baseLang string
	lang     string
	onError  func(error)
	onRender func(kiosk.View)

	view         kiosk.View
	rendered     bool
	cabinet      bool // the cabinet list is open
	failed       bool // the customer's last command failed
	askingCancel bool // "cancel the purchase?" is shown

	// The staff screens' own state (staff.go); reset when a log-in
	// starts or ends, or moves from the PIN pad to the staff screen.
	staffLang  string             // staff's language: the default at each log-in
	pin        []byte             // the digits typed on the PIN pad
	staffBusy  bool               // a PIN check or an override is under way
	staffErr   error              // the last staff command's error
	refused    kiosk.OverrideKind // an override the role may not do was pressed
	pick       staffPick          // the override being chosen
	slowRuns   int                // slow staff commands started
	onStaffRun func()             // tests: a slow staff command's result is shown

	root        *fyne.Container
	title       *widget.Label
	headerExtra *fyne.Container // the staff screen's Log out
	langBtn     *widget.Button
	banners     *fyne.Container
	bannerBox   *fyne.Container // banners with padding; hidden when empty and no room is held
	strip       *stripLayout    // bannerBox's layout: the room it holds (show)
	stripOf     stripKey        // the screen the room is held for
	body        *fyne.Container

	shop  *shopScreen // the Shopping screen, updated in place (shopping.go)
	tm    timersUI    // activity, the warning's countdown (timers.go)
	about About       // the system, on the staff screen (about.go)
	keys  keypad      // the keypad focus (focus.go)

	// The customer's access and words (customer.go).
	clock        kiosk.Clock     // the screen's own timers; nil: none
	large        bool            // large text now
	cabRows      cabinetRows     // the cabinet list as last built (cabinetScroll)
	searchRows   searchRows      // the search's results as last built (searchScroll)
	baseLarge    bool            // large text at the start of each sale (config)
	footer       *fyne.Container // the accessibility key, under every customer screen
	langBox      *fyne.Container // the language button's touch size
	noticeGone   bool            // the customer has seen the notice, or it timed out on the welcome screen
	noticeGen    int
	listGen      int
	confirmGen   int
	added        kiosk.GTIN // just added: highlighted and confirmed
	addedName    string
	pickedInList bool   // this sale was started from the cabinet list or the search
	searching    bool   // the search by name is open
	query        []rune // typed into the search
}

// NewScreen builds the customer screen for k in lang ("nb" or "en"; any
// other value means DefaultLang) and renders k's current view. Call it on
// the Fyne goroutine.
func NewScreen(k Kiosk, lang string) *Screen {
	s := &Screen{k: k, baseLang: normLang(lang)}
	s.lang = s.baseLang

	s.title = leftLabel("", theme.SizeNameSubHeadingText, true)
	s.langBtn = widget.NewButton("", func() { s.interacted(); s.toggleLang() })
	s.headerExtra = container.NewHBox()
	s.langBox = container.New(minSizeLayout{min: fyne.NewSize(180, MinTouch)}, s.langBtn, outline())
	header := container.NewStack(
		canvas.NewRectangle(theme.Color(theme.ColorNameHeaderBackground)),
		container.NewPadded(container.NewBorder(nil, nil, nil,
			container.NewHBox(s.headerExtra, s.langBox), s.title)),
	)
	s.banners = container.NewVBox()
	s.strip = &stripLayout{}
	s.bannerBox = container.New(s.strip, container.NewPadded(s.banners))
	s.body = container.NewStack()
	s.footer = container.NewVBox()
	top := container.NewVBox(header, s.bannerBox)
	s.root = container.New(&resizeLayout{inner: layout.NewBorderLayout(top, s.footer, nil, nil), resized: s.resized},
		container.NewPadded(s.body), top, s.footer) // in container.NewBorder's order: drawn under the header
	s.Render(k.View())
	return s
}

// Content is the screen's root object, to be set as the window content.
func (s *Screen) Content() fyne.CanvasObject { return s.root }

// Lang is the language shown now.
func (s *Screen) Lang() string {
	if s.staffPhase() != 0 {
		return s.staffLang
	}
	return s.lang
}

// SetLang switches the customer's language and redraws.
func (s *Screen) SetLang(lang string) {
	s.lang = normLang(lang)
	s.redraw()
}

// SetOnError sets a hook called with the error of every command the
// checkout rejected (for the log). The customer sees only a short,
// translated banner.
func (s *Screen) SetOnError(fn func(error)) { s.onError = fn }

// SetOnRender sets fn, called on the Fyne goroutine after each Render with
// the view just shown (the health endpoint reports what the screen shows,
// and a watchdog can tell the UI loop is alive).
func (s *Screen) SetOnRender(fn func(kiosk.View)) { s.onRender = fn }

// Bind renders k's current view and subscribes to its changes, rendering
// each through fyne.Do. It returns the function that unsubscribes.
func (s *Screen) Bind() (cancel func()) {
	cancel = s.k.Subscribe(func(v kiosk.View) {
		fyne.Do(func() { s.Render(v) })
	})
	s.Render(s.k.View())
	return cancel
}

// Render shows v. It must be called on the Fyne goroutine.
//
// When the state changes, an error banner from the last command goes away,
// the cabinet list closes unless the customer is still shopping, and the
// language goes back to the default when a sale ends (the receipt was
// finished, or the kiosk gave up an abandoned sale), so the next customer
// starts in Norwegian.
func (s *Screen) Render(v kiosk.View) {
	prev, first := s.view.State, !s.rendered
	prevView := s.view
	prevStaff := s.staffPhase()
	s.view, s.rendered = v, true
	s.staffChanged(prevStaff)
	s.noticeChanged(prevView)
	if !first {
		s.watchAdded(prevView)
	}
	if !first && v.State != prev {
		s.failed, s.askingCancel = false, false
		if v.State != kiosk.Shopping && v.State != kiosk.TimeoutWarning {
			s.cabinet = false
		}
		if v.State != kiosk.Shopping && v.State != kiosk.Idle {
			s.searching, s.query = false, nil
		}
		// A list the last customer left open on the welcome screen is
		// not the next one's: it closes when a sale starts by a scan.
		if prev == kiosk.Idle && v.State == kiosk.Shopping && !s.pickedInList {
			s.cabinet, s.searching, s.query = false, false, nil
		}
		if v.State == kiosk.Idle {
			s.pickedInList = false
			s.added, s.addedName = "", ""
		}
		if v.State == kiosk.Idle && (prev == kiosk.Receipt || v.Notice == kiosk.NoticeSaleTimedOut) {
			s.lang = s.baseLang
			s.large = s.baseLarge
		}
	}
	s.redraw()
	if s.onRender != nil {
		s.onRender(v)
	}
}

func (s *Screen) t(m msg, args ...any) string { return tr(s.Lang(), m, args...) }

func (s *Screen) toggleLang() {
	if s.staffPhase() != 0 {
		s.staffLang = otherLang(s.staffLang)
		s.redraw()
		return
	}
	s.SetLang(otherLang(s.lang))
}

// run calls a command and shows whether it failed.
func (s *Screen) run(cmd func() error) {
	err := cmd()
	failed := err != nil
	if failed && s.onError != nil {
		s.onError(err)
	}
	if failed != s.failed {
		s.failed = failed
		s.redraw()
	}
}

func (s *Screen) openCabinet(open bool) {
	s.interacted()
	s.cabinet = open
	s.searching = false
	if open {
		s.armListIdle()
	}
	s.redraw()
}

func (s *Screen) redraw() {
	s.langBtn.SetText(s.t(mLangButton))
	// The theme first: what is built below may take sizes from it (the
	// 18+ badge's text, TestBadgeSizeAfterLargeText).
	s.applyTheme()
	s.redrawFooter()
	if s.staffPhase() != 0 {
		s.redrawStaff()
		return
	}
	s.title.SetText(s.t(mAppTitle))
	s.setHeaderExtra()

	bs := s.trainingBanner()
	if s.failed {
		bs = append(bs, banner(s.t(mActionFailed), theme.ColorNameError, theme.ColorNameForegroundOnError))
	}
	// One message at a time, the newest: a notice (an unknown barcode
	// after a known one, say) takes the place of "added", whose line
	// stays marked in the basket. Both at once, in large text at
	// 1280×800, left the basket no room (TestScreenFitsTheWindow).
	// On PaymentDeclined the notice is the reason, shown in the body.
	if ns := s.noticeBanners(); len(ns) > 0 {
		bs = append(bs, ns...)
	} else if c := s.confirmBanner(); c != nil {
		bs = append(bs, c)
	}
	if !s.view.Help.IsZero() {
		bs = append(bs, s.helpPanel())
	}
	s.show(s.stripKey(), bs, s.build())
	s.hookActivity() // every tap reports the customer's activity (timers.go)
}

// setHeaderExtra puts objs beside the language button (the staff
// screen's Log out); none hides the slot.
func (s *Screen) setHeaderExtra(objs ...fyne.CanvasObject) {
	s.headerExtra.Objects = objs
	if len(objs) == 0 {
		s.headerExtra.Hide()
	} else {
		s.headerExtra.Show()
	}
	s.headerExtra.Refresh()
}

// show puts banners bs (none: the strip is hidden) and body b on the
// screen, and lays the screen out again: a banner that comes or goes
// changes the room left to the body. Fyne's window lays out a container
// whose children's minimum size changed, but in the demo (GL driver) it
// missed the banner's now and then: the body lay under the banner and
// over the footer, the accessibility key over the newest basket line,
// until the banner went (TestBannerMakesRoom). Laying out moves and
// sizes the header, the body and the footer; one whose size did not
// change is not laid out anew.
//
// On a screen that holds it (key, stripKey.holds), a banner that goes
// leaves its room behind: "added" and a notice go by themselves, on
// timers, and the basket or the cabinet list under them would move up as
// a finger came down on a row, and the tap land on the row below
// (TestTimedBannerKeepsTheListInPlace). A banner's coming moves the
// body, once: it answers the customer's scan or tap. Another screen lays
// the strip out afresh.
func (s *Screen) show(key stripKey, bs []fyne.CanvasObject, b fyne.CanvasObject) {
	defer s.refocus()
	defer s.root.Layout.Layout(s.root.Objects, s.root.Size())
	switch {
	case key != s.stripOf || !key.holds():
		s.strip.held = 0
	case s.bannerBox.Visible():
		// The room the strip takes on the screen now: where the body
		// under it is. (Its banners' own height would be measured anew,
		// and a word-wrapped text measured before its last layout is
		// higher than it is shown.)
		s.strip.held = max(s.strip.held, s.bannerBox.Size().Height)
	}
	s.stripOf = key
	s.banners.Objects = bs
	s.banners.Refresh()
	if len(bs) == 0 && s.strip.held == 0 {
		s.bannerBox.Hide()
	} else {
		s.bannerBox.Show()
	}
	if len(s.body.Objects) == 1 && s.body.Objects[0] == b {
		return // updated in place (shopping.go)
	}
	s.body.Objects = []fyne.CanvasObject{b}
	s.body.Refresh()
}

// build makes the customer's body for the current view.
func (s *Screen) build() fyne.CanvasObject {
	v := s.view
	listShown, searchShown := false, false
	defer func() {
		// The next opening starts at the top, built afresh.
		if !listShown {
			s.cabRows = cabinetRows{}
		}
		if !searchShown {
			s.searchRows = searchRows{}
		}
	}()
	if s.askingCancel {
		return s.cancelQuestion()
	}
	if s.searchShown() {
		searchShown = true
		return s.search()
	}
	switch v.State {
	case kiosk.Idle:
		if s.cabinet {
			listShown = true
			return s.cabinetList()
		}
		return s.idle()
	case kiosk.Shopping:
		if s.cabinet {
			listShown = true
			return s.cabinetList()
		}
		return s.shopping()
	case kiosk.TimeoutWarning:
		return s.timeoutWarning()
	case kiosk.AgeCheckPending:
		return s.ageCheck()
	case kiosk.Paying:
		return s.paying()
	case kiosk.PaymentDeclined:
		return s.declined()
	case kiosk.Releasing:
		return s.releasing()
	case kiosk.Receipt:
		return s.receipt()
	case kiosk.Assistance:
		return s.assistance()
	case kiosk.OutOfOrder:
		return s.outOfOrder()
	case kiosk.PriceCheck:
		return s.priceCheck() // pricecheck.go
	}
	// A state this screen does not know: say so rather than show nothing.
	return s.outOfOrder()
}

// stripLayout lays out the banner strip (show): the banners at the top of
// it, and no less high than held.
type stripLayout struct{ held float32 }

func (l *stripLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	m := objs[0].MinSize()
	m.Height = max(m.Height, l.held)
	return m
}

func (l *stripLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	objs[0].Move(fyne.Position{})
	objs[0].Resize(size)
}

// stripKey is a screen as the banner strip's held room knows it (show):
// the screen build shows, in the language, text size and window width it
// is shown in.
type stripKey struct {
	lang  string
	large bool
	width float32 // the window's: a banner's text wraps by it
	state kiosk.State
	// body: which of the state's screens; the Shopping screen with and
	// without the unknown barcode's choices are two, laid out apart
	// (its row of tools waits while they are up).
	body string
}

// holds reports whether the screen keeps a banner's room once the
// banner went. The welcome screen does not: its buttons stand at its
// foot, where the strip above does not move them, and it is what the
// next customer sees. Nor does the staff screen (its banners are
// problems, which go when staff act).
func (k stripKey) holds() bool {
	return k.body != "" && k.body != "staff"
}

// stripKey is the customer's screen, as build picks it.
func (s *Screen) stripKey() stripKey {
	k := stripKey{lang: s.lang, large: s.large, width: s.root.Size().Width, state: s.view.State}
	switch {
	case s.askingCancel:
		k.body = "cancel"
	case s.searchShown():
		k.body = "search"
	case s.cabinet && (k.state == kiosk.Idle || k.state == kiosk.Shopping):
		k.body = "cabinet"
	case k.state == kiosk.Shopping && s.unknownChoicesShown():
		k.body = "shopping, unknown barcode"
	case k.state != kiosk.Idle:
		k.body = k.state.String()
	}
	return k
}

// Buttons shared by several screens.

// helpButton calls staff. While a call is open it is disabled: the help
// panel says staff is coming and offers to withdraw the call.
func (s *Screen) helpButton() fyne.CanvasObject {
	b := tbutton(s.t(mHelp), widget.MediumImportance, 200, PrimaryTouch, func() {
		s.interacted()
		if s.view.Help.IsZero() {
			s.run(s.k.Help)
		}
	})
	if !s.view.Help.IsZero() {
		b.Objects[0].(*widget.Button).Disable()
	}
	return b
}

// helpPanel says the customer's call for help is open, above whatever
// screen they are on (the basket stays), with a way to withdraw it.
func (s *Screen) helpPanel() fyne.CanvasObject {
	withdraw := tbutton(s.t(mHelpWithdraw), widget.MediumImportance, 280, CustomerTouch, func() { s.run(s.k.WithdrawHelp) })
	text := colouredText(s.t(mHelpCalled), theme.ColorNameForegroundOnPrimary, theme.SizeNameText)
	text.Segments[0].(*widget.TextSegment).Style.Alignment = fyne.TextAlignLeading
	return pill(theme.Color(theme.ColorNamePrimary),
		container.NewBorder(nil, nil, nil, container.NewCenter(withdraw), text))
}

// cancelButton cancels the purchase once the customer confirms it (a
// basket is easy to lose by a stray tap); on the "are you still there?"
// warning, which already asked, it cancels at once.
func (s *Screen) cancelButton() fyne.CanvasObject {
	return tbutton(s.btext(s.t(mCancelSale), ""), widget.DangerImportance, 0, PrimaryTouch, func() {
		if s.view.State == kiosk.TimeoutWarning {
			s.run(s.k.Cancel)
			return
		}
		s.askingCancel = true
		s.redraw()
	})
}

// cancelQuestion asks whether to cancel the purchase.
func (s *Screen) cancelQuestion() fyne.CanvasObject {
	back := func() {
		s.askingCancel = false
		s.redraw()
	}
	return bottomed(targetRow(
		tbutton(s.t(mCancelNo), widget.HighImportance, 320, PrimaryTouch, back),
		tbutton(s.t(mCancelYes), widget.DangerImportance, 320, PrimaryTouch, func() {
			s.askingCancel = false
			s.run(s.k.Cancel)
			s.redraw()
		})),
		heading(s.t(mCancelAsk)),
		body(s.t(mCancelAskWhy)),
	)
}

func (s *Screen) cabinetButton(h float32) fyne.CanvasObject {
	return tbutton(s.btext(s.t(mCabinet), ""), widget.MediumImportance, 0, max(h, CustomerTouch), func() { s.openCabinet(true) })
}

func (s *Screen) payButton() fyne.CanvasObject {
	return tbutton(s.payText(), widget.HighImportance, 360, PrimaryTouch, func() { s.run(s.k.Pay) })
}

// Idle: welcome, scan to start, the cabinet list.
func (s *Screen) idle() fyne.CanvasObject {
	return bottomed(targetRow(s.cabinetButton(PrimaryTouch), s.searchButton(), s.priceCheckButton(CustomerTouch), s.helpButton()),
		heading(s.t(mWelcome)),
		subheading(s.t(mScanToStart)),
	)
}

// lineName is a basket line's name, wrapped when long (issue 14:
// "Nordlys Snus Original Portion …"), and its detail in small text (the
// unit price, or a weight label's weight and price per kilo): in a
// column of its own (detail), or under the name where long labels go on
// two lines (btext: large text on a narrow window), so the name keeps
// its words whole beside the line's buttons (detail is then nil).
func (s *Screen) lineName(text, info string) (name, detail fyne.CanvasObject) {
	n := leftLabel(text, theme.SizeNameText, true)
	n.Wrapping = fyne.TextWrapWord
	if !s.twoLineLabels() {
		return n, container.NewCenter(rightLabel(info, theme.SizeNameCaptionText, false))
	}
	d := leftLabel(info, theme.SizeNameCaptionText, false)
	d.Wrapping = fyne.TextWrapWord
	// The detail right under the name: the labels' own padding between
	// them would make the line taller than its buttons.
	return container.New(layout.NewCustomPaddedVBoxLayout(4-2*theme.InnerPadding()), n, d), nil
}

// withPant is a price as the customer reads it ("kr 24,90", "kr 24,90
// per stk."), with the pant charged on top of it when there is any:
// "kr 24,90 per stk. + pant kr 2,00".
func (s *Screen) withPant(price string, pant kiosk.Money) string {
	if pant == 0 {
		return price
	}
	return s.t(mPlusPant, price, pant.String())
}

// vatNote says prices include VAT, and how much VAT per rate.
func (s *Screen) vatNote() string {
	note := s.t(mVATIncluded)
	var rates []string
	for _, l := range s.view.VAT {
		if l.VAT != 0 { // zero-rated goods (newspapers) add nothing
			rates = append(rates, l.Rate.String()+": "+l.VAT.String())
		}
	}
	if len(rates) > 0 {
		note += "\n" + s.t(mVATLine, strings.Join(rates, "; "))
	}
	return note
}

// basketLine is one basket line on one row: 18+ mark, name, unit price,
// − qty +, line total, remove.
func (s *Screen) basketLine(l kiosk.Line) fyne.CanvasObject {
	if l.InStore() {
		return s.inStoreBasketLine(l) // pricecheck.go
	}
	g, qty := l.Product.GTIN, l.Qty
	// The badge column is there on every line, so the names line up.
	left := atLeast(layout.NewSpacer(), 64, 0)
	if l.Product.Restricted() {
		left = atLeast(badge(s.t(mAdult)), 64, 0)
	}
	minus := tbutton("−", widget.MediumImportance, PrimaryTouch, PrimaryTouch, func() {
		s.interacted()
		s.run(func() error { return s.k.SetQty(g, qty-1) })
	})
	plus := tbutton("+", widget.MediumImportance, PrimaryTouch, PrimaryTouch, func() {
		s.interacted()
		s.run(func() error { return s.k.SetQty(g, qty+1) })
	})
	if qty >= kiosk.MaxQty {
		plus.Objects[0].(*widget.Button).Disable()
	}
	count := widget.NewLabelWithStyle(strconv.Itoa(qty), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	// Fjern is a button like the others (issue 14: it looked like text).
	remove := tbutton(s.t(mRemove), widget.MediumImportance, 120, CustomerTouch, func() {
		s.interacted()
		s.run(func() error { return s.k.Remove(g) })
	})
	name, each := s.lineName(l.Product.Name, s.withPant(s.t(mEach, l.Product.Price.String()), l.Pant))
	right := container.NewHBox(
		targets(minus, atLeast(container.NewCenter(count), 64, PrimaryTouch), plus),
		atLeast(container.NewCenter(rightLabel(l.Total().String(), theme.SizeNameText, true)), 180, PrimaryTouch),
		container.NewCenter(remove),
	)
	if each != nil {
		right.Objects = append([]fyne.CanvasObject{each}, right.Objects...)
	}
	row := container.NewBorder(nil, nil, left, right, name)
	if g == s.added {
		return newestMark(row)
	}
	return row
}

// cabinetList is the text-only list of cabinet goods: name and price per
// row, no pictures or logos (tobakksskadeloven § 25). A tap adds one.
func (s *Screen) cabinetList() fyne.CanvasObject {
	v := s.view
	// The title and its two lines close together, as one paragraph (the
	// labels' own padding, above and below each, spaced them as three):
	// in the demo's 1280×800 window the list under them showed about two
	// and a half rows, and under a banner's room (show) one row less.
	top := container.New(layout.NewCustomPaddedVBoxLayout(4-2*theme.InnerPadding()),
		leftLabel(s.t(mCabinet), theme.SizeNameSubHeadingText, true),
		leftLabel(s.t(mCabinetHint), theme.SizeNameText, false),
		leftLabel(s.t(mCabinetNote), theme.SizeNameCaptionText, false))

	var list fyne.CanvasObject
	if len(v.Cabinet) == 0 {
		list = middle(body(s.t(mCabinetEmpty)))
	} else {
		list = s.cabinetScroll(v.Cabinet)
	}

	summary := s.t(mBasketEmpty)
	var pay fyne.CanvasObject = layout.NewSpacer()
	if v.Count > 0 {
		summary = s.t(mInBasket, itemCount(s.lang, v.Count), v.Total.String())
		pay = s.payButton()
	}
	closeList := func(w float32) fyne.CanvasObject {
		return tbutton(s.t(mCabinetClose), widget.MediumImportance, w, CustomerTouch, func() { s.openCabinet(false) })
	}
	sum := leftLabel(summary, theme.SizeNameText, true)
	var row fyne.CanvasObject = container.NewBorder(nil, nil, sum, targets(closeList(240), pay))
	if s.keyInRow() {
		// In a low window the accessibility key joins the buttons, before
		// Pay as on the Shopping screen, and the list has the key's row.
		// The summary goes above the buttons when the row would be wider
		// than the window (large text, with Pay).
		// Before that, the summary says the count alone ("4 varer", as
		// the Shopping screen's corner does), since Pay says the total: a
		// line above the buttons was the list's second row (large text
		// at 1280×800, under the "added" banner).
		buttons := targets(closeList(0), s.a11yKey(true), pay)
		row = container.NewBorder(nil, nil, sum, buttons)
		room := s.root.Size().Width - 4*theme.Padding()
		if row.MinSize().Width > room && v.Count > 0 {
			sum = leftLabel(itemCount(s.lang, v.Count), theme.SizeNameText, true)
			row = container.NewBorder(nil, nil, sum, buttons)
		}
		if row.MinSize().Width > room {
			row = container.NewVBox(sum, container.NewBorder(nil, nil, nil, buttons))
		}
	}
	bottom := container.NewVBox(widget.NewSeparator(), row)
	return container.NewBorder(top, bottom, nil, nil, list)
}

// cabinetRows is the cabinet list's scroll as last built, with its rows.
// While the list stays open and shows the same products (views share
// the catalog's slice) in the same language and text size, a redraw (a
// pick makes two) reuses them: it neither builds every row again (a
// wholesaler's 2 000 tobacco products: about half a second each time in
// the demo) nor scrolls the list back to its top under the customer's
// finger.
type cabinetRows struct {
	goods  []kiosk.Product
	lang   string
	large  bool
	scroll *container.Scroll // of a column of *productRow, one per product
}

func (c *cabinetRows) same(goods []kiosk.Product, lang string, large bool) bool {
	return c.scroll != nil && len(goods) == len(c.goods) && len(goods) > 0 && &goods[0] == &c.goods[0] &&
		lang == c.lang && large == c.large
}

// cabinetScroll is the cabinet list's scroll of product rows: a tap adds
// one. A row whose highlight changed since the last build is made anew,
// in the old one's place and size; the others stay as they are.
func (s *Screen) cabinetScroll(goods []kiosk.Product) *container.Scroll {
	c := &s.cabRows
	if c.same(goods, s.lang, s.large) {
		return s.relight(c.scroll, goods, s.cabinetRow)
	}
	// The rows go into the column at once: Add lays the column out again
	// each time, which made the list's build quadratic (2 000 products
	// took 13 s).
	rows := make([]fyne.CanvasObject, len(goods))
	for i, p := range goods {
		rows[i] = s.cabinetRow(p)
	}
	*c = cabinetRows{goods: goods, lang: s.lang, large: s.large,
		scroll: container.NewVScroll(container.New(gapColumn, rows...))}
	return c.scroll
}

// relight makes anew each row of sc's column (one per product of goods,
// made by row) whose highlight is no longer what was just added, in the
// old row's place and size; the other rows, and the scroll, stay as they
// are. It returns sc.
func (s *Screen) relight(sc *container.Scroll, goods []kiosk.Product, row func(kiosk.Product) *productRow) *container.Scroll {
	rows := sc.Content.(*fyne.Container).Objects
	for i, p := range goods {
		if old := rows[i].(*productRow); old.highlight != (p.GTIN == s.added) {
			r := row(p)
			r.Resize(old.Size())
			r.Move(old.Position())
			rows[i] = r
		}
	}
	return sc
}

// cabinetRow is one product of the cabinet list.
func (s *Screen) cabinetRow(p kiosk.Product) *productRow {
	price := p.Price.String()
	if p.Stock < 1 {
		price = s.t(mSoldOut)
	}
	g, name := p.GTIN, p.Name
	// A tap shows it was taken: the row lights up and the banner says
	// what was added (issue 14: no feedback).
	r := newProductRow(p.Name, price, func() { s.pickItem(g, name) })
	r.customer, r.highlight = true, g == s.added
	if p.Stock < 1 {
		r.Disable()
	}
	return r
}

// AgeCheckPending: staff is coming to check ID.
func (s *Screen) ageCheck() fyne.CanvasObject {
	return bottomed(targetRow(s.cancelButton(), s.helpButton()),
		heading(s.t(mAgeCheckTitle)),
		subheading(s.t(mAgeCheck)),
		body(s.t(mAgeCheckWhy)),
		body(s.t(mTotal)+": "+s.view.Total.String()),
	)
}

// Paying: the terminal has control.
func (s *Screen) paying() fyne.CanvasObject {
	var status fyne.CanvasObject
	// The terminal's prompt in the screen's language only; information,
	// not a box that looks like a button (issue 14).
	if prompt := payPrompt(s.lang, s.view); prompt != "" {
		status = infoLine(theme.InfoIcon(), prompt, theme.SizeNameSubHeadingText)
	}
	return middle(
		subheading(s.t(mToPay)),
		heading(s.view.Total.String()),
		subheading(s.t(mFollowTerminal)),
		status,
		s.payingActions(), // Cancel and Help at once (timers.go)
	)
}

// PaymentDeclined: why, and try again, another card, help or cancel,
// the basket kept.
func (s *Screen) declined() fyne.CanvasObject {
	var reason fyne.CanvasObject
	if n := viewNoticeText(s.lang, s.view); n != "" {
		reason = banner(n, theme.ColorNameWarning, theme.ColorNameForegroundOnWarning)
	}
	return bottomed(s.declinedActions(), // timers.go
		heading(s.t(mDeclinedTitle)),
		reason,
		body(s.t(mTotal)+": "+s.view.Total.String()),
		body(s.t(mDeclinedHint)),
	)
}

// Releasing: the compartments holding the paid goods are unlocked; the
// screen says which to take from which.
func (s *Screen) releasing() fyne.CanvasObject {
	// The door's state is information, not a button (issue 14): a line
	// with an icon when it is closed, a full-width warning strip while
	// it is open.
	door := infoLine(theme.ConfirmIcon(), s.t(mDoorClosed), theme.SizeNameSubHeadingText)
	if s.view.DoorOpen {
		door = banner(s.t(mDoorOpen), theme.ColorNameWarning, theme.ColorNameForegroundOnWarning)
	}
	var items fyne.CanvasObject
	if len(s.view.Release) > 0 {
		list := container.NewVBox()
		for _, it := range s.view.Release {
			text := s.t(mReleaseItemNoComp, it.Qty, it.Name)
			if it.Compartment > 0 {
				text = s.t(mReleaseItem, it.Compartment, it.Qty, it.Name)
			}
			list.Add(leftLabel(text, theme.SizeNameSubHeadingText, it.Compartment > 0))
		}
		items = container.NewCenter(list)
	}
	return middle(
		heading(s.t(mReleasing)),
		items,
		door,
	)
}

// Receipt: thank you, and the receipt as printed.
func (s *Screen) receipt() fyne.CanvasObject {
	v := s.view
	top := container.NewVBox(heading(s.t(mThanks)))
	if v.ReceiptNo > 0 {
		top.Add(subheading(s.t(mReceiptNo, v.ReceiptNo)))
	}
	var doc fyne.CanvasObject
	if v.Receipt != nil {
		text := strings.TrimRight(v.Receipt.PlainText(42), "\n")
		l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		l.SizeName = theme.SizeNameCaptionText
		doc = container.NewVScroll(container.NewHBox(layout.NewSpacer(), paper(l), layout.NewSpacer()))
	} else {
		doc = middle(body(s.t(mReceiptNone)))
	}
	done := targetRow(tbutton(s.t(mDone), widget.HighImportance, 320, PrimaryTouch, func() { s.run(s.k.FinishReceipt) }))
	return container.NewBorder(top, done, nil, nil, doc)
}

// Assistance: the kiosk called staff (a payment it cannot settle, a
// release that failed …). The customer can only wait: whatever staff
// does (resume, cancel, complete) is an override behind a badge and a
// PIN, on the staff screen.
func (s *Screen) assistance() fyne.CanvasObject {
	hint := body(s.t(mAssistStaffHint))
	hint.SizeName = theme.SizeNameCaptionText
	return middle(
		heading(s.t(mAssistTitle)),
		subheading(s.t(mAssistHint)),
		layout.NewSpacer(),
		hint,
	)
}

// OutOfOrder: a device the kiosk needs is faulty.
func (s *Screen) outOfOrder() fyne.CanvasObject {
	var fault fyne.CanvasObject
	if s.view.Fault != "" {
		fault = body(s.t(mFault, deviceNames(s.lang, s.view.Fault)))
	}
	return middle(
		heading(s.t(mOutOfOrder)),
		subheading(s.t(mOutOfOrderHint)),
		fault,
	)
}
