//go:build linux

package storage

import (
	"testing"
)

// BenchmarkNoAnchorCompleteSale is BenchmarkCompleteSale with the journal
// anchor switched off: the baseline for what the anchor (a confirmation
// pwritten after the commit, its fdatasync in the background after
// the sync of the commit before) costs per sale. Its
// name does not start with BenchmarkCompleteSale, so `make bench`'s other
// lines never take it for that one.
func BenchmarkNoAnchorCompleteSale(b *testing.B) {
	d := benchSaleStore(b)
	d.closeAnchor()
	d.commitMu.Lock()
	d.anchor = nil
	d.commitMu.Unlock()
	benchCompleteSales(b, d)
}
