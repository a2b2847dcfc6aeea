package kiosktest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"selvkasse/kiosk"
)

var _ kiosk.ReturnStore = (*Store)(nil)

// storeReturns is the Store's kiosk.ReturnStore part: the returns (JSON,
// as the real store keeps them), their IDs, and the quantities returned
// per sale.
type storeReturns struct {
	byNo     map[storeSaleRef][]byte
	ids      map[string]storeSaleRef
	returned map[storeSaleRef]map[kiosk.GTIN]int
}

// Returns lists the completed returns in the order they were made.
func (s *Store) Returns() []kiosk.Return {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []kiosk.Return
	for _, ref := range s.returnOrderLocked() {
		var r kiosk.Return
		storeUnmarshal(s.returns.byNo[ref], &r)
		out = append(out, r)
	}
	return out
}

func (s *Store) returnOrderLocked() []storeSaleRef {
	var refs []storeSaleRef
	for _, ref := range s.returns.ids {
		refs = append(refs, ref)
	}
	for i := 1; i < len(refs); i++ {
		for j := i; j > 0 && (refs[j].kiosk < refs[j-1].kiosk || refs[j].kiosk == refs[j-1].kiosk && refs[j].no < refs[j-1].no); j-- {
			refs[j], refs[j-1] = refs[j-1], refs[j]
		}
	}
	return refs
}

// Returned implements kiosk.ReturnStore.
func (s *Store) Returned(ctx context.Context, kioskID string, no uint64) (map[kiosk.GTIN]int, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ref := storeSaleRef{kioskID, no}
	if s.sales[ref] == nil {
		return nil, fmt.Errorf("kiosktest: returned %q/%d: no such sale: %w", kioskID, no, kiosk.ErrNotFound)
	}
	out := map[kiosk.GTIN]int{}
	for g, n := range s.returns.returned[ref] {
		out[g] = n
	}
	return out, nil
}

// CompleteReturn implements kiosk.ReturnStore. Errors besides the
// contract's: an empty ID, a kiosk ID containing a NUL byte.
func (s *Store) CompleteReturn(ctx context.Context, r kiosk.Return, e kiosk.Entry) (kiosk.Return, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.write(ctx, "CompleteReturn"); err != nil {
		return kiosk.Return{}, err
	}
	if r.ID == "" {
		return kiosk.Return{}, errors.New("kiosktest: complete return: empty ID")
	}
	if strings.ContainsRune(r.Kiosk, 0) {
		return kiosk.Return{}, fmt.Errorf("kiosktest: complete return %s: kiosk ID %q contains NUL", r.ID, r.Kiosk)
	}
	if ref, ok := s.returns.ids[r.ID]; ok {
		return kiosk.Return{}, fmt.Errorf("kiosktest: complete return %s: already completed as receipt %d: %w", r.ID, ref.no, kiosk.ErrConflict)
	}
	orig := storeSaleRef{r.Kiosk, r.Original}
	sb, ok := s.sales[orig]
	if !ok {
		return kiosk.Return{}, fmt.Errorf("kiosktest: complete return %s: sale %q/%d: %w", r.ID, r.Kiosk, r.Original, kiosk.ErrNotFound)
	}
	sale := decodeSale(sb)
	if err := kiosk.CheckReturn(sale, s.returns.returned[orig], r); err != nil {
		return kiosk.Return{}, fmt.Errorf("kiosktest: complete return %s: %w", r.ID, err)
	}
	ref := storeSaleRef{r.Kiosk, s.counters[r.Kiosk] + 1}
	r.No = ref.no
	r.OriginalSale = sale.ID
	b, err := json.Marshal(r)
	if err != nil {
		return kiosk.Return{}, fmt.Errorf("kiosktest: complete return %s: %w", r.ID, err)
	}
	stock := map[kiosk.GTIN][]byte{}
	for _, l := range r.Lines {
		g := l.Product.GTIN
		pb, ok := stock[g]
		if !ok {
			if pb, ok = s.products[g]; !ok {
				continue
			}
		}
		var p kiosk.Product
		storeUnmarshal(pb, &p)
		p.Stock += l.Qty
		if stock[g], err = json.Marshal(p); err != nil {
			return kiosk.Return{}, fmt.Errorf("kiosktest: complete return %s: %w", r.ID, err)
		}
	}
	e.Code, e.ReceiptNo = kiosk.CodeReturnPayment, ref.no
	tx := kiosk.NewReturnTx(r)
	if s.signer == nil || s.zone == nil {
		return kiosk.Return{}, fmt.Errorf("kiosktest: complete return %s: %w", r.ID, kiosk.ErrSignerUnavailable)
	}
	prev, ok := s.sigs[r.Kiosk]
	if !ok {
		prev = kiosk.FirstPreviousSignature
	}
	data, err := tx.SignatureInput(prev).Data(s.zone)
	if err != nil {
		return kiosk.Return{}, fmt.Errorf("kiosktest: complete return %s: %w", r.ID, err)
	}
	if tx.Signature, tx.KeyVersion, err = s.signer.Sign(data); err != nil {
		return kiosk.Return{}, fmt.Errorf("kiosktest: complete return %s: %w: %w", r.ID, kiosk.ErrSignerUnavailable, err)
	}
	e.Tx = &tx
	_, recB, err := s.seal(e)
	if err != nil {
		return kiosk.Return{}, err
	}
	// Nothing can fail from here on: all or nothing.
	if s.returns.byNo == nil {
		s.returns.byNo, s.returns.ids, s.returns.returned = map[storeSaleRef][]byte{}, map[string]storeSaleRef{}, map[storeSaleRef]map[kiosk.GTIN]int{}
	}
	s.sigs[r.Kiosk] = tx.Signature
	s.counters[r.Kiosk] = ref.no
	s.returns.byNo[ref] = b
	s.returns.ids[r.ID] = ref
	q := s.returns.returned[orig]
	if q == nil {
		q = map[kiosk.GTIN]int{}
		s.returns.returned[orig] = q
	}
	for _, l := range r.Lines {
		q[l.Product.GTIN] += l.Qty
	}
	for g, pb := range stock {
		s.products[g] = pb
	}
	var out kiosk.Return
	storeUnmarshal(b, &out)
	t := s.totalsLocked(r.Kiosk)
	t.AddReturn(out)
	s.setTotalsLocked(t)
	s.commitRecord(recB)
	return out, nil
}
