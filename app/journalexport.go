package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"selvkasse/kiosk"
	"selvkasse/storage"
)

// journalExport is `selvkasse journal export --data DIR [--from DATE]
// [--to DATE]`: the journal printed readably, one record after another
// (kassasystemforskrifta § 2-7: the journal can be moved to another medium
// and printed). Dates are days in Norwegian time, both included; without
// them the whole journal. It only reads; a directory without a store is
// ErrNoJournal, and a data dir the kiosk holds must be copied first (or
// the kiosk stopped), as the store allows one process at a time.
func journalExport(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("journal export", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	data := fs.String("data", DefaultDataDir(), "data directory")
	fromS := fs.String("from", "", "first day, YYYY-MM-DD (Norwegian time); empty: the first record")
	toS := fs.String("to", "", "last day, YYYY-MM-DD, included; empty: the last record")
	if err := fs.Parse(args); err != nil {
		return usageError("journal export: " + err.Error())
	}
	zone, err := signingZone()
	if err != nil {
		return err
	}
	var from, to time.Time
	if *fromS != "" {
		if from, err = time.ParseInLocation(time.DateOnly, *fromS, zone); err != nil {
			return usageError("journal export: --from: " + err.Error())
		}
	}
	if *toS != "" {
		if to, err = time.ParseInLocation(time.DateOnly, *toS, zone); err != nil {
			return usageError("journal export: --to: " + err.Error())
		}
		to = to.AddDate(0, 0, 1)
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		return usageError("journal export: --from is after --to")
	}
	if _, err := os.Stat(filepath.Join(*data, "MANIFEST")); err != nil {
		return fmt.Errorf("journal export: %s holds no journal (no Badger MANIFEST): %w", *data, ErrNoJournal)
	}
	db, err := storage.Open(*data, storage.Options{OpenRolledBack: true, ScanWorkers: journalReaders()})
	if errors.Is(err, storage.ErrInUse) {
		return fmt.Errorf("journal export: %w: the kiosk runs on %s; stop it, or export from a copy of the data dir", err, *data)
	}
	if err != nil {
		return err
	}
	defer db.Close()
	n := 0
	err = db.Scan(context.Background(), 1, func(r kiosk.Record) error {
		if (!from.IsZero() && r.Time.Before(from)) || (!to.IsZero() && !r.Time.Before(to)) {
			return nil
		}
		n++
		return printRecord(stdout, r, zone)
	})
	if err != nil {
		return fmt.Errorf("journal export: after %d records: %w", n, err)
	}
	fmt.Fprintf(stdout, "-- %d records\n", n)
	return nil
}

// printRecord writes r as lines of text a person (and a printer) reads.
func printRecord(w io.Writer, r kiosk.Record, zone *time.Location) error {
	var b strings.Builder
	fmt.Fprintf(&b, "#%d  %s  %v", r.Seq, r.Time.In(zone).Format("2006-01-02 15:04:05"), r.Code)
	if r.Subtype != "" {
		fmt.Fprintf(&b, " / %s", r.Subtype)
	}
	b.WriteString("\n")
	field := func(name, v string) {
		if v != "" {
			fmt.Fprintf(&b, "    %-10s %s\n", name, v)
		}
	}
	field("kiosk", r.Kiosk)
	field("sale", r.SaleID)
	if r.ReceiptNo > 0 {
		field("receipt", fmt.Sprint(r.ReceiptNo))
	}
	if r.Amount != 0 {
		field("amount", r.Amount.String())
	}
	field("text", r.Text)
	keys := make([]string, 0, len(r.Data))
	for k := range r.Data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := r.Data[k]
		if k == "report" {
			v = fmt.Sprintf("(%d bytes of figures; the report's text is above)", len(v))
		}
		field(k, v)
	}
	if t := r.Tx; t != nil {
		for _, l := range t.Lines {
			fmt.Fprintf(&b, "    line       %d x %s %s = %s (%s, VAT %s)\n", l.Qty, l.GTIN, l.Name, l.Amount, l.Price, l.VAT)
		}
		for _, v := range t.VAT {
			fmt.Fprintf(&b, "    vat        %s: %s of %s\n", v.Rate, v.VAT, v.Gross)
		}
		fmt.Fprintf(&b, "    total      %s (without VAT %s)\n", t.AmountIn, t.AmountEx)
		fmt.Fprintf(&b, "    payment    %s %s %s %s\n", t.Payment.Method, t.Payment.Card, t.Payment.Amount, t.Payment.Trace)
		if t.Training {
			b.WriteString("    training   yes: not a purchase\n")
		}
		fmt.Fprintf(&b, "    signature  %s (key version %s)\n", t.Signature, t.KeyVersion)
	}
	fmt.Fprintf(&b, "    hash       %s\n", r.Hash)
	_, err := io.WriteString(w, b.String())
	return err
}
