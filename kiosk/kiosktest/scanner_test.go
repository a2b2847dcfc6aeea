package kiosktest_test

import (
	"errors"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

type fakeScannerHarness struct{ s *kiosktest.Scanner }

func (h fakeScannerHarness) Scanner() kiosk.Scanner { return h.s }
func (h fakeScannerHarness) Feed(code string)       { h.s.Feed(code) }
func (h fakeScannerHarness) FeedBad()               { h.s.FeedError(errors.New("line too long")) }
func (h fakeScannerHarness) Unplug()                { h.s.Unplug() }
func (h fakeScannerHarness) Replug()                { h.s.Replug() }

func TestFakeScannerConformance(t *testing.T) {
	kiosktest.TestScanner(t, func(t *testing.T) kiosktest.ScannerHarness {
		return fakeScannerHarness{kiosktest.NewScanner(nil)}
	})
}

var devT0 = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)

func TestFakeScannerRecords(t *testing.T) {
	clk := kiosktest.NewClock(devT0)
	s := kiosktest.NewScanner(clk)
	s.FeedSymbology("7038010009457", "]E0")
	clk.Advance(time.Second)
	reason := errors.New("checksum")
	s.FeedError(reason)
	s.FeedError(nil)
	if s.Queued() != 3 {
		t.Fatalf("Queued = %d, want 3", s.Queued())
	}
	ctx := t.Context()
	got, err := s.ReadScan(ctx)
	if want := (kiosk.Scan{Code: "7038010009457", Symbology: "]E0", At: devT0}); err != nil || got != want {
		t.Errorf("ReadScan = %+v, %v; want %+v", got, err, want)
	}
	_, err = s.ReadScan(ctx)
	if !errors.Is(err, kiosk.ErrBadScan) || !errors.Is(err, reason) {
		t.Errorf("ReadScan = %v, want kiosk.ErrBadScan wrapping the reason", err)
	}
	_, err = s.ReadScan(ctx)
	if !errors.Is(err, kiosk.ErrBadScan) {
		t.Errorf("ReadScan = %v, want kiosk.ErrBadScan", err)
	}
	s.Unplug()
	_, err = s.ReadScan(ctx)
	if !errors.Is(err, kiosk.ErrDeviceUnavailable) {
		t.Errorf("ReadScan unplugged = %v, want kiosk.ErrDeviceUnavailable", err)
	}
	reads := s.Reads()
	if len(reads) != 4 || reads[0].Scan.Code != "7038010009457" || !errors.Is(reads[3].Err, kiosk.ErrDeviceUnavailable) {
		t.Errorf("Reads = %+v", reads)
	}
}

func TestFakeScannerWaitPlugged(t *testing.T) {
	s := kiosktest.NewScanner(nil)
	if err := s.WaitPlugged(t.Context()); err != nil {
		t.Fatalf("WaitPlugged while plugged = %v", err)
	}
	s.Unplug()
	done := make(chan error, 1)
	go func() { done <- s.WaitPlugged(t.Context()) }()
	s.Replug()
	if err := <-done; err != nil {
		t.Errorf("WaitPlugged = %v", err)
	}
}
