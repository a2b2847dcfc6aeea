package storage

import (
	"context"
	"testing"

	"selvkasse/kiosk"
)

// TestCatalogIndexFollowsWrites: the in-memory catalog answers as the
// store does after each kind of write, and after a reopen.
func TestCatalogIndexFollowsWrites(t *testing.T) {
	ctx := context.Background()
	renamed := pWater
	renamed.Name = "Aaa Farris"
	toCabinet := pWater
	toCabinet.Cabinet, toCabinet.MinAge, toCabinet.Group = true, 18, kiosk.GroupTobacco
	tests := []struct {
		name        string
		write       func(t *testing.T, d *DB)
		wantOrder   []string // List names
		wantCabinet []string
		wantStock   map[kiosk.GTIN]int
	}{
		{"as put", func(*testing.T, *DB) {}, []string{"Farris 0,5 l", "Marlboro Gold", "Røde Mix"},
			[]string{"Marlboro Gold", "Røde Mix"}, map[kiosk.GTIN]int{pCigs.GTIN: 1000, pSnus.GTIN: 1000, pWater.GTIN: 1000}},
		{"after a sale", func(t *testing.T, d *DB) {
			s := threeLineSale("s1", "K1")
			if _, err := d.CompleteSale(ctx, s, receiptEntry(s)); err != nil {
				t.Fatal(err)
			}
		}, []string{"Farris 0,5 l", "Marlboro Gold", "Røde Mix"},
			[]string{"Marlboro Gold", "Røde Mix"}, map[kiosk.GTIN]int{pCigs.GTIN: 999, pSnus.GTIN: 998, pWater.GTIN: 999}},
		{"after a rename", func(t *testing.T, d *DB) {
			if err := d.Put(ctx, renamed); err != nil {
				t.Fatal(err)
			}
		}, []string{"Aaa Farris", "Marlboro Gold", "Røde Mix"},
			[]string{"Marlboro Gold", "Røde Mix"}, map[kiosk.GTIN]int{pWater.GTIN: 1000}},
		{"after a move into the cabinet", func(t *testing.T, d *DB) {
			if err := d.Put(ctx, toCabinet); err != nil {
				t.Fatal(err)
			}
		}, []string{"Farris 0,5 l", "Marlboro Gold", "Røde Mix"},
			[]string{"Farris 0,5 l", "Marlboro Gold", "Røde Mix"}, map[kiosk.GTIN]int{pWater.GTIN: 1000}},
		{"after a failed sale", func(t *testing.T, d *DB) {
			s := threeLineSale("s1", "K1")
			if _, err := d.CompleteSale(ctx, s, receiptEntry(s)); err != nil {
				t.Fatal(err)
			}
			if _, err := d.CompleteSale(ctx, s, receiptEntry(s)); err == nil {
				t.Fatal("the same sale completed twice")
			}
		}, []string{"Farris 0,5 l", "Marlboro Gold", "Røde Mix"},
			[]string{"Marlboro Gold", "Røde Mix"}, map[kiosk.GTIN]int{pCigs.GTIN: 999, pSnus.GTIN: 998, pWater.GTIN: 999}},
	}
	names := func(ps []kiosk.Product) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Name)
		}
		return out
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			d := mustOpen(t, dir)
			for _, p := range []kiosk.Product{pCigs, pSnus, pWater} {
				if err := d.Put(ctx, p); err != nil {
					t.Fatal(err)
				}
			}
			// Loaded before the write, so the write must update it.
			if _, err := d.Cabinet(ctx); err != nil {
				t.Fatal(err)
			}
			tt.write(t, d)
			for _, round := range []string{"in memory", "after a reopen"} {
				if round == "after a reopen" {
					if err := d.Close(); err != nil {
						t.Fatal(err)
					}
					d = mustOpen(t, dir)
				}
				if !d.cat.valid {
					t.Fatalf("%s: the catalog index is not loaded", round)
				}
				sameValue(t, round+": List", names(must(d.List(ctx))), tt.wantOrder)
				sameValue(t, round+": Cabinet", names(must(d.Cabinet(ctx))), tt.wantCabinet)
				for g, want := range tt.wantStock {
					if p, err := d.Lookup(ctx, g); err != nil || p.Stock != want {
						t.Errorf("%s: Lookup(%s) = stock %d, %v; want %d", round, g, p.Stock, err, want)
					}
				}
			}
		})
	}
}
