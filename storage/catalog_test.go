package storage

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	badger "github.com/dgraph-io/badger/v4"

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

// TestCatIndexMatchesModel: the compact index answers get and products as
// a plain map of products sorted by name, then GTIN, would, through random
// sets and removes of ordinary products and of products a catItem cannot
// hold, and after its names are shared (as a load leaves them).
func TestCatIndexMatchesModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	gtins := []kiosk.GTIN{mkGTIN("704100000001"), mkGTIN("704100000002"), mkGTIN("000000000000"), mkGTIN("999999999999"),
		mkGTIN("704100000005"), "7041000000066", "12345678", "abcdefghijklmn", ""}
	names := []string{"Farris", "Marlboro Gold", "Røde Mix", "", "Farris"}
	random := func() (kiosk.GTIN, kiosk.Product) {
		g := gtins[rng.IntN(len(gtins))]
		p := kiosk.Product{GTIN: g, Name: names[rng.IntN(len(names))], Group: kiosk.Group(rng.IntN(7)), VAT: kiosk.VATRate(rng.IntN(30)),
			Price: kiosk.Money(rng.Int64N(100000) - 10), Stock: rng.IntN(2000) - 100, Cabinet: rng.IntN(2) == 0}
		switch rng.IntN(10) {
		case 0:
			p.MinAge = 17 // no catItem
		case 1, 2, 3:
			p.MinAge = kiosk.AdultAge
		}
		switch rng.IntN(10) {
		case 0:
			p.Compartment = 256 + rng.IntN(1000) // no catItem
		case 1:
			p.Compartment = -1 // no catItem
		default:
			p.Compartment = rng.IntN(256)
		}
		if rng.IntN(10) == 0 {
			g = gtins[rng.IntN(len(gtins))] // stored under another key
		}
		return g, p
	}
	// Products under other keys may share a name and a GTIN, in either
	// order: compare in a total order after checking the partial one.
	total := func(ps []kiosk.Product) []kiosk.Product {
		ps = slices.Clone(ps)
		slices.SortFunc(ps, func(a, b kiosk.Product) int {
			return cmp.Or(byNameGTIN(a, b), strings.Compare(fmt.Sprint(a), fmt.Sprint(b)))
		})
		return ps
	}
	model := func(m map[kiosk.GTIN]kiosk.Product, cabinet bool) []kiosk.Product {
		var ps []kiosk.Product
		for _, p := range m {
			if !cabinet || p.Cabinet {
				ps = append(ps, p)
			}
		}
		return total(ps)
	}
	for round := 0; round < 200; round++ {
		c := &catIndex{}
		want := map[kiosk.GTIN]kiosk.Product{}
		for op := 0; op < 40; op++ {
			if rng.IntN(5) == 0 {
				g := gtins[rng.IntN(len(gtins))]
				c.remove(g)
				delete(want, g)
			} else {
				g, p := random()
				c.set(g, p)
				want[g] = p
			}
			if rng.IntN(10) == 0 {
				c.shareNames()
			}
			for _, g := range gtins {
				got, ok := c.get(g)
				p, wantOK := want[g]
				if ok != wantOK || got != p {
					t.Fatalf("round %d op %d: get(%q) = %+v, %v; want %+v, %v", round, op, g, got, ok, p, wantOK)
				}
			}
			// find: products(false)'s matches, as many as asked for, in
			// the same order (ties in name and GTIN in either).
			for _, match := range []func(string) bool{
				func(string) bool { return true },
				func(n string) bool { return strings.Contains(n, "a") },
				func(n string) bool { return n == "Farris" },
			} {
				var all []kiosk.Product
				for _, p := range c.products(false) {
					if match(p.Name) {
						all = append(all, p)
					}
				}
				for _, max := range []int{0, 1, 3} {
					got, want := c.find(match, max), all
					if max > 0 && len(want) > max {
						want = want[:max]
					}
					key := func(p kiosk.Product) string { return p.Name + "\x00" + string(p.GTIN) }
					if !slices.Equal(mapKeys(got, key), mapKeys(want, key)) {
						t.Fatalf("round %d op %d: find(max %d) =\n%+v\nwant\n%+v", round, op, max, got, want)
					}
					if max == 0 && !slices.Equal(total(got), total(want)) {
						t.Fatalf("round %d op %d: find =\n%+v\nwant\n%+v", round, op, got, want)
					}
				}
			}
			for _, cabinet := range []bool{false, true} {
				got := c.products(cabinet)
				if !slices.IsSortedFunc(got, byNameGTIN) {
					t.Fatalf("round %d op %d: products(cabinet %v) not by name, then GTIN: %+v", round, op, cabinet, got)
				}
				if got, want := total(got), model(want, cabinet); !slices.Equal(got, want) {
					t.Fatalf("round %d op %d: products(cabinet %v) =\n%+v\nwant\n%+v", round, op, cabinet, got, want)
				}
			}
		}
	}
}

// mapKeys is key of each of ps.
func mapKeys(ps []kiosk.Product, key func(kiosk.Product) string) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = key(p)
	}
	return out
}

// TestCatalogKeepsOddProducts: products in the store that Put would not
// accept (written by an older program, or damaged so that they still
// decode) read back exactly as stored, after a load and after a refresh.
func TestCatalogKeepsOddProducts(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := mustOpen(t, dir)
	if err := d.Put(ctx, pCigs); err != nil {
		t.Fatal(err)
	}
	minAge := pSnus
	minAge.MinAge = 16
	short := pWater
	short.GTIN = "7041000000031" // 13 digits, under its own key
	elsewhere := pWater          // stored under pSnus's key... see below
	elsewhere.Name = "Elsewhere"
	raw := map[string]kiosk.Product{string(catKey(minAge.GTIN)): minAge, string(catKey(short.GTIN)): short, string(catKey(mkGTIN("704100000009"))): elsewhere}
	write := func() {
		err := d.bdb.Update(func(txn *badger.Txn) error {
			for k, p := range raw {
				if err := setJSON(txn, []byte(k), p); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	write()
	// A load keys each product by its own GTIN (the last one read wins);
	// a refresh by the key it read.
	check := func(round string, want map[kiosk.GTIN]kiosk.Product, list []kiosk.Product) {
		t.Helper()
		for g, p := range want {
			got, err := d.Lookup(ctx, g)
			if err != nil || got != p {
				t.Errorf("%s: Lookup(%s) = %+v, %v; want %+v", round, g, got, err, p)
			}
		}
		// Lookup canonicalises a code of 13 digits to 14, which finds no
		// product stored under the 13; List has it.
		if p, err := d.Lookup(ctx, short.GTIN); err == nil {
			t.Errorf("%s: Lookup(%s) = %+v, want not found", round, short.GTIN, p)
		}
		sameValue(t, round+": List", must(d.List(ctx)), list)
	}
	d.Close()
	d = mustOpen(t, dir)
	check("after a load", map[kiosk.GTIN]kiosk.Product{pCigs.GTIN: pCigs, minAge.GTIN: minAge, pWater.GTIN: elsewhere},
		[]kiosk.Product{elsewhere, short, pCigs, minAge})
	d.refreshCatalog(minAge.GTIN, mkGTIN("704100000009"), pCigs.GTIN, short.GTIN)
	check("after a refresh", map[kiosk.GTIN]kiosk.Product{pCigs.GTIN: pCigs, minAge.GTIN: minAge, pWater.GTIN: elsewhere, mkGTIN("704100000009"): elsewhere},
		[]kiosk.Product{elsewhere, elsewhere, short, pCigs, minAge})
}
