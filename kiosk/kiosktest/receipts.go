package kiosktest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"selvkasse/kiosk"
)

var _ kiosk.ReceiptStore = (*Store)(nil)

// storeReceipts is the Store's kiosk.ReceiptStore part: the reprint
// queue (JSON, as the real store keeps it) and the copies per receipt.
type storeReceipts struct {
	queued map[storeSaleRef][]byte
	copies map[storeSaleRef]int
}

// QueueReceipt implements kiosk.ReceiptStore.
func (s *Store) QueueReceipt(ctx context.Context, q kiosk.QueuedReceipt, e kiosk.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.write(ctx, "QueueReceipt"); err != nil {
		return err
	}
	ref := storeSaleRef{q.Kiosk, q.No}
	if strings.ContainsRune(q.Kiosk, 0) || s.sales[ref] == nil {
		return fmt.Errorf("kiosktest: queue receipt %q/%d: no such sale: %w", q.Kiosk, q.No, kiosk.ErrNotFound)
	}
	if _, ok := s.receipts.queued[ref]; ok {
		return fmt.Errorf("kiosktest: queue receipt %q/%d: queued already: %w", q.Kiosk, q.No, kiosk.ErrConflict)
	}
	b, err := json.Marshal(q)
	if err != nil {
		return fmt.Errorf("kiosktest: queue receipt: %w", err)
	}
	_, recB, err := s.seal(e)
	if err != nil {
		return err
	}
	if s.receipts.queued == nil {
		s.receipts.queued = map[storeSaleRef][]byte{}
	}
	s.receipts.queued[ref] = b
	s.commitRecord(recB)
	return nil
}

// QueuedReceipts implements kiosk.ReceiptStore.
func (s *Store) QueuedReceipts(ctx context.Context, kioskID string) ([]kiosk.QueuedReceipt, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []kiosk.QueuedReceipt{}
	for ref, b := range s.receipts.queued {
		if ref.kiosk != kioskID {
			continue
		}
		var q kiosk.QueuedReceipt
		storeUnmarshal(b, &q)
		out = append(out, q)
	}
	slices.SortFunc(out, func(a, b kiosk.QueuedReceipt) int {
		switch {
		case a.No < b.No:
			return -1
		case a.No > b.No:
			return 1
		}
		return 0
	})
	return out, nil
}

// ReceiptPrinted implements kiosk.ReceiptStore.
func (s *Store) ReceiptPrinted(ctx context.Context, kioskID string, no uint64, e kiosk.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.write(ctx, "ReceiptPrinted"); err != nil {
		return err
	}
	ref := storeSaleRef{kioskID, no}
	if _, ok := s.receipts.queued[ref]; !ok {
		return fmt.Errorf("kiosktest: receipt %q/%d printed: not queued: %w", kioskID, no, kiosk.ErrNotFound)
	}
	_, recB, err := s.seal(e)
	if err != nil {
		return err
	}
	delete(s.receipts.queued, ref)
	s.commitRecord(recB)
	return nil
}

// Copies implements kiosk.ReceiptStore.
func (s *Store) Copies(ctx context.Context, kioskID string, no uint64) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.receipts.copies[storeSaleRef{kioskID, no}], nil
}

// CopyPrinted implements kiosk.ReceiptStore.
func (s *Store) CopyPrinted(ctx context.Context, kioskID string, no uint64, e kiosk.Entry) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.write(ctx, "CopyPrinted"); err != nil {
		return 0, err
	}
	ref := storeSaleRef{kioskID, no}
	if strings.ContainsRune(kioskID, 0) || s.sales[ref] == nil {
		return 0, fmt.Errorf("kiosktest: copy of receipt %q/%d: no such sale: %w", kioskID, no, kiosk.ErrNotFound)
	}
	_, recB, err := s.seal(e)
	if err != nil {
		return 0, err
	}
	if s.receipts.copies == nil {
		s.receipts.copies = map[storeSaleRef]int{}
	}
	s.receipts.copies[ref]++
	s.commitRecord(recB)
	return s.receipts.copies[ref], nil
}

// LastReceipt implements kiosk.ReceiptStore.
func (s *Store) LastReceipt(ctx context.Context, kioskID string) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counters[kioskID], nil
}
