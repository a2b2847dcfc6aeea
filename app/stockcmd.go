package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"selvkasse/kiosk"
	"selvkasse/storage"
)

const stockUsage = `stock: usage:
  selvkasse stock receive GTIN QTY [--staff ID] [--addr HOST:PORT] (--data DIR | --config FILE)
  selvkasse stock count GTIN QTY [--staff ID] [--addr HOST:PORT] (--data DIR | --config FILE)
  selvkasse stock count --file FILE [--staff ID] [--addr HOST:PORT] (--data DIR | --config FILE)
  selvkasse stock threshold GTIN N [--staff ID] [--addr HOST:PORT] (--data DIR | --config FILE)
  selvkasse stock report [--days N] [--lead-time D] [--review R] [--csv] [--staff ID] [--addr HOST:PORT] (--data DIR | --config FILE)
receive books goods received; count sets the stock to what was counted and
prints the variance (expected, counted, difference and its value at the
current price), for one product or a file of "gtin;counted" lines (- for
standard input); both are journaled (13999 stock-receipt, stock-count).
threshold sets the stock at or below which the staff screen shows the
product as low (0: none). report lists what runs out within the supplier's
lead time, from the sales of the last N days, with a suggested order.
With the kiosk stopped the command opens the data dir itself (--staff
names who did it, for the journal). While the kiosk runs on it, it goes
through the kiosk's loopback endpoint (--addr, or the config's "health")
as a staff member: --staff ID (or $SELVKASSE_STAFF) and the PIN, asked
without echo, or from $SELVKASSE_PIN (scripts; needed with --file -), or
the first line of standard input; wrong PINs count toward the lock-out.
receive and count: a clerk or a supervisor, journaled under them (the
kiosk sells the new stock at once); threshold: a supervisor; report: a
clerk or a supervisor.`

// StockConfig is the stock-out outlook's settings (config key "stock").
// Zero values take kiosk.DefaultOutlook's.
type StockConfig struct {
	Days     int `json:"days,omitempty"`      // the sales window (default 28)
	LeadTime int `json:"lead_time,omitempty"` // the supplier's lead time in days (default 3)
	Review   int `json:"review,omitempty"`    // days between orders (default 7)
}

// Outlook is c with the defaults filled in.
func (c StockConfig) Outlook() kiosk.OutlookParams {
	p := kiosk.DefaultOutlook
	if c.Days > 0 {
		p.Days = c.Days
	}
	if c.LeadTime > 0 {
		p.LeadTime = c.LeadTime
	}
	if c.Review > 0 {
		p.Review = c.Review
	}
	return p
}

// stockCmd: `selvkasse stock receive|count|threshold|report`: the stock
// operations (stockOps) on the data dir, or through the running kiosk.
// in is the count file "-", or the PIN's line.
func stockCmd(args []string, in io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError(stockUsage)
	}
	sub := args[0]
	fl := flag.NewFlagSet("stock "+sub, flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	cfgPath := fl.String("config", "", "configuration file")
	data := fl.String("data", "", "data directory")
	staff := fl.String("staff", "", "the staff ID of who received or counted; authenticates at the running kiosk")
	addr := fl.String("addr", "", "the running kiosk's loopback endpoint")
	file := fl.String("file", "", "count file: gtin;counted lines")
	days := fl.Int("days", 0, "sales window in days")
	lead := fl.Int("lead-time", 0, "supplier's lead time in days")
	review := fl.Int("review", 0, "days between orders")
	asCSV := fl.Bool("csv", false, "CSV instead of a table")
	var want int // positional arguments
	switch sub {
	case "receive", "threshold":
		want = 2
	case "count":
		want = 2 // or --file
	case "report":
	default:
		return usageError(fmt.Sprintf("stock: unknown subcommand %q\n%s", sub, stockUsage))
	}
	pos, err := parseInterleaved(fl, args[1:])
	if err != nil {
		return usageError(fmt.Sprintf("stock %s: %v\n%s", sub, err, stockUsage))
	}
	if sub == "count" && *file != "" {
		want = 0
	}
	if len(pos) != want {
		return usageError(fmt.Sprintf("stock %s: %d arguments given, want %d\n%s", sub, len(pos), want, stockUsage))
	}
	if (*cfgPath == "") == (*data == "") {
		return usageError(fmt.Sprintf("stock %s: give --config FILE or --data DIR\n%s", sub, stockUsage))
	}
	if *days < 0 || *lead < 0 || *review < 0 {
		return usageError(fmt.Sprintf("stock %s: --days, --lead-time and --review must not be negative\n%s", sub, stockUsage))
	}
	cfg := Config{DataDir: *data}
	if *cfgPath != "" {
		if cfg, err = LoadConfig(*cfgPath); err != nil {
			return err
		}
	}
	t := storeTarget{DataDir: cfg.DataDir, Addr: DefaultHealthAddr, Staff: *staff, In: in, Stderr: stderr}
	if cfg.Health != "" {
		t.Addr = cfg.Health
	}
	if *addr != "" {
		t.Addr = *addr
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// op runs the operation on the store: locally with the stock
	// operations of the command line, else at the kiosk (admin op name
	// with params); either way its text is printed as it is.
	op := func(name string, params any, do func(context.Context, stockOps, io.Writer) error) error {
		var res adminText
		var buf bytes.Buffer
		err := t.withStore(ctx, storage.Options{}, func(db *storage.DB) error {
			return do(ctx, stockOps{DB: db, Clock: kiosk.SystemClock{}, KioskID: cfg.KioskID, Staff: *staff}, &buf)
		}, name, params, &res)
		if buf.Len() == 0 {
			buf.WriteString(res.Text)
		}
		if _, werr := stdout.Write(buf.Bytes()); err == nil {
			err = werr
		}
		return err
	}
	switch sub {
	case "receive":
		var p stockReceiveParams
		p.GTIN = pos[0]
		if _, err = kiosk.ParseGTIN(p.GTIN); err != nil {
			break // said here, not by the kiosk
		}
		if p.Qty, err = strconv.Atoi(pos[1]); err == nil {
			err = op("stock-receive", p, p.run)
		}
	case "count":
		var p stockCountParams
		if *file != "" {
			p.Lines, err = readCountFile(*file, in)
		} else {
			p.Lines, err = countArgs(pos[0], pos[1])
		}
		if err == nil {
			err = op("stock-count", p, p.run)
		}
	case "threshold":
		var p stockThresholdParams
		p.GTIN = pos[0]
		if _, err = kiosk.ParseGTIN(p.GTIN); err != nil {
			break
		}
		if p.N, err = strconv.Atoi(pos[1]); err == nil {
			err = op("stock-threshold", p, p.run)
		}
	case "report":
		p := StockConfig{Days: *days, LeadTime: *lead, Review: *review}
		c := cfg.Stock.Outlook()
		if p.Days == 0 {
			p.Days = c.Days
		}
		if p.LeadTime == 0 {
			p.LeadTime = c.LeadTime
		}
		if p.Review == 0 {
			p.Review = c.Review
		}
		r := stockReportParams{Outlook: p.Outlook(), CSV: *asCSV}
		err = op("stock-report", r, r.run)
	}
	if err != nil {
		return fmt.Errorf("stock %s: %w", sub, err)
	}
	return nil
}

// The parameters of the stock admin operations, each with its run: the
// stock operation both ways (stockCmd with the kiosk stopped, the admin
// endpoint while it runs).
type (
	stockReceiveParams struct {
		GTIN string `json:"gtin"`
		Qty  int    `json:"qty"`
	}
	stockCountParams struct {
		Lines []kiosk.CountLine `json:"lines"` // one product's, or a count file's
	}
	stockThresholdParams struct {
		GTIN string `json:"gtin"`
		N    int    `json:"n"`
	}
	stockReportParams struct {
		Outlook kiosk.OutlookParams `json:"outlook"`
		CSV     bool                `json:"csv,omitempty"`
	}
)

func (p stockReceiveParams) run(ctx context.Context, o stockOps, w io.Writer) error {
	return o.Receive(ctx, p.GTIN, p.Qty, w)
}

func (p stockCountParams) run(ctx context.Context, o stockOps, w io.Writer) error {
	return o.Count(ctx, p.Lines, w)
}

func (p stockThresholdParams) run(ctx context.Context, o stockOps, w io.Writer) error {
	return o.Threshold(ctx, p.GTIN, p.N, w)
}

func (p stockReportParams) run(ctx context.Context, o stockOps, w io.Writer) error {
	return o.Report(ctx, p.Outlook, p.CSV, w)
}

// adminStock is a stock admin operation: its parameters' run on the
// kiosk's store, by the authenticated staff member (journaled under
// them); the answer is the text the command prints, also of what was
// done before an error (a count's booked lines).
func adminStock[P interface {
	run(context.Context, stockOps, io.Writer) error
}](what string) func(context.Context, adminEnv, kiosk.Staff, json.RawMessage) (any, error) {
	return func(ctx context.Context, env adminEnv, by kiosk.Staff, params json.RawMessage) (any, error) {
		var p P
		if err := adminDecode(what, params, &p); err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		err := p.run(ctx, stockOps{DB: env.DB, Clock: env.Clock, KioskID: env.KioskID, Staff: by.ID}, &buf)
		return adminText{Text: buf.String()}, adminRefusal(err, kiosk.ErrNotFound, kiosk.ErrBadStockQty,
			kiosk.ErrNotGTIN, kiosk.ErrBadCheckDigit, kiosk.ErrCountFile)
	}
}

// The stock admin operations (adminOps).
var (
	adminStockReceive   = adminStock[stockReceiveParams]("stock receive")
	adminStockCount     = adminStock[stockCountParams]("stock count")
	adminStockThreshold = adminStock[stockThresholdParams]("stock threshold")
	adminStockReport    = adminStock[stockReportParams]("stock report")
)

// parseInterleaved parses fl from args with the positional arguments
// anywhere among the flags, and returns those. A negative number is an
// argument, not a flag (the command then says what is wrong with it).
func parseInterleaved(fl *flag.FlagSet, args []string) ([]string, error) {
	var pos, flags []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if _, err := strconv.Atoi(a); err == nil || a == "-" || !strings.HasPrefix(a, "-") {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := fl.Lookup(name)
		if f == nil {
			continue // fl.Parse says it is not defined
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		if i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	if err := fl.Parse(flags); err != nil {
		return nil, err
	}
	return pos, nil
}

// countArgs is one product's count given on the command line.
func countArgs(gtin, qty string) ([]kiosk.CountLine, error) {
	g, err := kiosk.ParseGTIN(gtin)
	if err != nil {
		return nil, err
	}
	n, err := strconv.Atoi(qty)
	if err != nil {
		return nil, fmt.Errorf("%w: counted %q is not a whole number", kiosk.ErrBadStockQty, qty)
	}
	return []kiosk.CountLine{{Line: 1, GTIN: g, Counted: n}}, nil
}

// readCountFile reads a count file, or in for "-".
func readCountFile(path string, in io.Reader) ([]kiosk.CountLine, error) {
	if path == "-" {
		return kiosk.ParseCounts(in)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ls, err := kiosk.ParseCounts(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ls, nil
}

// StockDB is what the stock operations need of the store.
type StockDB interface {
	kiosk.Catalog
	ReceiveStock(ctx context.Context, g kiosk.GTIN, qty int, staff string, e kiosk.Entry) (kiosk.Product, error)
	CountStock(ctx context.Context, g kiosk.GTIN, counted int, staff string, e kiosk.Entry) (kiosk.Variance, error)
	SetLowStock(ctx context.Context, g kiosk.GTIN, n int) error
	StockOutlook(ctx context.Context, ps []kiosk.Product, o *kiosk.Outlook) error
}

var _ StockDB = (*storage.DB)(nil)

// stockOps are the stock operations on an open store, each writing what
// it did to w: the command line's (stockCmd, kiosk stopped), and for the
// running kiosk's authenticated admin endpoint to register (one DB, the
// kiosk's). Errors: kiosk.ErrNotFound for an unknown product,
// kiosk.ErrBadStockQty, kiosk.ErrNotGTIN or kiosk.ErrBadCheckDigit, a
// store error.
type stockOps struct {
	DB      StockDB
	Clock   kiosk.Clock
	KioskID string // journaled with the records; may be empty
	Staff   string // who did it; may be empty at the command line
}

func (o stockOps) entry(how string) kiosk.Entry {
	return kiosk.Entry{Time: o.Clock.Now(), Kiosk: o.KioskID, Text: how}
}

// Receive books qty of gtin received.
func (o stockOps) Receive(ctx context.Context, gtin string, qty int, w io.Writer) error {
	g, err := kiosk.ParseGTIN(gtin)
	if err != nil {
		return err
	}
	p, err := o.DB.ReceiveStock(ctx, g, qty, o.Staff, o.entry(""))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "received %d × %s (%s): stock %d → %d\n", qty, p.Name, p.GTIN, p.Stock-qty, p.Stock)
	return nil
}

// Count books each line's count, in order, and prints the variance
// report. The products are looked up first: an unknown one stops the
// count before anything is written.
func (o stockOps) Count(ctx context.Context, lines []kiosk.CountLine, w io.Writer) error {
	for _, l := range lines {
		if err := kiosk.CheckCountQty(l.Counted); err != nil {
			return fmt.Errorf("line %d: %w", l.Line, err)
		}
		if _, err := o.DB.Lookup(ctx, l.GTIN); err != nil {
			return fmt.Errorf("line %d: %w", l.Line, err)
		}
	}
	vs := make([]kiosk.Variance, 0, len(lines))
	for _, l := range lines {
		v, err := o.DB.CountStock(ctx, l.GTIN, l.Counted, o.Staff, o.entry(""))
		if err != nil {
			writeVariance(w, vs) // what was booked
			return fmt.Errorf("line %d: %w", l.Line, err)
		}
		vs = append(vs, v)
	}
	writeVariance(w, vs)
	return nil
}

// writeVariance prints a count's variance report: per product expected,
// counted, the difference and its value at the current price, and the
// totals.
func writeVariance(w io.Writer, vs []kiosk.Variance) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "GTIN\tProduct\tExpected\tCounted\tVariance\tValue (kr)")
	var diff int
	var value kiosk.Money
	for _, v := range vs {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%+d\t%s\n", v.GTIN, v.Name, v.Expected, v.Counted, v.Diff, v.Value.Plain())
		diff += v.Diff
		value += v.Value
	}
	fmt.Fprintf(tw, "Total\t%s\t\t\t%+d\t%s\n", products(len(vs)), diff, value.Plain())
	tw.Flush()
}

// Threshold sets gtin's low-stock threshold.
func (o stockOps) Threshold(ctx context.Context, gtin string, n int, w io.Writer) error {
	g, err := kiosk.ParseGTIN(gtin)
	if err != nil {
		return err
	}
	if err := o.DB.SetLowStock(ctx, g, n); err != nil {
		return err
	}
	p, err := o.DB.Lookup(ctx, g)
	if err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintf(w, "%s (%s): no low-stock threshold\n", p.Name, p.GTIN)
		return nil
	}
	low := ""
	if p.IsLow() {
		low = ": low now"
	}
	fmt.Fprintf(w, "%s (%s): low at %d or less, stock %d%s\n", p.Name, p.GTIN, n, p.Stock, low)
	return nil
}

// Report prints the stock-out outlook at the clock's time: the products
// that run out within p.LeadTime from their sales of the last p.Days
// days, with a suggested order (kiosk.Outlook.Rows), as an aligned table
// or as CSV (semicolon-separated, as Norwegian spreadsheets read it).
func (o stockOps) Report(ctx context.Context, p kiosk.OutlookParams, asCSV bool, w io.Writer) error {
	ps, err := o.DB.List(ctx)
	if err != nil {
		return err
	}
	now := o.Clock.Now()
	ol := kiosk.NewOutlook(now, p.Days)
	if err := o.DB.StockOutlook(ctx, ps, ol); err != nil {
		return err
	}
	rows := ol.Rows(ps, p)
	if asCSV {
		cw := csv.NewWriter(w)
		cw.Comma = ';'
		_ = cw.Write([]string{"gtin", "name", "stock", "sold", "days_left", "order"})
		for _, r := range rows {
			_ = cw.Write([]string{r.GTIN.String(), r.Name, strconv.Itoa(r.Stock), strconv.Itoa(r.Sold), r.DaysLeft(), strconv.Itoa(r.Order)})
		}
		cw.Flush()
		return cw.Error()
	}
	fmt.Fprintf(w, "Stock report %s: sales of the last %d days, lead time %d days, order covers %d days\n",
		now.Format("2006-01-02 15:04"), p.Days, p.LeadTime, p.LeadTime+p.Review)
	if len(rows) == 0 {
		fmt.Fprintln(w, "Nothing runs out within the lead time.")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "GTIN\tProduct\tStock\tSold %dd\tDays left\tOrder\n", p.Days)
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%d\n", r.GTIN, r.Name, r.Stock, r.Sold, r.DaysLeft(), r.Order)
	}
	tw.Flush()
	fmt.Fprintf(w, "Run out within %d days: %s.\n", p.LeadTime, products(len(rows)))
	return nil
}

// products is "1 product", "2 products".
func products(n int) string {
	if n == 1 {
		return "1 product"
	}
	return strconv.Itoa(n) + " products"
}
