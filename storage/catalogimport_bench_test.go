//go:build linux

package storage

import (
	"context"
	"encoding/json"
	"testing"

	"selvkasse/kiosk"
)

// BenchmarkCatalogImport100k imports 100 000 new products into an empty
// store: each checked, written with its barcode key and journaled (issue
// 13: ≤ 2 s). Its baseline is BenchmarkCatalogRawWrite100k.
func BenchmarkCatalogImport100k(b *testing.B) {
	ps := benchCatalogRows(100_000)
	for b.Loop() {
		b.StopTimer()
		d := mustOpen(b, benchDir(b))
		b.StartTimer()
		res, err := d.ImportCatalog(context.Background(), CatalogImport{Products: ps,
			Change: kiosk.CatalogChange{Time: t0, Kiosk: "K1", By: "kari", Via: "catalog import"}})
		if err != nil || res.Added != len(ps) {
			b.Fatalf("import = %+v, %v", res, err)
		}
		b.StopTimer()
		d.Close()
		b.StartTimer()
	}
}

// BenchmarkCatalogRawWrite100k is the floor under
// BenchmarkCatalogImport100k: the same 100 000 products as JSON written
// as raw keys and values through one Badger write batch, nothing read,
// checked or journaled.
func BenchmarkCatalogRawWrite100k(b *testing.B) {
	ps := benchCatalogRows(100_000)
	for b.Loop() {
		b.StopTimer()
		d := mustOpen(b, benchDir(b))
		b.StartTimer()
		wb := d.bdb.NewWriteBatch()
		for _, p := range ps {
			v, err := json.Marshal(p)
			if err == nil {
				err = wb.Set(catKey(p.GTIN), v)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		if err := wb.Flush(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		d.Close()
		b.StartTimer()
	}
}
