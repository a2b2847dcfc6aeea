package kiosk

import (
	"fmt"
	"time"
)

// Shop is the seller as printed on receipts.
type Shop struct {
	Name    string `json:"name"`
	OrgNo   string `json:"org_no"` // organisasjonsnummer, 9 digits
	Address string `json:"address"`
	Phone   string `json:"phone,omitempty"`
}

// oslo is used for receipt times; the zone database may be missing on a
// minimal system, so fall back to the local zone.
var oslo = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Oslo"); err == nil {
		return l
	}
	return time.Local
}()

// BuildReceipt composes the sales receipt ("Salgskvittering") for a
// completed sale with the content kassasystemforskrifta § 2-8-4 asks for:
// the seller's name, organisation number with "MVA", address, the
// receipt's name and number, date and time, the kiosk, each item with
// its quantity (on every line, also 1) and amount, the total, VAT per
// rate, and how it was paid.
func BuildReceipt(shop Shop, s Sale) Document { return buildReceipt(shop, s, receiptSale, time.Time{}) }

// BuildCopyReceipt composes the one copy of s's sales receipt the law
// allows (kassasystemforskrifta § 2-6 fourth paragraph; § 2-8-6): the
// receipt as it was, marked "KOPI" above and below in letters larger
// than any amount on it (double width and height; the total is double
// height only, the other amounts normal size), with when the copy was
// printed.
func BuildCopyReceipt(shop Shop, s Sale, at time.Time) Document {
	return buildReceipt(shop, s, receiptCopy, at)
}

// BuildLateReceipt composes s's sales receipt printed late, from the
// reprint queue, after the printer failed at the sale: the original
// receipt (not a copy: it is the first and only one printed), saying
// when it was printed.
func BuildLateReceipt(shop Shop, s Sale, at time.Time) Document {
	return buildReceipt(shop, s, receiptLate, at)
}

// receiptKind is which of the sales receipt's printings a document is.
type receiptKind uint8

const (
	receiptSale receiptKind = iota // at the sale
	receiptCopy                    // the one copy (§ 2-8-6)
	receiptLate                    // from the reprint queue
)

// CopyMark is the copy's marking (§ 2-8-6).
const CopyMark = "KOPI"

// CopyStyle is how CopyMark is printed: double width and height, larger
// than the total (double height) and every other amount (normal size).
var CopyStyle = Style{Bold: true, DoubleWidth: true, DoubleHeight: true, Align: AlignCenter}

// A training sale's receipt in any printing is a training receipt
// (§ 2-8-7): "Treningskvittering", marked TRENING and IKKE KVITTERING FOR
// KJØP above and below in TrainingStyle, saying no payment was taken.
func buildReceipt(shop Shop, s Sale, kind receiptKind, at time.Time) Document {
	var d Document
	if kind == receiptCopy {
		d.Text(CopyMark, CopyStyle)
	}
	if s.Training {
		trainingMarks(&d)
	}
	shopHeader(&d, shop)
	mid := Style{Align: AlignCenter}
	title := "Salgskvittering"
	if s.Training {
		title = "Treningskvittering"
	}
	d.Text(title, Style{Bold: true, Align: AlignCenter})
	d.Pair("Kvittering nr.", fmt.Sprint(s.No), Style{})
	t := s.Completed.In(oslo)
	d.Pair("Dato", t.Format("02.01.2006 15:04:05"), Style{})
	d.Pair("Kasse", s.Kiosk, Style{})
	d.Rule()
	for _, l := range s.Lines {
		receiptLine(&d, l, 1)
	}
	d.Rule()
	d.Pair("TOTALT NOK", s.Total.Plain(), Style{Bold: true, DoubleHeight: true})
	d.Feed()
	d.Pair("MVA-grunnlag", "MVA", Style{})
	for _, v := range s.VAT {
		d.Pair(fmt.Sprintf("%d %% av %s", v.Rate, v.Net.Plain()), v.VAT.Plain(), Style{})
	}
	d.Rule()
	if s.Training {
		d.Text("Ingen betaling: trening", Style{})
	} else {
		payment(&d, s)
	}
	if s.AgeCheckBy != "" {
		d.Text("Alder kontrollert av "+s.AgeCheckBy, Style{})
	}
	d.Feed()
	switch kind {
	case receiptCopy:
		d.Text("Kopi skrevet ut "+at.In(oslo).Format("02.01.2006 15:04:05"), mid)
	case receiptLate:
		d.Text("Skriveren var ute av drift ved salget.", mid)
		d.Text("Skrevet ut "+at.In(oslo).Format("02.01.2006 15:04:05"), mid)
	}
	if kind != receiptCopy && !s.Training {
		d.Text("Takk for handelen!", mid)
	}
	d.Barcode(fmt.Sprintf("%s-%d", s.Kiosk, s.No))
	if s.Training {
		trainingMarks(&d)
	}
	if kind == receiptCopy {
		d.Text(CopyMark, CopyStyle)
	}
	return d
}

// receiptLine adds basket line l to a receipt, its amounts times sign (1
// on a sales receipt, -1 on a return receipt): the item with its 18+ mark
// and amount, its quantity and unit price (a weight line: the weight at
// the price per kg), and its pant, when it has any, on a line of its own
// with its own amount, so that the amounts add up to the total.
func receiptLine(d *Document, l Line, sign int) {
	name := l.Product.Name
	if l.Product.Restricted() {
		name += " (18+)"
	}
	d.Pair(name, (Money(sign) * l.Goods()).Plain(), Style{})
	if l.Grams != 0 {
		d.Text("  "+WeightText(l.Grams, l.Product.Price), Style{})
	} else {
		d.Text(fmt.Sprintf("  %d x %s", sign*l.Qty, l.Product.Price.Plain()), Style{})
	}
	if l.Pant != 0 {
		d.Pair(fmt.Sprintf("  %s %d x %s", PantName, sign*l.Qty, l.Pant.Plain()), (Money(sign) * l.PantTotal()).Plain(), Style{})
	}
}

// payment adds how s was paid: the card, its number masked, the
// terminal's reference and receipt lines.
func payment(d *Document, s Sale) {
	p := s.Payment
	card := p.CardType
	if card == "" {
		card = "Kort"
	}
	d.Pair(card, s.Total.Plain(), Style{})
	if p.MaskedPAN != "" {
		d.Text(p.MaskedPAN, Style{})
	}
	if p.TerminalID != "" || p.Trace != "" {
		d.Text(fmt.Sprintf("Terminal %s  Ref. %s", p.TerminalID, p.Trace), Style{})
	}
	for _, l := range p.Lines {
		d.Text(l, Style{})
	}
}

// shopHeader is the seller at the head of every receipt (§ 2-8-4: name,
// organisation number with MVA, address), then a blank line.
func shopHeader(d *Document, shop Shop) {
	mid := Style{Align: AlignCenter}
	d.Text(shop.Name, Style{Bold: true, DoubleHeight: true, Align: AlignCenter})
	d.Text("Org.nr. "+shop.OrgNo+" MVA", mid)
	if shop.Address != "" {
		d.Text(shop.Address, mid)
	}
	if shop.Phone != "" {
		d.Text("Tlf. "+shop.Phone, mid)
	}
	d.Feed()
}
