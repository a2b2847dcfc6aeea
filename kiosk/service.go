package kiosk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// Config is the checkout's configuration.
type Config struct {
	KioskID string // cash register id, unique in the shop; on receipts and in the journal
	Shop    Shop
	System  string // the cash register system's name and version, on X and Z reports
	// SystemID is the system's unique id (the data dir's SYSTEMID,
	// kassasystemlova § 2 f), on X and Z reports under the system's
	// name; "": not printed.
	SystemID string

	IdleWarn       time.Duration // inactivity in Shopping or on the declined screen before the warning (default 60 s)
	IdleTimeout    time.Duration // the warning before the sale is given up (default 30 s, at least MinWarning)
	MaxExtends     int           // how often a customer can ask for more time on the warning in one sale (default and least DefaultExtends)
	ReceiptTime    time.Duration // receipt screen before Idle (default 15 s)
	ReleaseTimeout time.Duration // cabinet open/unopened before staff is called (default 120 s)
	AgeTimeout     time.Duration // an age check nobody answers before the customer is sent back to the basket (default 3 min)
	NoticeTime     time.Duration // a notice on the welcome or basket screen goes after this (default 8 s)
	PrinterPoll    time.Duration // between printer checks while no sale is under way (default 10 s)
	// DiskReserve is the free space below which no sale starts and the
	// kiosk goes out of order with DevDisk (default 32 MiB; the wiring
	// passes the store's own figure, storage.DiskReserve); below half of
	// it no write of a sale is made at all (checkout_disk.go).
	DiskReserve uint64
	DiskPoll    time.Duration // between free-space checks while no sale is under way (default 10 s)
	// TrainingIdle ends training mode by itself once the kiosk stood idle
	// this long (default 15 min; checkout_training.go).
	TrainingIdle time.Duration
	// PriceCheckTime is how long the price-check screen waits for a scan,
	// and shows a price, before it returns (default 20 s).
	PriceCheckTime time.Duration
	// Outlook is the staff screen's stock-out outlook (zero values:
	// DefaultOutlook's; checkout_stock.go).
	Outlook OutlookParams

	Log *slog.Logger // nil: discard
}

func (c *Config) defaults() {
	set := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	set(&c.IdleWarn, 60*time.Second)
	set(&c.IdleTimeout, 30*time.Second)
	set(&c.ReceiptTime, 15*time.Second)
	set(&c.ReleaseTimeout, 120*time.Second)
	set(&c.AgeTimeout, 3*time.Minute)
	set(&c.NoticeTime, 8*time.Second)
	set(&c.PrinterPoll, 10*time.Second)
	set(&c.DiskPoll, 10*time.Second)
	set(&c.TrainingIdle, 15*time.Minute)
	set(&c.PriceCheckTime, 20*time.Second)
	c.timerDefaults() // checkout_timers.go
	if c.DiskReserve == 0 {
		c.DiskReserve = DefaultDiskReserve
	}
	if c.KioskID == "" {
		c.KioskID = "K1"
	}
	if c.Log == nil {
		c.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
}

// Deps are the ports the checkout drives. A port must not call back into
// the Checkout from inside one of its methods: the checkout may hold its
// lock while it calls a port.
type Deps struct {
	Catalog  Catalog
	Sales    SaleStore
	Journal  Journal
	Scanner  Scanner
	Terminal PaymentTerminal
	Printer  Printer
	Cabinet  CabinetLock
	Staff    StaffApproval
	Light    TowerLight  // nil: the kiosk has no intervention light
	Login    *StaffLogin // nil: no staff can log in (every staff action is refused)
	Key      StaffKey    // nil: no key switch to log in with (badges only)
	Disk     Disk        // nil: no free-space guard
	Reports  ReportStore // nil: no X or Z reports from the staff screen
	Clock    Clock
	// Receipts keeps the reprint queue and the copies (checkout_receipt.go);
	// nil: a receipt that did not print is journaled 13030 but never
	// printed later, and no copy can be made.
	Receipts ReceiptStore
	// Returns keeps the returns (checkout_return.go); nil: no returns.
	Returns ReturnStore
	// Stock books goods received and tells the staff screen the stock
	// (checkout_stock.go); nil: no receiving, no stock status.
	Stock StockStore
}

// ErrNotNow is returned by an action that makes no sense in the current
// state (paying with an empty basket, completing an unpaid sale …). Nothing
// changed.
var ErrNotNow = errors.New("kiosk: not possible now")

// Checkout runs the self-checkout: it applies the transition table to what
// the customer, staff and devices do, and performs the effects (journal,
// store, devices). It is safe for concurrent use. Screens read it through
// View and Subscribe.
type Checkout struct {
	cfg Config
	d   Deps
	log *slog.Logger

	mu          sync.Mutex
	ctx         context.Context // from Start; effects run under it
	priceTimer  Timer           // reloads the cabinet list at the next scheduled price (checkout_prices.go)
	state       State
	basket      Basket
	saleID      string
	ageBy       string
	attempt     int
	pending     *PendingSale // payment started and not finished
	cabinet     []Product
	notice      Notice
	arg         string
	receipt     *Document
	receiptN    uint64
	doorsOpen   map[int]bool    // compartments whose door is open
	doorSeen    bool            // a door opened during this release
	unlocked    []int           // compartments the checkout unlocked and has not locked since
	finishing   bool            // finishLocked is confirming to the terminal, unlocked
	staffBusy   bool            // StaffCancel is settling with the terminal, unlocked
	faults      map[string]bool // devices down, by name
	scanWake    chan struct{}   // DeviceOK(DevScanner): read the scanner again now
	printerWake chan struct{}   // CheckPrinter: look at the printer now
	diskWake    chan struct{}   // CheckDisk: look at the free space now
	diskBlind   bool            // Disk.Free failed: logged once, the guard is off until it answers
	paperLow    bool
	payMsg      string
	payMsgEn    string
	stateSince  time.Time // when the state last changed
	ageSince    time.Time // when the age check was asked

	// Staff at the kiosk (checkout_staff.go).
	staff        *staffState
	staffGen     uint64
	helpSince    time.Time         // the customer's call for help; zero: none
	forced       map[int]time.Time // compartments forced open, alarm not yet acknowledged
	doorLeft     time.Time         // a compartment staff opened was left open
	restockTimer Timer
	restockGen   uint64
	compartments []CompartmentState // as last read, for the staff screen
	cabinetErr   string
	countMu      sync.Mutex // today's counts, which the journal updates with or without mu
	today        DayCounts
	todayDate    string          // the day today counts ("2006-01-02", local)
	cancelled    map[string]bool // today's cancelled sales, counted once each
	lightShown   *Signal
	lightErr     string

	// Receipts (checkout_receipt.go).
	lastReceipt uint64 // the kiosk's last receipt number, for the copy
	reprintGen  uint64 // moves on when a receipt is queued (and at start)
	reprintDone uint64 // the reprintGen the queue was last printed empty at
	// unprinted: receipts countToday found concluded but neither printed
	// nor queued (a stop in between), for startReceipts; by receipt
	// number, the sale ID.
	unprinted      map[uint64]string
	lateUnrecorded []uint64 // queued receipts printed whose record failed

	// The customer's words (checkout_words.go).
	words wordsState

	trn training // training mode (checkout_training.go)
	tmr timers   // the warning's countdown and extensions, the payment's abort (checkout_timers.go)

	priceShown *PriceInfo // the price check's last result (checkout_pricecheck.go)

	timer    Timer
	timerGen uint64

	noticeTimer Timer
	noticeSeen  [2]string // notice and arg the timer was armed for
	noticeGen   uint64
	ageStop     context.CancelFunc

	// The basket revision (View.Rev): the lines last published and
	// when they changed.
	rev      uint64
	revAt    time.Time
	revLines []Line

	subMu  sync.Mutex
	subs   map[int]func(View)
	nextID int
	sendMu sync.Mutex
}

// NewCheckout returns a checkout in Idle. Call Start before use.
func NewCheckout(cfg Config, d Deps) *Checkout {
	cfg.defaults()
	if d.Clock == nil {
		d.Clock = SystemClock{}
	}
	return &Checkout{cfg: cfg, d: d, log: cfg.Log, state: Idle, subs: map[int]func(View){}, ctx: context.Background(), scanWake: make(chan struct{}, 1), printerWake: make(chan struct{}, 1), diskWake: make(chan struct{}, 1)}
}

// Config returns the configuration in use (with defaults filled in).
func (c *Checkout) Config() Config { return c.cfg }

// Start journals the application start, loads the cabinet list and
// resolves payments left pending by a crash or power cut: each is completed
// or voided, and journaled either way. A payment whose outcome the
// terminal cannot tell leaves the kiosk in Assistance for staff.
func (c *Checkout) Start(ctx context.Context) error {
	c.mu.Lock()
	c.ctx = ctx
	c.mu.Unlock()
	if _, err := c.d.Journal.Append(ctx, c.entry(CodePOSStart, "", "Selvkasse started")); err != nil {
		return fmt.Errorf("kiosk: journal start: %w", err)
	}
	if err := c.reloadCabinet(ctx); err != nil {
		return err
	}
	if err := c.countToday(ctx); err != nil {
		return fmt.Errorf("kiosk: count today's journal: %w", err)
	}
	if err := c.trainingLeftOn(ctx); err != nil {
		return err
	}
	if err := c.startReceipts(ctx); err != nil {
		return err
	}
	if err := c.d.Cabinet.Lock(ctx); err != nil {
		// Asserted locked at every start; a lock that does not answer is
		// the release's to find out.
		c.log.Warn("cabinet lock at start", "err", err)
	}
	c.refreshCompartments(ctx) // as the lock left them
	pend, err := c.d.Sales.Pending(ctx)
	if err != nil {
		return fmt.Errorf("kiosk: read pending sales: %w", err)
	}
	for _, p := range pend {
		if err := c.recover(ctx, p); err != nil {
			return err
		}
	}
	c.notify()
	return nil
}

// reloadCabinet replaces the cabinet list, never changing the old one in
// place: views share it (View.Cabinet), so a view of a large shop costs
// no copy of its list (garbage that delays scans by the collector).
func (c *Checkout) reloadCabinet(ctx context.Context) error {
	cab, err := c.d.Catalog.Cabinet(ctx)
	if err != nil {
		return fmt.Errorf("kiosk: load cabinet list: %w", err)
	}
	c.mu.Lock()
	c.cabinet = cab
	c.armPriceReloadLocked() // the list again when a scheduled price takes effect (checkout_prices.go)
	c.mu.Unlock()
	return nil
}

// Run reads the scanner, the cabinet door and the staff key switch, and
// watches the receipt printer and the free disk space, until ctx ends.
func (c *Checkout) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	wg.Add(3)
	if c.d.Key != nil && c.d.Login != nil {
		wg.Add(1)
		go func() { defer wg.Done(); c.keyLoop(ctx) }()
	}
	go func() { defer wg.Done(); c.scanLoop(ctx) }()
	go func() { defer wg.Done(); c.doorLoop(ctx) }()
	go func() { defer wg.Done(); c.printerLoop(ctx) }()
	if c.d.Disk != nil {
		wg.Add(1)
		go func() { defer wg.Done(); c.diskLoop(ctx) }()
	}
	wg.Wait()
	return ctx.Err()
}

// View returns a snapshot for the screens.
func (c *Checkout) View() View {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.viewLocked()
}

// revLocked moves the basket revision on when the basket's lines differ
// from those last published. Every change of the basket is made under
// c.mu and followed by notify, which calls it first, so each change
// gets its own revision whatever file made it.
func (c *Checkout) revLocked() {
	if slices.Equal(c.basket.Lines, c.revLines) {
		return
	}
	c.rev++
	c.revAt = c.d.Clock.Now()
	c.revLines = append(c.revLines[:0], c.basket.Lines...)
}

func (c *Checkout) viewLocked() View {
	c.revLocked()
	v := View{
		State: c.state, SaleID: c.saleID,
		Lines: append([]Line(nil), c.basket.Lines...), Count: c.basket.Count(),
		Total: c.basket.Total(), VAT: c.basket.VATAt(c.d.Clock.Now()),
		Cabinet: c.cabinet[:len(c.cabinet):len(c.cabinet)], Notice: c.notice, NoticeArg: c.arg,
		Receipt: c.receipt, ReceiptNo: c.receiptN, DoorOpen: c.doorOpenLocked(), Fault: c.faultText(),
		PaperLow: c.paperLow, PayStatus: c.payMsg, PayStatusEn: c.payMsgEn,
		Help: c.helpSince, Staff: c.staffViewLocked(), Calls: c.callsLocked(), Light: c.signalLocked(),
		Devices: c.devicesLocked(), Compartments: append([]CompartmentState(nil), c.compartments...),
		Today: c.todayCounts(), Rev: c.rev, RevAt: c.revAt, LastReceipt: c.lastReceiptLocked(),
		Training: c.trn.on, PriceCheck: c.priceShown,
	}
	c.timersViewLocked(&v)
	c.wordsViewLocked(&v)
	if c.state == Releasing && c.pending != nil {
		for _, l := range c.pending.Lines {
			if n := l.Product.CompartmentNo(); n > 0 {
				v.Release = append(v.Release, ReleaseItem{Name: l.Product.Name, Qty: l.Qty, Compartment: n})
			}
		}
	}
	return v
}

// Subscribe calls fn with a fresh View after every change, from whatever
// goroutine made it; calls are serialised and never see an older view
// after a newer one. cancel stops the calls.
func (c *Checkout) Subscribe(fn func(View)) (cancel func()) {
	c.subMu.Lock()
	id := c.nextID
	c.nextID++
	c.subs[id] = fn
	c.subMu.Unlock()
	return func() {
		c.subMu.Lock()
		delete(c.subs, id)
		c.subMu.Unlock()
	}
}

func (c *Checkout) notify() {
	c.sendMu.Lock()
	defer c.sendMu.Unlock()
	c.mu.Lock()
	c.revLocked() // stamped before the light and the compartments are looked at
	c.armNoticeLocked()
	staffIn := c.staff != nil && c.staff.phase == StaffSignedIn
	c.mu.Unlock()
	if staffIn {
		c.refreshCompartments(c.ctx)
	}
	c.showSignal()
	v := c.View() // the newest, whoever changed it
	c.subMu.Lock()
	fns := make([]func(View), 0, len(c.subs))
	for _, f := range c.subs {
		fns = append(fns, f)
	}
	c.subMu.Unlock()
	for _, f := range fns {
		f(v)
	}
}

// fire applies e under c.mu. It reports whether the table allowed it.
func (c *Checkout) fire(e Event) bool {
	to, err := Next(c.state, e)
	if err != nil {
		c.log.Debug("event ignored", "state", c.state, "event", e)
		return false
	}
	c.log.Info("checkout", "from", c.state, "event", e, "to", to)
	c.setStateLocked(to)
	c.armTimer()
	if to == Idle && len(c.faults) > 0 {
		c.fire(EvDeviceFault) // a fault that came during the sale
	}
	return true
}

// setStateLocked moves the checkout to s, noting when it got there (the
// assistance queue's "since"). Only fire and the restart's settling,
// which puts a kiosk straight into Assistance, set the state.
func (c *Checkout) setStateLocked(s State) {
	if s != c.state {
		c.stateSince = c.d.Clock.Now()
	}
	c.state = s
}

// armTimer sets the inactivity or screen timer for the current state.
func (c *Checkout) armTimer() {
	c.stopTimerLocked()
	gen := c.timerGen
	var d time.Duration
	var ev Event
	switch c.state {
	case Shopping, PaymentDeclined, TimeoutWarning, AgeCheckPending:
		if c.pausedLocked() {
			return // the customer waits for staff, or staff is at the kiosk
		}
	}
	switch c.state {
	case Shopping, PaymentDeclined:
		d, ev = c.cfg.IdleWarn, EvIdleWarn
	case TimeoutWarning:
		c.armWarningLocked(gen) // counts down each second (checkout_timers.go)
		return
	case Receipt:
		d, ev = c.cfg.ReceiptTime, EvDone
	case Releasing:
		d, ev = c.cfg.ReleaseTimeout, EvReleaseFault
	case AgeCheckPending:
		d, ev = c.cfg.AgeTimeout, EvAgeTimeout
	case PriceCheck:
		d, ev = c.cfg.PriceCheckTime, EvPriceCheckDone
	default:
		return
	}
	c.timer = c.d.Clock.AfterFunc(d, func() { c.timeout(gen, ev) })
}

// stopTimerLocked stops the state's timer; a callback already on its way
// finds the generation moved on and does nothing.
func (c *Checkout) stopTimerLocked() {
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
	c.timerGen++
}

func (c *Checkout) timeout(gen uint64, ev Event) {
	c.mu.Lock()
	if gen != c.timerGen {
		c.mu.Unlock()
		return
	}
	switch ev {
	case EvIdleWarn:
		c.tmr.warnFrom = c.state
		c.fire(ev)
	case EvIdleTimeout:
		if !c.abandonLocked() { // checkout_timers.go
			break
		}
		c.fire(ev)
		c.notice, c.arg = NoticeSaleTimedOut, ""
	case EvDone:
		c.fire(ev)
		c.receipt, c.receiptN = nil, 0
		c.clearNotice()
	case EvReleaseFault:
		if !c.doorOpenLocked() {
			c.relockLocked()
		}
		c.journal(Entry{Code: CodeOther, Subtype: SubAssistance, SaleID: c.saleID,
			Text: "cabinet release timed out; staff called"})
		c.fire(ev)
		c.notice = NoticeCabinetFault
	case EvAgeTimeout:
		// Withdrawn, not refused: nothing is removed, the customer may
		// ask again or call staff.
		c.stopAgeCheckLocked()
		c.journal(Entry{Code: CodeOther, Subtype: SubAssistance, SaleID: c.saleID,
			Text: "age check not answered within " + c.cfg.AgeTimeout.String() + "; back to the basket"})
		c.fire(ev)
		c.notice, c.arg = NoticeAgeTimeout, ""
	case EvPriceCheckDone:
		c.endPriceCheckLocked() // to the basket when there is one
	default:
		c.fire(ev)
	}
	c.mu.Unlock()
	c.notify()
}

func (c *Checkout) clearNotice() { c.notice, c.arg = NoticeNone, "" }

// armNoticeLocked lets a new notice on the welcome or basket screen go
// away after a while, so the next customer does not read the last one's
// message. Notices that explain a screen (declined, assistance) stay.
func (c *Checkout) armNoticeLocked() {
	now := [2]string{c.notice.String(), c.arg}
	if now == c.noticeSeen {
		return
	}
	c.noticeSeen = now
	if c.noticeTimer != nil {
		c.noticeTimer.Stop()
		c.noticeTimer = nil
	}
	if c.notice == NoticeNone || !c.noticeExpiresLocked() {
		return
	}
	c.noticeGen++
	gen := c.noticeGen
	c.noticeTimer = c.d.Clock.AfterFunc(c.cfg.NoticeTime, func() {
		c.mu.Lock()
		if gen != c.noticeGen || !c.noticeExpiresLocked() {
			c.mu.Unlock()
			return
		}
		c.clearNotice()
		c.mu.Unlock()
		c.notify()
	})
}

// noticeExpiresLocked reports whether the notice shown now goes after
// NoticeTime: on the welcome and basket screens, and a scan refused on
// any screen.
func (c *Checkout) noticeExpiresLocked() bool {
	return c.state == Idle || c.state == Shopping || c.notice == NoticeScanNotNow
}

func (c *Checkout) setNotice(n Notice, arg string) {
	c.mu.Lock()
	c.notice, c.arg = n, arg
	c.mu.Unlock()
	c.notify()
}

// entry makes a journal entry stamped with the clock and kiosk.
func (c *Checkout) entry(code Code, sub, text string) Entry {
	return Entry{Code: code, Subtype: sub, Time: c.d.Clock.Now(), Kiosk: c.cfg.KioskID, Text: text}
}

// journal appends e; a failure to journal is a storage fault.
func (c *Checkout) journal(e Entry) { c.journalCtx(c.ctx, e) }

// journalCtx is journal with ctx for the append.
func (c *Checkout) journalCtx(ctx context.Context, e Entry) {
	if e.Time.IsZero() {
		e.Time = c.d.Clock.Now()
	}
	if e.Kiosk == "" {
		e.Kiosk = c.cfg.KioskID
	}
	if _, err := c.d.Journal.Append(ctx, e); err != nil {
		c.log.Error("journal append failed", "code", e.Code, "sub", e.Subtype, "err", err)
		return
	}
	c.count(e)
}

func (c *Checkout) saleEntry(p PendingSale, text string) Entry {
	e := c.entry(CodeCashSale, "", text)
	e.SaleID, e.Amount = p.ID, p.Amount
	if p.AgeCheckBy != "" {
		e.Data = map[string]string{"age_by": p.AgeCheckBy} // who checked the age; never ID data
	}
	markTraining(&e, p.Training)
	return e
}

// Stop journals the application shutdown.
func (c *Checkout) Stop(ctx context.Context) error {
	c.mu.Lock()
	c.stopTimerLocked()
	c.stopAgeCheckLocked()
	c.stopPriceReloadLocked()
	c.mu.Unlock()
	c.endTrainingAtStop(ctx)
	_, err := c.d.Journal.Append(ctx, c.entry(CodePOSStop, "", "Selvkasse stopped"))
	return err
}
