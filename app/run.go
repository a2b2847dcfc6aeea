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
	"syscall"
	"time"

	"selvkasse/devices/gpiocab"
	"selvkasse/kiosk"
	"selvkasse/storage"
)

// runCmd is `selvkasse run --config FILE`: the kiosk on its real devices,
// full screen. A serial device that is missing at start is opened when it
// appears (the kiosk is out of order meanwhile); a payment terminal that
// does not register, or a cabinet whose lines cannot be requested, stops
// it with the reason, for systemd to restart it and the technician to
// read in the journal.
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
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	db, err := storage.Open(cfg.DataDir, storage.Options{Logger: log})
	if err != nil {
		return fmt.Errorf("cannot open the data dir %s: %w", cfg.DataDir, err)
	}
	defer db.Close()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()

	k := newKioskRun(log)
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
	cab, err := gpiocab.Open(cfg.Devices.Cabinet.gpiocab())
	if err != nil {
		if errors.Is(err, gpiocab.ErrBadConfig) {
			return fmt.Errorf("%w: %s: devices.cabinet: %v", ErrBadConfig, *path, err)
		}
		return fmt.Errorf("cabinet: %w", err)
	}
	defer cab.Close()

	lang := cfg.Lang
	if lang == "" {
		lang = "nb"
	}
	fmt.Fprintf(stdout, "selvkasse run: kiosk %s, data %s, terminal %s, health http://%s/healthz\n", cfg.KioskID, cfg.DataDir, term.where, cfg.Health)
	return k.run(ctx, stop, kioskOptions{
		ID: cfg.KioskID, Shop: cfg.Shop, DB: db, Health: cfg.Health, Lang: lang, Fullscreen: !*windowed,
		AppID: "no.selvkasse.kiosk",
		Devices: Devices{
			Scanner: serial.Scanner, Printer: serial.Printer, Terminal: term.Terminal, Cabinet: cab, Staff: cab,
		},
	})
}
