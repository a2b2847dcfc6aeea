package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"selvkasse/app/sdnotify"
	"selvkasse/app/ui"
	"selvkasse/devices/serialport"
	"selvkasse/kiosk"
	"selvkasse/storage"
)

// kioskOptions are what `demo` and `run` differ in.
type kioskOptions struct {
	ID         string
	Shop       kiosk.Shop
	DB         *storage.DB
	DataDir    string // for the free space in /metrics
	Devices    Devices
	Health     string // loopback address of /healthz
	Lang       string
	Fullscreen bool
	AppID      string       // Fyne's application id (its preferences and cache)
	SystemID   string       // the data dir's unique system id (SYSTEMID), on the staff screen and the X and Z reports
	Sim        *demoDevices // the demo's simulators: /sim endpoints and the Simulator window; nil in `run`
	SimWindow  bool         // show the Simulator window
	Speech     SpeechConfig // speaking to the customer
	Sound      SoundConfig  // the tones
	Keypad     KeypadConfig // the customer's keys

	// Checkout puts the config file's checkout settings into the
	// checkout's configuration (Config.checkout); nil in the demo.
	Checkout func(*kiosk.Config)
	Screen   ScreenConfig // large text, the panel (screenconfig.go)
}

// kioskRun runs a kiosk: the checkout, the health endpoint and the
// screen. Device events and the terminal's prompts come from inside the
// drivers, which the checkout may be calling, so they are queued here and
// forwarded by goroutines.
type kioskRun struct {
	log     *slog.Logger
	prompts chan [2]string

	// Device events waiting for forwardDeviceEvents, in order. The queue
	// never drops one, so the last change of a line (a fault raised, or
	// cleared) always reaches the checkout, however many came at once.
	evMu   sync.Mutex
	events []DeviceEvent
	evWake chan struct{}

	start *startupMarks // the start-up's steps, logged at READY (startup.go)
}

func newKioskRun(log *slog.Logger) *kioskRun {
	return &kioskRun{log: log, prompts: make(chan [2]string, 16), evWake: make(chan struct{}, 1), start: newStartupMarks(time.Now)}
}

// deviceEvent queues a line's unplug or reopen; it never blocks.
func (k *kioskRun) deviceEvent(e DeviceEvent) {
	k.evMu.Lock()
	k.events = append(k.events, e)
	k.evMu.Unlock()
	select {
	case k.evWake <- struct{}{}:
	default: // a wake-up is pending: it takes this event too
	}
}

// terminalLink queues the payment terminal's line going down or coming
// back (terminalConn.OnLink, demoTerminal.OnLink) as a device event of
// kiosk.DevTerminal: a lost TCP connection and its redial count as an
// unplug and a reopen. It never blocks.
func (k *kioskRun) terminalLink(up bool, err error) {
	ev := serialport.Event{Kind: serialport.EventUnplugged, Err: err}
	if up {
		ev = serialport.Event{Kind: serialport.EventReopened}
	}
	k.deviceEvent(DeviceEvent{Device: kiosk.DevTerminal, Event: ev})
}

// forwardDeviceEvents tells the checkout about lines that went away or
// came back, in order, until ctx ends: a scanner's or the terminal's fault
// is raised and cleared at once; for the printer, the checkout looks at it
// (a printer back on its line may still be out of paper).
func (k *kioskRun) forwardDeviceEvents(ctx context.Context, co *kiosk.Checkout) {
	for {
		select {
		case <-k.evWake:
		case <-ctx.Done():
			return
		}
		k.evMu.Lock()
		es := k.events
		k.events = nil
		k.evMu.Unlock()
		for _, e := range es {
			switch {
			case e.Device == kiosk.DevPrinter:
				co.CheckPrinter()
			case e.Event.Kind == serialport.EventUnplugged:
				co.DeviceFault(e.Device)
			case e.Event.Kind == serialport.EventReopened:
				co.DeviceOK(e.Device)
			}
		}
	}
}

// watchDamage takes the kiosk out of order when the store finds its data
// damaged after it opened (storage's scrub), until ctx ends.
func watchDamage(ctx context.Context, db *storage.DB, co *kiosk.Checkout) {
	select {
	case <-db.Damaged():
		co.DataDamaged(db.Damage().Error())
	case <-ctx.Done():
	}
}

// prompt queues the terminal's prompt; it never blocks.
func (k *kioskRun) prompt(nb, en string) {
	select {
	case k.prompts <- [2]string{nb, en}:
	default:
	}
}

// run runs the kiosk until ctx ends (stop ends it too, from the window).
func (k *kioskRun) run(ctx context.Context, stop context.CancelFunc, o kioskOptions) error {
	clk := kiosk.SystemClock{}
	m := newMetrics(o.DataDir)
	opts := []func(*kiosk.Config){func(c *kiosk.Config) { c.SystemID = o.SystemID }}
	if o.Checkout != nil {
		opts = append(opts, o.Checkout)
	}
	co := newMeteredCheckout(o.ID, o.Shop, o.DB, o.Devices, clk, k.log, m, opts...)
	m.view = co.View
	go k.forwardDeviceEvents(ctx, co)
	go watchDamage(ctx, o.DB, co)
	go func() {
		for {
			select {
			case p := <-k.prompts:
				co.SetPayStatusLang(p[0], p[1])
			case <-ctx.Done():
				return
			}
		}
	}()
	// Listen first (a busy address fails before the journal records a
	// start), answer only once the checkout has settled what a crash
	// left pending, so /healthz never shows a state it is about to leave.
	l, err := listenLoopback(o.Health)
	if err != nil {
		return err
	}
	hs := &server{co: co, start: time.Now(), metrics: m, db: o.DB, dataDir: o.DataDir, kioskID: o.ID}
	if o.Sim != nil {
		hs.sim = o.Sim
	}
	nar, err := k.startSpeech(ctx, o)
	if err != nil {
		l.Close()
		return err
	}
	hs.speech = nar
	if err := co.Start(ctx); err != nil {
		l.Close()
		return err
	}
	srv := serve(l, hs, k.log)
	defer shutdown(srv)
	k.start.mark("checkout")
	ran := make(chan struct{})
	go func() { defer close(ran); _ = co.Run(ctx) }()

	demoSide := o.Sim != nil && o.SimWindow && !o.Fullscreen // two windows side by side (demowindows.go)
	scale := float32(1)
	if demoSide {
		scale = useDemoScale()
	}
	kioskPlace, simPlace := demoWindows(scale)
	a := fyneapp.NewWithID(o.AppID)
	a.Settings().SetTheme(ui.Theme())
	screen := ui.NewScreen(actionKiosk{co, nar}, o.Lang)
	screen.SetAbout(ui.About{Name: "Selvkasse", Version: softwareVersion(), SystemID: o.SystemID, Kiosk: o.ID})
	screen.SetOnError(func(err error) { k.log.Info("screen action refused", "err", err) })
	screen.SetClock(clk)
	screen.SetLargeText(o.Screen.LargeText)
	checkPanel(o.Screen.Panel(o.Fullscreen), k.log)
	rendered := make(chan struct{})
	var once sync.Once
	screen.SetOnRender(func(v kiosk.View) {
		hs.rendered(v, clk.Now())
		nar.Show(v, screen.Lang())
		hs.focus.Store(focusRef(screen.FocusedText()))
		once.Do(func() { close(rendered) })
	})
	k.start.mark("screen")
	// The window after the screen is built: opening it waits for the
	// display server, which cage starts on the first X connection (the
	// display check's, at the start), and on a slow board that takes
	// seconds; the screen is built in that time rather than after it.
	w := a.NewWindow("Selvkasse")
	k.start.mark("window")
	w.SetContent(screen.Content())
	// The keypad (or a keyboard) at the kiosk: the customer's keys
	// (keypad.go, speechkeys.go) and the PIN pad's.
	activity := func() { customerActivity(co) }
	keys, runes := customerKeys(nar, screen, activity), customerRunes(screen, activity)
	keys, runes = afterKeys(keys, runes, func() { hs.focus.Store(focusRef(screen.FocusedText())) })
	w.Canvas().SetOnTypedRune(runes)
	w.Canvas().SetOnTypedKey(keys)
	tabAsNext(w.Canvas(), keys)
	screen.SetOnFocus(func(text string) { nar.SayFocus(text, screen.Lang()) })
	hs.keys = &keyInjector{key: keys, runes: runes, focus: screen.FocusedText}
	w.Resize(fyne.NewSize(1280, 800))
	if demoSide {
		w.Resize(kioskPlace.Size)
	}
	w.SetFullScreen(o.Fullscreen)
	w.SetMaster()
	unbind := screen.Bind()
	defer unbind()

	place := func() {}
	if o.Sim != nil && o.SimWindow {
		products, err := o.DB.List(context.WithoutCancel(ctx))
		if err != nil {
			return fmt.Errorf("catalog: %w", err)
		}
		sw := a.NewWindow("Selvkasse Simulator")
		simPanel := ui.NewSimulator(simControls{o.Sim}, simQuickProducts(products)) // app/shopper.go
		sw.SetContent(simPanel.Content())
		sw.Resize(simPlace.Size)
		simPanel.Bind()
		sw.Show()
		if demoSide {
			place = func() { go k.placeWindows(ctx, []fyne.Window{w, sw}, []windowPlace{kioskPlace, simPlace}) }
		}
	}

	// The checkout's stop record, once: after the window loop returns, or
	// without it when its teardown hangs (then the store is closed too).
	finish := sync.OnceFunc(func() {
		<-ran
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := co.Stop(sctx); err != nil {
			k.log.Error("journal stop", "err", err)
		}
	})
	a.Lifecycle().SetOnStarted(func() {
		k.start.mark("shown") // GL is up and the first frame painted
		place()
	})
	k.showUntilStopped(ctx, a, w, rendered, func() {
		finish()
		if err := o.DB.Close(); err != nil {
			k.log.Error("store close", "err", err)
		}
	})

	stop()
	finish()
	return nil
}

// showUntilStopped shows w and runs the Fyne loop until the window is
// closed or ctx ends, telling systemd READY=1 once rendered is closed and
// the loop runs (notifySystemd). A loop still running quitGrace after the
// stop is left behind: hung finishes the stop and exits (quitGuard).
func (k *kioskRun) showUntilStopped(ctx context.Context, a fyne.App, w fyne.Window, rendered <-chan struct{}, hung func()) {
	returned := make(chan struct{})
	go k.quitGuard(a, hung).run(ctx, returned)
	go k.notifySystemd(ctx, rendered)
	w.ShowAndRun()
	close(returned)
}

// quitGrace is how long the window loop gets to end after a stop.
const quitGrace = 15 * time.Second

// quitGuard (quitguard.go) for the kiosk's window: on a stop it tells
// systemd and asks Fyne's driver to end its loop, as Fyne's own SIGTERM
// handler does, and closes no window itself: fyne.App.Quit closes every
// window first, and a pointer move the loop still polls over a closing
// window makes Fyne 2.7.1 call through the window's nil view, a panic
// (TestKioskQuitLeavesWindowsOpen). Should the loop not return
// within quitGrace, it logs it, runs finish (the stop record, the
// store's close) and exits with 0: everything of the stop is done but
// the window's teardown.
func (k *kioskRun) quitGuard(a fyne.App, finish func()) quitGuard {
	return quitGuard{
		quit: func() {
			_ = sdnotify.Stopping()
			fyne.Do(a.Driver().Quit)
		},
		grace: quitGrace,
		after: time.After,
		hung: func() {
			k.log.Error("the window did not close within the grace after the stop; the kiosk stops without it", "grace", quitGrace)
			finish()
			os.Exit(0)
		},
	}
}

// notifySystemd tells systemd (Type=notify) READY=1 once the kiosk screen
// is drawn and the Fyne loop runs, then pings its watchdog every half
// interval, each ping after a round trip through the Fyne loop: a frozen
// screen stops the pings and systemd restarts the kiosk (WatchdogSec= in
// selvkasse.service). Until the screen is up the pings go without the
// round trip, so a slow start (software rendering) is not taken for a
// frozen one; a start that hangs is TimeoutStartSec='s to end.
func (k *kioskRun) notifySystemd(ctx context.Context, rendered <-chan struct{}) {
	every, watchdog := sdnotify.WatchdogInterval()
	var tick <-chan time.Time
	if watchdog {
		t := time.NewTicker(every / 2)
		defer t.Stop()
		tick = t.C
	}
	ping := func() {
		if err := sdnotify.Watchdog(); err != nil {
			k.log.Warn("sd_notify WATCHDOG", "err", err)
		}
	}
	for up := false; !up; {
		select {
		case <-ctx.Done():
			return
		case <-tick:
			ping()
		case <-rendered:
			up = true
		}
	}
	fyne.DoAndWait(func() {}) // the window is shown and its loop runs
	k.start.mark("loop")
	if err := sdnotify.Ready(); err != nil {
		k.log.Warn("sd_notify READY", "err", err)
	}
	k.start.log(k.log)
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick:
			fyne.DoAndWait(func() {})
			ping()
		}
	}
}
