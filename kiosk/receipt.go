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
// completed sale with the content kassasystemforskrifta § 2-8-2 asks for:
// the seller's name, organisation number with "MVA", address, the
// receipt's name and number, date and time, the kiosk, each item with
// quantity and amount, the total, VAT per rate, and how it was paid.
func BuildReceipt(shop Shop, s Sale) Document {
	var d Document
	big := Style{Bold: true, DoubleHeight: true, Align: AlignCenter}
	mid := Style{Align: AlignCenter}
	d.Text(shop.Name, big)
	d.Text("Org.nr. "+shop.OrgNo+" MVA", mid)
	if shop.Address != "" {
		d.Text(shop.Address, mid)
	}
	if shop.Phone != "" {
		d.Text("Tlf. "+shop.Phone, mid)
	}
	d.Feed()
	d.Text("Salgskvittering", Style{Bold: true, Align: AlignCenter})
	d.Pair("Kvittering nr.", fmt.Sprint(s.No), Style{})
	t := s.Completed.In(oslo)
	d.Pair("Dato", t.Format("02.01.2006 15:04:05"), Style{})
	d.Pair("Kasse", s.Kiosk, Style{})
	d.Rule()
	for _, l := range s.Lines {
		name := l.Product.Name
		if l.Product.Restricted() {
			name += " (18+)"
		}
		d.Pair(name, l.Total().Plain(), Style{})
		if l.Qty > 1 {
			d.Text(fmt.Sprintf("  %d x %s", l.Qty, l.Product.Price.Plain()), Style{})
		}
	}
	d.Rule()
	d.Pair("TOTALT NOK", s.Total.Plain(), Style{Bold: true, DoubleHeight: true})
	d.Feed()
	d.Pair("MVA-grunnlag", "MVA", Style{})
	for _, v := range s.VAT {
		d.Pair(fmt.Sprintf("%d %% av %s", v.Rate, v.Net.Plain()), v.VAT.Plain(), Style{})
	}
	d.Rule()
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
	if s.AgeCheckBy != "" {
		d.Text("Alder kontrollert av "+s.AgeCheckBy, Style{})
	}
	d.Feed()
	d.Text("Takk for handelen!", mid)
	d.Barcode(fmt.Sprintf("%s-%d", s.Kiosk, s.No))
	return d
}
