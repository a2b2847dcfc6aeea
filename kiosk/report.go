package kiosk

// X and Z reports (issue 12 item 5): bokføringsforskriften § 5-3-14 asks
// for a Z report per till at the end of each day; kassasystemforskrifta
// § 2-8-1 has the system make X and Z reports per till, §§ 2-8-2 and
// 2-8-3 say what they hold. An X report shows the open period (since the
// last Z report) and changes nothing; a Z report shows the same and
// closes the period: numbered without gaps, at most one per kiosk per
// day, never while a sale is open, never back in time. Both are read from
// the running totals the store keeps (report_totals.go), never by reading
// the day's sales, and both are journaled in full (13008, 13009): the
// Q&A "Dersom det blir generert ein X-rapport, skal ein då logge heile
// X-rapporten i elektronisk journal?" says the whole report, not its time.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// ReportKind is an X or a Z report. The numbers are persisted.
type ReportKind uint8

const (
	XReport ReportKind = 1
	ZReport ReportKind = 2
)

func (k ReportKind) String() string {
	switch k {
	case XReport:
		return "X report"
	case ZReport:
		return "Z report"
	}
	return fmt.Sprintf("ReportKind(%d)", uint8(k))
}

// Code is the journal code the report is recorded under.
func (k ReportKind) Code() Code {
	if k == ZReport {
		return CodeZReport
	}
	return CodeXReport
}

// Errors of a Z report refused; nothing was closed.
var (
	// ErrSaleOpen: the kiosk has a sale whose payment started and that is
	// neither completed nor voided. Finish it first.
	ErrSaleOpen = errors.New("kiosk: a sale is open")
	// ErrZDone: the kiosk's Z report of today (Europe/Oslo) has run.
	ErrZDone = errors.New("kiosk: the Z report of today has already run")
	// ErrClockBehind: the clock says a time before the last Z report or
	// the last sale: it jumped back. The kiosk journals it (SubClockBehind)
	// and makes no Z report until the clock is right.
	ErrClockBehind = errors.New("kiosk: the clock is behind the last Z report")
)

// SubClockBehind (of CodeOther): a Z report was refused because the
// clock was behind the last Z report or sale.
const SubClockBehind = "clock-behind"

// TerminalTotals are the card terminal's totals of its day, from its end
// of day (ZVT 06 50 §2.16: the transactions since its last end of day).
type TerminalTotals struct {
	Count       int
	Amount      Money
	Trace       string
	ReceiptFrom string // the terminal's receipt numbers the day covered
	ReceiptTo   string
	Lines       []string // the terminal's own end-of-day receipt, if it sent one
}

// TerminalEndOfDay is implemented by a PaymentTerminal that can close its
// day. The Z report runs it first and compares the card totals with its
// own (bokføringsforskriften § 5-3-14: the till is reconciled with what
// the payment terminal settled).
//
// CloseDay ends the terminal's day (ZVT End-of-Day 06 50) and returns its
// totals. Errors: ErrDeviceUnavailable when the terminal does not answer;
// any other error when it refused or failed (the reason in the message).
// After an error the day may or may not have been closed.
type TerminalEndOfDay interface {
	CloseDay(ctx context.Context) (TerminalTotals, error)
}

// ReportStore keeps each kiosk's running totals (Totals). The store
// counts every completed sale (Totals.AddSale) and every journal entry
// (Totals.AddEntry) into the totals of its Kiosk, and notes each pending
// sale (Totals.OpenSale, CloseSale), in the same durable write as the
// sale or the record; an entry without Kiosk is counted nowhere.
//
// Totals returns kioskID's totals: the zero Totals with Kiosk set for a
// kiosk that has none. ListTotals returns the totals of every kiosk that
// has some, by kiosk ID.
//
// Report makes a report in one durable write: it reads kioskID's totals
// and the journal head, calls build with them, and journals the entry
// build returns. When close is true (a Z report) it first refuses with
// ErrSaleOpen while kioskID has a pending sale (Totals.Open), and after journaling
// closes the period (Totals.CloseZ with the record). An error from build
// is returned as it is, and nothing is written. build may be called more
// than once and must depend on its arguments only. Report returns the
// record.
type ReportStore interface {
	Totals(ctx context.Context, kioskID string) (Totals, error)
	ListTotals(ctx context.Context) ([]Totals, error)
	Report(ctx context.Context, kioskID string, close bool, build func(t Totals, head Record) (Entry, error)) (Record, error)
}

// TerminalCheck is a Z report's comparison of the card terminal's end of
// day with the kiosk's own card sales.
type TerminalCheck struct {
	Known   bool   `json:"known"`             // the terminal gave its totals
	Problem string `json:"problem,omitempty"` // why not, when not
	Count   int    `json:"count,omitempty"`   // the terminal's transactions
	Amount  Money  `json:"amount,omitempty"`  // and their total
	Trace   string `json:"trace,omitempty"`
	Kiosk   Count  `json:"kiosk"`          // the kiosk's card sales in the period
	Diff    Money  `json:"diff,omitempty"` // Amount - Kiosk.Amount, when Known
}

// Report is an X or Z report: what is printed and journaled.
type Report struct {
	Kind   ReportKind `json:"kind"`
	No     uint64     `json:"no,omitempty"` // the Z number; 0 on an X report
	Kiosk  string     `json:"kiosk"`        // the till (kassapunkt)
	System string     `json:"system,omitempty"`
	// SystemID is the system's unique id (kassasystemlova § 2 f),
	// printed under its name. (§ 2-8-2 (1) d asks for the till's id:
	// Kiosk.)
	SystemID string    `json:"system_id,omitempty"`
	Shop     Shop      `json:"shop"`
	Time     time.Time `json:"time"`          // when it was made
	From     time.Time `json:"from,omitzero"` // the period's start: the last Z report; zero: installation
	LastZ    uint64    `json:"last_z,omitempty"`
	By       string    `json:"by,omitempty"` // who asked for it

	Period       PeriodTotals   `json:"period"`
	GrandSales   Money          `json:"grand_sales"`
	GrandReturns Money          `json:"grand_returns"`
	Terminal     *TerminalCheck `json:"terminal,omitempty"` // Z reports

	// HeadSeq and HeadHash are the journal record before the Z report:
	// the report vouches for the journal up to there.
	HeadSeq  uint64 `json:"head_seq,omitempty"`
	HeadHash Hash   `json:"head_hash,omitzero"`
}

// NewReport is the report of kind on totals t, made at now after the
// journal record head (a Z report's HeadSeq).
func NewReport(kind ReportKind, t Totals, now time.Time, head Record) Report {
	r := Report{Kind: kind, Kiosk: t.Kiosk, Time: now, From: t.LastZ.Time, LastZ: t.LastZ.No,
		Period: t.Period, GrandSales: t.GrandSales, GrandReturns: t.GrandReturns}
	if kind == ZReport {
		r.No = t.NextZ()
		r.HeadSeq, r.HeadHash = head.Seq, head.Hash
	}
	return r
}

// GrandNet is the grand total of sales less returns.
func (r Report) GrandNet() Money { return r.GrandSales - r.GrandReturns }

// ReportColumns is the width the report's text is laid out in: the
// receipt printer's 42 columns.
const ReportColumns = 42

// Text is the report as plain text, as printed.
func (r Report) Text() string { return r.Document().PlainText(ReportColumns) }

// Entry is the journal entry of the report: its full text, and its
// figures as JSON (Data "report") for exports.
func (r Report) Entry() (Entry, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return Entry{}, fmt.Errorf("kiosk: encode %v: %w", r.Kind, err)
	}
	e := Entry{Code: r.Kind.Code(), Time: r.Time, Kiosk: r.Kiosk, Amount: r.Period.Net(), Text: r.Text(),
		Data: map[string]string{"report": string(b)}}
	if r.By != "" {
		e.Data["by"] = r.By
	}
	if r.Kind == ZReport {
		e.Data["z"] = strconv.FormatUint(r.No, 10)
		e.Data["head_seq"] = strconv.FormatUint(r.HeadSeq, 10)
		e.Data["head_hash"] = r.HeadHash.String()
	}
	return e, nil
}

// CheckZ says whether a Z report may run at now on totals t: not when the
// clock is behind the last Z report or the period's last sale
// (ErrClockBehind), and not twice on one day in Norway (ErrZDone).
func CheckZ(t Totals, now time.Time) error {
	for _, c := range []struct {
		at   time.Time
		what string
	}{{t.LastZ.Time, fmt.Sprintf("Z report %d", t.LastZ.No)}, {t.Period.LastSale, fmt.Sprintf("receipt %d", t.Period.LastReceipt)}} {
		if !c.at.IsZero() && now.Before(c.at) {
			return fmt.Errorf("%w: the clock says %s, but %s was made at %s", ErrClockBehind,
				now.In(oslo).Format(reportTime), c.what, c.at.In(oslo).Format(reportTime))
		}
	}
	if !t.LastZ.Time.IsZero() && sameDay(now, t.LastZ.Time) {
		return fmt.Errorf("%w: Z report %d ran at %s; the next one can run tomorrow", ErrZDone,
			t.LastZ.No, t.LastZ.Time.In(oslo).Format(reportTime))
	}
	return nil
}

// sameDay reports whether a and b are on the same day in Norway.
func sameDay(a, b time.Time) bool {
	ya, ma, da := a.In(oslo).Date()
	yb, mb, db := b.In(oslo).Date()
	return ya == yb && ma == mb && da == db
}

const reportTime = "02.01.2006 15:04:05"

// Reports makes a kiosk's X and Z reports.
type Reports struct {
	Store   ReportStore
	Journal Journal // records the terminal's end of day and a clock found behind (nil: not recorded)
	Clock   Clock
	KioskID string
	Shop    Shop
	System  string // the cash register system's name and version, printed
	// SystemID is the system's unique id (kassasystemlova § 2 f),
	// printed under its name; "": not printed.
	SystemID string
	// Terminal closes the card terminal's day before a Z report; nil:
	// there is none to close, and the difference is unknown.
	Terminal TerminalEndOfDay
}

// X makes, journals (13008) and returns the X report of the open period;
// by is who asked for it. Errors: the store's.
func (r Reports) X(ctx context.Context, by string) (Report, Record, error) {
	var rep Report
	now := r.Clock.Now()
	rec, err := r.Store.Report(ctx, r.KioskID, false, func(t Totals, head Record) (Entry, error) {
		rep = r.fill(NewReport(XReport, t, now, head), by)
		return rep.Entry()
	})
	if err != nil {
		return Report{}, Record{}, fmt.Errorf("kiosk: X report: %w", err)
	}
	return rep, rec, nil
}

// Z closes the card terminal's day, then makes, journals (13009) and
// returns the Z report, which closes the period; by is who asked for it.
// A terminal that cannot close its day does not stop the Z report: the
// difference is then unknown and the report says why. Errors (nothing
// closed): ErrSaleOpen, ErrZDone, ErrClockBehind (journaled as
// SubClockBehind), the store's.
func (r Reports) Z(ctx context.Context, by string) (Report, Record, error) {
	now := r.Clock.Now()
	t, err := r.Store.Totals(ctx, r.KioskID)
	if err != nil {
		return Report{}, Record{}, fmt.Errorf("kiosk: Z report: %w", err)
	}
	if err := r.checkZ(ctx, t, now); err != nil {
		return Report{}, Record{}, err
	}
	if len(t.Open) > 0 { // checked again in the store's write, where it counts
		return Report{}, Record{}, fmt.Errorf("kiosk: Z report: %w: sale %s", ErrSaleOpen, t.Open[0])
	}
	term, err := r.closeTerminalDay(ctx, t.NextZ())
	if err != nil {
		return Report{}, Record{}, err
	}
	now = r.Clock.Now() // the end of day may take a while: the report is made after it
	var rep Report
	rec, err := r.Store.Report(ctx, r.KioskID, true, func(t Totals, head Record) (Entry, error) {
		if err := CheckZ(t, now); err != nil {
			return Entry{}, err
		}
		rep = r.fill(NewReport(ZReport, t, now, head), by)
		check := term
		check.Kiosk = t.Period.CardTotal()
		// The terminal's end of day nets its refunds (returns.go).
		check.Kiosk.Num += t.Period.CardRefunds.Num
		check.Kiosk.Amount -= t.Period.CardRefunds.Amount
		if check.Known {
			check.Diff = check.Amount - check.Kiosk.Amount
		}
		rep.Terminal = &check
		return rep.Entry()
	})
	if errors.Is(err, ErrClockBehind) {
		r.journalClockBehind(ctx, err)
	}
	if err != nil {
		return Report{}, Record{}, fmt.Errorf("kiosk: Z report: %w", err)
	}
	return rep, rec, nil
}

func (r Reports) fill(rep Report, by string) Report {
	rep.Kiosk, rep.Shop, rep.System, rep.SystemID, rep.By = r.KioskID, r.Shop, r.System, r.SystemID, by
	return rep
}

// checkZ is CheckZ, journaling a clock found behind.
func (r Reports) checkZ(ctx context.Context, t Totals, now time.Time) error {
	err := CheckZ(t, now)
	if errors.Is(err, ErrClockBehind) {
		r.journalClockBehind(ctx, err)
	}
	if err != nil {
		return fmt.Errorf("kiosk: Z report: %w", err)
	}
	return nil
}

func (r Reports) journalClockBehind(ctx context.Context, why error) {
	// Best effort: the refusal stands whether or not this is recorded.
	_ = r.append(ctx, Entry{Code: CodeOther, Subtype: SubClockBehind, Time: r.Clock.Now(), Kiosk: r.KioskID,
		Text: "Z report refused: " + why.Error()})
}

func (r Reports) append(ctx context.Context, e Entry) error {
	if r.Journal == nil {
		return nil
	}
	_, err := r.Journal.Append(ctx, e)
	return err
}

// closeTerminalDay runs the terminal's end of day before Z report no and
// journals its totals (SubTerminalEndOfDay), or why it could not. Errors:
// the end of day was done but could not be journaled.
func (r Reports) closeTerminalDay(ctx context.Context, no uint64) (TerminalCheck, error) {
	if r.Terminal == nil {
		return TerminalCheck{Problem: "no card terminal end of day"}, nil
	}
	tot, err := r.Terminal.CloseDay(ctx)
	e := Entry{Code: CodeOther, Subtype: SubTerminalEndOfDay, Time: r.Clock.Now(), Kiosk: r.KioskID}
	if err != nil {
		e.Text = fmt.Sprintf("payment terminal end of day before Z report %d failed: %v", no, err)
		e.Data = map[string]string{"result": "failed", "error": err.Error()}
		if jerr := r.append(ctx, e); jerr != nil {
			return TerminalCheck{}, fmt.Errorf("kiosk: Z report: the terminal's end of day failed (%v), and that could not be journaled: %w", err, jerr)
		}
		return TerminalCheck{Problem: "terminal end of day failed: " + err.Error()}, nil
	}
	e.Amount = tot.Amount
	e.Text = fmt.Sprintf("payment terminal end of day before Z report %d: %d card payments, %s", no, tot.Count, tot.Amount)
	e.Data = map[string]string{"count": strconv.Itoa(tot.Count), "trace": tot.Trace,
		"receipt_from": tot.ReceiptFrom, "receipt_to": tot.ReceiptTo}
	if err := r.append(ctx, e); err != nil {
		return TerminalCheck{}, fmt.Errorf("kiosk: Z report: the terminal closed its day (%d payments, %s) but that could not be journaled: %w",
			tot.Count, tot.Amount, err)
	}
	return TerminalCheck{Known: true, Count: tot.Count, Amount: tot.Amount, Trace: tot.Trace}, nil
}
