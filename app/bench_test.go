package app

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"selvkasse/devices/serialport"
	"selvkasse/devices/sim"
	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
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

// runDemoKiosk runs a checkout on db with the demo's simulated devices
// behind the real drivers, until the benchmark ends: cancel ends it, and
// the cleanups wait for it and unplug the devices. Register db's Close
// as a cleanup before calling it, so db closes after the kiosk stopped.
func runDemoKiosk(b *testing.B, ctx context.Context, cancel context.CancelFunc, db *storage.DB) (*demoDevices, *kiosk.Checkout) {
	b.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	devs, err := openDemoDevices(kiosk.SystemClock{}, log, nil, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { devs.Close() })
	fakeSign(db)
	co := newCheckout("K1", DemoShop, db, devs.ports(), kiosk.SystemClock{}, log)
	if err := co.Start(ctx); err != nil {
		b.Fatal(err)
	}
	ran := make(chan struct{})
	go func() { defer close(ran); co.Run(ctx) }()
	b.Cleanup(func() { cancel(); <-ran })
	return devs, co
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
	db := mustSeededDB(b, b.TempDir())
	b.Cleanup(func() { db.Close() }) // after the kiosk's own cleanups
	devs, co := runDemoKiosk(b, ctx, cancel, db)
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

// stampTerminal notes when the terminal's approval reaches the kiosk.
type stampTerminal struct {
	kiosk.PaymentTerminal
	at chan time.Time
}

func (s stampTerminal) Authorize(ctx context.Context, req kiosk.PaymentRequest) (kiosk.PaymentResult, error) {
	res, err := s.PaymentTerminal.Authorize(ctx, req)
	s.at <- time.Now()
	return res, err
}

// stampCabinet notes when the kiosk tells the lock to open.
type stampCabinet struct {
	kiosk.CabinetLock
	at chan time.Time
}

func (s stampCabinet) Unlock(ctx context.Context, comps []int) error {
	s.at <- time.Now()
	return s.CabinetLock.Unlock(ctx, comps)
}

// BenchmarkApprovalToUnlock is the time from the terminal's approval
// reaching the kiosk to the cabinet's unlock command, with Badger: the
// approval and the release marker go to disk in one durable write first.
// Each iteration is a whole sale of a cabinet product; only that stretch
// is reported (p50/p99).
func BenchmarkApprovalToUnlock(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := mustSeededDB(b, b.TempDir())
	defer db.Close()
	term := kiosktest.NewPaymentTerminal(nil)
	cab := kiosktest.NewCabinetLock(nil)
	staff := kiosktest.NewStaffApproval()
	printer := kiosktest.NewPrinter()
	printer.SetStatus(kiosk.PrinterStatus{Ready: true})
	approved, unlocked := make(chan time.Time, 1), make(chan time.Time, 1)
	fakeSign(db)
	co := newCheckout("K1", DemoShop, db, Devices{
		Scanner: kiosktest.NewScanner(nil), Terminal: stampTerminal{term, approved}, Printer: printer,
		Cabinet: stampCabinet{cab, unlocked}, Staff: staff,
	}, kiosk.SystemClock{}, nil)
	if err := co.Start(ctx); err != nil {
		b.Fatal(err)
	}
	go co.Run(ctx)
	states := make(chan kiosk.State, 256)
	stop := co.Subscribe(func(v kiosk.View) { states <- v.State })
	defer stop()
	wait := func(s kiosk.State) {
		for st := range states {
			if st == s {
				return
			}
		}
	}
	snus := kiosk.MustGTIN("7039990000014")
	lat := make([]time.Duration, 0, b.N)
	for i := 0; i < b.N; i++ {
		if i%40 == 0 { // keep the stock up
			p, _ := db.Lookup(ctx, snus)
			p.Stock = 1000
			if err := db.Put(ctx, p); err != nil {
				b.Fatal(err)
			}
		}
		if err := co.Add(snus); err != nil {
			b.Fatal(err)
		}
		if err := co.Pay(); err != nil {
			b.Fatal(err)
		}
		if _, err := staff.WaitRequest(ctx); err != nil {
			b.Fatal(err)
		}
		if err := staff.Approve("ola"); err != nil {
			b.Fatal(err)
		}
		if _, err := term.WaitAuthorize(ctx); err != nil {
			b.Fatal(err)
		}
		if err := term.Respond(kiosktest.PayApproved()); err != nil {
			b.Fatal(err)
		}
		a, u := <-approved, <-unlocked
		lat = append(lat, u.Sub(a))
		wait(kiosk.Releasing)
		cab.Open()
		cab.Close()
		wait(kiosk.Receipt)
		if err := co.FinishReceipt(); err != nil {
			b.Fatal(err)
		}
		wait(kiosk.Idle)
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

// BenchmarkFdatasync1K is the floor under BenchmarkApprovalToUnlock: one
// append of a journal record's size (1 KiB) to a plain file and
// fdatasync(2), on the same file system.
func BenchmarkFdatasync1K(b *testing.B) {
	f, err := os.OpenFile(filepath.Join(b.TempDir(), "append.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 1024)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := f.Write(buf); err != nil {
			b.Fatal(err)
		}
		if err := syscall.Fdatasync(int(f.Fd())); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}
