package app

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"selvkasse/kiosk"
	"selvkasse/storage"
)

const priceUsage = `price: usage:
  selvkasse price set GTIN PRICE [--from "YYYY-MM-DD HH:MM"] [--data DIR | --config FILE] [--staff ID] [--addr HOST:PORT]
  selvkasse price audit [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--data DIR | --config FILE] [--staff ID] [--addr HOST:PORT]
  selvkasse price labels --since YYYY-MM-DD [--out FILE] [--data DIR | --config FILE] [--staff ID] [--addr HOST:PORT]
set changes a product's price, now or from a time to come (Norwegian
time); a time in the past is refused. The change is journaled (13021)
when it is made, and a scheduled price sells from its minute on, also
after a restart. audit recomputes every sale line from the price history
and lists each line not charged at the price in force (exit status 1).
labels writes the shelf labels (CSV: gtin;name;price;unit;effective_from)
of the prices changed since a day, scheduled ones included.
With the kiosk stopped the command opens the data dir itself (a price set
is journaled by --staff, or --by, or the user running it). While the
kiosk runs on it, it goes through the kiosk's loopback endpoint (--addr,
or the config's "health") as a staff member: --staff ID (or
$SELVKASSE_STAFF) and the PIN, asked without echo, or from $SELVKASSE_PIN
(scripts), or the first line of standard input; wrong PINs count toward
the lock-out. set needs a supervisor and is journaled under them; the
kiosk's screen shows the new price at once. audit and labels: a clerk or
a supervisor.`

// priceCmd: `selvkasse price set|audit|labels` on the data dir, or
// through the running kiosk (issue 13 item 2). in is the PIN's line
// when it is not asked on a terminal.
func priceCmd(args []string, in io.Reader, stdout, stderr io.Writer) error {
	return runPrice(args, kiosk.SystemClock{}, in, stdout, stderr)
}

// runPrice is priceCmd with the clock that tells now.
func runPrice(args []string, clk kiosk.Clock, in io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError(priceUsage)
	}
	sub := args[0]
	fl := flag.NewFlagSet("price "+sub, flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	data := fl.String("data", DefaultDataDir(), "data directory")
	cfgPath := fl.String("config", "", "configuration file: data dir, endpoint")
	addr := fl.String("addr", "", "the running kiosk's loopback endpoint")
	staff := fl.String("staff", "", "staff ID: who does it (journaled); authenticates at the running kiosk")
	var from, to, since, out, by *string
	switch sub {
	case "set":
		from = fl.String("from", "", "effective time, YYYY-MM-DD HH:MM Norwegian time; default now")
		by = fl.String("by", "", "who makes the change, for the journal (kiosk stopped; default --staff, else the user)")
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
	c := priceCLI{clk: clk, zone: zone, stdout: stdout,
		target: storeTarget{DataDir: *data, Addr: DefaultHealthAddr, Staff: *staff, In: in, Stderr: stderr}}
	if *cfgPath != "" {
		cfg, err := LoadConfig(*cfgPath)
		if err != nil {
			return err
		}
		c.target.DataDir = cfg.DataDir
		if cfg.Health != "" {
			c.target.Addr = cfg.Health
		}
	}
	if *addr != "" {
		c.target.Addr = *addr
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	switch sub {
	case "set":
		if len(pos) != 2 {
			return usageError(fmt.Sprintf("price set: give GTIN and PRICE\n%s", priceUsage))
		}
		who := cmp.Or(*by, *staff, currentUser())
		err = c.set(ctx, pos[0], pos[1], *from, who)
	case "audit":
		if len(pos) > 0 {
			return usageError(fmt.Sprintf("price audit: unexpected argument %q\n%s", pos[0], priceUsage))
		}
		err = c.audit(ctx, *from, *to)
	case "labels":
		if len(pos) > 0 || *since == "" {
			return usageError(fmt.Sprintf("price labels: give --since YYYY-MM-DD\n%s", priceUsage))
		}
		err = c.labels(ctx, *since, *out)
	}
	if err != nil {
		return fmt.Errorf("price %s: %w", sub, err)
	}
	return nil
}

// priceCLI runs the price commands on target: the data dir (opened with
// clk as the price clock) or the running kiosk. zone is Norwegian time,
// as the command reads and writes times.
type priceCLI struct {
	target storeTarget
	clk    kiosk.Clock
	zone   *time.Location
	stdout io.Writer
}

// open is the local store's options: clk tells which price is in force.
func (c priceCLI) open(readOnly bool) storage.Options {
	return storage.Options{Clock: c.clk, ReadOnly: readOnly}
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

// priceSetParams are the parameters of the price-set admin operation.
type priceSetParams struct {
	GTIN  kiosk.GTIN  `json:"gtin"`
	Price kiosk.Money `json:"price"`
	From  time.Time   `json:"from,omitzero"` // zero: now
}

// priceSetResult is what a price set did, as the command says it.
type priceSetResult struct {
	GTIN   kiosk.GTIN  `json:"gtin"`
	Name   string      `json:"name"`
	Old    kiosk.Money `json:"old"`
	New    kiosk.Money `json:"new"`
	From   time.Time   `json:"from"`
	At     time.Time   `json:"at"`  // when it was made (the journal record's time)
	Record uint64      `json:"seq"` // the 13021 record
}

func priceSetResultOf(c storage.PriceChange) priceSetResult {
	return priceSetResult{GTIN: c.Product.GTIN, Name: c.Product.Name, Old: c.Old, New: c.New, From: c.From, At: c.Record.Time, Record: c.Record.Seq}
}

func (c priceCLI) set(ctx context.Context, gtin, priceText, fromText, by string) error {
	g, err := kiosk.ParseGTIN(gtin)
	if err != nil {
		return err
	}
	price, err := kiosk.ParseMoney(priceText)
	if err != nil {
		return err
	}
	from, err := parseEffective(fromText, c.zone)
	if err != nil {
		return err
	}
	if !from.IsZero() {
		// Refused before the store is opened, and said in local time.
		if err := kiosk.CheckPriceChange(price, from, c.clk.Now()); err != nil {
			return err
		}
	}
	var res priceSetResult
	err = c.target.withStore(ctx, c.open(false), func(db *storage.DB) error {
		pc, err := priceSet(ctx, db, g, price, from, by)
		res = priceSetResultOf(pc)
		return err
	}, "price-set", priceSetParams{GTIN: g, Price: price, From: from}, &res)
	if err != nil {
		return err
	}
	when := "now"
	if res.From.After(res.At) {
		when = "from " + res.From.In(c.zone).Format("2006-01-02 15:04:05")
	}
	fmt.Fprintf(c.stdout, "%s %s: %s -> %s %s, journaled as record %d (13021)\n", res.GTIN, res.Name, res.Old.Plain(), res.New.Plain(), when, res.Record)
	return nil
}

// adminPriceSet is the price-set admin operation: priceSet at the
// running kiosk, journaled under staff member by (the checkout reloads
// its cabinet list after it: adminOp.Reload).
func adminPriceSet(ctx context.Context, env adminEnv, by kiosk.Staff, params json.RawMessage) (any, error) {
	var p priceSetParams
	if err := adminDecode("price set", params, &p); err != nil {
		return nil, err
	}
	c, err := priceSet(ctx, env.DB, p.GTIN, p.Price, p.From, by.ID)
	if err != nil {
		return nil, adminRefusal(err, kiosk.ErrNotFound, kiosk.ErrPriceInPast, kiosk.ErrBadPriceChange, storage.ErrPriceTime)
	}
	return priceSetResultOf(c), nil
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

// priceAuditParams are the parameters of the price-audit admin
// operation: the days, [From, To); zero ends are open.
type priceAuditParams struct {
	From time.Time `json:"from,omitzero"`
	To   time.Time `json:"to,omitzero"`
}

// priceAuditResult is an audit's answer from the running kiosk.
type priceAuditResult struct {
	Sales      int                   `json:"sales"`
	Lines      int                   `json:"lines"`
	Mismatches []kiosk.PriceMismatch `json:"mismatches"`
}

// priceAudit checks every sale completed in [p.From, p.To) against the
// price history, reading one sale at a time (the history is held, the
// sales are not), and gives each mismatch to bad as it is found.
func priceAudit(ctx context.Context, db *storage.DB, p priceAuditParams, bad func(kiosk.PriceMismatch)) (sales, lines int, err error) {
	book, err := db.PriceBook(ctx)
	if err != nil {
		return 0, 0, err
	}
	err = db.ScanSalePrices(ctx, func(s kiosk.Sale) error {
		if (!p.From.IsZero() && s.Completed.Before(p.From)) || (!p.To.IsZero() && !s.Completed.Before(p.To)) {
			return nil
		}
		sales++
		lines += len(s.Lines)
		for _, m := range book.Check(s) {
			bad(m)
		}
		return nil
	})
	return sales, lines, err
}

// auditPrinter prints an audit's mismatches, a header before the first.
type auditPrinter struct {
	w    io.Writer
	zone *time.Location
	bad  int
}

func (a *auditPrinter) row(m kiosk.PriceMismatch) {
	if a.bad == 0 {
		fmt.Fprintln(a.w, "kiosk\treceipt\tline\tgtin\tcharged\texpected\tsold\twhy")
	}
	a.bad++
	fmt.Fprintf(a.w, "%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\n", m.Kiosk, m.ReceiptNo, m.Line, m.GTIN,
		m.Charged.Plain(), m.Expected.Plain(), m.Time.In(a.zone).Format("2006-01-02 15:04:05"), m.Reason)
}

// done prints the totals; ErrPriceMismatch when a line was listed.
func (a *auditPrinter) done(sales, lines int) error {
	fmt.Fprintf(a.w, "price audit: %d sales, %d lines, %d mismatches\n", sales, lines, a.bad)
	if a.bad > 0 {
		return fmt.Errorf("%w: %d", ErrPriceMismatch, a.bad)
	}
	return nil
}

// audit prints each sale line of the days not charged at the price in
// force, as it is found with the kiosk stopped, and the totals.
func (c priceCLI) audit(ctx context.Context, fromText, toText string) error {
	from, to, err := dayRange(fromText, toText, c.zone)
	if err != nil {
		return err
	}
	p := priceAuditParams{From: from, To: to}
	pr := &auditPrinter{w: c.stdout, zone: c.zone}
	var res priceAuditResult
	err = c.target.withStore(ctx, c.open(true), func(db *storage.DB) error {
		var err error
		res.Sales, res.Lines, err = priceAudit(ctx, db, p, pr.row)
		return err
	}, "price-audit", p, &res)
	if err != nil {
		return err
	}
	if pr.bad == 0 { // through the kiosk: its answer
		for _, m := range res.Mismatches {
			pr.row(m)
		}
	}
	return pr.done(res.Sales, res.Lines)
}

// adminPriceAudit is the price-audit admin operation: the mismatches
// found (not an error: the command tells them and exits 1).
func adminPriceAudit(ctx context.Context, env adminEnv, _ kiosk.Staff, params json.RawMessage) (any, error) {
	var p priceAuditParams
	if err := adminDecode("price audit", params, &p); err != nil {
		return nil, err
	}
	res := priceAuditResult{Mismatches: []kiosk.PriceMismatch{}}
	var err error
	res.Sales, res.Lines, err = priceAudit(ctx, env.DB, p, func(m kiosk.PriceMismatch) { res.Mismatches = append(res.Mismatches, m) })
	if err != nil {
		return nil, err
	}
	return res, nil
}

// labelUnit is the unit a shelf label prices by: the product's own,
// "piece" or "kg" (weighed goods are labelled with their price per
// kilogram, prisopplysningsforskriften).
func labelUnit(p kiosk.Product) string { return p.Unit.String() }

// shelfLabel is one shelf label: a price change.
type shelfLabel struct {
	GTIN  kiosk.GTIN  `json:"gtin"`
	Name  string      `json:"name"`
	Price kiosk.Money `json:"price"`
	Unit  string      `json:"unit"`
	From  time.Time   `json:"from"`
}

// priceLabelsParams are the parameters of the price-labels admin
// operation.
type priceLabelsParams struct {
	Since time.Time `json:"since"`
}

// priceLabels are the shelf labels of the prices changed since p.Since:
// one per change, by effective time then GTIN.
func priceLabels(ctx context.Context, db *storage.DB, p priceLabelsParams) ([]shelfLabel, error) {
	ls := []shelfLabel{}
	err := db.PriceChanges(ctx, p.Since, func(p kiosk.Product, v kiosk.PriceVersion) error {
		ls = append(ls, shelfLabel{GTIN: p.GTIN, Name: p.Name, Price: v.Price, Unit: labelUnit(p), From: v.From})
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(ls, func(a, b shelfLabel) int {
		return cmp.Or(a.From.Compare(b.From), strings.Compare(string(a.GTIN), string(b.GTIN)))
	})
	return ls, nil
}

// labels writes the shelf labels of the prices changed since the day.
func (c priceCLI) labels(ctx context.Context, sinceText, out string) error {
	since, _, err := dayRange(sinceText, "", c.zone)
	if err != nil {
		return fmt.Errorf("--since %q: give a day as YYYY-MM-DD", sinceText)
	}
	p := priceLabelsParams{Since: since}
	var ls []shelfLabel
	err = c.target.withStore(ctx, c.open(true), func(db *storage.DB) error {
		var err error
		ls, err = priceLabels(ctx, db, p)
		return err
	}, "price-labels", p, &ls)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	_ = w.Write([]string{"gtin", "name", "price", "unit", "effective_from"})
	for _, l := range ls {
		_ = w.Write([]string{string(l.GTIN), l.Name, strings.Replace(l.Price.Decimal(), ".", ",", 1), l.Unit, l.From.In(c.zone).Format("2006-01-02 15:04")})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if out == "" {
		_, err = c.stdout.Write(buf.Bytes())
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%d shelf labels written to %s\n", len(ls), out)
	return nil
}

// adminPriceLabels is the price-labels admin operation.
func adminPriceLabels(ctx context.Context, env adminEnv, _ kiosk.Staff, params json.RawMessage) (any, error) {
	var p priceLabelsParams
	if err := adminDecode("price labels", params, &p); err != nil {
		return nil, err
	}
	return priceLabels(ctx, env.DB, p)
}
