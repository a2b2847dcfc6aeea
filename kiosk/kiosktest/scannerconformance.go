package kiosktest

import (
	"context"
	"errors"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// ScannerHarness is a kiosk.Scanner under test and the means to act on the
// device's side of it. A harness for a real driver plays the scanner over
// its wire: Feed writes the bytes a scanner sends for a code to a
// pseudo-terminal, Unplug hangs it up. Harness methods are called from the
// test's goroutine and report their own failures to the harness's t.
type ScannerHarness interface {
	// Scanner is the port under test.
	Scanner() kiosk.Scanner
	// Feed makes the scanner read code (printable ASCII). It returns without
	// waiting for a ReadScan.
	Feed(code string)
	// FeedBad makes the scanner deliver a read that is not a usable code:
	// noise, an overlong or a broken line.
	FeedBad()
	// Unplug disconnects the scanner.
	Unplug()
	// Replug connects it again and returns once the port can read from it.
	Replug()
}

// TestScanner checks a kiosk.Scanner against the contract in
// kiosk/ports.go. h makes a fresh harness, and the device behind it, for
// each subtest.
func TestScanner(t *testing.T, h func(t *testing.T) ScannerHarness) {
	read := func(t *testing.T, hs ScannerHarness) (kiosk.Scan, error) {
		t.Helper()
		ctx := devCtx(t)
		return devRecv(t, "ReadScan", devGo(func() (kiosk.Scan, error) { return hs.Scanner().ReadScan(ctx) }))
	}
	mustRead := func(t *testing.T, hs ScannerHarness, want string) {
		t.Helper()
		s, err := read(t, hs)
		if err != nil {
			t.Fatalf("ReadScan = %v, want code %q", err, want)
		}
		if s.Code != want {
			t.Errorf("ReadScan code = %q, want %q", s.Code, want)
		}
		if s.At.IsZero() {
			t.Errorf("ReadScan %q: At is zero, want when it was read", want)
		}
	}
	tests := []struct {
		name string
		run  func(t *testing.T, hs ScannerHarness)
	}{
		{"ReadsCodesInOrder", func(t *testing.T, hs ScannerHarness) {
			codes := []string{"7038010009457", "96385074", "LOT-42/B", "7038010009457"}
			for _, c := range codes {
				hs.Feed(c)
			}
			for _, c := range codes {
				mustRead(t, hs, c)
			}
		}},
		{"WaitsForACode", func(t *testing.T, hs ScannerHarness) {
			ctx := devCtx(t)
			ch := devGo(func() (kiosk.Scan, error) { return hs.Scanner().ReadScan(ctx) })
			hs.Feed("5701234567899")
			s, err := devRecv(t, "ReadScan", ch)
			if err != nil || s.Code != "5701234567899" {
				t.Fatalf("ReadScan = %q, %v; want the code fed while it waited", s.Code, err)
			}
		}},
		{"CancelReturnsCtxErr", func(t *testing.T, hs ScannerHarness) {
			ctx, cancel := context.WithCancel(t.Context())
			ch := devGo(func() (kiosk.Scan, error) { return hs.Scanner().ReadScan(ctx) })
			cancel()
			if _, err := devRecv(t, "ReadScan", ch); !errors.Is(err, context.Canceled) {
				t.Errorf("ReadScan after cancel = %v, want context.Canceled", err)
			}
			dctx, dcancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
			defer dcancel()
			if s, err := hs.Scanner().ReadScan(dctx); !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("ReadScan with nothing to read until the deadline = %+v, %v; want context.DeadlineExceeded", s, err)
			}
			// The ended reads must not have taken the next code.
			hs.Feed("4006381333931")
			mustRead(t, hs, "4006381333931")
		}},
		{"CancelLeavesNoGoroutines", func(t *testing.T, hs ScannerHarness) {
			devCancelled(t, "ReadScan", 40, func(ctx context.Context) error {
				_, err := hs.Scanner().ReadScan(ctx)
				return err
			})
			hs.Feed("96385074")
			mustRead(t, hs, "96385074")
		}},
		{"BadScanThenReadsOn", func(t *testing.T, hs ScannerHarness) {
			hs.Feed("7038010009457")
			hs.FeedBad()
			hs.Feed("96385074")
			mustRead(t, hs, "7038010009457")
			_, err := read(t, hs)
			if !errors.Is(err, kiosk.ErrBadScan) {
				t.Fatalf("ReadScan of a garbled read = %v, want kiosk.ErrBadScan", err)
			}
			if err == kiosk.ErrBadScan {
				t.Errorf("ReadScan returned bare kiosk.ErrBadScan; want it wrapped with the reason")
			}
			mustRead(t, hs, "96385074")
		}},
		{"TwoBadScans", func(t *testing.T, hs ScannerHarness) {
			hs.FeedBad()
			hs.FeedBad()
			hs.Feed("LOT-42/B")
			for range 2 {
				if _, err := read(t, hs); !errors.Is(err, kiosk.ErrBadScan) {
					t.Fatalf("ReadScan = %v, want kiosk.ErrBadScan", err)
				}
			}
			mustRead(t, hs, "LOT-42/B")
		}},
		{"Unplugged", func(t *testing.T, hs ScannerHarness) {
			hs.Unplug()
			for range 2 { // at once, and for as long as it is unplugged
				if _, err := read(t, hs); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
					t.Fatalf("ReadScan while unplugged = %v, want kiosk.ErrDeviceUnavailable", err)
				}
			}
			hs.Replug()
			hs.Feed("7038010009457")
			mustRead(t, hs, "7038010009457")
		}},
		{"UnpluggedWhileReading", func(t *testing.T, hs ScannerHarness) {
			ctx := devCtx(t)
			ch := devGo(func() (kiosk.Scan, error) { return hs.Scanner().ReadScan(ctx) })
			hs.Unplug()
			if _, err := devRecv(t, "ReadScan", ch); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
				t.Fatalf("ReadScan when the scanner is unplugged = %v, want kiosk.ErrDeviceUnavailable", err)
			}
			hs.Replug()
			hs.Feed("96385074")
			mustRead(t, hs, "96385074")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, h(t)) })
	}
}
