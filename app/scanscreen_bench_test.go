package app

import (
	"context"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"selvkasse/app/ui"
	"selvkasse/kiosk"
	"selvkasse/storage"
)

// catalogBenchSize is the catalog of BenchmarkScanToScreen100k: a large
// shop's.
const catalogBenchSize = 100_000

// putCatalog puts n products from `selvkasse bench seed`'s generator
// into db (storage.ImportProducts: Put in bulk) and returns the shelf
// products' GTINs; 2 % are cabinet tobacco.
func putCatalog(tb testing.TB, db *storage.DB, n int) []kiosk.GTIN {
	tb.Helper()
	ps := seedCatalog(rand.New(rand.NewPCG(11, 11)), n)
	if err := db.ImportProducts(context.Background(), ps); err != nil {
		tb.Fatalf("seed the catalog: %v", err)
	}
	var shelf []kiosk.GTIN
	for _, p := range ps {
		if !p.Cabinet {
			shelf = append(shelf, p.GTIN)
		}
	}
	return shelf
}

// drawnAt is a render of the kiosk screen: the view's basket and when
// its Render returned.
type drawnAt struct {
	rev, count int
	revAt, at  time.Time
}

// BenchmarkScanToScreen100k is the time from the scanner's last byte
// leaving the simulator to the kiosk screen's render of the basket
// revision that holds the item: the real scanner driver on a
// pseudo-terminal, the checkout's look-up in a 100 000-product Badger
// catalog (generated through storage.DB.Put), the basket update, and the
// Screen bound to the checkout in Fyne's test driver (the widget tree is
// built and laid out, no pixels drawn), as the kiosk wires them. Ten
// different products per sale, then the sale is cancelled (untimed), so
// one scan in ten starts a sale. Its baseline, in the same run, is
// BenchmarkPTYRoundTrip. Besides p50/p99 it reports p99 of the first
// item of a sale, and p99 of its two parts: the scanner's byte to the
// checkout publishing the revision (driver, look-up, basket), and that to
// the screen's render of it (the /metrics histogram), and the garbage
// collections during the run: the tail is theirs (with GOGC=off p99 is
// about 6 ms here, on 2 vCPUs).
func BenchmarkScanToScreen100k(b *testing.B) {
	dir := b.TempDir()
	db, err := storage.Open(dir, storage.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if err := seedIfEmpty(context.Background(), db); err != nil {
		b.Fatal(err)
	}
	shelf := putCatalog(b, db, catalogBenchSize)
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	b.Run("screen", func(b *testing.B) { benchScanToScreen(b, dir, shelf, false) })
	// The same in large text (the customer's accessibility key).
	b.Run("large", func(b *testing.B) { benchScanToScreen(b, dir, shelf, true) })
}

func benchScanToScreen(b *testing.B, dir string, shelf []kiosk.GTIN, large bool) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, err := storage.Open(dir, storage.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() }) // after the kiosk's own cleanups
	devs, co := runDemoKiosk(b, ctx, cancel, db)

	a := test.NewTempApp(b)
	w := a.NewWindow("Selvkasse")
	screen := ui.NewScreen(co, ui.LangNorwegian)
	screen.SetLargeText(large)
	w.SetContent(screen.Content())
	w.Resize(fyne.NewSize(1280, 800)) // the kiosk's window
	drawn := make(chan drawnAt, 1024)
	screen.SetOnRender(func(v kiosk.View) {
		drawn <- drawnAt{rev: int(v.Rev), count: v.Count, revAt: v.RevAt, at: time.Now()}
	})
	unbind := screen.Bind()
	defer unbind()
	waitCount := func(n int) drawnAt {
		for {
			select {
			case d := <-drawn:
				if d.count == n {
					return d
				}
			case <-time.After(10 * time.Second):
				b.Fatalf("a basket of %d was never drawn", n)
			}
		}
	}

	rng := rand.New(rand.NewPCG(11, 4))
	lat := make([]time.Duration, 0, b.N)
	var first, inproc, before []time.Duration
	want := 0
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gcs := ms.NumGC
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if want == 10 {
			b.StopTimer()
			if err := co.Cancel(); err != nil {
				b.Fatal(err)
			}
			waitCount(0)
			want = 0
			b.StartTimer()
		}
		code := shelf[rng.IntN(len(shelf))].String()
		start := time.Now()
		if err := devs.Scan(code); err != nil {
			b.Fatal(err)
		}
		want++
		d := waitCount(want)
		lat = append(lat, d.at.Sub(start))
		inproc = append(inproc, d.at.Sub(d.revAt))
		before = append(before, d.revAt.Sub(start))
		if want == 1 {
			first = append(first, d.at.Sub(start))
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&ms)
	reportPercentiles(b, lat)
	b.ReportMetric(float64(ms.NumGC-gcs), "GCs")
	b.ReportMetric(percentile(first, 0.99), "first-p99-µs")
	b.ReportMetric(percentile(before, 0.99), "scan-to-rev-p99-µs")
	b.ReportMetric(percentile(inproc, 0.99), "rev-to-draw-p99-µs")
}

// percentile is d's p-th percentile in microseconds (d is sorted).
func percentile(d []time.Duration, p float64) float64 {
	if len(d) == 0 {
		return 0
	}
	d = append([]time.Duration(nil), d...)
	slices.Sort(d)
	return float64(d[int(p*float64(len(d)-1))]) / float64(time.Microsecond)
}
