package kiosk

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"
)

// JournalSummary describes a verified journal.
type JournalSummary struct {
	Records uint64
	Head    Hash
	ByCode  map[Code]uint64
	// Signed is how many cash transactions' signatures were checked.
	Signed uint64
}

// VerifyOptions are what VerifyJournalWith checks besides the chain.
type VerifyOptions struct {
	// Signatures verifies the cash transactions' signatures (the public
	// keys of every key version); nil checks their content and receipt
	// numbers but not the signatures.
	Signatures SignatureVerifier
	// Zone is the time zone the signatures' dates were made in
	// (Europe/Oslo); required with Signatures.
	Zone *time.Location
	// Sale, when set, reads a kiosk's stored sale by receipt number: each
	// cash transaction's sale must be stored as the journal records it
	// (CashTx.MatchesSale), so that a sale edited in the store is found.
	Sale func(kioskID string, no uint64) (Sale, error)
}

// VerifyJournal reads the whole journal and checks the chain, and that the
// head the journal keeps apart is the last record. When j is also a
// ReportStore, each kiosk's last Z report, which the store keeps apart
// too, must be in the chain: a journal cut off before it is caught. It
// returns ErrChainBroken (wrapped, naming the first bad record) or
// ErrCorruptRecord.
func VerifyJournal(ctx context.Context, j Journal) (JournalSummary, error) {
	return VerifyJournalWith(ctx, j, VerifyOptions{})
}

// VerifyJournalWith is VerifyJournal, and checks every cash transaction
// too (TxVerifier): its figures, its kiosk's receipt numbers without gaps
// and, with o.Signatures, its signature in its kiosk's chain of
// signatures. A bad transaction is ErrChainBroken (wrapped, naming the
// record) wrapping ErrTxInconsistent, ErrBadSignature or
// ErrUnknownKeyVersion.
func VerifyJournalWith(ctx context.Context, j Journal, o VerifyOptions) (JournalSummary, error) {
	var v ChainVerifier
	tv := TxVerifier{Signatures: o.Signatures, Zone: o.Zone, Sale: o.Sale}
	sum := JournalSummary{ByCode: map[Code]uint64{}}
	zs, err := lastZs(ctx, j)
	if err != nil {
		return sum, err
	}
	err = j.Scan(ctx, 1, func(r Record) error {
		if err := v.Add(r); err != nil {
			return err
		}
		if err := tv.Add(r); err != nil {
			return fmt.Errorf("%w: record %d: %w", ErrChainBroken, r.Seq, err)
		}
		if z, ok := zs[r.Seq]; ok {
			if r.Hash != z.Hash || r.Code != CodeZReport {
				return fmt.Errorf("%w: record %d is not the Z report %d of kiosk %s the store kept", ErrChainBroken, r.Seq, z.No, z.kiosk)
			}
			delete(zs, r.Seq)
		}
		sum.ByCode[r.Code]++
		return nil
	})
	sum.Signed = tv.Signed
	sum.Records = v.Count
	sum.Head = v.Last().Hash
	if err != nil {
		if errors.Is(err, ErrCorruptRecord) {
			return sum, fmt.Errorf("%w (after record %d)", err, v.Last().Seq)
		}
		return sum, err
	}
	head, err := j.Head(ctx)
	if err != nil {
		return sum, fmt.Errorf("kiosk: read journal head: %w", err)
	}
	if head.Seq != v.Last().Seq || head.Hash != v.Last().Hash {
		return sum, fmt.Errorf("%w: head says record %d, the chain ends at record %d", ErrChainBroken, head.Seq, v.Last().Seq)
	}
	for _, seq := range slices.Sorted(maps.Keys(zs)) {
		z := zs[seq]
		return sum, fmt.Errorf("%w: the journal ends at record %d, but kiosk %s's Z report %d was record %d: records were cut off",
			ErrChainBroken, v.Last().Seq, z.kiosk, z.No, z.Seq)
	}
	return sum, nil
}

// TxVerifier checks the cash transactions of records fed to it in journal
// order: each one's figures (CashTx.Check), each kiosk's receipt numbers
// from 1 without gaps or repeats, and, with Signatures, each signature
// over the one before it in its kiosk's chain. Records of journals from
// before cash transactions were recorded in full (a sale record without
// Tx) are passed over.
type TxVerifier struct {
	Signatures SignatureVerifier
	Zone       *time.Location
	Sale       func(kioskID string, no uint64) (Sale, error) // nil: stored sales not compared
	Signed     uint64
	last       map[string]lastTx // by kiosk
	// tail: the records fed start inside the journal (VerifyTail): a
	// kiosk's first transaction seen has an unknown previous signature
	// and number, and is checked for its figures only.
	tail bool
}

type lastTx struct {
	nr  uint64
	sig string
}

// Add checks r.
func (v *TxVerifier) Add(r Record) error {
	if r.Code != CodeCashSale && r.Code != CodeReturnPayment {
		if r.Tx != nil {
			return fmt.Errorf("%w: a cash transaction in a %v record", ErrTxInconsistent, r.Code)
		}
		return nil
	}
	if r.Tx == nil {
		return nil // a journal from before transactions were recorded in full
	}
	if v.last == nil {
		v.last = map[string]lastTx{}
	}
	t := *r.Tx
	if err := t.Check(); err != nil {
		return err
	}
	prev, seen := v.last[r.Kiosk]
	if t.Nr != r.ReceiptNo {
		return fmt.Errorf("%w: receipt %d records transaction %d", ErrTxInconsistent, r.ReceiptNo, t.Nr)
	}
	if seen && t.Nr != prev.nr+1 {
		return fmt.Errorf("%w: kiosk %s: receipt %d follows receipt %d", ErrTxInconsistent, r.Kiosk, t.Nr, prev.nr)
	}
	if v.Signatures != nil && (seen || !v.tail) {
		if v.Zone == nil {
			return errors.New("kiosk: verify signatures: no time zone")
		}
		p := prev.sig
		if !seen {
			p = FirstPreviousSignature
		}
		data, err := t.SignatureInput(p).Data(v.Zone)
		if err != nil {
			return err
		}
		if err := v.Signatures.Verify(data, t.Signature, t.KeyVersion); err != nil {
			return fmt.Errorf("receipt %d: %w", t.Nr, err)
		}
		v.Signed++
	}
	if v.Sale != nil && r.Code == CodeCashSale { // a return is no sale: its number names no stored sale
		s, err := v.Sale(r.Kiosk, t.Nr)
		if err != nil {
			return fmt.Errorf("%w: receipt %d: stored sale: %w", ErrNotInJournal, t.Nr, err)
		}
		if err := t.MatchesSale(s); err != nil {
			return err
		}
	}
	v.last[r.Kiosk] = lastTx{nr: t.Nr, sig: t.Signature}
	return nil
}

type keptZ struct {
	ZMark
	kiosk string
}

// lastZs is each kiosk's last Z report by its record number, when j's
// store keeps them (ReportStore).
func lastZs(ctx context.Context, j Journal) (map[uint64]keptZ, error) {
	rs, ok := j.(interface {
		ListTotals(ctx context.Context) ([]Totals, error)
	})
	if !ok {
		return nil, nil
	}
	ts, err := rs.ListTotals(ctx)
	if err != nil {
		return nil, fmt.Errorf("kiosk: read the last Z reports: %w", err)
	}
	out := map[uint64]keptZ{}
	for _, t := range ts {
		if t.LastZ.No > 0 {
			out[t.LastZ.Seq] = keptZ{t.LastZ, t.Kiosk}
		}
	}
	return out, nil
}

// VerifyTail checks the journal's last n records at start, in time that
// does not grow with the journal: each links to the one before and
// hashes to itself, the head the journal keeps apart is the last, each
// cash transaction adds up, and with o.Signatures each signature whose
// previous one is in the window verifies. (The whole journal is
// VerifyJournalWith's, on demand.) Errors: as VerifyJournalWith's.
func VerifyTail(ctx context.Context, j Journal, n uint64, o VerifyOptions) error {
	head, err := j.Head(ctx)
	if err != nil {
		return fmt.Errorf("kiosk: read journal head: %w", err)
	}
	if head.Seq == 0 {
		return nil
	}
	from := uint64(1)
	if head.Seq > n {
		from = head.Seq - n
	}
	var v ChainVerifier
	tv := TxVerifier{Signatures: o.Signatures, Zone: o.Zone, tail: true}
	first := true
	err = j.Scan(ctx, from, func(r Record) error {
		if first && from > 1 {
			// The record before the window: what the first links to.
			v.last, first = r, false
			return nil
		}
		first = false
		if err := v.Add(r); err != nil {
			return err
		}
		if err := tv.Add(r); err != nil {
			return fmt.Errorf("%w: record %d: %w", ErrChainBroken, r.Seq, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if v.Last().Seq != head.Seq || v.Last().Hash != head.Hash {
		return fmt.Errorf("%w: head says record %d, the chain ends at record %d", ErrChainBroken, head.Seq, v.Last().Seq)
	}
	return nil
}
