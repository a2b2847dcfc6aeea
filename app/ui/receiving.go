package ui

// The staff screen's stock (issue 13 items 4 and 5): receiving goods
// (Varemottak) — staff scans the product received, types the quantity on
// a keypad and presses OK, which books it with their name (the kiosk
// journals it, 13999 stock-receipt), and scans the next — and the stock
// status beside the other status: products at or below their low-stock
// threshold, shelf products sold at no stock to recount, and the first
// products of the stock-out outlook with the suggested order.

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selvkasse/kiosk"
)

// ReceiveKiosk is what receiving needs of a Kiosk besides Override.
// *kiosk.Checkout implements it; without it receiving says it cannot.
type ReceiveKiosk interface {
	StaffReceiving(on bool) error
	ReceiveStock(g kiosk.GTIN, qty int) error
}

var _ ReceiveKiosk = (*kiosk.Checkout)(nil)

// maxQtyDigits is the longest quantity the receiving keypad takes.
const maxQtyDigits = 5

// staffStock is the staff view's stock, nil without one.
func (s *Screen) staffStock() *kiosk.StaffStock {
	if st := s.view.Staff; st != nil {
		return st.Stock
	}
	return nil
}

// startReceiving opens receiving at the kiosk: scans are then the goods
// received.
func (s *Screen) startReceiving() {
	rk, ok := s.k.(ReceiveKiosk)
	if !ok {
		s.staffErr, s.pick = kiosk.ErrNotNow, staffPick{}
		return
	}
	if err := rk.StaffReceiving(true); err != nil {
		s.staffErr, s.pick = err, staffPick{}
	}
}

// stopReceiving closes receiving when it is what was chosen.
func (s *Screen) stopReceiving() {
	if s.pick.kind != kiosk.OvReceiveStock {
		return
	}
	if rk, ok := s.k.(ReceiveKiosk); ok {
		_ = rk.StaffReceiving(false)
	}
}

// receivingPanel asks for a scan, then for the quantity of the product
// scanned.
func (s *Screen) receivingPanel() fyne.CanvasObject {
	st := s.staffStock()
	title := s.overrideName(kiosk.OvReceiveStock)
	out := container.NewVBox()
	if st != nil && st.Received != nil {
		out.Add(small(s.t(mRecvDone, st.Qty, st.Received.Name, st.Received.Stock)))
	}
	if st == nil || st.Scanned == nil {
		out.Add(leftLabel(s.t(mRecvScan), theme.SizeNameSubHeadingText, true))
		if st != nil && st.Unknown != "" {
			l := leftLabel(s.t(mRecvUnknown, st.Unknown), theme.SizeNameText, true)
			l.Wrapping = fyne.TextWrapWord
			l.Importance = widget.DangerImportance
			out.Add(l)
		}
		return s.step(title, s.t(mRecvHint), out)
	}
	p := st.Scanned
	out.Add(leftLabel(p.Name, theme.SizeNameSubHeadingText, true))
	out.Add(small(s.t(mRecvStockNow, p.GTIN.String(), p.Stock)))
	out.Add(section(s.t(mRecvQty)))
	s.numberPad(out, s.pick.qty, maxQtyDigits, s.qtyDigit, s.t(mRecvClear), s.qtyClear, func() { s.submitQty(p.GTIN) })
	return s.step(title, s.t(mRecvHint), out)
}

// askingQty reports whether the staff screen asks for a quantity
// received.
func (s *Screen) askingQty() bool {
	st := s.staffStock()
	return s.staffPhase() == kiosk.StaffSignedIn && !s.staffBusy && s.pick.kind == kiosk.OvReceiveStock && st != nil && st.Scanned != nil
}

// qtyDigit types digit d of the quantity (no leading zero).
func (s *Screen) qtyDigit(d byte) {
	if !s.askingQty() || len(s.pick.qty) >= maxQtyDigits || (d == '0' && s.pick.qty == "") {
		return
	}
	s.pick.qty += string(rune(d))
	s.k.StaffTouch()
	s.redraw()
}

// receivingKey takes a key typed where a quantity received is asked for:
// Backspace or Delete clears, Return or Enter is OK (as on the keypad).
// It reports whether it was such a key there.
func (s *Screen) receivingKey(e *fyne.KeyEvent) bool {
	if !s.askingQty() {
		return false
	}
	switch e.Name {
	case fyne.KeyBackspace, fyne.KeyDelete:
		s.qtyClear()
	case fyne.KeyReturn, fyne.KeyEnter:
		s.submitQty(s.staffStock().Scanned.GTIN)
	default:
		return false
	}
	return true
}

// qtyClear empties the quantity.
func (s *Screen) qtyClear() {
	if s.pick.qty != "" && s.askingQty() {
		s.pick.qty = ""
		s.k.StaffTouch()
		s.redraw()
	}
}

// submitQty books the quantity typed of g; the panel then asks for the
// next scan (the kiosk clears the product scanned).
func (s *Screen) submitQty(g kiosk.GTIN) {
	n, err := strconv.Atoi(s.pick.qty)
	if err != nil || n < 1 || !s.askingQty() {
		return
	}
	rk, ok := s.k.(ReceiveKiosk)
	if !ok {
		return
	}
	s.staffErr, s.refused = nil, 0
	if err := rk.ReceiveStock(g, n); err != nil {
		s.staffErr = err
		if s.onError != nil {
			s.onError(err)
		}
	} else {
		s.pick.qty = ""
	}
	s.redraw()
}

// stockSection adds the stock status to the staff screen's status panel.
func (s *Screen) stockSection(out *fyne.Container) {
	st := s.staffStock()
	if st == nil {
		return
	}
	// The lines go into out at once (addAll): the low and recount lists
	// have a line per product.
	var lines []fyne.CanvasObject
	add := func(o fyne.CanvasObject) { lines = append(lines, o) }
	defer func() { addAll(out, lines...) }()
	add(section(s.t(mStock)))
	switch {
	case st.Err != "":
		l := small(s.t(mStockErr, st.Err))
		l.Importance = widget.DangerImportance
		add(l)
		return
	case st.Status == nil:
		add(small(s.t(mStockReading)))
		return
	}
	ss := st.Status
	for _, p := range firstOf(ss.Recount) {
		l := small(s.t(mStockRecount, p.Name, p.Stock))
		l.TextStyle.Bold = true
		add(l)
	}
	if n := len(ss.Recount) - stockLines; n > 0 {
		add(small(s.t(mStockMore, n)))
	}
	for _, p := range firstOf(ss.Low) {
		add(small(s.t(mStockLow, p.Name, p.Stock, p.LowStock)))
	}
	if n := len(ss.Low) - stockLines; n > 0 {
		add(small(s.t(mStockMore, n)))
	}
	if len(ss.Outlook) > 0 {
		add(small(s.t(mStockOutlookHead)))
	}
	for _, r := range ss.Outlook {
		days := r.DaysLeft()
		if s.Lang() == LangNorwegian {
			days = strings.Replace(days, ".", ",", 1) // a decimal comma
		}
		add(small(s.t(mStockOutlook, r.Name, days, r.Order)))
	}
	if len(ss.Recount) == 0 && len(ss.Low) == 0 && len(ss.Outlook) == 0 {
		add(small(s.t(mStockAllOK)))
	}
}

// stockLines is how many products of each list (to recount, running
// low) the staff screen names; a line then says how many more there are.
// A shop that imported its catalog without counts has every shelf product
// it sold to recount: a line each would push the rest of the screen out
// of reach.
const stockLines = 5

// firstOf is the first stockLines of ps.
func firstOf(ps []kiosk.Product) []kiosk.Product { return ps[:min(len(ps), stockLines)] }

const (
	mStockMore        msg = "stock.more"
	mStock            msg = "stock"
	mStockReading     msg = "stock.reading"
	mStockErr         msg = "stock.err"
	mStockRecount     msg = "stock.recount"
	mStockLow         msg = "stock.low"
	mStockOutlookHead msg = "stock.outlookHead"
	mStockOutlook     msg = "stock.outlook"
	mStockAllOK       msg = "stock.allOK"
	mRecvHint         msg = "recv.hint"
	mRecvScan         msg = "recv.scan"
	mRecvStockNow     msg = "recv.stockNow"
	mRecvQty          msg = "recv.qty"
	mRecvClear        msg = "recv.clear"
	mRecvDone         msg = "recv.done"
	mRecvUnknown      msg = "recv.unknown"
)

var stockTexts = map[string]map[msg]string{
	LangNorwegian: {
		mStock:            "Lager",
		mStockReading:     "Leser lageret …",
		mStockErr:         "Lageret kunne ikke leses: %s",
		mStockRecount:     "Tell opp: %s (systemet sier %d)",
		mStockLow:         "Lite igjen: %s – %d (varsel ved %d)",
		mStockOutlookHead: "Går tom innen leveringstiden:",
		mStockOutlook:     "%s – %s dager igjen, bestill %d",
		mStockAllOK:       "Ingenting går tomt.",
		mStockMore:        "… og %d til",
		mRecvHint:         "Skann varen, tast antallet og trykk OK. Tilbake når du er ferdig.",
		mRecvScan:         "Skann varen som er mottatt",
		mRecvStockNow:     "%s · på lager nå: %d",
		mRecvQty:          "Antall mottatt",
		mRecvClear:        "Tøm",
		mRecvDone:         "Mottatt: %d × %s – på lager nå %d",
		mRecvUnknown:      "Strekkoden %s er ingen vare i katalogen. Legg varen inn i katalogen, og skann den igjen.",
	},
	LangEnglish: {
		mStock:            "Stock",
		mStockReading:     "Reading the stock …",
		mStockErr:         "The stock could not be read: %s",
		mStockRecount:     "Recount: %s (the system says %d)",
		mStockLow:         "Running low: %s – %d (warning at %d)",
		mStockOutlookHead: "Runs out within the lead time:",
		mStockOutlook:     "%s – %s days left, order %d",
		mStockAllOK:       "Nothing is running out.",
		mStockMore:        "… and %d more",
		mRecvHint:         "Scan the product, type the quantity and press OK. Back when you are done.",
		mRecvScan:         "Scan the product received",
		mRecvStockNow:     "%s · in stock now: %d",
		mRecvQty:          "Quantity received",
		mRecvClear:        "Clear",
		mRecvDone:         "Received: %d × %s – in stock now %d",
		mRecvUnknown:      "The barcode %s is no product in the catalog. Add the product to the catalog, and scan it again.",
	},
}

func init() { addTexts(stockTexts) }
