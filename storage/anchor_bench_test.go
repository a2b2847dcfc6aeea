//go:build linux

package storage

import (
	"testing"
)

// BenchmarkNoAnchorCompleteSale is BenchmarkCompleteSale with the journal
// anchor switched off: the baseline for what the anchor (an intent
// pwritten and fdatasynced while Badger commits, and a confirmation
// pwritten after it) costs per sale. Its
// name does not start with BenchmarkCompleteSale, so `make bench`'s other
// lines never take it for that one.
func BenchmarkNoAnchorCompleteSale(b *testing.B) {
	d := benchSaleStore(b)
	d.commitMu.Lock()
	d.closeAnchor()
	d.anchor = nil
	d.commitMu.Unlock()
	benchCompleteSales(b, d)
}
