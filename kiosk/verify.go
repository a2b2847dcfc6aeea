package kiosk

import (
	"context"
	"errors"
	"fmt"
)

// JournalSummary describes a verified journal.
type JournalSummary struct {
	Records uint64
	Head    Hash
	ByCode  map[Code]uint64
}

// VerifyJournal reads the whole journal and checks the chain, and that the
// head the journal keeps apart is the last record. It returns
// ErrChainBroken (wrapped, naming the first bad record) or
// ErrCorruptRecord.
func VerifyJournal(ctx context.Context, j Journal) (JournalSummary, error) {
	var v ChainVerifier
	sum := JournalSummary{ByCode: map[Code]uint64{}}
	err := j.Scan(ctx, 1, func(r Record) error {
		if err := v.Add(r); err != nil {
			return err
		}
		sum.ByCode[r.Code]++
		return nil
	})
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
	return sum, nil
}
