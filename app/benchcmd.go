package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"time"

	"selvkasse/kiosk"
	"selvkasse/storage"
)

// benchUsage is the bench command's usage line.
const benchUsage = "bench: usage: selvkasse bench seed --data DIR --products N --sales M [--kiosk ID] [--from 2023-01-01] [--seed S]"

// benchCmd runs the benchmark tools: `bench seed` writes a reproducible
// shop's catalog and sales history into a new data dir.
func benchCmd(args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "seed" {
		return usageError(benchUsage)
	}
	fs := flag.NewFlagSet("bench seed", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	data := fs.String("data", "", "data directory (new or without products)")
	products := fs.Int("products", 100_000, "products in the catalog")
	sales := fs.Int("sales", 1_000_000, "completed sales")
	kioskID := fs.String("kiosk", "K1", "the kiosk that made the sales")
	from := fs.String("from", "2023-01-01", "day of the first sale (UTC)")
	seed := fs.Uint64("seed", 11, "random seed: the same seed gives the same data")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError(benchUsage + ": " + err.Error())
	}
	start, err := time.Parse(time.DateOnly, *from)
	switch {
	case err != nil:
		return usageError(benchUsage + ": --from: " + err.Error())
	case *data == "":
		return usageError(benchUsage + ": --data is required")
	case *products < 1 || *sales < 0:
		return usageError(benchUsage + ": --products must be at least 1 and --sales not negative")
	}
	db, err := storage.Open(*data, storage.Options{})
	if err != nil {
		return err
	}
	// The sales are signed as the kiosk signs them, with the data dir's key.
	if err := attachSigner(context.Background(), db, *data, *kioskID, time.Now()); err != nil {
		db.Close()
		return err
	}
	t := time.Now()
	err = Seed(context.Background(), db, SeedSpec{Products: *products, Sales: *sales, Kiosk: *kioskID, From: start, Seed: *seed},
		func(done int) {
			if done%100_000 == 0 {
				fmt.Fprintf(stdout, "bench seed: %d of %d sales (%.0f s)\n", done, *sales, time.Since(t).Seconds())
			}
		})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "bench seed: %d products and %d sales in %s in %.1f s\n", *products, *sales, *data, time.Since(t).Seconds())
	return nil
}

// SeedSpec is what Seed generates.
type SeedSpec struct {
	Products, Sales int
	Kiosk           string
	From            time.Time // the first sale; one every 90 s after it
	Seed            uint64
}

// seedChunk is how many sales Seed imports per write batch.
const seedChunk = 5000

// ErrSeedNotEmpty: Seed refuses a store that already has a catalog.
var ErrSeedNotEmpty = errors.New("app: seed: the store already has products")

// Seed fills an empty store with spec's catalog and sales history through
// the storage package's bulk paths (storage.ImportProducts and
// storage.ImportSales, which leave what Put, SavePending and CompleteSale
// leave): about 2 % of the products are cabinet tobacco in three
// compartments, the rest shelf goods; each sale has 1–4 lines, a third of
// them with tobacco from the cabinet, and journals what the checkout
// journals for a card sale (payment intent, approval, cabinet unlock when
// there is cabinet goods, the receipt). The same spec gives the same data.
// progress, if not nil, is called after each chunk with the sales done.
// Errors: ErrSeedNotEmpty, and the store's.
func Seed(ctx context.Context, db *storage.DB, spec SeedSpec, progress func(done int)) error {
	have, err := db.List(ctx)
	if err != nil {
		return fmt.Errorf("app: seed: %w", err)
	}
	if len(have) > 0 {
		return fmt.Errorf("%w (%d)", ErrSeedNotEmpty, len(have))
	}
	rng := rand.New(rand.NewPCG(spec.Seed, uint64(spec.Products)))
	cat := seedCatalog(rng, spec.Products)
	if err := db.ImportProducts(ctx, cat); err != nil {
		return fmt.Errorf("app: seed: %w", err)
	}
	var cabinet, shelf []kiosk.Product
	for _, p := range cat {
		if p.Cabinet {
			cabinet = append(cabinet, p)
		} else {
			shelf = append(shelf, p)
		}
	}
	batch := make([]storage.ImportedSale, 0, seedChunk)
	for i := 0; i < spec.Sales; i++ {
		batch = append(batch, seedSale(rng, spec, i, cabinet, shelf))
		if len(batch) == seedChunk || i == spec.Sales-1 {
			if _, err := db.ImportSales(ctx, batch); err != nil {
				return fmt.Errorf("app: seed: %w", err)
			}
			batch = batch[:0]
			if progress != nil {
				progress(i + 1)
			}
		}
	}
	return nil
}

var (
	seedBrands = []string{"Nordlys", "Fjell", "Vestkyst", "Fjord", "Polar", "Sølvberg", "Midnatt", "Kyst", "Bre", "Tind"}
	seedShelf  = []string{"Cola", "Farris", "Sjokolade", "Tyggegummi", "Lakris", "Kaffe", "Boller", "Chips", "Juice", "Avis", "Lighter", "Batteri"}
	seedTob    = []string{"Snus Original", "Snus White Mint", "Sigaretter Blå", "Sigaretter Rød", "Rulletobakk"}
)

// seedCatalog makes n products with valid, distinct GTINs.
func seedCatalog(rng *rand.Rand, n int) []kiosk.Product {
	ps := make([]kiosk.Product, n)
	for i := range ps {
		body := fmt.Sprintf("70%010d", 1_000_000+i)
		p := kiosk.Product{GTIN: kiosk.MustGTIN(body + string(kiosk.CheckDigit(body))), Stock: 1_000_000}
		if i%50 == 0 { // 2 %: tobacco from the cabinet
			p.Name = fmt.Sprintf("%s %s %d", seedBrands[rng.IntN(len(seedBrands))], seedTob[rng.IntN(len(seedTob))], i)
			p.Group, p.VAT, p.MinAge, p.Cabinet = kiosk.GroupTobacco, kiosk.VAT25, kiosk.AdultAge, true
			p.Compartment = 1 + rng.IntN(3)
			p.Price = kiosk.Money(9900 + 100*rng.IntN(120))
		} else {
			p.Name = fmt.Sprintf("%s %s %d", seedBrands[rng.IntN(len(seedBrands))], seedShelf[rng.IntN(len(seedShelf))], i)
			p.Group, p.VAT = []kiosk.Group{kiosk.GroupFood, kiosk.GroupSoftDrink, kiosk.GroupOther}[rng.IntN(3)], kiosk.VAT15
			if p.Group == kiosk.GroupOther {
				p.VAT = kiosk.VAT25
			}
			p.Price = kiosk.Money(990 + 10*rng.IntN(800))
		}
		ps[i] = p
	}
	return ps
}

// seedSale is sale i as the checkout records a card sale.
func seedSale(rng *rand.Rand, spec SeedSpec, i int, cabinet, shelf []kiosk.Product) storage.ImportedSale {
	at := spec.From.Add(time.Duration(i) * 90 * time.Second)
	var lines []kiosk.Line
	if len(cabinet) > 0 && rng.IntN(3) == 0 {
		lines = append(lines, kiosk.Line{Product: cabinet[rng.IntN(len(cabinet))], Qty: 1})
	}
	for n := 1 + rng.IntN(4) - len(lines); n > 0 && len(shelf) > 0; n-- {
		lines = append(lines, kiosk.Line{Product: shelf[rng.IntN(len(shelf))], Qty: 1 + rng.IntN(2)})
	}
	if len(lines) == 0 {
		lines = append(lines, kiosk.Line{Product: cabinet[rng.IntN(len(cabinet))], Qty: 1})
	}
	basket := kiosk.Basket{Lines: lines}
	amount := basket.Total()
	trace := strconv.Itoa(100000 + i%900000)
	p := kiosk.PendingSale{ID: fmt.Sprintf("%s-%s-%07d", spec.Kiosk, at.Format("20060102T150405"), i), Kiosk: spec.Kiosk,
		Started: at, Lines: lines, Amount: amount, State: kiosk.PendingReleased, Attempt: 1,
		Result: &kiosk.PaymentResult{Approved: true, Code: "00", Amount: amount, Trace: trace, ReceiptNo: trace,
			CardType: "BankAxept", MaskedPAN: "************" + strconv.Itoa(1000+i%9000), TerminalID: "52500001", Time: at.Add(20 * time.Second)}}
	cab := len(basket.CabinetLines()) > 0
	if cab {
		p.AgeCheckBy = "ola"
	}
	e := func(code kiosk.Code, sub, text string, d map[string]string, dt time.Duration) kiosk.Entry {
		return kiosk.Entry{Code: code, Subtype: sub, Time: at.Add(dt), Kiosk: spec.Kiosk, SaleID: p.ID, Amount: amount, Text: text, Data: d}
	}
	is := storage.ImportedSale{
		Sale: kiosk.NewSale(p, at.Add(40*time.Second)),
		Pending: []kiosk.Entry{
			e(kiosk.CodeOther, kiosk.SubPaymentIntent, "card payment requested", map[string]string{"attempt": "1", "terminal_before": strconv.Itoa(100000 + (i+899999)%900000)}, 10*time.Second),
			e(kiosk.CodeOther, kiosk.SubPaymentApproved, "card payment approved", map[string]string{"trace": trace, "receipt": trace,
				"card": "BankAxept", "pan": p.Result.MaskedPAN, "terminal": "52500001", "attempt": "1"}, 20*time.Second),
		},
	}
	if cab {
		is.Pending = append(is.Pending, e(kiosk.CodeOther, kiosk.SubCabinetUnlock,
			"cabinet unlocked for paid goods: "+kiosk.CompartmentList(kiosk.Compartments(lines)), nil, 21*time.Second))
	}
	var data map[string]string
	if cab {
		data = map[string]string{"age_by": p.AgeCheckBy}
	}
	is.Receipt = e(kiosk.CodeCashSale, "", "sale completed", data, 40*time.Second)
	return is
}
