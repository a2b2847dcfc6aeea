package kiosk_test

// Time that adapts (checkout_timers.go, issue 14 item 4) and the payment
// screen's faults of issue 14's opening paragraph: each test below
// failed on the code before it.

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// The checkout's defaults, which every test here runs with.
const (
	idleWarn    = 60 * time.Second
	idleTimeout = 30 * time.Second
)

// shopping puts a soda in the basket and waits for the basket screen.
func (r *rig) shopping() {
	r.t.Helper()
	r.co.Scan(soda.GTIN.String())
	r.wait(kiosk.Shopping)
}

// stays advances the clock by d and fails unless the checkout is still
// in state s.
func (r *rig) stays(s kiosk.State, d time.Duration, why string) kiosk.View {
	r.t.Helper()
	r.clock.Advance(d)
	v := r.co.View()
	if v.State != s {
		r.t.Fatalf("%s: %v after %v, want %v", why, v.State, d, s)
	}
	return v
}

// atTerminal starts a sale, presses Pay and waits until the terminal has
// the payment request ("Sett inn kort"), unanswered.
func (r *rig) atTerminal() {
	r.t.Helper()
	r.shopping()
	r.must(r.co.Pay())
	_, err := r.term.WaitAuthorize(r.ctx)
	r.must(err)
}

// declined pays the basket and has the terminal decline it.
func (r *rig) declined() {
	r.t.Helper()
	r.must(r.co.Pay())
	r.payDeclined()
}

// viewLog records every view the checkout publishes.
type viewLog struct {
	mu    sync.Mutex
	views []kiosk.View
}

func (r *rig) logViews() *viewLog {
	l := &viewLog{}
	cancel := r.co.Subscribe(func(v kiosk.View) {
		l.mu.Lock()
		l.views = append(l.views, v)
		l.mu.Unlock()
	})
	r.t.Cleanup(cancel)
	return l
}

func (l *viewLog) notices() []kiosk.Notice {
	return changes(l, func(v kiosk.View) (kiosk.Notice, bool) { return v.Notice, true })
}

func (l *viewLog) warningLeft() []time.Duration {
	return changes(l, func(v kiosk.View) (time.Duration, bool) { return v.WarningLeft, v.State == kiosk.TimeoutWarning })
}

// changes is f of the views the log saw, where f says it applies, each
// value once until it changes.
func changes[T comparable](l *viewLog, f func(kiosk.View) (T, bool)) []T {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []T
	for _, v := range l.views {
		if x, ok := f(v); ok && (len(out) == 0 || out[len(out)-1] != x) {
			out = append(out, x)
		}
	}
	return out
}

// TestAnyActivityRestartsTheInactivityTimer: a tap anywhere (reading the
// tobacco list, switching language: the screen's Touch), a key, a scan
// that adds nothing, on the basket and on the declined screen, all count
// — before, only basket changes did, and the warning came while the
// customer read the tobacco list.
func TestAnyActivityRestartsTheInactivityTimer(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(r *rig)
		screen   kiosk.State
		activity func(r *rig)
	}{
		{"touch on the basket", (*rig).shopping, kiosk.Shopping, func(r *rig) { r.co.Touch() }},
		{"unknown code scanned", (*rig).shopping, kiosk.Shopping, func(r *rig) { r.co.Scan("7039990000991") }},
		{"unreadable code scanned", (*rig).shopping, kiosk.Shopping, func(r *rig) { r.co.Scan("12345") }},
		{"touch on the declined screen", func(r *rig) { r.shopping(); r.declined() }, kiosk.PaymentDeclined, func(r *rig) { r.co.Touch() }},
		{"scan on the declined screen", func(r *rig) { r.shopping(); r.declined() }, kiosk.PaymentDeclined, func(r *rig) { r.co.Scan(avis.GTIN.String()) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustRig(t)
			tt.setup(r)
			r.stays(tt.screen, idleWarn-10*time.Second, "before the activity")
			tt.activity(r)
			r.stays(tt.screen, idleWarn-time.Second, "the activity did not restart the timer")
			r.clock.Advance(time.Second)
			r.wait(kiosk.TimeoutWarning)
		})
	}
}

// TestTouchWithNothingChangedPublishesNothing: a tap is activity, not a
// change: the screen is not redrawn for it (it would close a list the
// customer scrolls).
func TestTouchWithNothingChangedPublishesNothing(t *testing.T) {
	r := mustRig(t)
	r.shopping()
	l := r.logViews()
	for range 5 {
		r.co.Touch()
	}
	if n := len(l.notices()); n != 0 {
		t.Fatalf("%d views published for taps", n)
	}
}

// TestWarningCountsDownAtLeast20s: the warning shows the time left,
// second by second, for the screen and the narrator; it is never
// shorter than MinWarning, whatever the configuration says.
func TestWarningCountsDownAtLeast20s(t *testing.T) {
	r := mustRig(t)
	r.shopping()
	l := r.logViews()
	r.clock.Advance(idleWarn)
	if v := r.wait(kiosk.TimeoutWarning); v.WarningLeft != idleTimeout || v.ExtendsLeft != kiosk.DefaultExtends {
		t.Fatalf("warning shows %v left, %d extensions; want %v, %d", v.WarningLeft, v.ExtendsLeft, idleTimeout, kiosk.DefaultExtends)
	}
	r.stays(kiosk.TimeoutWarning, idleTimeout-time.Second, "the warning gave up early")
	r.clock.Advance(time.Second)
	r.wait(kiosk.Idle)
	got := l.warningLeft()
	if len(got) != int(idleTimeout/time.Second) {
		t.Fatalf("countdown %v: want one view per second", got)
	}
	for i, d := range got {
		if want := idleTimeout - time.Duration(i)*time.Second; d != want {
			t.Fatalf("countdown %v: step %d is %v, want %v", got, i, d, want)
		}
	}
	for _, short := range []time.Duration{time.Nanosecond, 5 * time.Second, kiosk.MinWarning - 1} {
		cfg := kiosk.NewCheckout(kiosk.Config{IdleTimeout: short, MaxExtends: 2}, kiosk.Deps{}).Config()
		if cfg.IdleTimeout != kiosk.MinWarning || cfg.MaxExtends != kiosk.DefaultExtends {
			t.Errorf("configured %v, 2 extensions: runs with %v, %d", short, cfg.IdleTimeout, cfg.MaxExtends)
		}
	}
}

// TestExtendTenTimesThenSaySo: the customer can ask for more time ten
// times in a sale; each restarts the full period; after that the
// warning says no more time can be given, and ends the sale.
func TestExtendTenTimesThenSaySo(t *testing.T) {
	r := mustRig(t)
	r.shopping()
	r.clock.Advance(idleWarn)
	for i := range kiosk.DefaultExtends {
		v := r.wait(kiosk.TimeoutWarning)
		if v.ExtendsLeft != kiosk.DefaultExtends-i {
			t.Fatalf("warning %d: %d extensions left, want %d", i+1, v.ExtendsLeft, kiosk.DefaultExtends-i)
		}
		r.clock.Advance(idleTimeout - time.Second) // at the last second
		r.co.Touch()
		v = r.wait(kiosk.Shopping)
		if v.ExtendsLeft != kiosk.DefaultExtends-i-1 {
			t.Fatalf("after extension %d: %d left", i+1, v.ExtendsLeft)
		}
		r.stays(kiosk.Shopping, idleWarn-time.Second, "the extension did not restart the full period")
		r.clock.Advance(time.Second)
	}
	v := r.wait(kiosk.TimeoutWarning)
	if v.ExtendsLeft != 0 {
		t.Fatalf("after %d extensions: %d left", kiosk.DefaultExtends, v.ExtendsLeft)
	}
	r.co.Touch()
	if v := r.co.View(); v.State != kiosk.TimeoutWarning || v.WarningLeft != idleTimeout {
		t.Fatalf("a touch past the limit: %v, %v left", v.State, v.WarningLeft)
	}
	r.clock.Advance(idleTimeout)
	if v := r.wait(kiosk.Idle); v.Notice != kiosk.NoticeSaleTimedOut {
		t.Fatalf("notice %v", v.Notice)
	}
	// The next sale has its ten again.
	r.shopping()
	if v := r.co.View(); v.ExtendsLeft != kiosk.DefaultExtends {
		t.Fatalf("the next sale starts with %d extensions", v.ExtendsLeft)
	}
}

// TestTimersPauseForStaff: while a call for help is open or staff is
// logged in, the inactivity timer, the warning and the declined screen's
// timer wait; after, each starts again with its full period.
func TestTimersPauseForStaff(t *testing.T) {
	help := func(r *rig) { r.must(r.co.Help()) }
	unhelp := func(r *rig) { r.must(r.co.WithdrawHelp()) }
	staff := func(r *rig) { r.signIn("ola") }
	unstaff := func(r *rig) { r.co.StaffLogout() }
	warned := func(r *rig) { r.shopping(); r.clock.Advance(idleWarn); r.wait(kiosk.TimeoutWarning) }
	decl := func(r *rig) { r.shopping(); r.declined() }
	tests := []struct {
		name          string
		setup         func(r *rig)
		screen        kiosk.State
		pause, resume func(r *rig)
		full          time.Duration
		// pauseFor: longer than what was left of the period; a staff
		// session left alone ends after its own idle time (60 s).
		pauseFor time.Duration
	}{
		{"help on the basket", (*rig).shopping, kiosk.Shopping, help, unhelp, idleWarn, time.Hour},
		{"help on the warning", warned, kiosk.TimeoutWarning, help, unhelp, idleTimeout, time.Hour},
		{"help on the declined screen", decl, kiosk.PaymentDeclined, help, unhelp, idleWarn, time.Hour},
		{"staff on the basket", (*rig).shopping, kiosk.Shopping, staff, unstaff, idleWarn, 50 * time.Second},
		{"staff on the warning", warned, kiosk.TimeoutWarning, staff, unstaff, idleTimeout, 50 * time.Second},
		{"staff on the declined screen", decl, kiosk.PaymentDeclined, staff, unstaff, idleWarn, 50 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustRig(t)
			tt.setup(r)
			r.clock.Advance(tt.full / 2)
			tt.pause(r)
			if v := r.stays(tt.screen, tt.pauseFor, "paused"); v.WarningLeft != 0 {
				t.Fatalf("paused warning counts: %v left", v.WarningLeft)
			}
			tt.resume(r)
			if tt.screen == kiosk.TimeoutWarning {
				if v := r.co.View(); v.WarningLeft != idleTimeout {
					t.Fatalf("resumed warning: %v left, want the full %v", v.WarningLeft, idleTimeout)
				}
			}
			r.stays(tt.screen, tt.full-time.Second, "not the full period after the pause")
			r.clock.Advance(time.Second)
			r.until(func(v kiosk.View) bool { return v.State != tt.screen }, "the timer after the pause")
		})
	}
}

// TestAbandonedBasketClearedAndJournaled: after the warning the basket is
// cleared; nothing is charged, the stock is untouched, and the journal
// says it was abandoned ("timeout") with its lines and total.
func TestAbandonedBasketClearedAndJournaled(t *testing.T) {
	for _, declinedFirst := range []bool{false, true} {
		name := map[bool]string{false: "from the basket", true: "from the declined screen"}[declinedFirst]
		t.Run(name, func(t *testing.T) {
			r := mustRig(t)
			r.shopping()
			r.co.Scan(soda.GTIN.String())
			r.co.Scan(avis.GTIN.String())
			total := 2*soda.Price + avis.Price
			if declinedFirst {
				r.declined()
			}
			r.clock.Advance(idleWarn)
			r.wait(kiosk.TimeoutWarning)
			r.clock.Advance(idleTimeout)
			v := r.wait(kiosk.Idle)
			if len(v.Lines) != 0 || v.SaleID != "" || v.Notice != kiosk.NoticeSaleTimedOut {
				t.Fatalf("after the time-out: %+v", v)
			}
			if r.term.Charged() != 0 || len(r.store.Sales()) != 0 {
				t.Fatalf("charged %v, %d sales", r.term.Charged(), len(r.store.Sales()))
			}
			if p, err := r.store.Pending(r.ctx); err != nil || len(p) != 0 {
				t.Fatalf("pending %+v, %v", p, err)
			}
			if r.stock(soda) != soda.Stock || r.stock(avis) != avis.Stock {
				t.Fatalf("stock moved: soda %d avis %d", r.stock(soda), r.stock(avis))
			}
			var got *kiosk.Record
			for _, rec := range r.store.Records() {
				if rec.Subtype == kiosk.SubSaleCancelled {
					got = &rec
				}
			}
			if got == nil || got.Data["reason"] != kiosk.ReasonTimeout || got.Amount != total {
				t.Fatalf("abandoned basket journaled as %+v; want reason %q, amount %v", got, kiosk.ReasonTimeout, total)
			}
			for _, want := range []string{"2 x " + soda.GTIN.String() + " " + soda.Name, "1 x " + avis.GTIN.String() + " " + avis.Name} {
				if !strings.Contains(got.Data["lines"], want) {
					t.Errorf("lines %q lack %q", got.Data["lines"], want)
				}
			}
			if got.Data["items"] != "3" {
				t.Errorf("items %q", got.Data["items"])
			}
		})
	}
}

// TestDeclinedScreenKeepsItsChoicesOverTheWarning: a declined card is
// never a fixed-time end: the declined screen (try again, another card,
// help) follows the inactivity rules, and more time brings its choices
// back with the basket and the reason.
func TestDeclinedScreenKeepsItsChoicesOverTheWarning(t *testing.T) {
	r := mustRig(t)
	r.shopping()
	r.declined()
	r.stays(kiosk.PaymentDeclined, idleWarn-time.Second, "the declined screen ended early")
	r.clock.Advance(time.Second)
	r.wait(kiosk.TimeoutWarning)
	r.co.Touch()
	v := r.wait(kiosk.PaymentDeclined)
	if len(v.Lines) != 1 || v.Notice != kiosk.NoticeDeclined {
		t.Fatalf("back on the declined screen: lines %v notice %v", v.Lines, v.Notice)
	}
	r.stays(kiosk.PaymentDeclined, idleWarn-time.Second, "not the full period after more time")
	r.must(r.co.Retry())
	r.payApproved()
	r.wait(kiosk.Receipt)
}

// TestCancelWhilePayingAbortsAtTheTerminal: on "Sett inn kort" the
// customer can cancel at once: the terminal is asked to abort (the
// request's context ends), and the sale ends only when it answered,
// nothing charged.
func TestCancelWhilePayingAbortsAtTheTerminal(t *testing.T) {
	r := mustRig(t)
	r.atTerminal()
	l := r.logViews()
	if err := r.co.Cancel(); err != nil {
		t.Fatalf("cancel while the terminal waits for the card: %v", err)
	}
	v := r.wait(kiosk.Idle)
	if v.Notice != kiosk.NoticeCancelled || len(v.Lines) != 0 {
		t.Fatalf("after the abort: notice %v lines %v", v.Notice, v.Lines)
	}
	if ns := l.notices(); len(ns) == 0 || ns[0] != kiosk.NoticeAborting {
		t.Errorf("notices %v: the screen did not say it waits for the terminal", ns)
	}
	if r.term.Charged() != 0 {
		t.Fatalf("charged %v", r.term.Charged())
	}
	if p, err := r.store.Pending(r.ctx); err != nil || len(p) != 0 {
		t.Fatalf("pending %+v, %v", p, err)
	}
	if !r.has(kiosk.SubPaymentDeclined) || !r.has(kiosk.SubSaleCancelled) {
		t.Fatalf("journal %v: want the aborted payment and the cancelled sale", r.subtypes())
	}
	for _, c := range r.term.Calls() {
		if c.Op == kiosktest.CallRecover {
			t.Fatal("recovery asked for an aborted payment the terminal answered")
		}
	}
}

// TestHelpWhilePaying: Help is there at once while the terminal has the
// payment; the call stays open after it.
func TestHelpWhilePaying(t *testing.T) {
	r := mustRig(t)
	r.atTerminal()
	if err := r.co.Help(); err != nil {
		t.Fatalf("help while paying: %v", err)
	}
	v := r.co.View()
	if v.Help.IsZero() || len(v.Calls) == 0 || v.Calls[0].Kind != kiosk.CallHelp {
		t.Fatalf("no call for help: %+v", v.Calls)
	}
	r.must(r.term.Respond(kiosktest.PayDeclined("no")))
	v = r.wait(kiosk.PaymentDeclined)
	if v.Help.IsZero() {
		t.Fatal("the call for help was lost with the decline")
	}
	r.stays(kiosk.PaymentDeclined, time.Hour, "the declined screen's timer ran while help was called")
}

// TestTerminalSilentSaysSoNotRestart: the terminal stops answering during
// the payment: the screen says the kiosk is checking whether the card
// was charged, and when the terminal cannot tell, that the terminal did
// not answer — never "a payment from before a restart" (the restart's
// NoticeRecoveryPending), for no restart happened.
func TestTerminalSilentSaysSoNotRestart(t *testing.T) {
	tests := []struct {
		name    string
		offline bool // the recovery gets no answer either
		outcome kiosktest.Outcome
		state   kiosk.State
		notice  kiosk.Notice
	}{
		{"recovery finds nothing charged", false, kiosktest.PayLost(kiosktest.PayDeclined("aborted")), kiosk.PaymentDeclined, kiosk.NoticeDeclined},
		{"recovery cannot tell", true, kiosktest.PayLost(kiosktest.PayApproved()), kiosk.Assistance, kiosk.NoticeTerminalUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustRig(t)
			r.atTerminal()
			l := r.logViews()
			r.term.SetOffline(tt.offline)
			r.must(r.term.Respond(tt.outcome))
			v := r.wait(tt.state)
			if v.Notice != tt.notice {
				t.Fatalf("notice %v, want %v", v.Notice, tt.notice)
			}
			ns := l.notices()
			if len(ns) == 0 || ns[0] != kiosk.NoticeTerminalSilent {
				t.Errorf("notices %v: the screen did not say the terminal is being checked", ns)
			}
			for _, n := range ns {
				if n == kiosk.NoticeRecoveryPending {
					t.Errorf("notices %v: a restart that never happened", ns)
				}
			}
		})
	}
}

// TestCancelWhilePayingDoesNotSkipTheMoneyRules: Cancel while paying
// returns at once but never leaves Paying by itself: an approval that
// comes anyway is released as paid.
func TestCancelWhilePayingDoesNotSkipTheMoneyRules(t *testing.T) {
	r := mustRig(t)
	r.shopping()
	r.term.Script(kiosktest.PayLost(kiosktest.PayApproved())) // decided at once, the answer lost
	r.must(r.co.Pay())
	_ = r.co.Cancel() // may come before or after the request left
	v := r.until(func(v kiosk.View) bool { return v.State != kiosk.Paying }, "the payment settled")
	switch {
	case v.State == kiosk.Receipt && r.term.Charged() == soda.Price && len(r.store.Sales()) == 1:
	case v.State == kiosk.Idle && r.term.Charged() == 0 && len(r.store.Sales()) == 0:
	default:
		t.Fatalf("%v, charged %v, %d sales", v.State, r.term.Charged(), len(r.store.Sales()))
	}
	if err := r.co.Cancel(); v.State == kiosk.Receipt && !errors.Is(err, kiosk.ErrNotNow) {
		t.Fatalf("cancel on the receipt: %v", err)
	}
}
