package kiosk

import "fmt"

// ReturnReceiptTitle is the return receipt's name (kassasystemforskrifta
// § 2-8-5: «Returkvittering»).
const ReturnReceiptTitle = "Returkvittering"

// BuildReturnReceipt composes the return receipt for a completed return
// with what kassasystemforskrifta § 2-8-5 asks for: the seller's name,
// organisation number with "MVA" and address, the receipt's name and
// number, date and time, the kiosk, the number of the sales receipt the
// goods were bought on, each returned item with its quantity and amount
// (negative: money back), the total and VAT per rate (negative), and how
// the money went back. Staff signs for a refund paid at the counter.
func BuildReturnReceipt(shop Shop, r Return) Document {
	var d Document
	shopHeader(&d, shop)
	d.Text(ReturnReceiptTitle, Style{Bold: true, DoubleHeight: true, Align: AlignCenter})
	d.Pair("Returkvittering nr.", fmt.Sprint(r.No), Style{})
	d.Pair("Dato", r.Time.In(oslo).Format("02.01.2006 15:04:05"), Style{})
	d.Pair("Kasse", r.Kiosk, Style{})
	d.Pair("Opprinnelig kvittering nr.", fmt.Sprint(r.Original), Style{Bold: true})
	d.Rule()
	for _, l := range r.Lines {
		receiptLine(&d, l, -1)
	}
	d.Rule()
	d.Pair("TOTALT NOK", (-r.Total).Plain(), Style{Bold: true, DoubleHeight: true})
	d.Feed()
	d.Pair("MVA-grunnlag", "MVA", Style{})
	for _, v := range r.VAT {
		d.Pair(fmt.Sprintf("%d %% av %s", v.Rate, (-v.Net).Plain()), (-v.VAT).Plain(), Style{})
	}
	d.Rule()
	switch r.Method {
	case RefundCard:
		p := r.Refund
		card := p.CardType
		if card == "" {
			card = "Kort"
		}
		d.Pair("Tilbakebetalt til "+card, (-r.Total).Plain(), Style{})
		if p.MaskedPAN != "" {
			d.Text(p.MaskedPAN, Style{})
		}
		if p.TerminalID != "" || p.Trace != "" {
			d.Text(fmt.Sprintf("Terminal %s  Ref. %s", p.TerminalID, p.Trace), Style{})
		}
		for _, l := range p.Lines {
			d.Text(l, Style{})
		}
	default:
		d.Pair("Tilbakebetalt i kassen", (-r.Total).Plain(), Style{})
		d.Feed()
		d.Text("Signatur ansatt: ____________________", Style{})
	}
	d.Text("Behandlet av "+r.Staff, Style{})
	d.Feed()
	d.Barcode(fmt.Sprintf("%s-%d", r.Kiosk, r.No))
	return d
}
