package kiosk

// The running totals behind the X and Z reports (bokføringsforskriften
// § 5-3-14, kassasystemforskrifta §§ 2-8-2 and 2-8-3). The store keeps one
// Totals per kiosk and updates it in the same durable write as the sale
// or the journal record it counts (ReportStore), so that a report reads
// one value instead of the day's sales. The rules of what counts where
// are here, in pure functions, so that every store counts alike.

import (
	"slices"
	"strconv"
	"time"
)

// Count is a number of things and their amount.
type Count struct {
	Num    uint64 `json:"n"`
	Amount Money  `json:"amount"`
}

func (c *Count) add(m Money) { c.Num++; c.Amount += m }

// GroupTotal is what a period sold of one product group (§ 2-8-2 (1) f:
// "hovudgrupper"; the SAF-T article group is Group.SAFTArticleGroup).
type GroupTotal struct {
	Group  Group `json:"group"`
	Qty    int64 `json:"qty"`    // items sold
	Amount Money `json:"amount"` // VAT included
}

// PaymentTotal is what a period took by one means of payment (§ 2-8-2
// (1) g). The kiosk takes cards only; Type is the card as the terminal
// named it (PaymentType).
type PaymentTotal struct {
	Type string `json:"type"`
	Count
}

// LookupTotal is a period's price look-ups of one product group (§ 2-8-2
// (1) t: "spesifisert på varegruppe og beløp"); Group 0 is a code the
// catalog did not know.
type LookupTotal struct {
	Group Group `json:"group"`
	Count
}

// PeriodTotals are the figures of one report period: from the last Z
// report (or installation) on. A Z report closes the period and starts
// the next at zero. Slices are kept sorted (groups and look-ups by group,
// VAT by rate from the highest, payments by type), so a Totals encodes
// the same way whatever order it was counted in.
type PeriodTotals struct {
	FirstReceipt uint64    `json:"first_receipt,omitempty"` // sales receipt numbers in the period
	LastReceipt  uint64    `json:"last_receipt,omitempty"`
	FirstSale    time.Time `json:"first_sale,omitzero"`
	LastSale     time.Time `json:"last_sale,omitzero"`

	Sales  Count        `json:"sales"` // sales receipts and their total
	Groups []GroupTotal `json:"groups,omitempty"`
	// Pant is the pant the sales charged (Line.Pant), already in the
	// groups' amounts: Num the units it was charged on.
	Pant     Count          `json:"pant,omitzero"`
	VAT      []VATLine      `json:"vat,omitempty"` // summed from each sale's own VAT lines, as printed
	Payments []PaymentTotal `json:"payments,omitempty"`

	Copies          Count         `json:"copies"`                // copy receipts, 13014
	Returns         Count         `json:"returns"`               // return receipts; amount positive (§ 2-8-2 (1) p)
	CardRefunds     Count         `json:"card_refunds,omitzero"` // of Returns, those refunded to the card (AddReturn)
	Training        Count         `json:"training"`              // training receipts, never in Sales
	Voids           Count         `json:"voids"`                 // sales cancelled or voided before they completed
	LineCorrections Count         `json:"line_corrections"`      // basket lines staff voided or the customer reduced before paying: «feilslag» (§ 2-8-2 (1) s)
	Discounts       Count         `json:"discounts"`             // manual discounts (§ 2-8-2 (1) q): the kiosk gives none
	PriceLookups    []LookupTotal `json:"price_lookups,omitempty"`
}

// Net is the period's sales less its returns.
func (p PeriodTotals) Net() Money { return p.Sales.Amount - p.Returns.Amount }

// CardTotal is what the period took by card: every payment the kiosk
// takes.
func (p PeriodTotals) CardTotal() Count {
	var c Count
	for _, pt := range p.Payments {
		c.Num += pt.Num
		c.Amount += pt.Amount
	}
	return c
}

// ZMark is a kiosk's last Z report as the store keeps it beside the
// totals: its number, when it ran, and its journal record, so that a
// journal cut off before it is caught (VerifyJournal).
type ZMark struct {
	No          uint64    `json:"no"`
	Time        time.Time `json:"time"`
	Seq         uint64    `json:"seq"`  // the Z report's journal record
	Hash        Hash      `json:"hash"` // and its hash
	LastReceipt uint64    `json:"last_receipt,omitempty"`
}

// Totals are one kiosk's running totals: the open period's, the grand
// totals since installation (never reset; Skatteetaten's Q&A: they may
// start at 0 with the first version that keeps them), and the last Z
// report. Persisted as JSON.
type Totals struct {
	Kiosk        string       `json:"kiosk"`
	Period       PeriodTotals `json:"period"`
	GrandSales   Money        `json:"grand_sales"`
	GrandReturns Money        `json:"grand_returns"`
	LastZ        ZMark        `json:"last_z,omitzero"`
	// Open lists the kiosk's pending sales by ID, sorted: stored by
	// SavePending until CompleteSale or VoidPending. A Z report waits for
	// them. (Kept here so that the check reads one key: the pending
	// sales' own keys, deleted once per sale, leave a long trail of
	// deletions for a scan to step over.)
	Open []string `json:"open,omitempty"`
}

// Clone returns a copy of t that shares no slice with t, so either may
// change without the other (TestTotalsCloneSharesNothing walks every
// field).
func (t Totals) Clone() Totals {
	t.Period.Groups = slices.Clone(t.Period.Groups)
	t.Period.VAT = slices.Clone(t.Period.VAT)
	t.Period.Payments = slices.Clone(t.Period.Payments)
	t.Period.PriceLookups = slices.Clone(t.Period.PriceLookups)
	t.Open = slices.Clone(t.Open)
	return t
}

// NextZ is the number the kiosk's next Z report gets: the Z reports of a
// kiosk are numbered from 1 without gaps.
func (t Totals) NextZ() uint64 { return t.LastZ.No + 1 }

// PaymentType is the means of payment a sale is counted under: the card
// type the terminal named, "Kort" when it named none.
func PaymentType(p PaymentResult) string {
	if p.CardType == "" {
		return "Kort"
	}
	return p.CardType
}

// OpenSale notes that the kiosk has the pending sale id; it reports
// whether it was new.
func (t *Totals) OpenSale(id string) bool {
	i, found := slices.BinarySearch(t.Open, id)
	if !found {
		t.Open = slices.Insert(t.Open, i, id)
	}
	return !found
}

// CloseSale notes that the pending sale id was completed or voided; it
// reports whether it was open.
func (t *Totals) CloseSale(id string) bool {
	i, found := slices.BinarySearch(t.Open, id)
	if found {
		t.Open = slices.Delete(t.Open, i, i+1)
	}
	return found
}

// AddSale counts a completed sale s (with its receipt number) into t; it
// is no longer open. A training sale counts as a training receipt only
// (§ 2-8-2 (1) n; § 2-8-7): never in the sales, the groups, VAT,
// payments or grand totals; its receipt number is in the period's range
// all the same, since training receipts share the sequence.
func (t *Totals) AddSale(s Sale) {
	t.CloseSale(s.ID)
	p := &t.Period
	if p.FirstReceipt == 0 || s.No < p.FirstReceipt {
		p.FirstReceipt = s.No
	}
	p.LastReceipt = max(p.LastReceipt, s.No)
	if s.Training {
		p.Training.add(s.Total)
		return
	}
	at := s.Completed.UTC()
	if p.FirstSale.IsZero() || at.Before(p.FirstSale) {
		p.FirstSale = at
	}
	if at.After(p.LastSale) {
		p.LastSale = at
	}
	p.Sales.add(s.Total)
	t.GrandSales += s.Total
	for _, l := range s.Lines {
		g := p.group(l.Product.Group)
		g.Qty += int64(l.Qty)
		g.Amount += l.Total()
		if l.Pant != 0 {
			p.Pant.Num += uint64(l.Qty)
			p.Pant.Amount += l.PantTotal()
		}
	}
	for _, v := range s.VAT {
		x := p.vat(v.Rate)
		x.Gross += v.Gross
		x.Net += v.Net
		x.VAT += v.VAT
	}
	p.payment(PaymentType(s.Payment)).add(s.Total)
}

// AddEntry counts a journal entry into t, when it is one the reports
// count; it reports whether it was. This switch is the one place that
// says which journal records count where, and the store calls it for
// every record it appends. A sales receipt (13012, 13030) and a training
// receipt (13017) are not counted here: their sale is (AddSale); nor is
// a return (11006, its receipt 13013): the return is (AddReturn), in its
// own write.
func (t *Totals) AddEntry(e Entry) bool {
	p := &t.Period
	amount := e.Amount
	if amount < 0 {
		amount = -amount
	}
	switch {
	case e.Code == CodeCopyReceipt:
		p.Copies.add(amount)
	case e.Code == CodeVoidReceipt, e.Code == CodeOther && e.Subtype == SubSaleCancelled:
		p.Voids.add(amount)
	case e.Code == CodeOther && (e.Subtype == SubLineVoided || e.Subtype == SubLineReduced):
		p.LineCorrections.add(amount)
	case e.Code == CodePriceLookup:
		var g Group // 0: a code not in the catalog
		if n, err := strconv.ParseUint(e.Data["group"], 10, 8); err == nil {
			g = Group(n)
		}
		p.lookup(g).add(amount)
	default:
		return false
	}
	return true
}

// CloseZ ends the period with the Z report journaled as r: the next Z
// number, its time and record are kept, and the period starts at zero.
// The grand totals stay.
func (t *Totals) CloseZ(r Record) {
	t.LastZ = ZMark{No: t.NextZ(), Time: r.Time.UTC(), Seq: r.Seq, Hash: r.Hash, LastReceipt: t.lastReceipt()}
	t.Period = PeriodTotals{}
}

// lastReceipt is the last sales receipt number a report up to now covers.
func (t Totals) lastReceipt() uint64 {
	if t.Period.LastReceipt > 0 {
		return t.Period.LastReceipt
	}
	return t.LastZ.LastReceipt
}

func (p *PeriodTotals) group(g Group) *GroupTotal {
	i, ok := slices.BinarySearchFunc(p.Groups, g, func(x GroupTotal, g Group) int { return int(x.Group) - int(g) })
	if !ok {
		p.Groups = slices.Insert(p.Groups, i, GroupTotal{Group: g})
	}
	return &p.Groups[i]
}

func (p *PeriodTotals) vat(r VATRate) *VATLine {
	// Highest rate first, as VATBreakdown orders a sale's lines.
	i, ok := slices.BinarySearchFunc(p.VAT, r, func(x VATLine, r VATRate) int { return int(r) - int(x.Rate) })
	if !ok {
		p.VAT = slices.Insert(p.VAT, i, VATLine{Rate: r})
	}
	return &p.VAT[i]
}

func (p *PeriodTotals) payment(typ string) *Count {
	i, ok := slices.BinarySearchFunc(p.Payments, typ, func(x PaymentTotal, t string) int {
		switch {
		case x.Type < t:
			return -1
		case x.Type > t:
			return 1
		}
		return 0
	})
	if !ok {
		p.Payments = slices.Insert(p.Payments, i, PaymentTotal{Type: typ})
	}
	return &p.Payments[i].Count
}

func (p *PeriodTotals) lookup(g Group) *Count {
	i, ok := slices.BinarySearchFunc(p.PriceLookups, g, func(x LookupTotal, g Group) int { return int(x.Group) - int(g) })
	if !ok {
		p.PriceLookups = slices.Insert(p.PriceLookups, i, LookupTotal{Group: g})
	}
	return &p.PriceLookups[i].Count
}
