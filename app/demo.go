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

	"selvkasse/kiosk"
)

// demoCmd runs the kiosk with simulated devices and a Simulator window.
func demoCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", DefaultDataDir(), "data directory (Badger)")
	health := fs.String("health", DefaultHealthAddr, "loopback address for /healthz and the simulator endpoint")
	lang := fs.String("lang", "nb", "screen language: nb or en")
	fullscreen := fs.Bool("fullscreen", false, "kiosk window full screen")
	simWindow := fs.Bool("simulator", true, "show the Simulator window (the appliance image runs without it; `selvkasse sim` still works)")
	if err := fs.Parse(args); err != nil {
		return usageError("demo: " + err.Error())
	}
	if err := needDisplay("demo"); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))

	if err := os.MkdirAll(*data, 0o700); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	db, err := openKioskStore(*data, log)
	if refusedStore(err) {
		return newKioskRun(log).refuse(ctx, stop, kioskOptions{Health: *health, Lang: *lang, Fullscreen: *fullscreen, AppID: "no.selvkasse.demo"}, *data, err, stderr)
	}
	if err != nil {
		return openDataErr(*data, err)
	}
	defer db.Close()
	if err := prepareStore(ctx, db, *data, "K1", time.Now()); err != nil {
		if refusedStore(err) {
			return newKioskRun(log).refuse(ctx, stop, kioskOptions{Health: *health, Lang: *lang, Fullscreen: *fullscreen, AppID: "no.selvkasse.demo"}, *data, err, stderr)
		}
		return err
	}
	sysID, err := ensureSystemID(ctx, db, *data, "K1", time.Now())
	if err != nil {
		return err
	}
	if err := seedIfEmpty(ctx, db); err != nil {
		return err
	}
	if err := seedStaffIfEmpty(ctx, db, nil, time.Now()); err != nil {
		return err
	}
	k := newKioskRun(log)
	k.start.mark("store")
	k.start.noteTables(db)
	devs, err := openDemoDevices(kiosk.SystemClock{}, log, k.deviceEvent, 0)
	if err != nil {
		return err
	}
	k.start.mark("devices")
	defer devs.Close()
	devs.term.OnStatus(k.prompt)
	devs.term.OnLink(k.terminalLink)
	fmt.Fprintf(stdout, "selvkasse demo: scanner on %s, receipt printer on %s, payment terminal (ZVT) on %s\n",
		devs.scan.Path(), devs.print.Path(), devs.term.link)
	fmt.Fprintf(stdout, "selvkasse demo: data %s, health http://%s/healthz\n", *data, *health)
	return k.run(ctx, stop, kioskOptions{
		ID: "K1", Shop: DemoShop, DB: db, DataDir: *data, Devices: devs.ports(), Health: *health,
		Lang: *lang, Fullscreen: *fullscreen, AppID: "no.selvkasse.demo", Sim: devs, SimWindow: *simWindow, SystemID: sysID,
	})
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
