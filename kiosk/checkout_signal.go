package kiosk

// Checkout: what staff sees from afar and on the staff screen: the
// intervention light, the assistance queue, the devices' status and
// today's counts (issue 10 items 4, 5 and 7).

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"time"
)

// DevCabinet and DevLight name the cabinet and the intervention light in
// the devices' status.
const (
	DevCabinet = "cabinet"
	DevLight   = "intervention light"
)

// DeviceStatus.Detail values the screens translate; any other detail is
// a device's own error text.
const (
	DetailFailed     = "failed"
	DetailPaperLow   = "paper low"
	DetailForcedOpen = "forced open"
)

// callsLocked is the assistance queue, oldest first.
func (c *Checkout) callsLocked() []Call {
	var out []Call
	add := func(k CallKind, since time.Time, arg string) {
		out = append(out, Call{Kind: k, Kiosk: c.cfg.KioskID, Since: since, Sale: c.saleID, Arg: arg})
	}
	if !c.helpSince.IsZero() {
		add(CallHelp, c.helpSince, "")
	}
	switch c.state {
	case AgeCheckPending:
		add(CallAgeCheck, c.ageSince, "")
	case Assistance:
		add(CallSale, c.stateSince, "")
	case OutOfOrder:
		add(CallOutOfOrder, c.stateSince, c.faultText())
	}
	if c.trn.on {
		add(CallTraining, c.trn.since, c.trn.by)
	}
	for _, n := range sortedKeys(c.forced) {
		add(CallDoorForced, c.forced[n], strconv.Itoa(n))
	}
	if !c.doorLeft.IsZero() {
		for _, n := range c.unlocked {
			add(CallDoorOpen, c.doorLeft, strconv.Itoa(n))
		}
	}
	slices.SortStableFunc(out, func(a, b Call) int { return a.Since.Compare(b.Since) })
	return out
}

func sortedKeys(m map[int]time.Time) []int {
	ks := make([]int, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// signalLocked is what the intervention light shows: red with the alarm
// for a forced door; red when out of order; yellow while a call waits,
// blinking until staff is signed in at the kiosk; green otherwise.
func (c *Checkout) signalLocked() Signal {
	attended := c.staff != nil && c.staff.phase == StaffSignedIn
	switch {
	case len(c.forced) > 0:
		return Signal{Light: LightRed, Blink: true, Alarm: true}
	case c.state == OutOfOrder:
		return Signal{Light: LightRed}
	case !c.helpSince.IsZero() || c.state == AgeCheckPending || c.state == Assistance || !c.doorLeft.IsZero():
		return Signal{Light: LightYellow, Blink: !attended}
	}
	return Signal{Light: LightGreen}
}

// showSignal sets the light when what it should show changed. It runs
// in notify, serialised, without the checkout's lock.
func (c *Checkout) showSignal() {
	if c.d.Light == nil {
		return
	}
	c.mu.Lock()
	want := c.signalLocked()
	same := c.lightShown != nil && *c.lightShown == want && c.lightErr == ""
	c.mu.Unlock()
	if same {
		return
	}
	err := c.d.Light.Show(c.ctx, want)
	c.mu.Lock()
	if err != nil {
		if c.lightErr == "" {
			c.log.Warn("intervention light", "err", err)
		}
		c.lightErr = err.Error()
	} else {
		c.lightShown, c.lightErr = &want, ""
	}
	c.mu.Unlock()
}

// devicesLocked is the devices' status for the staff screen.
func (c *Checkout) devicesLocked() []DeviceStatus {
	dev := func(name string, faults ...string) DeviceStatus {
		d := DeviceStatus{Device: name, OK: true}
		for _, f := range faults {
			if c.faults[f] {
				d.OK, d.Detail = false, DetailFailed
				if f != name {
					d.Detail = f // the terminal's setup, not its line
				}
			}
		}
		return d
	}
	printer := dev(DevPrinter, DevPrinter)
	if c.paperLow {
		printer.Detail = DetailPaperLow
	}
	cab := DeviceStatus{Device: DevCabinet, OK: c.cabinetErr == "", Detail: c.cabinetErr}
	if cab.OK && len(c.forced) > 0 {
		cab.OK, cab.Detail = false, DetailForcedOpen
	}
	out := []DeviceStatus{dev(DevScanner, DevScanner), printer, dev(DevTerminal, DevTerminal, DevTerminalSetup), cab}
	if c.d.Light != nil {
		out = append(out, DeviceStatus{Device: DevLight, OK: c.lightErr == "", Detail: c.lightErr})
	}
	return out
}

// count adds a journaled entry to today's counts, starting afresh on a
// new day (local time).
func (c *Checkout) count(e Entry) {
	c.countMu.Lock()
	defer c.countMu.Unlock()
	c.countTrainingLocked(e)
	day := e.Time.Local().Format(time.DateOnly)
	if day != c.todayDate {
		if day < c.todayDate {
			return // an entry from before today (the start's scan)
		}
		c.todayDate, c.today, c.cancelled = day, DayCounts{}, nil
	}
	switch {
	case (e.Code == CodeSalesReceipt || e.Code == CodeTrainingReceipt) && e.Subtype == SubReceiptPrinted:
		if e.Data[DataPrinted] == PrintedLate {
			c.today.PrintedLate++
		}
	case e.Code == CodeNoReceipt:
		c.today.NotPrinted++
	case e.Code == CodeCopyReceipt:
		c.today.Copies++
	case e.Code == CodePriceLookup && e.Subtype == SubPriceCheck:
		c.today.PriceChecks++
	case e.Code == CodeCashSale && e.ReceiptNo > 0 && IsTraining(e):
		c.today.Training++
	case e.Code == CodeCashSale && e.ReceiptNo > 0:
		c.today.Sales++
	case e.Subtype == SubAgeApproved:
		c.today.AgeApproved++
	case e.Subtype == SubAgeRefused:
		c.today.AgeRefused++
	case e.Subtype == SubOverride:
		c.today.Overrides++
	case e.Subtype == SubSaleCancelled && e.SaleID != "":
		if !c.cancelled[e.SaleID] {
			if c.cancelled == nil {
				c.cancelled = make(map[string]bool)
			}
			c.cancelled[e.SaleID] = true
			c.today.Cancelled++
		}
	}
}

// todayCounts returns today's counts (zero once the day is over).
func (c *Checkout) todayCounts() DayCounts {
	c.countMu.Lock()
	defer c.countMu.Unlock()
	if c.todayDate != c.d.Clock.Now().Local().Format(time.DateOnly) {
		return DayCounts{}
	}
	return c.today
}

// countToday counts today's journal records at start: it steps back from
// the head until it reaches a record from before today, so the work is
// today's records, not the journal's whole history.
func (c *Checkout) countToday(ctx context.Context) error {
	head, err := c.d.Journal.Head(ctx)
	if err != nil || head.Seq == 0 {
		return err
	}
	today := c.d.Clock.Now().Local().Format(time.DateOnly)
	from := head.Seq
	for step := uint64(256); from > 1; step *= 2 {
		from = max(from-min(step, from-1), 1)
		var first Record
		err := c.d.Journal.Scan(ctx, from, func(r Record) error {
			first = r
			return errStopScan
		})
		if err != nil && !errors.Is(err, errStopScan) {
			return err
		}
		if first.Entry.Time.Local().Format(time.DateOnly) < today {
			break
		}
	}
	unresolved := map[uint64]string{} // receipt number → sale ID
	err = c.d.Journal.Scan(ctx, from, func(r Record) error {
		if r.Entry.Time.Local().Format(time.DateOnly) == today {
			c.count(r.Entry)
		}
		// A sale concluded but its receipt neither printed nor queued:
		// the kiosk stopped in between (receipts start, startReceipts).
		switch {
		case r.Kiosk != c.cfg.KioskID || r.ReceiptNo == 0:
		case r.Code == CodeCashSale:
			unresolved[r.ReceiptNo] = r.SaleID
		case r.Code == CodeSalesReceipt || r.Code == CodeNoReceipt || r.Code == CodeTrainingReceipt:
			delete(unresolved, r.ReceiptNo)
		}
		return nil
	})
	c.unprinted = unresolved
	return err
}

var errStopScan = errors.New("kiosk: stop the scan")
