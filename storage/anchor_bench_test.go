//go:build linux

package storage

import (
	"testing"
)

// BenchmarkNoAnchorCompleteSale is BenchmarkCompleteSale with the journal
// anchor switched off: the baseline for what the anchor (one 64-byte
// pwrite and fdatasync of ANCHOR after each commit) costs per sale. Its
// name does not start with BenchmarkCompleteSale, so `make bench`'s other
// lines never take it for that one.
func BenchmarkNoAnchorCompleteSale(b *testing.B) {
	d := benchSaleStore(b)
	d.anchorMu.Lock()
	d.closeAnchor()
	d.anchor = nil
	d.anchorMu.Unlock()
	benchCompleteSales(b, d)
}
