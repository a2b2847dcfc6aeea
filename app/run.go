package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"selvkasse/devices/gpiocab"
	"selvkasse/kiosk"
)

// ErrNoSupervisor: the staff register has no active supervisor, so `run`
// does not open the kiosk for customers.
var ErrNoSupervisor = errors.New("no active supervisor")

// requireSupervisor refuses a data dir whose staff register has no active
// supervisor, naming the command that adds one.
func requireSupervisor(ctx context.Context, staff kiosk.StaffStore, dataDir string) error {
	ss, err := staff.ListStaff(ctx)
	if err != nil {
		return fmt.Errorf("read the staff register: %w", err)
	}
	if kiosk.HasActive(ss, kiosk.RoleSupervisor) {
		return nil
	}
	return fmt.Errorf("%w in the staff register of %s: the kiosk does not open for customers without one; add one, then start the kiosk again:\n"+
		"  selvkasse staff add --data %s --id ID --name \"FULL NAME\" --role supervisor --badge BADGE",
		ErrNoSupervisor, dataDir, shellQuote(dataDir))
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+=:,@%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// runCmd is `selvkasse run --config FILE`: the kiosk on its real devices,
// full screen. A data dir it must not sell on (a journal behind its
// anchor, damaged data) shows the out-of-order screen with the reason
// (refuse). A staff register without an active supervisor stops it
// before any device is opened (ErrNoSupervisor, naming the command that
// adds one). A serial device that is missing at start is opened when it
// appears (the kiosk is out of order meanwhile); a payment terminal that
// does not register, or a cabinet whose lines cannot be requested, stops
// it with the reason, for systemd to restart it and the technician to
// read in the journal. The cabinet's tower light, where wired, is the
// kiosk's intervention light.
func runCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "/etc/selvkasse/config.json", "configuration file")
	windowed := fs.Bool("windowed", false, "a window instead of full screen (for a technician's laptop)")
	if err := fs.Parse(args); err != nil {
		return usageError("run: " + err.Error())
	}
	cfg, err := LoadConfig(*path)
	if err != nil {
		return err
	}
	if err := needDisplay("run"); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	lang := cfg.Lang
	if lang == "" {
		lang = "nb"
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	db, err := openKioskStore(cfg.DataDir, log)
	if refusedStore(err) {
		return newKioskRun(log).refuse(ctx, stop, kioskOptions{Health: cfg.Health, Lang: lang, Fullscreen: !*windowed, AppID: "no.selvkasse.kiosk"}, cfg.DataDir, err, stderr)
	}
	if err != nil {
		return openDataErr(cfg.DataDir, err)
	}
	defer db.Close()
	if err := prepareStore(ctx, db, cfg.DataDir, cfg.KioskID, time.Now()); err != nil {
		if refusedStore(err) {
			return newKioskRun(log).refuse(ctx, stop, kioskOptions{Health: cfg.Health, Lang: lang, Fullscreen: !*windowed, AppID: "no.selvkasse.kiosk"}, cfg.DataDir, err, stderr)
		}
		return err
	}
	sysID, err := ensureSystemID(ctx, db, cfg.DataDir, cfg.KioskID, time.Now())
	if err != nil {
		return err
	}
	if err := requireSupervisor(ctx, db, cfg.DataDir); err != nil {
		return err
	}

	k := newKioskRun(log)
	k.start.mark("store")
	k.start.noteTables(db)
	clk := kiosk.SystemClock{}
	serial, err := openSerialDevices(cfg.Devices, clk, log, k.deviceEvent)
	if err != nil {
		return err
	}
	defer serial.Close()
	if cfg.Devices.Terminal.Path == "" && cfg.Devices.Terminal.Addr == "" {
		return fmt.Errorf("%w: %s: devices.terminal needs a path or an addr", ErrBadConfig, *path)
	}
	term, err := openTerminal(ctx, cfg.Devices.Terminal, clk, log, k.prompt)
	if err != nil {
		return err
	}
	defer term.Close()
	term.OnLink(k.terminalLink) // a lost line is a device fault until it is back
	if err := registerTerminal(ctx, term, clk, log, 30*time.Second); err != nil {
		return fmt.Errorf("payment terminal %s did not register: %w", term.where, err)
	}
	gc, err := cfg.Devices.Cabinet.gpiocab()
	if err != nil {
		return fmt.Errorf("%s: %w", *path, err)
	}
	cab, err := gpiocab.Open(gc)
	if err != nil {
		if errors.Is(err, gpiocab.ErrBadConfig) {
			return fmt.Errorf("%w: %s: devices.cabinet: %v", ErrBadConfig, *path, err)
		}
		return fmt.Errorf("cabinet: %w", err)
	}
	defer cab.Close()
	var key kiosk.StaffKey // staff log in with the key switch only where one is wired
	if gc.Key != nil {
		key = cab
	}

	k.start.mark("devices")
	fmt.Fprintf(stdout, "selvkasse run: kiosk %s, data %s, terminal %s, health http://%s/healthz\n", cfg.KioskID, cfg.DataDir, term.where, cfg.Health)
	return k.run(ctx, stop, kioskOptions{
		ID: cfg.KioskID, Shop: cfg.Shop, DB: db, DataDir: cfg.DataDir, Health: cfg.Health, Lang: lang, Fullscreen: !*windowed, Screen: cfg.Screen,
		AppID: "no.selvkasse.kiosk", SystemID: sysID, Speech: cfg.Speech, Sound: cfg.Sound, Keypad: cfg.Keypad, Checkout: cfg.checkout,
		Devices: Devices{
			Scanner: serial.Scanner, Printer: serial.Printer, Terminal: term.Terminal, Cabinet: cab, Staff: cab,
			Light: cab.Light(), Key: key,
		},
	})
}
