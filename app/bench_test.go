package app

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"selvkasse/devices/serialport"
	"selvkasse/devices/sim"
	"selvkasse/kiosk"
	"selvkasse/storage"
)

// reportPercentiles adds p50 and p99 of d, in microseconds.
func reportPercentiles(b *testing.B, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	slices.Sort(d)
	pct := func(p float64) float64 { return float64(d[int(p*float64(len(d)-1))]) / float64(time.Microsecond) }
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
}

// BenchmarkScanToBasket is the time from the scanner's last byte (the
// terminator) leaving the simulator to the code being in the basket: the
// serial port, the scanner driver's framing and parsing, the checkout's
// catalog look-up in Badger and the basket update, as the demo wires
// them. A pseudo-terminal has no baud rate, so wire time is excluded (at
// 9600 baud a 17-byte code takes another 17.7 ms on a real line).
func BenchmarkScanToBasket(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, err := storage.Open(b.TempDir(), storage.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := seedIfEmpty(ctx, db); err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	devs, err := openDemoDevices(kiosk.SystemClock{}, log, nil, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer devs.Close()
	co := newCheckout("K1", DemoShop, db, devs.ports(), kiosk.SystemClock{}, log)
	if err := co.Start(ctx); err != nil {
		b.Fatal(err)
	}
	ran := make(chan struct{})
	go func() { defer close(ran); co.Run(ctx) }()
	defer func() { cancel(); <-ran }()
	counts := make(chan int, 1024)
	stop := co.Subscribe(func(v kiosk.View) { counts <- v.Count })
	defer stop()

	codes := []string{"7039990000113", "7039990000120", "7039990000137", "7039990000144"}
	lat := make([]time.Duration, 0, b.N)
	want := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if want == 40 { // well under the per-line limit: start a new sale
			b.StopTimer()
			if err := co.Cancel(); err != nil {
				b.Fatal(err)
			}
			for c := range counts {
				if c == 0 {
					break
				}
			}
			want = 0
			b.StartTimer()
		}
		start := time.Now()
		if err := devs.Scan(codes[i%len(codes)]); err != nil {
			b.Fatal(err)
		}
		want++
		for c := range counts {
			if c == want {
				break
			}
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

// BenchmarkPTYRoundTrip is the floor under BenchmarkScanToBasket: the
// same bytes through the same pseudo-terminal and serial port, read
// back raw, with no framing, parsing or checkout.
func BenchmarkPTYRoundTrip(b *testing.B) {
	line, err := sim.NewScannerLine(filepath.Join(b.TempDir(), "scanner"), sim.ScannerOptions{Terminator: "\r", AIM: true})
	if err != nil {
		b.Fatal(err)
	}
	defer line.Close()
	p, err := serialport.Open(serialport.Config{Path: line.Path(), Baud: DefaultScannerBaud})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	buf := make([]byte, 64)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if err := line.Scan("7039990000113"); err != nil {
			b.Fatal(err)
		}
		for got := 0; got < 17; { // ]E0 + 13 digits + CR
			n, err := p.Read(buf)
			if err != nil {
				b.Fatal(err)
			}
			got += n
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}
