package app

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"selvkasse/kiosk"
	"selvkasse/storage"
)

const priceUsage = `price: usage:
  selvkasse price set GTIN PRICE [--from "YYYY-MM-DD HH:MM"] [--data DIR] [--by NAME]
  selvkasse price audit [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--data DIR]
  selvkasse price labels --since YYYY-MM-DD [--out FILE] [--data DIR]
set changes a product's price, now or from a time to come (Norwegian
time); a time in the past is refused. The change is journaled (13021)
when it is made, and a scheduled price sells from its minute on, also
after a restart. audit recomputes every sale line from the price history
and lists each line not charged at the price in force (exit status 1).
labels writes the shelf labels (CSV: gtin;name;price;unit;effective_from)
of the prices changed since a day, scheduled ones included. All need the
kiosk stopped.`

// priceCmd: `selvkasse price set|audit|labels` on a stopped kiosk's data
// dir (issue 13 item 2).
func priceCmd(args []string, stdout, stderr io.Writer) error {
	return runPrice(args, kiosk.SystemClock{}, stdout, stderr)
}

// runPrice is priceCmd with the clock that tells now.
func runPrice(args []string, clk kiosk.Clock, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError(priceUsage)
	}
	sub := args[0]
	fl := flag.NewFlagSet("price "+sub, flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	data := fl.String("data", DefaultDataDir(), "data directory")
	var from, to, since, out, by *string
	switch sub {
	case "set":
		from = fl.String("from", "", "effective time, YYYY-MM-DD HH:MM Norwegian time; default now")
		by = fl.String("by", currentUser(), "who makes the change, for the journal")
	case "audit":
		from = fl.String("from", "", "first day, YYYY-MM-DD")
		to = fl.String("to", "", "last day, YYYY-MM-DD")
	case "labels":
		since = fl.String("since", "", "first day, YYYY-MM-DD")
		out = fl.String("out", "", "file to write; default standard output")
	default:
		return usageError(fmt.Sprintf("price: unknown subcommand %q\n%s", sub, priceUsage))
	}
	pos, err := parseInterleaved(fl, args[1:])
	if err != nil {
		return usageError(fmt.Sprintf("price %s: %v\n%s", sub, err, priceUsage))
	}
	zone, err := signingZone()
	if err != nil {
		return fmt.Errorf("price %s: %w", sub, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	switch sub {
	case "set":
		if len(pos) != 2 {
			return usageError(fmt.Sprintf("price set: give GTIN and PRICE\n%s", priceUsage))
		}
		err = runPriceSet(ctx, *data, clk, zone, pos[0], pos[1], *from, *by, stdout)
	case "audit":
		if len(pos) > 0 {
			return usageError(fmt.Sprintf("price audit: unexpected argument %q\n%s", pos[0], priceUsage))
		}
		err = runPriceAudit(ctx, *data, clk, zone, *from, *to, stdout)
	case "labels":
		if len(pos) > 0 || *since == "" {
			return usageError(fmt.Sprintf("price labels: give --since YYYY-MM-DD\n%s", priceUsage))
		}
		err = runPriceLabels(ctx, *data, clk, zone, *since, *out, stdout)
	}
	if err != nil {
		return fmt.Errorf("price %s: %w", sub, err)
	}
	return nil
}

// openPriceStore opens a stopped kiosk's data dir with clk as the price
// clock; a mistyped dir is an error, not a new empty store.
func openPriceStore(dir string, clk kiosk.Clock, readOnly bool) (*storage.DB, error) {
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no data dir %s", dir)
	}
	db, err := storage.Open(dir, storage.Options{Clock: clk, ReadOnly: readOnly})
	if errors.Is(err, storage.ErrInUse) {
		return nil, fmt.Errorf("%w (the kiosk is running on it: stop it first, e.g. systemctl stop selvkasse)", err)
	}
	return db, err
}

// parseEffective reads --from of price set: a Norwegian date and time
// ("2026-12-07 06:00", with seconds, or "T" between), or a date alone
// (its midnight). Empty is the zero time: now.
func parseEffective(s string, zone *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02T15:04:05", time.DateOnly} {
		if t, err := time.ParseInLocation(layout, s, zone); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("--from %q: give the effective time as YYYY-MM-DD HH:MM (Norwegian time)", s)
}

// priceSet changes g's price to price from from (zero: now), journaled
// 13021 by by, on an open store: the operation of `price set`, written
// so that the running kiosk's admin endpoint (app/admin.go) can register
// it as well. Errors: kiosk.ErrPriceInPast, kiosk.ErrBadPriceChange,
// kiosk.ErrNotFound (an unknown GTIN), storage's.
func priceSet(ctx context.Context, db *storage.DB, g kiosk.GTIN, price kiosk.Money, from time.Time, by string) (storage.PriceChange, error) {
	c, err := db.SetPrice(ctx, g, price, from, by)
	if errors.Is(err, kiosk.ErrNotFound) {
		return c, fmt.Errorf("%w: %s is not in the catalog (import it first)", err, g)
	}
	return c, err
}

func runPriceSet(ctx context.Context, dir string, clk kiosk.Clock, zone *time.Location, gtin, priceText, fromText, by string, stdout io.Writer) error {
	g, err := kiosk.ParseGTIN(gtin)
	if err != nil {
		return err
	}
	price, err := kiosk.ParseMoney(priceText)
	if err != nil {
		return err
	}
	from, err := parseEffective(fromText, zone)
	if err != nil {
		return err
	}
	if !from.IsZero() {
		// Refused before the store is opened, and said in local time.
		if err := kiosk.CheckPriceChange(price, from, clk.Now()); err != nil {
			return err
		}
	}
	db, err := openPriceStore(dir, clk, false)
	if err != nil {
		return err
	}
	defer db.Close()
	c, err := priceSet(ctx, db, g, price, from, by)
	if err != nil {
		return err
	}
	when := "now"
	if c.From.After(c.Record.Time) {
		when = "from " + c.From.In(zone).Format("2006-01-02 15:04:05")
	}
	fmt.Fprintf(stdout, "%s %s: %s -> %s %s, journaled as record %d (13021)\n", c.Product.GTIN, c.Product.Name, c.Old.Plain(), c.New.Plain(), when, c.Record.Seq)
	return nil
}

// dayRange reads --from and --to as whole Norwegian days: [from 00:00,
// the day after to 00:00). Empty ends are open.
func dayRange(fromText, toText string, zone *time.Location) (from, to time.Time, err error) {
	if fromText != "" {
		if from, err = time.ParseInLocation(time.DateOnly, fromText, zone); err != nil {
			return from, to, fmt.Errorf("--from %q: give a day as YYYY-MM-DD", fromText)
		}
	}
	if toText != "" {
		if to, err = time.ParseInLocation(time.DateOnly, toText, zone); err != nil {
			return from, to, fmt.Errorf("--to %q: give a day as YYYY-MM-DD", toText)
		}
		to = to.AddDate(0, 0, 1)
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		return from, to, fmt.Errorf("--from %s is after --to %s", fromText, toText)
	}
	return from, to, nil
}

// ErrPriceMismatch: the audit found sale lines not charged at the price
// in force.
var ErrPriceMismatch = errors.New("sale lines not charged at the price in force")

// runPriceAudit checks every sale completed in the days against the price
// history, reading one sale at a time (the history is held, the sales
// are not), and prints each mismatch.
func runPriceAudit(ctx context.Context, dir string, clk kiosk.Clock, zone *time.Location, fromText, toText string, stdout io.Writer) error {
	from, to, err := dayRange(fromText, toText, zone)
	if err != nil {
		return err
	}
	db, err := openPriceStore(dir, clk, true)
	if err != nil {
		return err
	}
	defer db.Close()
	book, err := db.PriceBook(ctx)
	if err != nil {
		return err
	}
	var sales, lines, bad int
	err = db.ScanSalePrices(ctx, func(s kiosk.Sale) error {
		if (!from.IsZero() && s.Completed.Before(from)) || (!to.IsZero() && !s.Completed.Before(to)) {
			return nil
		}
		sales++
		lines += len(s.Lines)
		for _, m := range book.Check(s) {
			if bad == 0 {
				fmt.Fprintln(stdout, "kiosk\treceipt\tline\tgtin\tcharged\texpected\tsold\twhy")
			}
			bad++
			fmt.Fprintf(stdout, "%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\n", m.Kiosk, m.ReceiptNo, m.Line, m.GTIN,
				m.Charged.Plain(), m.Expected.Plain(), m.Time.In(zone).Format("2006-01-02 15:04:05"), m.Reason)
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "price audit: %d sales, %d lines, %d mismatches\n", sales, lines, bad)
	if bad > 0 {
		return fmt.Errorf("%w: %d", ErrPriceMismatch, bad)
	}
	return nil
}

// labelUnit is the unit a shelf label prices by.
// TODO(lead, after merging catalog): the product's own unit (piece or kg).
func labelUnit(kiosk.Product) string { return "piece" }

// runPriceLabels writes the shelf labels of the prices changed since the
// day: one row per change, by effective time then GTIN.
func runPriceLabels(ctx context.Context, dir string, clk kiosk.Clock, zone *time.Location, sinceText, out string, stdout io.Writer) error {
	since, _, err := dayRange(sinceText, "", zone)
	if err != nil {
		return fmt.Errorf("--since %q: give a day as YYYY-MM-DD", sinceText)
	}
	db, err := openPriceStore(dir, clk, true)
	if err != nil {
		return err
	}
	defer db.Close()
	type label struct {
		p kiosk.Product
		v kiosk.PriceVersion
	}
	var ls []label
	err = db.PriceChanges(ctx, since, func(p kiosk.Product, v kiosk.PriceVersion) error {
		ls = append(ls, label{p, v})
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortStableFunc(ls, func(a, b label) int {
		return cmp.Or(a.v.From.Compare(b.v.From), strings.Compare(string(a.p.GTIN), string(b.p.GTIN)))
	})
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	_ = w.Write([]string{"gtin", "name", "price", "unit", "effective_from"})
	for _, l := range ls {
		_ = w.Write([]string{string(l.p.GTIN), l.p.Name, strings.Replace(l.v.Price.Decimal(), ".", ",", 1), labelUnit(l.p), l.v.From.In(zone).Format("2006-01-02 15:04")})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if out == "" {
		_, err = stdout.Write(buf.Bytes())
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d shelf labels written to %s\n", len(ls), out)
	return nil
}
