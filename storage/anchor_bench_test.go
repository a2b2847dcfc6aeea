//go:build linux

package storage

import (
	"context"
	"fmt"
	"testing"

	"selvkasse/kiosk"
)

// BenchmarkNoAnchorCompleteSale is BenchmarkCompleteSale with the journal
// anchor switched off: the baseline for what the anchor (one 64-byte
// pwrite and fdatasync of ANCHOR after each commit) costs per sale. Its
// name does not start with BenchmarkCompleteSale, so `make bench`'s other
// lines never take it for that one.
func BenchmarkNoAnchorCompleteSale(b *testing.B) {
	ctx := context.Background()
	d := mustOpen(b, benchDir(b))
	d.anchorMu.Lock()
	d.closeAnchor()
	d.anchor = nil
	d.anchorMu.Unlock()
	for _, p := range []kiosk.Product{pCigs, pSnus, pWater} {
		p.Stock = 1 << 30
		if err := d.Put(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
	n := saleWriteBytes(b, threeLineSale("size", "K1"))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := threeLineSale(fmt.Sprintf("bench-%d", i), "K1")
		if _, err := d.CompleteSale(ctx, s, receiptEntry(s)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "bytes/sale")
}
