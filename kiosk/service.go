package kiosk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Config is the checkout's configuration.
type Config struct {
	KioskID string // cash register id, unique in the shop; on receipts and in the journal
	Shop    Shop

	IdleWarn       time.Duration // inactivity in Shopping before the warning (default 60 s)
	IdleTimeout    time.Duration // warning (or declined screen) before the sale is given up (default 30 s)
	ReceiptTime    time.Duration // receipt screen before Idle (default 15 s)
	ReleaseTimeout time.Duration // cabinet open/unopened before staff is called (default 120 s)
	NoticeTime     time.Duration // a notice on the welcome or basket screen goes after this (default 8 s)
	PrinterPoll    time.Duration // between printer checks while no sale is under way (default 10 s)

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
	set(&c.NoticeTime, 8*time.Second)
	set(&c.PrinterPoll, 10*time.Second)
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
	Clock    Clock
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
	doorOpen    bool
	doorSeen    bool            // the door opened during this release
	unlocked    bool            // the checkout unlocked the cabinet and has not locked it since
	finishing   bool            // finishLocked is confirming to the terminal, unlocked
	staffBusy   bool            // StaffCancel is settling with the terminal, unlocked
	faults      map[string]bool // devices down, by name
	scanWake    chan struct{}   // DeviceOK(DevScanner): read the scanner again now
	printerWake chan struct{}   // CheckPrinter: look at the printer now
	paperLow    bool
	payMsg      string
	payMsgEn    string

	timer    Timer
	timerGen uint64

	noticeTimer Timer
	noticeSeen  [2]string // notice and arg the timer was armed for
	noticeGen   uint64
	ageStop     context.CancelFunc

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
	return &Checkout{cfg: cfg, d: d, log: cfg.Log, state: Idle, subs: map[int]func(View){}, ctx: context.Background(), scanWake: make(chan struct{}, 1), printerWake: make(chan struct{}, 1)}
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

func (c *Checkout) reloadCabinet(ctx context.Context) error {
	cab, err := c.d.Catalog.Cabinet(ctx)
	if err != nil {
		return fmt.Errorf("kiosk: load cabinet list: %w", err)
	}
	c.mu.Lock()
	c.cabinet = cab
	c.mu.Unlock()
	return nil
}

// recover settles one pending sale found at start.
func (c *Checkout) recover(ctx context.Context, p PendingSale) error {
	req := p.Request()
	c.log.Info("recovering pending sale", "sale", p.ID, "state", p.State)
	switch p.State {
	case PendingReleased:
		// The cabinet was unlocked, or the goods were on the counter: the
		// customer has them and the approval is on record. Keep the money.
		// The terminal is asked first (a new session knows nothing of the
		// approval), then told the goods are out; if it cannot confirm,
		// the journal says so for staff to check against the terminal.
		why := "completed after restart"
		if _, err := c.d.Terminal.Recover(ctx, req); err != nil {
			c.log.Warn("recover after restart", "sale", p.ID, "err", err)
		}
		if err := c.d.Terminal.Confirm(ctx, req, true); errors.Is(err, ErrReversed) {
			c.mu.Lock()
			c.reversedLocked(p, err)
			c.mu.Unlock()
			return nil
		} else if err != nil {
			c.log.Warn("confirm after restart", "sale", p.ID, "err", err)
			why += "; the terminal did not confirm the payment, staff must check it: " + err.Error()
		}
		s, err := c.d.Sales.CompleteSale(ctx, NewSale(p, c.d.Clock.Now()), c.saleEntry(p, why))
		if err != nil {
			return fmt.Errorf("kiosk: complete recovered sale %s: %w", p.ID, err)
		}
		c.log.Info("recovered sale completed", "sale", p.ID, "no", s.No)
		return nil
	case PendingApproved:
		// Approved, but the goods never left the cabinet: reverse.
		return c.reverseAndVoid(ctx, p, "approved before restart, goods not released: payment reversed")
	}
	res, err := c.d.Terminal.Recover(ctx, req)
	switch {
	case err == nil && res.Approved:
		// The approval never reached the journal, so nothing was released
		// and the customer was never told "paid".
		return c.reverseAndVoid(ctx, p, "approved at terminal but not recorded before restart: payment reversed")
	case err == nil:
		return c.void(ctx, p, SubPaymentDeclined, "declined before restart: "+res.Message)
	case errors.Is(err, ErrOutcomeUnknown) || errors.Is(err, ErrDeviceUnavailable):
		c.needStaff(p, "payment outcome unknown after restart; staff must check the terminal: "+err.Error())
		return nil
	default:
		return fmt.Errorf("kiosk: recover payment %s: %w", p.ID, err)
	}
}

// reverseAndVoid reverses an approved payment whose goods were not
// released and voids the sale. When the terminal does not take the
// reversal, the sale stays pending for staff: money taken is never
// written off silently.
func (c *Checkout) reverseAndVoid(ctx context.Context, p PendingSale, why string) error {
	req := p.Request()
	if err := c.d.Terminal.Confirm(ctx, req, false); err != nil {
		c.needStaff(p, "payment approved before restart could not be reversed; staff must check the terminal: "+err.Error())
		return nil
	}
	return c.void(ctx, p, SubSaleCancelled, why)
}

// needStaff leaves p pending and the kiosk in Assistance, journaled.
func (c *Checkout) needStaff(p PendingSale, why string) {
	c.journal(Entry{Code: CodeOther, Subtype: SubPaymentUnknown, SaleID: p.ID, Amount: p.Amount, Text: why})
	c.mu.Lock()
	c.pending = &p
	c.saleID = p.ID
	c.basket = Basket{Lines: append([]Line(nil), p.Lines...)}
	c.state = Assistance
	c.notice, c.arg = NoticeRecoveryPending, p.ID
	c.mu.Unlock()
}

func (c *Checkout) void(ctx context.Context, p PendingSale, sub, why string) error {
	e := c.entry(CodeOther, sub, why)
	e.SaleID, e.Amount = p.ID, p.Amount
	if err := c.d.Sales.VoidPending(ctx, p.ID, e); err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("kiosk: void sale %s: %w", p.ID, err)
	}
	return nil
}

// Run reads the scanner and the cabinet door, and watches the receipt
// printer, until ctx ends.
func (c *Checkout) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); c.scanLoop(ctx) }()
	go func() { defer wg.Done(); c.doorLoop(ctx) }()
	go func() { defer wg.Done(); c.printerLoop(ctx) }()
	wg.Wait()
	return ctx.Err()
}

// DevPrinter, DevScanner and DevTerminal name devices in faults
// (View.Fault, the journal). DevTerminalSetup is a payment terminal that
// answers but is set up wrong (ErrMisconfigured): its line coming back
// does not clear it; a technician does, and the kiosk is restarted.
const (
	DevPrinter       = "receipt printer"
	DevScanner       = "scanner"
	DevTerminal      = "payment terminal"
	DevTerminalSetup = "payment terminal setup"
)

// printerLoop checks the printer before sales start: at once, then every
// PrinterPoll while no sale is under way (a sale checks it before
// payment). A printer that cannot print is a device fault, so no sale
// starts (the kiosk is out of order when idle) until it can again.
func (c *Checkout) printerLoop(ctx context.Context) {
	for ctx.Err() == nil {
		c.mu.Lock()
		st := c.state
		c.mu.Unlock()
		if st == Idle || st == OutOfOrder {
			if c.printerReady() {
				c.DeviceOK(DevPrinter)
			} else if ctx.Err() == nil {
				c.DeviceFault(DevPrinter)
			}
		}
		c.sleepOrWake(ctx, c.cfg.PrinterPoll, c.printerWake)
	}
}

// CheckPrinter asks the printer watch to look now, not at its next poll:
// for when the printer's line came back.
func (c *Checkout) CheckPrinter() {
	select {
	case c.printerWake <- struct{}{}:
	default:
	}
}

func (c *Checkout) scanLoop(ctx context.Context) {
	down := false
	for ctx.Err() == nil {
		s, err := c.d.Scanner.ReadScan(ctx)
		switch {
		case err == nil:
			if down {
				down = false
				c.DeviceOK(DevScanner)
			}
			if s.Staff != "" {
				c.StaffBadge(s.Staff)
			} else {
				c.Scan(s.Code)
			}
		case ctx.Err() != nil:
			return
		case errors.Is(err, ErrBadScan):
			c.journal(c.entry(CodeOther, SubScanError, err.Error()))
			c.setNotice(NoticeBadCode, "")
		case errors.Is(err, ErrDeviceUnavailable):
			if !down {
				down = true
				c.log.Warn("scanner unavailable", "err", err)
				c.DeviceFault(DevScanner)
			}
			c.sleepOrWake(ctx, time.Second, c.scanWake)
		default:
			c.log.Error("scanner", "err", err)
			c.sleepOrWake(ctx, time.Second, c.scanWake)
		}
	}
}

func (c *Checkout) doorLoop(ctx context.Context) {
	for ctx.Err() == nil {
		ev, err := c.d.Cabinet.WaitDoor(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			c.log.Error("cabinet door", "err", err)
			c.sleep(ctx, time.Second)
			continue
		}
		c.Door(ev)
	}
}

// sleep waits d on the injected clock, or until ctx ends.
func (c *Checkout) sleep(ctx context.Context, d time.Duration) {
	c.sleepOrWake(ctx, d, nil)
}

// sleepOrWake is sleep that also ends on a signal on wake.
func (c *Checkout) sleepOrWake(ctx context.Context, d time.Duration, wake <-chan struct{}) {
	done := make(chan struct{})
	t := c.d.Clock.AfterFunc(d, func() { close(done) })
	select {
	case <-done:
	case <-wake:
		t.Stop()
	case <-ctx.Done():
		t.Stop()
	}
}

// View returns a snapshot for the screens.
func (c *Checkout) View() View {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.viewLocked()
}

func (c *Checkout) viewLocked() View {
	v := View{
		State: c.state, SaleID: c.saleID,
		Lines: append([]Line(nil), c.basket.Lines...), Count: c.basket.Count(),
		Total: c.basket.Total(), VAT: c.basket.VAT(),
		Cabinet: append([]Product(nil), c.cabinet...), Notice: c.notice, NoticeArg: c.arg,
		Receipt: c.receipt, ReceiptNo: c.receiptN, DoorOpen: c.doorOpen, Fault: c.faultText(),
		PaperLow: c.paperLow, PayStatus: c.payMsg, PayStatusEn: c.payMsgEn,
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
	c.armNoticeLocked()
	c.mu.Unlock()
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
	c.state = to
	c.armTimer()
	if to == Idle && len(c.faults) > 0 {
		c.fire(EvDeviceFault) // a fault that came during the sale
	}
	return true
}

// armTimer sets the inactivity or screen timer for the current state.
func (c *Checkout) armTimer() {
	c.stopTimerLocked()
	gen := c.timerGen
	var d time.Duration
	var ev Event
	switch c.state {
	case Shopping:
		d, ev = c.cfg.IdleWarn, EvIdleWarn
	case TimeoutWarning, PaymentDeclined:
		d, ev = c.cfg.IdleTimeout, EvIdleTimeout
	case Receipt:
		d, ev = c.cfg.ReceiptTime, EvDone
	case Releasing:
		d, ev = c.cfg.ReleaseTimeout, EvReleaseFault
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
	case EvIdleTimeout:
		c.cancelSaleLocked("customer inactive")
		c.fire(ev)
		c.notice, c.arg = NoticeSaleTimedOut, ""
	case EvDone:
		c.fire(ev)
		c.receipt, c.receiptN = nil, 0
		c.clearNotice()
	case EvReleaseFault:
		if !c.doorOpen {
			c.relockLocked()
		}
		c.journal(Entry{Code: CodeOther, Subtype: SubAssistance, SaleID: c.saleID,
			Text: "cabinet release timed out; staff called"})
		c.fire(ev)
		c.notice = NoticeCabinetFault
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
	if c.notice == NoticeNone || (c.state != Idle && c.state != Shopping) {
		return
	}
	c.noticeGen++
	gen := c.noticeGen
	c.noticeTimer = c.d.Clock.AfterFunc(c.cfg.NoticeTime, func() {
		c.mu.Lock()
		if gen != c.noticeGen || (c.state != Idle && c.state != Shopping) {
			c.mu.Unlock()
			return
		}
		c.clearNotice()
		c.mu.Unlock()
		c.notify()
	})
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
func (c *Checkout) journal(e Entry) {
	if e.Time.IsZero() {
		e.Time = c.d.Clock.Now()
	}
	if e.Kiosk == "" {
		e.Kiosk = c.cfg.KioskID
	}
	if _, err := c.d.Journal.Append(c.ctx, e); err != nil {
		c.log.Error("journal append failed", "code", e.Code, "sub", e.Subtype, "err", err)
	}
}

func (c *Checkout) saleEntry(p PendingSale, text string) Entry {
	e := c.entry(CodeSalesReceipt, "", text)
	e.SaleID, e.Amount = p.ID, p.Amount
	return e
}

func newSaleID(kiosk string, now time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return kiosk + "-" + now.UTC().Format("20060102T150405") + "-" + hex.EncodeToString(b[:])
}

// Scan handles a code from the scanner: a product goes into the basket; a
// bad or unknown code shows a notice and is journaled.
func (c *Checkout) Scan(code string) {
	g, err := ParseGTIN(code)
	if err != nil {
		c.journal(c.entry(CodeOther, SubScanError, err.Error()))
		c.setNotice(NoticeBadCode, code)
		return
	}
	p, err := c.d.Catalog.Lookup(c.ctx, g)
	if errors.Is(err, ErrNotFound) {
		e := c.entry(CodePriceLookup, SubLookupMiss, "unknown code "+code)
		e.Data = map[string]string{"code": code}
		c.journal(e)
		c.setNotice(NoticeUnknownCode, code)
		return
	}
	if err != nil {
		c.log.Error("catalog lookup", "code", code, "err", err)
		c.setNotice(NoticeStorageError, "")
		return
	}
	_ = c.addProduct(p)
}

// StaffBadge records a staff member's badge scanned at the kiosk: an
// employee log-in (SAF-T 13003) in the journal, never a product.
func (c *Checkout) StaffBadge(id string) {
	e := c.entry(CodeEmployeeLogIn, "", "staff badge scanned")
	e.SaleID = c.saleIDNow()
	e.Data = map[string]string{"staff": id}
	c.journal(e)
	c.setNotice(NoticeStaffBadge, id)
}

func (c *Checkout) saleIDNow() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.saleID
}

// Add puts one of the product with GTIN g into the basket (from the
// cabinet list).
func (c *Checkout) Add(g GTIN) error {
	p, err := c.d.Catalog.Lookup(c.ctx, g)
	if err != nil {
		return err
	}
	return c.addProduct(p)
}

func (c *Checkout) addProduct(p Product) error {
	c.mu.Lock()
	if !Accepts(c.state, EvItemAdded) {
		st := c.state
		c.mu.Unlock()
		return fmt.Errorf("%w: adding items in %v", ErrNotNow, st)
	}
	if c.state == Receipt || c.state == Idle {
		c.receipt, c.receiptN = nil, 0
		c.basket = Basket{}
		c.saleID = newSaleID(c.cfg.KioskID, c.d.Clock.Now())
		c.ageBy, c.attempt = "", 0
	}
	err := c.basket.Add(p)
	switch {
	case errors.Is(err, ErrOutOfStock):
		c.notice, c.arg = NoticeOutOfStock, p.Name
	case errors.Is(err, ErrBadQty):
		c.notice, c.arg = NoticeTooMany, p.Name
	case err == nil:
		c.clearNotice()
	}
	if c.basket.Empty() {
		c.saleID = ""
	} else {
		c.fire(EvItemAdded)
	}
	c.mu.Unlock()
	c.notify()
	return err
}

// SetQty changes a basket line; 0 removes it.
func (c *Checkout) SetQty(g GTIN, qty int) error {
	c.mu.Lock()
	if c.state != Shopping && c.state != TimeoutWarning {
		st := c.state
		c.mu.Unlock()
		return fmt.Errorf("%w: changing the basket in %v", ErrNotNow, st)
	}
	err := c.basket.SetQty(g, qty)
	if errors.Is(err, ErrOutOfStock) || errors.Is(err, ErrBadQty) {
		c.notice, c.arg = NoticeTooMany, g.String()
	}
	if err == nil {
		c.clearNotice()
		if c.basket.Empty() {
			c.journal(Entry{Code: CodeOther, Subtype: SubSaleCancelled, SaleID: c.saleID, Text: "basket emptied"})
			c.fire(EvBasketEmptied)
			c.saleID = ""
		} else {
			c.fire(EvTouch)
			c.armTimer()
		}
	}
	c.mu.Unlock()
	c.notify()
	return err
}

// Remove takes a line out of the basket.
func (c *Checkout) Remove(g GTIN) error { return c.SetQty(g, 0) }

// Touch tells the checkout the customer is there.
func (c *Checkout) Touch() {
	c.mu.Lock()
	if c.state == TimeoutWarning {
		c.fire(EvTouch)
	} else if c.state == Shopping {
		c.armTimer()
	}
	c.mu.Unlock()
	c.notify()
}

// Pay starts paying: an age check first when the basket holds restricted
// items, then the terminal. The printer is checked first: without a
// receipt the kiosk takes no money and calls staff.
//
// Pay returns at once (the screen must not wait for a device); the rest
// happens in the background and shows in the View.
func (c *Checkout) Pay() error {
	c.mu.Lock()
	if c.state != Shopping || c.basket.Empty() {
		st := c.state
		c.mu.Unlock()
		return fmt.Errorf("%w: pay in %v", ErrNotNow, st)
	}
	c.mu.Unlock()
	go c.pay()
	return nil
}

func (c *Checkout) pay() {
	if !c.printerReady() {
		c.mu.Lock()
		c.journal(Entry{Code: CodeOther, Subtype: SubAssistance, SaleID: c.saleID, Text: "receipt printer unavailable before payment"})
		c.fire(EvHelp)
		c.notice, c.arg = NoticePrinterDown, ""
		c.mu.Unlock()
		c.notify()
		return
	}
	c.mu.Lock()
	if c.state != Shopping || c.basket.Empty() {
		c.mu.Unlock() // the customer moved on meanwhile
		return
	}
	if c.basket.Restricted() && c.ageBy == "" {
		c.fire(EvCheckoutRestricted)
		c.startAgeCheckLocked()
		c.mu.Unlock()
		c.notify()
		return
	}
	c.fire(EvCheckout)
	c.mu.Unlock()
	c.notify()
	c.requestPayment() // the printer was checked just now
}

// printerReady asks the printer and records paper-low for staff.
func (c *Checkout) printerReady() bool {
	st, err := c.d.Printer.Status(c.ctx)
	c.mu.Lock()
	c.paperLow = err == nil && st.PaperLow
	c.mu.Unlock()
	if err != nil {
		c.log.Warn("printer status", "err", err)
		return false
	}
	return st.Ready
}

func (c *Checkout) startAgeCheckLocked() {
	ctx, cancel := context.WithCancel(c.ctx)
	c.ageStop = cancel
	var items []string
	for _, l := range c.basket.Lines {
		if l.Product.Restricted() {
			items = append(items, l.Product.Name)
		}
	}
	req := AgeCheck{SaleID: c.saleID, MinAge: AdultAge, Items: items}
	go func() {
		a, err := c.d.Staff.RequestAgeCheck(ctx, req)
		c.ageResult(req.SaleID, a, err)
	}()
}

func (c *Checkout) stopAgeCheckLocked() {
	if c.ageStop != nil {
		c.ageStop()
		c.ageStop = nil
	}
}

func (c *Checkout) ageResult(sale string, a Approval, err error) {
	c.mu.Lock()
	if c.state != AgeCheckPending || c.saleID != sale {
		c.mu.Unlock()
		return // withdrawn
	}
	c.ageStop = nil
	switch {
	case err != nil:
		c.journal(Entry{Code: CodeOther, Subtype: SubAssistance, SaleID: sale, Text: "age check unavailable: " + err.Error()})
		c.fire(EvHelp)
		c.mu.Unlock()
		c.notify()
		return
	case a.Approved:
		c.ageBy = a.Staff
		c.journal(Entry{Code: CodeOther, Subtype: SubAgeApproved, SaleID: sale,
			Text: "age verified by staff", Data: map[string]string{"staff": a.Staff, "method": a.Method}})
		c.fire(EvAgeApproved)
		c.mu.Unlock()
		c.notify()
		c.startPayment()
		return
	default:
		c.journal(Entry{Code: CodeOther, Subtype: SubAgeRefused, SaleID: sale,
			Text: "age check refused by staff", Data: map[string]string{"staff": a.Staff, "method": a.Method}})
		c.basket.RemoveRestricted()
		c.fire(EvAgeRefused)
		c.notice, c.arg = NoticeAgeRefused, ""
		if c.basket.Empty() {
			c.fire(EvBasketEmptied)
			c.saleID = ""
		}
		c.mu.Unlock()
		c.notify()
	}
}

// startPayment runs in state Paying after an age check or a retry: the
// printer is checked again (time has passed), then the payment requested.
func (c *Checkout) startPayment() {
	if !c.printerReady() {
		c.mu.Lock()
		c.fire(EvPaymentDeclined)
		c.notice, c.arg = NoticePrinterDown, ""
		c.mu.Unlock()
		c.notify()
		return
	}
	c.requestPayment()
}

// requestPayment runs in state Paying: a new attempt is begun and the
// terminal asked in the background (authorize).
func (c *Checkout) requestPayment() {
	c.mu.Lock()
	if c.state != Paying {
		c.mu.Unlock()
		return
	}
	c.attempt++
	p := PendingSale{
		ID: c.saleID, Kiosk: c.cfg.KioskID, Started: c.d.Clock.Now(),
		Lines: append([]Line(nil), c.basket.Lines...), Amount: c.basket.Total(),
		State: PendingIntent, Attempt: c.attempt, AgeCheckBy: c.ageBy,
	}
	c.payMsg, c.payMsgEn = "", ""
	ctx := c.ctx
	c.mu.Unlock()
	go c.authorize(ctx, p)
}

// authorize takes the terminal's mark, journals the intent with it
// durably, and only then sends the request: a restart can then tell a
// transaction of this request from the ones before it (PaymentTerminal
// contract). An outcome left unknown is asked for, never sent again.
func (c *Checkout) authorize(ctx context.Context, p PendingSale) {
	mark, err := c.d.Terminal.Mark(ctx)
	c.mu.Lock()
	if c.state != Paying || c.saleID != p.ID || c.attempt != p.Attempt || c.pending != nil {
		// The sale moved on (help, cancel) while the terminal was asked:
		// nothing was sent.
		c.mu.Unlock()
		return
	}
	if err != nil {
		c.log.Warn("payment terminal before payment", "err", err)
		c.journal(Entry{Code: CodeOther, Subtype: SubDeviceFault, SaleID: p.ID, Amount: p.Amount,
			Text: "payment terminal did not answer before the payment; nothing was asked for: " + err.Error()})
		c.fire(EvPaymentDeclined)
		c.notice, c.arg = NoticePaymentError, err.Error()
		c.mu.Unlock()
		c.notify()
		return
	}
	p.Before = mark
	e := c.entry(CodeOther, SubPaymentIntent, "card payment requested")
	e.SaleID, e.Amount = p.ID, p.Amount
	e.Data = map[string]string{"attempt": strconv.Itoa(p.Attempt), "terminal_before": mark.Trace}
	if !mark.Known {
		e.Data["terminal_before"] = "unknown"
	}
	if err := c.d.Sales.SavePending(ctx, p, e); err != nil {
		c.log.Error("save payment intent", "err", err)
		c.fire(EvPaymentDeclined)
		c.notice, c.arg = NoticeStorageError, ""
		c.mu.Unlock()
		c.notify()
		return
	}
	c.pending = &p
	c.mu.Unlock()
	c.notify()
	req := p.Request()
	res, err := c.d.Terminal.Authorize(ctx, req)
	if err != nil && !errors.Is(err, ErrDeviceUnavailable) && ctx.Err() == nil {
		// It may have been charged: ask, never send again.
		c.log.Warn("payment outcome unknown; recovering", "sale", req.SaleID, "err", err)
		res, err = c.d.Terminal.Recover(ctx, req)
		if errors.Is(err, ErrDeviceUnavailable) {
			// Silence now says nothing about the request that may
			// have reached the terminal before: still unknown.
			err = fmt.Errorf("%w: the terminal did not answer the recovery: %v", ErrOutcomeUnknown, err)
		}
	}
	c.paymentResult(req, res, err)
}

func (c *Checkout) paymentResult(req PaymentRequest, res PaymentResult, err error) {
	c.mu.Lock()
	if c.state != Paying || c.pending == nil || c.pending.ID != req.SaleID || c.pending.Attempt != req.Attempt {
		c.mu.Unlock()
		c.log.Error("stale payment result", "sale", req.SaleID)
		return
	}
	p := *c.pending
	switch {
	case errors.Is(err, ErrMisconfigured):
		// Not the customer's card: the terminal is set up wrong. Nothing
		// was charged; the kiosk goes out of order when the sale ends,
		// with the reason for the technician in the journal.
		c.voidLocked(p, SubPaymentDeclined, "terminal refused the request for its setup, nothing charged: "+err.Error())
		c.faultLocked(DevTerminalSetup, "payment terminal misconfigured, a technician must set it up: "+err.Error())
		c.fire(EvPaymentDeclined)
		c.notice, c.arg = NoticePaymentError, ""
	case err != nil && errors.Is(err, ErrDeviceUnavailable):
		c.voidLocked(p, SubPaymentDeclined, "terminal unavailable: "+err.Error())
		c.fire(EvPaymentDeclined)
		c.notice, c.arg = NoticePaymentError, err.Error()
	case err != nil:
		// Outcome unknown even after asking: keep the pending sale for
		// staff and for the next start; show nothing as paid.
		e := c.entry(CodeOther, SubPaymentUnknown, "payment outcome unknown: "+err.Error())
		e.SaleID, e.Amount = p.ID, p.Amount
		c.journal(e)
		c.fire(EvPaymentDeclined)
		c.fire(EvHelp)
		c.notice, c.arg = NoticeRecoveryPending, p.ID
	case !res.Approved:
		c.voidLocked(p, SubPaymentDeclined, fmt.Sprintf("declined (%s): %s", res.Code, res.Message))
		c.fire(EvPaymentDeclined)
		c.notice, c.arg = NoticeDeclined, res.Message
	case res.Amount != 0 && res.Amount != p.Amount:
		c.mu.Unlock()
		_ = c.d.Terminal.Confirm(c.ctx, req, false)
		c.mu.Lock()
		c.voidLocked(p, SubPaymentDeclined, fmt.Sprintf("terminal approved %s, asked %s: reversed", res.Amount, p.Amount))
		c.fire(EvPaymentDeclined)
		c.notice, c.arg = NoticePaymentError, "amount mismatch"
	default:
		c.approvedLocked(p, req, res)
	}
	c.mu.Unlock()
	c.notify()
}

func (c *Checkout) voidLocked(p PendingSale, sub, why string) {
	if err := c.void(c.ctx, p, sub, why); err != nil {
		c.log.Error("void pending sale", "sale", p.ID, "err", err)
	}
	c.pending = nil
}

// approvedLocked records the approval durably and only then releases.
func (c *Checkout) approvedLocked(p PendingSale, req PaymentRequest, res PaymentResult) {
	if res.Amount == 0 {
		res.Amount = p.Amount
	}
	p.State, p.Result = PendingApproved, &res
	e := c.entry(CodeOther, SubPaymentApproved, "card payment approved")
	e.SaleID, e.Amount = p.ID, p.Amount
	e.Data = map[string]string{"trace": res.Trace, "receipt": res.ReceiptNo, "card": res.CardType,
		"pan": res.MaskedPAN, "terminal": res.TerminalID, "attempt": strconv.Itoa(p.Attempt)}
	sold := Basket{Lines: p.Lines}
	cab := len(sold.CabinetLines()) > 0
	if !cab {
		// Shelf goods are already in the customer's hands.
		p.State = PendingReleased
	}
	var more []Entry
	if cab {
		// Cabinet goods: the release is marked in the same durable write
		// as the approval, before the lock moves, so a restart knows the
		// customer may have the goods; one write between the terminal's
		// approval and the unlock.
		p.State = PendingReleased
		ue := c.entry(CodeOther, SubCabinetUnlock, "cabinet unlocked for paid goods")
		ue.SaleID, ue.Amount = p.ID, p.Amount
		more = append(more, ue)
	}
	if err := c.d.Sales.SavePending(c.ctx, p, e, more...); err != nil {
		c.log.Error("record approval", "sale", p.ID, "err", err)
		c.mu.Unlock()
		_ = c.d.Terminal.Confirm(c.ctx, req, false)
		c.mu.Lock()
		c.voidLocked(p, SubSaleCancelled, "approval could not be recorded: payment reversed")
		c.fire(EvPaymentDeclined)
		c.notice, c.arg = NoticeStorageError, ""
		return
	}
	c.pending = &p
	c.fire(EvPaymentApproved)
	if !cab {
		c.finishLocked()
		return
	}
	c.doorSeen = false
	if err := c.d.Cabinet.Unlock(c.ctx); err != nil {
		c.releaseFaultLocked(p, req, "cabinet did not unlock: "+err.Error())
		return
	}
	c.unlocked = true
	// The goods are released: tell the terminal now, not when the door
	// closes, so a vending terminal's own time-out (ZVT 13.08 §2.2.6)
	// cannot reverse a payment for goods the customer may have. The sale
	// completes when the door closes; its Confirm then finds this one
	// done.
	go c.confirmRelease(req)
}

// confirmRelease confirms a release to the terminal, outside the lock. A
// terminal that had already reversed the payment (ErrReversed) gets the
// cabinet locked again if its door was not opened, and staff called.
func (c *Checkout) confirmRelease(req PaymentRequest) {
	err := c.d.Terminal.Confirm(c.ctx, req, true)
	if err == nil || c.ctx.Err() != nil {
		return
	}
	c.mu.Lock()
	if errors.Is(err, ErrReversed) && c.state == Releasing && !c.finishing && c.pending != nil && c.pending.ID == req.SaleID {
		c.stopTimerLocked()
		if !c.doorOpen && !c.doorSeen {
			c.relockLocked()
		}
		c.reversedLocked(*c.pending, err)
		c.mu.Unlock()
		c.notify()
		return
	}
	c.journal(Entry{Code: CodeOther, Subtype: SubDeviceFault, SaleID: req.SaleID, Text: "terminal did not take the release confirmation: " + err.Error()})
	c.mu.Unlock()
}

// releaseFaultLocked reverses the payment when the goods cannot be
// released (ZVT vending: negative confirmation) and calls staff.
func (c *Checkout) releaseFaultLocked(p PendingSale, req PaymentRequest, why string) {
	c.journal(Entry{Code: CodeOther, Subtype: SubDeviceFault, SaleID: p.ID, Text: why})
	_ = c.d.Cabinet.Lock(c.ctx)
	if err := c.d.Terminal.Confirm(c.ctx, req, false); err != nil {
		why += "; reversal not confirmed: " + err.Error()
	}
	c.voidLocked(p, SubSaleCancelled, why+": payment reversed")
	c.fire(EvReleaseFault)
	c.notice, c.arg = NoticeCabinetFault, ""
}

// Door handles a cabinet door event: opening during a release is the
// customer taking the goods; closing after that completes the sale.
func (c *Checkout) Door(ev DoorEvent) {
	c.mu.Lock()
	c.doorOpen = ev.Open
	what := "closed"
	if ev.Open {
		what = "opened"
	}
	c.journal(Entry{Code: CodeOther, Subtype: SubCabinetDoor, SaleID: c.saleID, Text: "cabinet door " + what})
	if !ev.Open {
		// Whatever the state (a release that timed out, staff), a closed
		// door of a cabinet we unlocked is locked again.
		c.relockLocked()
	}
	if c.state == Releasing {
		if ev.Open {
			c.doorSeen = true
			c.armTimer()
		} else if c.doorSeen {
			c.finishLocked()
		}
	}
	c.mu.Unlock()
	c.notify()
}

// relockLocked locks the cabinet if the checkout unlocked it.
func (c *Checkout) relockLocked() {
	if !c.unlocked {
		return
	}
	if err := c.d.Cabinet.Lock(c.ctx); err != nil {
		c.journal(Entry{Code: CodeOther, Subtype: SubDeviceFault, SaleID: c.saleID, Text: "cabinet did not lock: " + err.Error()})
		return
	}
	c.unlocked = false
	c.journal(Entry{Code: CodeOther, Subtype: SubCabinetLock, SaleID: c.saleID, Text: "cabinet locked"})
}

// finishLocked confirms the payment to the terminal, completes the sale
// (receipt number, stock, journal in one durable write) and prints. The
// terminal is asked without the checkout's lock (a vending terminal
// answers the confirmation with its receipt and a completion, which can
// take seconds); c.finishing keeps door events and staff from finishing
// the same sale twice meanwhile.
func (c *Checkout) finishLocked() {
	if c.finishing || c.pending == nil {
		return
	}
	c.finishing = true
	defer func() { c.finishing = false }()
	c.stopTimerLocked() // the release timeout must not fire while confirming
	if !c.doorOpen {
		c.relockLocked()
	}
	p := *c.pending
	req := p.Request()
	c.mu.Unlock()
	err := c.d.Terminal.Confirm(c.ctx, req, true)
	var lines []string
	if tr, ok := c.d.Terminal.(TerminalReceipt); ok && err == nil {
		lines = tr.LastReceipt()
	}
	c.mu.Lock()
	if errors.Is(err, ErrReversed) {
		c.reversedLocked(p, err)
		return
	}
	if err != nil {
		c.journal(Entry{Code: CodeOther, Subtype: SubDeviceFault, SaleID: p.ID, Text: "terminal did not take the confirmation: " + err.Error()})
	}
	if len(lines) > 0 && p.Result != nil {
		res := *p.Result
		res.Lines = append(append([]string(nil), res.Lines...), lines...)
		p.Result = &res
	}
	s, err := c.d.Sales.CompleteSale(c.ctx, NewSale(p, c.d.Clock.Now()), c.saleEntry(p, "sale completed"))
	if err != nil {
		c.log.Error("complete sale", "sale", p.ID, "err", err)
		c.fire(EvReleaseFault)
		c.notice, c.arg = NoticeStorageError, ""
		return
	}
	c.pending = nil
	doc := BuildReceipt(c.cfg.Shop, s)
	c.receipt, c.receiptN = &doc, s.No
	c.basket = Basket{}
	c.saleID = ""
	if c.state == Assistance {
		c.fire(EvStaffComplete)
	} else {
		c.fire(EvGoodsReleased)
	}
	c.clearNotice()
	go c.print(doc, s.No)
	go func() {
		if err := c.reloadCabinet(c.ctx); err == nil {
			c.notify()
		}
	}()
}

// reversedLocked handles a release the terminal did not keep the money
// for (ErrReversed: its vend time-out or an auto-reversal): the goods
// may be out, the money is back with the customer. No sale is recorded
// as paid (no receipt, no card payment in the books); the sale is voided
// with what happened in the journal, and staff is called to collect
// payment for the goods or take them back.
func (c *Checkout) reversedLocked(p PendingSale, err error) {
	why := "cabinet unlocked for the goods, but the terminal reversed the payment: nothing charged; staff must collect payment or take the goods back: " + err.Error()
	c.log.Warn("payment reversed after release", "sale", p.ID, "err", err)
	c.voidLocked(p, SubSaleCancelled, why)
	c.basket, c.saleID = Basket{}, ""
	if c.state == Releasing {
		c.fire(EvReleaseFault)
	} else {
		c.state = Assistance
	}
	c.notice, c.arg = NoticePaymentReversed, p.ID
}

func (c *Checkout) print(doc Document, no uint64) {
	if err := c.d.Printer.Print(c.ctx, doc); err != nil {
		c.journal(Entry{Code: CodeOther, Subtype: SubDeviceFault, Text: fmt.Sprintf("receipt %d not printed: %v", no, err)})
		c.mu.Lock()
		if c.receiptN == no {
			c.notice = NoticePrinterDown
		}
		c.mu.Unlock()
		c.notify()
	}
}

// Retry pays again after a decline.
func (c *Checkout) Retry() error {
	c.mu.Lock()
	if !c.fire(EvRetry) {
		st := c.state
		c.mu.Unlock()
		return fmt.Errorf("%w: retry in %v", ErrNotNow, st)
	}
	c.clearNotice()
	c.mu.Unlock()
	c.notify()
	c.startPayment()
	return nil
}

// Cancel abandons the customer's unpaid sale.
func (c *Checkout) Cancel() error {
	c.mu.Lock()
	if !Accepts(c.state, EvCancel) {
		st := c.state
		c.mu.Unlock()
		return fmt.Errorf("%w: cancel in %v", ErrNotNow, st)
	}
	c.cancelSaleLocked("cancelled by customer")
	c.fire(EvCancel)
	c.notice, c.arg = NoticeCancelled, ""
	c.mu.Unlock()
	c.notify()
	return nil
}

// cancelSaleLocked journals the end of an unpaid sale and clears it.
func (c *Checkout) cancelSaleLocked(why string) {
	c.stopAgeCheckLocked()
	if !c.basket.Empty() {
		e := c.entry(CodeOther, SubSaleCancelled, why)
		e.SaleID, e.Amount = c.saleID, c.basket.Total()
		c.journal(e)
	}
	c.basket = Basket{}
	c.saleID, c.ageBy, c.attempt, c.pending = "", "", 0, nil
}

// Help calls staff.
func (c *Checkout) Help() error {
	c.mu.Lock()
	if !c.fire(EvHelp) {
		st := c.state
		c.mu.Unlock()
		return fmt.Errorf("%w: help in %v", ErrNotNow, st)
	}
	c.stopAgeCheckLocked()
	c.journal(Entry{Code: CodeOther, Subtype: SubAssistance, SaleID: c.saleID, Text: "customer called staff"})
	c.mu.Unlock()
	c.notify()
	return nil
}

// FinishReceipt leaves the receipt screen.
func (c *Checkout) FinishReceipt() error {
	c.mu.Lock()
	if !c.fire(EvDone) {
		st := c.state
		c.mu.Unlock()
		return fmt.Errorf("%w: finish in %v", ErrNotNow, st)
	}
	c.receipt, c.receiptN = nil, 0
	c.clearNotice()
	c.mu.Unlock()
	c.notify()
	return nil
}

// StaffResume sends the customer back to the basket (nothing was paid).
func (c *Checkout) StaffResume() error {
	c.mu.Lock()
	if c.state != Assistance || c.pending != nil {
		st := c.state
		c.mu.Unlock()
		return fmt.Errorf("%w: resume in %v", ErrNotNow, st)
	}
	c.fire(EvStaffResume)
	c.clearNotice()
	if c.basket.Empty() {
		c.fire(EvBasketEmptied)
		c.saleID = ""
	}
	c.mu.Unlock()
	c.notify()
	return nil
}

// StaffCancel ends the sale: a payment in flight is reversed or, when its
// outcome is unknown, voided with a journal note for the end-of-day check.
// A sale whose goods were released cannot be cancelled (ErrNotNow): the
// buttons are on the customer's screen, and a paid customer holding the
// goods must not be able to reverse the payment.
func (c *Checkout) StaffCancel() error {
	c.mu.Lock()
	if c.state != Assistance {
		st := c.state
		c.mu.Unlock()
		return fmt.Errorf("%w: staff cancel in %v", ErrNotNow, st)
	}
	if c.pending != nil && c.pending.State == PendingReleased {
		// The customer may have the goods: a paid, released sale is
		// completed, never reversed from this screen.
		c.mu.Unlock()
		return fmt.Errorf("%w: the goods were released; complete the sale", ErrNotNow)
	}
	if c.staffBusy || c.finishing {
		c.mu.Unlock()
		return fmt.Errorf("%w: the terminal is being asked; wait", ErrNotNow)
	}
	if c.pending != nil {
		p := *c.pending
		// The terminal is asked without the checkout's lock; staffBusy
		// keeps other staff actions off meanwhile.
		c.staffBusy = true
		c.mu.Unlock()
		why := c.settleForStaff(p)
		c.mu.Lock()
		c.staffBusy = false
		c.voidLocked(p, SubSaleCancelled, why)
	}
	c.cancelSaleLocked("cancelled by staff")
	c.fire(EvStaffCancel)
	c.clearNotice()
	c.mu.Unlock()
	c.notify()
	return nil
}

// settleForStaff reverses p's payment, or finds out there is none, for a
// sale staff cancels; it says what happened, for the journal.
func (c *Checkout) settleForStaff(p PendingSale) string {
	req := p.Request()
	why := "cancelled by staff"
	if p.State == PendingIntent {
		res, err := c.d.Terminal.Recover(c.ctx, req)
		switch {
		case err != nil:
			return why + "; payment outcome unknown, check the terminal's end-of-day: " + err.Error()
		case !res.Approved:
			return why
		}
	}
	if err := c.d.Terminal.Confirm(c.ctx, req, false); err != nil {
		return why + "; reversal not confirmed: " + err.Error()
	}
	return why + "; payment reversed"
}

// StaffComplete completes a paid sale whose goods staff handed over.
func (c *Checkout) StaffComplete() error {
	c.mu.Lock()
	defer c.notify()
	defer c.mu.Unlock()
	if c.state != Assistance || c.pending == nil || c.pending.State < PendingApproved {
		return fmt.Errorf("%w: nothing paid to complete", ErrNotNow)
	}
	if c.staffBusy {
		return fmt.Errorf("%w: the terminal is being asked; wait", ErrNotNow)
	}
	c.finishLocked()
	return nil
}

// DeviceFault marks a device as failed (DevScanner, DevPrinter, …). The
// kiosk goes out of order when it is idle; a sale under way finishes
// first, and the kiosk goes out of order when it ends. Each failure is
// journaled once, until DeviceOK.
func (c *Checkout) DeviceFault(name string) {
	c.mu.Lock()
	c.faultLocked(name, name+" failed")
	c.mu.Unlock()
	c.notify()
}

// faultLocked marks name as failed, journaling why once, and takes an
// idle kiosk out of order.
func (c *Checkout) faultLocked(name, why string) {
	if !c.faults[name] {
		if c.faults == nil {
			c.faults = make(map[string]bool)
		}
		c.faults[name] = true
		c.journal(Entry{Code: CodeOther, Subtype: SubDeviceFault, Text: why})
	}
	if c.state == Idle {
		c.fire(EvDeviceFault)
	}
}

// DeviceOK clears a device's fault; the kiosk is back in service when no
// device is down.
func (c *Checkout) DeviceOK(name string) {
	c.mu.Lock()
	changed := c.faults[name]
	if name == DevScanner {
		select { // the scan loop retries at once
		case c.scanWake <- struct{}{}:
		default:
		}
	}
	if changed {
		delete(c.faults, name)
		c.journal(Entry{Code: CodeOther, Subtype: SubDeviceFault, Text: name + " back"})
		if len(c.faults) == 0 {
			c.fire(EvDevicesOK)
		}
	}
	c.mu.Unlock()
	if changed {
		c.notify()
	}
}

// faultText names the devices that are down, in order.
func (c *Checkout) faultText() string {
	names := make([]string, 0, len(c.faults))
	for n := range c.faults {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// SetPayStatus shows the terminal's prompt while paying, the same in
// every language.
func (c *Checkout) SetPayStatus(msg string) { c.SetPayStatusLang(msg, msg) }

// SetPayStatusLang shows the terminal's prompt while paying, in Norwegian
// and in English (a ZVT terminal's intermediate status comes as a code
// the driver translates).
func (c *Checkout) SetPayStatusLang(nb, en string) {
	c.mu.Lock()
	c.payMsg, c.payMsgEn = nb, en
	c.mu.Unlock()
	c.notify()
}

// Stop journals the application shutdown.
func (c *Checkout) Stop(ctx context.Context) error {
	c.mu.Lock()
	c.stopTimerLocked()
	c.stopAgeCheckLocked()
	c.mu.Unlock()
	_, err := c.d.Journal.Append(ctx, c.entry(CodePOSStop, "", "Selvkasse stopped"))
	return err
}
