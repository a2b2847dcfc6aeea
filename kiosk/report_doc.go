package kiosk

import (
	"fmt"
	"strconv"
	"strings"
)

// Document lays the report out for the receipt printer, in Norwegian,
// with what kassasystemforskrifta § 2-8-2 lists for an X report and
// § 2-8-3 for a Z report (the same, numbered, closing the period). The
// letters cited are those Skatteetaten's questions and answers on cash
// registers name; the other lines follow the order of the SAF-T Cash
// Register eventReport, which follows the paragraph. Counts the kiosk
// cannot have (a cash drawer, discounts, provisional and delivery
// receipts) are printed as 0, not left out.
func (r Report) Document() Document {
	var d Document
	big := Style{Bold: true, DoubleHeight: true, Align: AlignCenter}
	mid := Style{Align: AlignCenter}
	head := Style{Bold: true}
	// The seller and the till.
	d.Text(r.Shop.Name, big)
	if r.Shop.OrgNo != "" {
		d.Text("Org.nr. "+r.Shop.OrgNo+" MVA", mid)
	}
	if r.Shop.Address != "" {
		d.Text(r.Shop.Address, mid)
	}
	d.Feed()
	title := "X-RAPPORT"
	if r.Kind == ZReport {
		title = fmt.Sprintf("Z-RAPPORT nr. %d", r.No)
	}
	d.Text(title, big)
	if r.Kind == XReport {
		d.Text("(nullstiller ikke)", mid)
	}
	d.Pair("Dato", r.Time.In(oslo).Format(reportTime), Style{})
	d.Pair("Kasse", r.Kiosk, Style{})
	if r.System != "" {
		d.Pair("Kassasystem", r.System, Style{})
	}
	if r.SystemID != "" {
		d.Pair("System-ID", r.SystemID, Style{}) // kassasystemlova § 2 f: 41 of the 42 columns
	}
	if r.From.IsZero() {
		d.Pair("Periode fra", "installasjon", Style{})
	} else {
		d.Pair("Periode fra", r.From.In(oslo).Format(reportTime), Style{})
		d.Pair("Forrige Z-rapport", "nr. "+strconv.FormatUint(r.LastZ, 10), Style{})
	}
	d.Pair("Periode til", r.Time.In(oslo).Format(reportTime), Style{})
	p := r.Period
	if p.Sales.Num > 0 {
		d.Pair("Kvitteringer", fmt.Sprintf("nr. %d–%d", p.FirstReceipt, p.LastReceipt), Style{})
	}
	if r.By != "" {
		d.Pair("Tatt ut av", r.By, Style{})
	}

	// Sales in total.
	d.Rule()
	d.Pair("Kontantsalg", countText(p.Sales), Style{})
	d.Pair("Returer", negCountText(p.Returns), Style{})
	d.Pair("SALG NETTO", p.Net().Plain(), head)

	// § 2-8-2 (1) f: per main product group.
	d.Rule()
	d.Text("Varegrupper", head)
	if len(p.Groups) == 0 {
		d.Pair("(ingen salg)", Money(0).Plain(), Style{})
	}
	for _, g := range p.Groups {
		d.Pair(fmt.Sprintf("%s %s %d stk", g.Group.SAFTArticleGroup(), groupNameNO(g.Group), g.Qty), g.Amount.Plain(), Style{})
	}
	if p.Pant.Num != 0 {
		// In the groups' amounts above; the shop books it apart.
		d.Pair(fmt.Sprintf("  herav pant %d stk", p.Pant.Num), p.Pant.Amount.Plain(), Style{})
	}

	// Per VAT rate, with the VAT.
	d.Rule()
	d.Pair("MVA-grunnlag", "MVA", head)
	if len(p.VAT) == 0 {
		d.Pair("(ingen salg)", Money(0).Plain(), Style{})
	}
	for _, v := range p.VAT {
		d.Pair(fmt.Sprintf("%d %% av %s", v.Rate, v.Net.Plain()), v.VAT.Plain(), Style{})
	}

	// § 2-8-2 (1) g: per means of payment.
	d.Rule()
	d.Text("Betalingsmidler", head)
	if len(p.Payments) == 0 {
		d.Pair("(ingen betalinger)", Money(0).Plain(), Style{})
	}
	for _, pt := range p.Payments {
		d.Pair(pt.Type, countText(pt.Count), Style{})
	}
	d.Pair("Kontanter", "0  "+Money(0).Plain(), Style{})
	d.Pair("Inngående veksel", Money(0).Plain(), Style{})

	// Counts and amounts.
	d.Rule()
	d.Pair("Salgskvitteringer", strconv.FormatUint(p.Sales.Num, 10), Style{})
	d.Pair("Kopikvitteringer", countText(p.Copies), Style{})
	d.Pair("Returkvitteringer", negCountText(p.Returns), Style{}) // § 2-8-2 (1) p
	d.Pair("Rabatter", countText(p.Discounts), Style{})           // § 2-8-2 (1) q
	d.Pair("Annullerte salg", countText(p.Voids), Style{})        //
	// § 2-8-2 (1) s: by type. Every correction the kiosk has is a
	// «feilslag» (a line reduced or taken out before payment), the
	// example Skattedirektoratet gives.
	d.Pair("Linjekorreksjoner feilslag", negCountText(p.LineCorrections), Style{})
	if len(p.PriceLookups) == 0 {
		d.Pair("Prisoppslag", countText(Count{}), Style{}) // § 2-8-2 (1) t
	}
	for _, l := range p.PriceLookups {
		name := "ukjent vare"
		if l.Group != 0 {
			name = groupNameNO(l.Group)
		}
		d.Pair("Prisoppslag "+name, countText(l.Count), Style{})
	}
	d.Pair("Foreløpige kvitteringer", countText(Count{}), Style{})
	d.Pair("Utleveringskvitteringer", countText(Count{}), Style{}) // § 2-8-2 (1) v
	d.Pair("Treningskvitteringer", countText(p.Training), Style{})
	d.Pair("Skuffeåpninger", "0 (ingen kassaskuff)", Style{}) // § 2-8-2 (1) m

	// The card terminal's end of day against the kiosk's card sales.
	if t := r.Terminal; t != nil {
		d.Rule()
		d.Text("Betalingsterminal", head)
		d.Pair("Kasse, kort", fmt.Sprintf("%d  %s", t.Kiosk.Num, t.Kiosk.Amount.Plain()), Style{})
		if t.Known {
			d.Pair("Terminal, dagsoppgjør", fmt.Sprintf("%d  %s", t.Count, t.Amount.Plain()), Style{})
			diff := t.Diff.Plain()
			if t.Diff == 0 && t.Count != int(t.Kiosk.Num) {
				diff += " (antall avviker)"
			}
			d.Pair("Differanse", diff, Style{Bold: t.Diff != 0 || t.Count != int(t.Kiosk.Num)})
		} else {
			d.Pair("Terminal, dagsoppgjør", "ukjent", Style{})
			d.Pair("Differanse", "ukjent", Style{Bold: true})
			for _, l := range wrap(t.Problem, ReportColumns) {
				d.Text(l, Style{})
			}
		}
	}

	// Since installation, never reset.
	d.Rule()
	d.Pair("Grand total salg", r.GrandSales.Plain(), Style{})
	d.Pair("Grand total retur", r.GrandReturns.Plain(), Style{})
	d.Pair("Grand total netto", r.GrandNet().Plain(), Style{})
	if r.Kind == ZReport {
		d.Rule()
		d.Pair("Journal til og med", "nr. "+strconv.FormatUint(r.HeadSeq, 10), Style{})
		h := r.HeadHash.String()
		d.Text(h[:32], Style{})
		d.Text(h[32:], Style{})
	}
	return d
}

// countText is a count and its amount on one line: "3  123,00".
func countText(c Count) string { return fmt.Sprintf("%d  %s", c.Num, c.Amount.Plain()) }

// negCountText is countText of what takes money off the sales, returns
// and line corrections, with its amount negative, as Skatteetaten's
// examples print them («feilslag antall: 1, beløp kr -120»). The totals
// keep these amounts positive.
func negCountText(c Count) string { return fmt.Sprintf("%d  %s", c.Num, (-c.Amount).Plain()) }

// groupNameNO is a product group's name on a report.
func groupNameNO(g Group) string {
	switch g {
	case GroupTobacco:
		return "tobakk"
	case GroupFood:
		return "mat"
	case GroupSoftDrink:
		return "mineralvann"
	case GroupPress:
		return "aviser og blader"
	case GroupOther:
		return "andre varer"
	}
	return g.String()
}

// wrap breaks s into lines of at most width runes, at spaces where it
// can.
func wrap(s string, width int) []string {
	var out []string
	for _, w := range strings.Fields(s) {
		r := []rune(w)
		for len(r) > width { // a word longer than the line: cut
			out = append(out, string(r[:width]))
			r = r[width:]
		}
		w = string(r)
		if n := len(out); n > 0 && runeLen(out[n-1])+1+runeLen(w) <= width {
			out[n-1] += " " + w
			continue
		}
		out = append(out, w)
	}
	return out
}
