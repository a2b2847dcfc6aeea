//go:build linux && cgo

package storage

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"testing"
	"time"
)

func BenchmarkPhases(b *testing.B) {
	d := benchSaleStore(b)
	type rec struct {
		ph    [4]time.Duration
		total time.Duration
		gc    uint32
		i     int
	}
	var cur rec
	PhaseHook = func(a, bb, c, e time.Duration) { cur.ph = [4]time.Duration{a, bb, c, e} }
	defer func() { PhaseHook = nil }()
	ctx := context.Background()
	var recs []rec
	var ms runtime.MemStats
	i := 0
	for b.Loop() {
		s := threeLineSale(fmt.Sprintf("bench-%d", i), "K1")
		runtime.ReadMemStats(&ms)
		g0 := ms.NumGC
		st := time.Now()
		if _, err := d.CompleteSale(ctx, s, receiptEntry(s)); err != nil {
			b.Fatal(err)
		}
		cur.total = time.Since(st)
		runtime.ReadMemStats(&ms)
		cur.gc = ms.NumGC - g0
		cur.i = i
		recs = append(recs, cur)
		i++
		d.commitMu.Lock()
		d.anchor.settle()
		d.commitMu.Unlock()
	}
	sort.Slice(recs, func(a, c int) bool { return recs[a].total > recs[c].total })
	for _, r := range recs[:len(recs)/50] {
		fmt.Printf("#%d total %v build %v commit %v confirm %v other %v gc %d\n", r.i, r.total, r.ph[0], r.ph[2], r.ph[3], r.total-r.ph[0]-r.ph[1]-r.ph[2]-r.ph[3], r.gc)
	}
}
