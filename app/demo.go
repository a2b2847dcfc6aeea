package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"selvkasse/app/ui"
	"selvkasse/devices/serialport"
	"selvkasse/kiosk"
	"selvkasse/storage"
)

// demoCmd runs the kiosk with simulated devices and a Simulator window.
func demoCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", DefaultDataDir(), "data directory (Badger)")
	health := fs.String("health", DefaultHealthAddr, "loopback address for /healthz and the simulator endpoint")
	lang := fs.String("lang", "nb", "screen language: nb or en")
	fullscreen := fs.Bool("fullscreen", false, "kiosk window full screen")
	if err := fs.Parse(args); err != nil {
		return usageError("demo: " + err.Error())
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))

	if err := os.MkdirAll(*data, 0o700); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	db, err := storage.Open(*data, storage.Options{Logger: log})
	if err != nil {
		return fmt.Errorf("cannot open the data dir %s: %w", *data, err)
	}
	defer db.Close()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := seedIfEmpty(ctx, db); err != nil {
		return err
	}

	// Serial line events reach the checkout through a goroutine: they come
	// from inside the drivers, which the checkout may be calling.
	devEvents := make(chan DeviceEvent, 16)
	devs, err := openDemoDevices(kiosk.SystemClock{}, log, func(e DeviceEvent) {
		select {
		case devEvents <- e:
		default: // a burst: the next poll or read catches up
		}
	}, 0)
	if err != nil {
		return err
	}
	defer devs.Close()
	fmt.Fprintf(stdout, "selvkasse demo: scanner on %s, receipt printer on %s, payment terminal (ZVT) on %s\n",
		devs.scan.Path(), devs.print.Path(), devs.term.link)
	co := newCheckout("K1", DemoShop, db, devs.ports(), kiosk.SystemClock{}, log)
	go forwardDeviceEvents(ctx, co, devEvents)
	// The terminal's prompts go to the screen. They come from inside the
	// ZVT driver, which the checkout may be calling: a goroutine forwards.
	prompts := make(chan [2]string, 16)
	devs.term.OnStatus(func(nb, en string) {
		select {
		case prompts <- [2]string{nb, en}:
		default:
		}
	})
	go func() {
		for {
			select {
			case p := <-prompts:
				co.SetPayStatusLang(p[0], p[1])
			case <-ctx.Done():
				return
			}
		}
	}()
	// Listen first (a busy address fails before the journal records a
	// start), answer only once the checkout has settled what a crash
	// left pending, so /healthz never shows a state it is about to leave.
	l, err := listenLoopback(*health)
	if err != nil {
		return err
	}
	hs := &server{co: co, sim: devs, start: time.Now()}
	if err := co.Start(ctx); err != nil {
		l.Close()
		return err
	}
	srv := serve(l, hs, log)
	defer shutdown(srv)
	ran := make(chan struct{})
	go func() { defer close(ran); _ = co.Run(ctx) }()

	products, err := db.List(ctx)
	if err != nil {
		return err
	}
	a := fyneapp.NewWithID("no.selvkasse.demo")
	a.Settings().SetTheme(ui.Theme())
	w := a.NewWindow("Selvkasse")
	screen := ui.NewScreen(co, *lang)
	screen.SetOnError(func(err error) { log.Info("screen action refused", "err", err) })
	screen.SetOnRender(func(v kiosk.View) { hs.screen.Store(uint32(v.State)) })
	w.SetContent(screen.Content())
	w.Resize(fyne.NewSize(1280, 800))
	w.SetFullScreen(*fullscreen)
	w.SetMaster()
	unbind := screen.Bind()
	defer unbind()

	sw := a.NewWindow("Selvkasse Simulator")
	simPanel := ui.NewSimulator(simControls{devs}, products)
	sw.SetContent(simPanel.Content())
	sw.Resize(fyne.NewSize(ui.SimulatorWidth, 1000))
	simPanel.Bind()
	sw.Show()

	go func() {
		<-ctx.Done()
		fyne.Do(a.Quit)
	}()
	fmt.Fprintf(stdout, "selvkasse demo: data %s, health http://%s/healthz\n", *data, *health)
	w.ShowAndRun()

	stop()
	<-ran
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := co.Stop(sctx); err != nil {
		log.Error("journal stop", "err", err)
	}
	return nil
}

// serve answers on the loopback endpoint l.
func serve(l net.Listener, s *server, log *slog.Logger) *http.Server {
	srv := &http.Server{Handler: s.handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("health endpoint", "err", err)
		}
	}()
	return srv
}

func shutdown(srv *http.Server) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = srv.Shutdown(ctx)
}

// forwardDeviceEvents tells the checkout about serial devices that went
// away or came back: a scanner fault is raised and cleared at once; for
// the printer, the checkout looks at it (a printer back on its line may
// still be out of paper).
func forwardDeviceEvents(ctx context.Context, co *kiosk.Checkout, events <-chan DeviceEvent) {
	for {
		select {
		case e := <-events:
			switch {
			case e.Device == kiosk.DevPrinter:
				co.CheckPrinter()
			case e.Event.Kind == serialport.EventUnplugged:
				co.DeviceFault(e.Device)
			case e.Event.Kind == serialport.EventReopened:
				co.DeviceOK(e.Device)
			}
		case <-ctx.Done():
			return
		}
	}
}
