package kiosk

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
)

// JournalSummary describes a verified journal.
type JournalSummary struct {
	Records uint64
	Head    Hash
	ByCode  map[Code]uint64
}

// VerifyJournal reads the whole journal and checks the chain, and that the
// head the journal keeps apart is the last record. When j is also a
// ReportStore, each kiosk's last Z report, which the store keeps apart
// too, must be in the chain: a journal cut off before it is caught. It
// returns ErrChainBroken (wrapped, naming the first bad record) or
// ErrCorruptRecord.
func VerifyJournal(ctx context.Context, j Journal) (JournalSummary, error) {
	var v ChainVerifier
	sum := JournalSummary{ByCode: map[Code]uint64{}}
	zs, err := lastZs(ctx, j)
	if err != nil {
		return sum, err
	}
	err = j.Scan(ctx, 1, func(r Record) error {
		if err := v.Add(r); err != nil {
			return err
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
