package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"selvkasse/kiosk"
	"selvkasse/kiosk/saft"
	"selvkasse/storage"
)

const saftUsage = `saft: usage:
  selvkasse saft export --data DIR --from YYYY-MM-DD --to YYYY-MM-DD --out DIR [--config FILE]
writes the journal of the days from --from to --to (both included,
Norwegian time) as a SAF-T Cash Register 1.00 file into the directory
--out, named as Skatteetaten's documentation says (SAF-T Cash
Register_<org. no.>_<created>_1_1.xml). The shop is the one --config FILE
names (its data_dir when --data is not given); without it, a demo data
dir's is the demo shop. Needs the kiosk stopped; it signs nothing and
writes nothing to the journal (but the system id, in a data dir from
before there was one).`

// saftCmd: `selvkasse saft export` (issue 12 item 6; kassasystemforskrifta
// § 2-7 (1)).
func saftCmd(args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "export" {
		return usageError(saftUsage)
	}
	fl := flag.NewFlagSet("saft export", flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	data := fl.String("data", "", "data directory")
	fromS := fl.String("from", "", "first day, YYYY-MM-DD")
	toS := fl.String("to", "", "last day, YYYY-MM-DD")
	out := fl.String("out", "", "directory to write the file into")
	cfgPath := fl.String("config", "", "configuration file: the shop, the kiosk and the data dir")
	if err := fl.Parse(args[1:]); err != nil {
		return usageError(fmt.Sprintf("saft export: %v\n%s", err, saftUsage))
	}
	if fl.NArg() > 0 {
		return usageError(fmt.Sprintf("saft export: unexpected argument %q\n%s", fl.Arg(0), saftUsage))
	}
	if *fromS == "" || *toS == "" || *out == "" {
		return usageError("saft export: --from, --to and --out are required\n" + saftUsage)
	}
	zone, err := signingZone()
	if err != nil {
		return err
	}
	from, err := time.ParseInLocation(time.DateOnly, *fromS, zone)
	if err != nil {
		return usageError(fmt.Sprintf("saft export: --from %q is not a date (YYYY-MM-DD)", *fromS))
	}
	to, err := time.ParseInLocation(time.DateOnly, *toS, zone)
	if err != nil {
		return usageError(fmt.Sprintf("saft export: --to %q is not a date (YYYY-MM-DD)", *toS))
	}
	if to.Before(from) {
		return usageError(fmt.Sprintf("saft export: --to %s is before --from %s", *toS, *fromS))
	}
	req := saftRequest{DataDir: *data, Out: *out, From: from, To: to, Zone: zone, By: currentUser()}
	if *cfgPath != "" {
		cfg, err := LoadConfig(*cfgPath)
		if err != nil {
			return err
		}
		req.Config, req.ConfigPath = &cfg, *cfgPath
		if req.DataDir == "" {
			req.DataDir = cfg.DataDir
		}
	}
	if req.DataDir == "" {
		return usageError("saft export: give --data DIR (or --config FILE, whose data_dir it is)\n" + saftUsage)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	if _, err := runSAFTExport(ctx, req, time.Now, stdout); err != nil {
		return fmt.Errorf("saft export: %w", err)
	}
	return nil
}

// saftRequest is one export as the command line asks for it.
type saftRequest struct {
	DataDir, Out string
	From, To     time.Time // the first and the last day, midnight in Zone
	Zone         *time.Location
	Config       *Config // nil: no --config
	ConfigPath   string
	By           string
}

// runSAFTExport writes the export into req.Out and returns the file's
// path. Nothing is created for a data dir without a store (ErrNoJournal)
// or a missing out dir; the file is written to a temporary file beside
// it and renamed once whole, and an existing file is never replaced.
func runSAFTExport(ctx context.Context, req saftRequest, now func() time.Time, stdout io.Writer) (string, error) {
	if fi, err := os.Stat(req.Out); err != nil || !fi.IsDir() {
		if err == nil {
			err = errors.New("not a directory")
		}
		return "", fmt.Errorf("--out %s: %w (give an existing directory)", req.Out, err)
	}
	// A mistyped --data must not become a new, empty store and an empty
	// export.
	if _, err := os.Stat(filepath.Join(req.DataDir, "MANIFEST")); err != nil {
		return "", fmt.Errorf("%s holds no journal (no Badger MANIFEST): %w", req.DataDir, ErrNoJournal)
	}
	db, err := openStoppedWith(req.DataDir, storage.Options{ScanWorkers: journalReaders()})
	if errors.Is(err, storage.ErrRolledBack) {
		return "", openDataErr(req.DataDir, err)
	}
	if err != nil {
		return "", err
	}
	defer db.Close()
	end := req.To.AddDate(0, 0, 1)
	sc, err := scanJournal(ctx, db, req.From, end)
	if err != nil {
		return "", err
	}
	var shop kiosk.Shop
	var kioskID string
	switch {
	case req.Config != nil:
		shop, kioskID = req.Config.Shop, req.Config.KioskID
	case sc.demo:
		shop = DemoShop
	default:
		return "", fmt.Errorf("which shop's file is it? %s is not the demo's data dir: give --config FILE, whose shop (name, org_no, address) the file names", req.DataDir)
	}
	created := now().In(req.Zone).Truncate(time.Second)
	if shop.OrgNo == "" {
		return "", fmt.Errorf("the shop %q has no organisation number (shop.org_no in %s): a SAF-T file is named and identified by it", shop.Name, req.ConfigPath)
	}
	if _, err := saft.FileName(shop.OrgNo, created, 1, 1); err != nil {
		return "", fmt.Errorf("the shop's organisation number (shop.org_no): %w", err)
	}
	staff, err := db.ListStaff(ctx)
	if err != nil {
		return "", fmt.Errorf("read the staff register: %w", err)
	}
	home := kioskID
	if home == "" && len(sc.kiosks) == 1 {
		for k := range sc.kiosks {
			home = k
		}
	}
	systemID, err := ensureSystemID(ctx, db, req.DataDir, home, now())
	if err != nil {
		return "", err
	}
	res, err := buildSAFT(sc, staff, saftExport{Shop: shop, KioskID: kioskID, From: req.From, To: req.To,
		Created: created, SystemID: systemID, By: req.By, Zone: req.Zone})
	if err != nil {
		return "", err
	}
	name, err := res.Doc.FileName(1, 1)
	if err != nil {
		return "", err
	}
	path := filepath.Join(req.Out, name)
	if err := writeNewFile(path, 0o644, func(w io.Writer) error { return saft.Encode(w, res.Doc) }); err != nil {
		return "", err
	}
	days := req.From.Format(time.DateOnly)
	if !req.To.Equal(req.From) {
		days += " to " + req.To.Format(time.DateOnly)
	}
	fmt.Fprintf(stdout, "saft export: %s\n  %s: %d cash transactions and %d events of registers %s; system id %s\n",
		path, days, res.Transactions, res.Events, strings.Join(res.Registers, ", "), systemID)
	if res.Transactions == 0 {
		fmt.Fprintf(stdout, "  note: the journal has no cash transactions on %s: the file holds the master data and %d events only\n", days, res.Events)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(stdout, "  note: %s\n", n)
	}
	return path, nil
}

// writeNewFile writes path with mode perm through write: into a
// temporary file beside it, synced, then renamed to path, so that path
// appears whole or not at all. An existing path is an error, never
// replaced.
func writeNewFile(path string, perm fs.FileMode, write func(io.Writer) error) (err error) {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s exists already: %w", path, fs.ErrExist)
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if err := writeSynced(f, perm, write); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s exists already: %w", path, fs.ErrExist)
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("%s written, but its directory not synced: %w", path, err)
	}
	return nil
}
