package ui

// The staff screen's return (issue 12 item 4; kassasystemforskrifta
// § 2-8-5): after the sales receipt's number (typed on the keypad, as for
// the copy), its lines with what is left to return, a quantity to take
// back for each (never more than is left), and how the money goes back:
// to the card through the terminal, or paid at the counter. The reason
// then makes the override (Kiosk.Override with Override.Return).

import (
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selvkasse/kiosk"
)

// ReturnKiosk is what the return screen needs of a Kiosk besides
// Override: the receipt's lines and whether the terminal refunds to a
// card. *kiosk.Checkout implements it; without it no return is offered.
type ReturnKiosk interface {
	Returnable(no uint64) (kiosk.Returnable, error)
	CanRefundToCard() bool
}

// returnPick is a return being chosen: the receipt as read, the
// quantities chosen per product, and the refund method once chosen.
type returnPick struct {
	no     uint64
	sale   kiosk.Returnable
	err    error
	qty    map[kiosk.GTIN]int
	method kiosk.RefundMethod
}

// fill puts the chosen lines and method into o (nil r: nothing).
func (r *returnPick) fill(o *kiosk.Override) {
	if r == nil || o.Kind != kiosk.OvReturn {
		return
	}
	req := &kiosk.ReturnRequest{Refund: r.method}
	for _, l := range r.sale.Lines {
		if n := r.qty[l.Line.Product.GTIN]; n > 0 {
			req.Lines = append(req.Lines, kiosk.ReturnLine{GTIN: l.Line.Product.GTIN, Qty: n})
		}
	}
	o.Return = req
}

func (r *returnPick) total() (n int, m kiosk.Money) {
	for _, l := range r.sale.Lines {
		back := l.Line // at the sale's price and pant, as the return pays back
		back.Qty = r.qty[l.Line.Product.GTIN]
		n += back.Qty
		m += back.Total()
	}
	return n, m
}

// returnPanel shows receipt p.receipt's lines to choose from, read once
// per receipt.
func (s *Screen) returnPanel() fyne.CanvasObject {
	p := &s.pick
	rk, ok := s.k.(ReturnKiosk)
	if p.ret == nil || p.ret.no != p.receipt {
		p.ret = &returnPick{no: p.receipt, qty: map[kiosk.GTIN]int{}}
		if ok {
			p.ret.sale, p.ret.err = rk.Returnable(p.receipt)
		} else {
			p.ret.err = kiosk.ErrNotNow
		}
	}
	r := p.ret
	title := s.overrideName(kiosk.OvReturn) + ": " + s.t(mStaffReceiptNo, p.receipt)
	if r.err != nil {
		m := mStaffFailed
		if errors.Is(r.err, kiosk.ErrNotFound) {
			return s.step(title, s.t(mStaffNoReceiptArg, fmt.Sprint(p.receipt)), container.NewVBox())
		}
		return s.step(title, s.t(m), container.NewVBox())
	}
	list := container.NewVBox()
	for _, l := range r.sale.Lines {
		g, left := l.Line.Product.GTIN, l.Left()
		q := r.qty[g]
		list.Add(small(s.t(mStaffReturnLine, l.Line.Qty, l.Line.Product.Name, s.withPant(l.Line.Product.Price.String(), l.Line.Pant), l.Returned)))
		minus := button("−", widget.MediumImportance, 80, MinTouch, func() { s.returnQty(g, -1, left) })
		plus := button("+", widget.MediumImportance, 80, MinTouch, func() { s.returnQty(g, 1, left) })
		if q == 0 {
			minus.Objects[0].(*widget.Button).Disable()
		}
		if q >= left {
			plus.Objects[0].(*widget.Button).Disable()
		}
		list.Add(container.NewHBox(minus, leftLabel(s.t(mStaffReturnQty, q, left), theme.SizeNameText, true), plus))
	}
	n, total := r.total()
	list.Add(widget.NewSeparator())
	list.Add(leftLabel(s.t(mStaffReturnTotal, itemCount(s.Lang(), n), total.String()), theme.SizeNameText, true))
	card := button(s.t(mStaffRefundCard), widget.HighImportance, 0, MinTouch, func() { s.returnMethod(kiosk.RefundCard) })
	counter := button(s.t(mStaffRefundCounter), widget.MediumImportance, 0, MinTouch, func() { s.returnMethod(kiosk.RefundCounter) })
	if n == 0 || !ok || !rk.CanRefundToCard() {
		card.Objects[0].(*widget.Button).Disable()
	}
	if n == 0 {
		counter.Objects[0].(*widget.Button).Disable()
	}
	list.Add(container.NewGridWithColumns(2, card, counter))
	return s.step(title, s.t(mStaffReturnPickLines), list)
}

// returnQty changes the quantity of g to take back by d, within 0..left.
func (s *Screen) returnQty(g kiosk.GTIN, d, left int) {
	r := s.pick.ret
	if r == nil || s.staffBusy {
		return
	}
	r.qty[g] = min(max(r.qty[g]+d, 0), left)
	s.k.StaffTouch()
	s.redraw()
}

// returnMethod chooses how the money goes back; the reason comes next.
func (s *Screen) returnMethod(m kiosk.RefundMethod) {
	if r := s.pick.ret; r != nil {
		if n, _ := r.total(); n > 0 {
			r.method = m
			s.k.StaffTouch()
			s.redraw()
		}
	}
}

const (
	mStaffReturnPickReceipt msg = "staff.returnPickReceipt"
	mStaffReturnPickLines   msg = "staff.returnPickLines"
	mStaffReturnLine        msg = "staff.returnLine"  // sold, name, price, returned already
	mStaffReturnQty         msg = "staff.returnQty"   // chosen, left
	mStaffReturnTotal       msg = "staff.returnTotal" // itemCount, amount
	mStaffRefundCard        msg = "staff.refundCard"
	mStaffRefundCounter     msg = "staff.refundCounter"
	mStaffOverReturn        msg = "staff.overReturn"
	mStaffOverReturnArg     msg = "staff.overReturn.arg" // the receipt number
	mStaffRefundDeclined    msg = "staff.refundDeclined"
	mStaffRefundDeclinedArg msg = "staff.refundDeclined.arg" // the terminal's words
	mStaffRefundUnknown     msg = "staff.refundUnknown"
	mStaffRefundUnknownArg  msg = "staff.refundUnknown.arg" // the reason
)

var returnTexts = map[string]map[msg]string{
	LangNorwegian: {
		mStaffReturnPickReceipt: "Velg kvitteringen varene ble kjøpt på",
		mStaffReturnPickLines:   "Velg varene som leveres tilbake",
		mStaffReturnLine:        "%d × %s à %s (%d levert tilbake før)",
		mStaffReturnQty:         "Tilbake: %d av %d",
		mStaffReturnTotal:       "%s, %s tilbake",
		mStaffRefundCard:        "Tilbake til kortet",
		mStaffRefundCounter:     "Betalt ut i kassen",
		mStaffOverReturn:        "Så mange ble ikke kjøpt.",
		mStaffOverReturnArg:     "Kvittering nr. %s: så mange er ikke kjøpt, eller de er levert tilbake før.",
		mStaffRefundDeclined:    "Terminalen avviste tilbakebetalingen. Ingenting er tilbakebetalt eller registrert.",
		mStaffRefundDeclinedArg: "Terminalen avviste tilbakebetalingen (%s). Ingenting er tilbakebetalt eller registrert.",
		mStaffRefundUnknown:     "Vet ikke om terminalen betalte tilbake. Ingen retur er registrert – sjekk terminalen før du prøver igjen.",
		mStaffRefundUnknownArg:  "Vet ikke om terminalen betalte tilbake (%s). Ingen retur er registrert – sjekk terminalen før du prøver igjen.",
	},
	LangEnglish: {
		mStaffReturnPickReceipt: "Choose the receipt the goods were bought on",
		mStaffReturnPickLines:   "Choose the goods brought back",
		mStaffReturnLine:        "%d × %s at %s (%d returned before)",
		mStaffReturnQty:         "Back: %d of %d",
		mStaffReturnTotal:       "%s, %s back",
		mStaffRefundCard:        "Back to the card",
		mStaffRefundCounter:     "Paid out at the counter",
		mStaffOverReturn:        "Not that many were bought.",
		mStaffOverReturnArg:     "Receipt no. %s: not that many were bought, or they were returned before.",
		mStaffRefundDeclined:    "The terminal declined the refund. Nothing was refunded or recorded.",
		mStaffRefundDeclinedArg: "The terminal declined the refund (%s). Nothing was refunded or recorded.",
		mStaffRefundUnknown:     "Not known whether the terminal refunded. No return was recorded – check the terminal before trying again.",
		mStaffRefundUnknownArg:  "Not known whether the terminal refunded (%s). No return was recorded – check the terminal before trying again.",
	},
}

func init() {
	addTexts(returnTexts)
	staffErrMsgs[kiosk.StaffErrOverReturn] = [2]msg{mStaffOverReturn, mStaffOverReturnArg}
	staffErrMsgs[kiosk.StaffErrRefundDeclined] = [2]msg{mStaffRefundDeclined, mStaffRefundDeclinedArg}
	staffErrMsgs[kiosk.StaffErrRefundUnknown] = [2]msg{mStaffRefundUnknown, mStaffRefundUnknownArg}
}

var _ ReturnKiosk = (*kiosk.Checkout)(nil)
