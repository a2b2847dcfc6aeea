package app

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"selvkasse/kiosk"
	"selvkasse/storage"
)

// agecheckCmd is `selvkasse agecheck export --from DATE --to DATE --data
// DIR [--out FILE]`: the age checks of those days (local time, both
// inclusive) as the CSV a municipality's tobacco-sales inspection asks
// for as internal control (tobakksskadeloven § 17: no sale to anyone
// under 18; the municipality's inspection under its chapter 2). One row
// per check: when, which kiosk and sale, which staff
// member decided and how, the outcome, the age limit and the product
// groups checked. No ID data is ever recorded, so none is exported.
func agecheckCmd(args []string, stdout io.Writer) error {
	const usage = "agecheck: usage: selvkasse agecheck export --from YYYY-MM-DD --to YYYY-MM-DD --data DIR [--out FILE]"
	if len(args) == 0 || args[0] != "export" {
		return usageError(usage)
	}
	fs := flag.NewFlagSet("agecheck export", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	data := fs.String("data", DefaultDataDir(), "data directory")
	fromS := fs.String("from", "", "first day, YYYY-MM-DD")
	toS := fs.String("to", "", "last day, YYYY-MM-DD")
	out := fs.String("out", "", "CSV file (default: standard output)")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError("agecheck export: " + err.Error())
	}
	from, err := time.ParseInLocation(time.DateOnly, *fromS, time.Local)
	if err != nil {
		return usageError(fmt.Sprintf("agecheck export: --from %q is not a date (YYYY-MM-DD)", *fromS))
	}
	to, err := time.ParseInLocation(time.DateOnly, *toS, time.Local)
	if err != nil {
		return usageError(fmt.Sprintf("agecheck export: --to %q is not a date (YYYY-MM-DD)", *toS))
	}
	if to.Before(from) {
		return usageError("agecheck export: --to is before --from")
	}
	db, err := storage.Open(*data, storage.Options{ScanWorkers: journalReaders()})
	if err != nil {
		return err
	}
	defer db.Close()
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return fmt.Errorf("agecheck export: %w", err)
		}
		defer f.Close()
		w = f
	}
	n, err := exportAgeChecks(context.Background(), db, from, to.AddDate(0, 0, 1), w)
	if err != nil {
		return err
	}
	if *out != "" {
		fmt.Fprintf(stdout, "agecheck export: %d age checks from %s to %s written to %s\n", n, *fromS, *toS, *out)
	}
	return nil
}

// ageCheckHeader is the export's first row.
var ageCheckHeader = []string{"time", "kiosk", "sale", "staff", "method", "outcome", "min_age", "product_groups"}

// exportAgeChecks writes the journal's age checks made in [from, to) as
// CSV and says how many.
func exportAgeChecks(ctx context.Context, j kiosk.Journal, from, to time.Time, w io.Writer) (int, error) {
	cw := csv.NewWriter(w)
	if err := cw.Write(ageCheckHeader); err != nil {
		return 0, fmt.Errorf("agecheck export: %w", err)
	}
	n := 0
	err := j.Scan(ctx, 0, func(r kiosk.Record) error {
		outcome := ""
		switch r.Subtype {
		case kiosk.SubAgeApproved:
			outcome = "approved"
		case kiosk.SubAgeRefused:
			outcome = "refused"
		default:
			return nil
		}
		if r.Time.Before(from) || !r.Time.Before(to) {
			return nil
		}
		n++
		return cw.Write([]string{r.Time.In(time.Local).Format(time.RFC3339), r.Kiosk, r.SaleID,
			r.Data["staff"], r.Data["method"], outcome, orDefault(r.Data["min_age"], strconv.Itoa(kiosk.AdultAge)), r.Data["groups"]})
	})
	if err != nil {
		return n, fmt.Errorf("agecheck export: read the journal: %w", err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, fmt.Errorf("agecheck export: %w", err)
	}
	return n, nil
}

// orDefault is s, or def when s is empty (records from before the age
// limit was journaled: every restricted product was 18+).
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
