package app

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/storage"
)

// TestSeed: the generated history is what real sales leave (a journal
// whose chain verifies, receipt numbers 1..n, stock taken), is the same
// for the same spec, and is refused on a store that has products.
func TestSeed(t *testing.T) {
	ctx := context.Background()
	spec := SeedSpec{Products: 120, Sales: 700, Kiosk: "K1", From: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), Seed: 3}
	heads := map[kiosk.Hash]bool{}
	for round := 0; round < 2; round++ {
		db, err := storage.Open(t.TempDir(), storage.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		fakeSign(db)
		if err := Seed(ctx, db, spec, nil); err != nil {
			t.Fatal(err)
		}
		sum, err := kiosk.VerifyJournal(ctx, db)
		if err != nil {
			t.Fatalf("VerifyJournal: %v", err)
		}
		if got := sum.ByCode[kiosk.CodeCashSale]; got != uint64(spec.Sales) {
			t.Errorf("%d receipts journaled; want %d", got, spec.Sales)
		}
		if sum.Records < 3*uint64(spec.Sales) {
			t.Errorf("%d journal records for %d sales; want at least 3 a sale", sum.Records, spec.Sales)
		}
		heads[sum.Head] = true
		last, err := db.Sale(ctx, "K1", uint64(spec.Sales))
		if err != nil || last.No != uint64(spec.Sales) {
			t.Errorf("Sale(K1, %d) = %d, %v", spec.Sales, last.No, err)
		}
		if _, err := db.Sale(ctx, "K1", uint64(spec.Sales)+1); !errors.Is(err, kiosk.ErrNotFound) {
			t.Errorf("Sale(K1, %d): %v; want ErrNotFound", spec.Sales+1, err)
		}
		ps, err := db.List(ctx)
		if err != nil || len(ps) != spec.Products {
			t.Fatalf("List = %d products, %v; want %d", len(ps), err, spec.Products)
		}
		taken := 0
		for _, p := range ps {
			taken += 1_000_000 - p.Stock
		}
		if taken < spec.Sales {
			t.Errorf("%d items taken from stock by %d sales", taken, spec.Sales)
		}
		if err := Seed(ctx, db, spec, nil); !errors.Is(err, ErrSeedNotEmpty) {
			t.Errorf("a second Seed: %v; want ErrSeedNotEmpty", err)
		}
	}
	if len(heads) != 1 {
		t.Errorf("the same spec gave %d different journal heads", len(heads))
	}
}

func TestBenchCmdUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"no subcommand", nil},
		{"unknown subcommand", []string{"run"}},
		{"no data dir", []string{"seed", "--products", "1", "--sales", "1"}},
		{"no products", []string{"seed", "--data", "x", "--products", "0"}},
		{"bad day", []string{"seed", "--data", "x", "--from", "yesterday"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := benchCmd(tt.args, &out)
			var u usageError
			if !errors.As(err, &u) || !strings.Contains(err.Error(), "bench") {
				t.Errorf("benchCmd(%q) = %v; want a usage error", tt.args, err)
			}
		})
	}
}
