package app

import (
	"flag"
	"fmt"
	"io"
	"os"

	"selvkasse/storage"
)

// runCmd is `selvkasse run --config FILE`: the kiosk on real devices. The
// configuration and the data dir are checked now; the device drivers come
// with their own issues, and until then run stops and says which.
func runCmd(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "/etc/selvkasse/config.json", "configuration file")
	if err := fs.Parse(args); err != nil {
		return usageError("run: " + err.Error())
	}
	cfg, err := LoadConfig(*path)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	db, err := storage.Open(cfg.DataDir, storage.Options{})
	if err != nil {
		return fmt.Errorf("cannot open the data dir %s: %w", cfg.DataDir, err)
	}
	defer db.Close()
	return fmt.Errorf("run: configuration %s and data dir %s are good, but the real device drivers are not implemented yet: "+
		"serial barcode scanner and ESC/POS printer (devices/scanner, devices/escpos), ZVT payment terminal (devices/zvt), "+
		"GPIO cabinet lock; use `selvkasse demo` for simulated devices", *path, cfg.DataDir)
}
