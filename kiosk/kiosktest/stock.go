package kiosktest

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"selvkasse/kiosk"
)

var _ kiosk.StockStore = (*Store)(nil)

// ReceiveStock implements kiosk.StockStore: the stock and the journal
// record (13999 kiosk.SubStockReceipt) together, as the real store. It
// keeps no movement records.
func (s *Store) ReceiveStock(ctx context.Context, g kiosk.GTIN, qty int, staff string, e kiosk.Entry) (kiosk.Product, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.write(ctx, "ReceiveStock"); err != nil {
		return kiosk.Product{}, err
	}
	if err := kiosk.CheckReceiveQty(qty); err != nil {
		return kiosk.Product{}, fmt.Errorf("kiosktest: receive %s: %w", g, err)
	}
	b, ok := s.products[g]
	if !ok {
		return kiosk.Product{}, fmt.Errorf("kiosktest: receive %s: %w", g, kiosk.ErrNotFound)
	}
	var p kiosk.Product
	storeUnmarshal(b, &p)
	p.Stock += qty
	e.Code, e.Subtype = kiosk.CodeOther, kiosk.SubStockReceipt
	e.Data = map[string]string{"gtin": string(g), "qty": strconv.Itoa(qty), "stock": strconv.Itoa(p.Stock)}
	if staff != "" {
		e.Data["staff"] = staff
	}
	_, rec, err := s.seal(e)
	if err != nil {
		return kiosk.Product{}, err
	}
	nb, err := json.Marshal(p)
	if err != nil {
		return kiosk.Product{}, fmt.Errorf("kiosktest: receive %s: %w", g, err)
	}
	s.commitRecord(rec)
	s.products[g] = nb
	return p, nil
}

// StockStatus implements kiosk.StockStore: the thresholds and recount
// flags of the catalog, and the outlook from the completed sales (the
// fake keeps no movements; returns are not counted back).
func (s *Store) StockStatus(ctx context.Context, now time.Time, p kiosk.OutlookParams) (kiosk.StockStatus, error) {
	ps, err := s.List(ctx)
	if err != nil {
		return kiosk.StockStatus{}, err
	}
	var st kiosk.StockStatus
	st.Low, st.Recount = kiosk.LowAndRecount(ps)
	o := kiosk.NewOutlook(now, p.Days)
	for _, sale := range s.Sales() {
		if sale.Training {
			continue
		}
		for _, l := range sale.Lines {
			o.Add(kiosk.StockMovement{GTIN: l.Product.GTIN, Kind: kiosk.MoveSale, Delta: -l.Qty, At: sale.Completed})
		}
	}
	st.Outlook = o.Rows(ps, p)
	if len(st.Outlook) > kiosk.StatusOutlookRows {
		st.Outlook = st.Outlook[:kiosk.StatusOutlookRows]
	}
	return st, nil
}
