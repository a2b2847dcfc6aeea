package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"selvkasse/kiosk"
	"selvkasse/storage"
)

const reportUsage = `report: usage:
  selvkasse report x|z --config FILE
  selvkasse report x|z --data DIR [--kiosk ID]
x prints the X report of the open period (since the last Z report); it
changes nothing. z closes the day: the card terminal's end of day (with
--config), then the Z report, numbered, once a day per kiosk. Both are
journaled in full (13008, 13009) and need the kiosk stopped; at the kiosk
itself they are on the staff screen. With --data alone the report names
no shop and no terminal is asked: the card difference is unknown.`

// reportCmd: `selvkasse report x|z`, the X and Z reports of a stopped
// kiosk (kassasystemforskrifta §§ 2-8-2, 2-8-3; bokføringsforskriften
// § 5-3-14), printed to stdout.
func reportCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "x" && args[0] != "z") {
		return usageError(reportUsage)
	}
	z := args[0] == "z"
	fl := flag.NewFlagSet("report "+args[0], flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	cfgPath := fl.String("config", "", "configuration file: data dir, kiosk, shop and card terminal")
	data := fl.String("data", "", "data directory")
	kioskID := fl.String("kiosk", "", "kiosk ID (when the data dir holds more than one)")
	if err := fl.Parse(args[1:]); err != nil {
		return usageError(fmt.Sprintf("report %s: %v\n%s", args[0], err, reportUsage))
	}
	if fl.NArg() > 0 || (*cfgPath == "") == (*data == "") {
		return usageError(fmt.Sprintf("report %s: give --config FILE or --data DIR\n%s", args[0], reportUsage))
	}
	var cfg Config
	if *cfgPath != "" {
		var err error
		if cfg, err = LoadConfig(*cfgPath); err != nil {
			return err
		}
		if *kioskID != "" && *kioskID != cfg.KioskID {
			return usageError(fmt.Sprintf("report %s: --kiosk %s, but %s is kiosk %s", args[0], *kioskID, *cfgPath, cfg.KioskID))
		}
	} else {
		cfg = Config{DataDir: *data, KioskID: *kioskID}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := runReport(ctx, cfg, *cfgPath != "", z, kiosk.SystemClock{}, stdout, stderr); err != nil {
		return fmt.Errorf("report %s: %w", args[0], err)
	}
	return nil
}

// runReport makes the report on cfg's data dir, the card terminal's end
// of day first when withTerminal and z.
func runReport(ctx context.Context, cfg Config, withTerminal, z bool, clk kiosk.Clock, stdout, stderr io.Writer) error {
	// A mistyped --data is an error, not a new empty store.
	if _, err := os.Stat(cfg.DataDir); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no data dir %s", cfg.DataDir)
	}
	db, err := openStopped(cfg.DataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	if cfg.KioskID == "" {
		if cfg.KioskID, err = onlyKiosk(ctx, db, cfg.DataDir); err != nil {
			return err
		}
	}
	// The system id goes on the report (kassasystemlova § 2 f); a data
	// dir from before ids gets its id now, journaled, as the kiosk's
	// start does.
	sysID, err := ensureSystemID(ctx, db, cfg.DataDir, cfg.KioskID, clk.Now())
	if err != nil {
		return err
	}
	r := kiosk.Reports{Store: db, Journal: db, Clock: clk, KioskID: cfg.KioskID, Shop: cfg.Shop, System: systemName(), SystemID: sysID}
	if cfg.Shop.Name == "" {
		fmt.Fprintln(stderr, "report: no shop given (--config FILE names it): the report names none")
	}
	var rep kiosk.Report
	var rec kiosk.Record
	if z {
		if withTerminal {
			t, err := openTerminal(ctx, cfg.Devices.Terminal, clk, nil, nil)
			if err != nil {
				// The Z report runs all the same; it says the
				// difference is unknown, and why.
				fmt.Fprintf(stderr, "report: the card terminal cannot close its day: %v\n", err)
				r.Terminal = failedTerminal{err}
			} else {
				defer t.Close()
				r.Terminal = t.Terminal
			}
		}
		rep, rec, err = r.Z(ctx, currentUser())
	} else {
		rep, rec, err = r.X(ctx, currentUser())
	}
	switch {
	case errors.Is(err, kiosk.ErrSaleOpen):
		return fmt.Errorf("%w\nStart the kiosk: it finishes or voids the sale it left open; then make the Z report", err)
	case errors.Is(err, kiosk.ErrClockBehind):
		return fmt.Errorf("%w\nSet the clock right (timedatectl) first; the refusal is journaled", err)
	case err != nil:
		return err
	}
	fmt.Fprint(stdout, rep.Text())
	what := "X report"
	if z {
		what = fmt.Sprintf("Z report %d", rep.No)
	}
	fmt.Fprintf(stdout, "\n%s of kiosk %s journaled as record %d\n", what, cfg.KioskID, rec.Seq)
	return nil
}

// onlyKiosk is the one kiosk whose totals the store keeps.
func onlyKiosk(ctx context.Context, db *storage.DB, dir string) (string, error) {
	ts, err := db.ListTotals(ctx)
	if err != nil {
		return "", err
	}
	switch len(ts) {
	case 0:
		return "", fmt.Errorf("%s has no sales recorded (is it the kiosk's data dir?); name the kiosk with --kiosk ID to report on it anyway", dir)
	case 1:
		return ts[0].Kiosk, nil
	}
	ids := make([]string, len(ts))
	for i, t := range ts {
		ids[i] = t.Kiosk
	}
	return "", fmt.Errorf("%s holds the kiosks %s: name one with --kiosk ID", dir, strings.Join(ids, ", "))
}

// failedTerminal is a card terminal that could not be reached: its end of
// day fails with the reason.
type failedTerminal struct{ err error }

func (f failedTerminal) CloseDay(context.Context) (kiosk.TerminalTotals, error) {
	return kiosk.TerminalTotals{}, f.err
}
