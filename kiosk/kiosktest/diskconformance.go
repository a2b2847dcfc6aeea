package kiosktest

import (
	"context"
	"errors"
	"testing"

	"selvkasse/kiosk"
)

// DiskHarness is a kiosk.Disk under test and the means to fill its disk.
// A harness for the real one works on a file system of its own (a small
// tmpfs), where nothing else writes.
type DiskHarness interface {
	// Disk is the port under test.
	Disk() kiosk.Disk
	// Use takes n bytes of the disk (writes a file of n bytes, synced).
	Use(n uint64)
	// Release gives back everything Use took.
	Release()
	// Slack is how far Free may be off what Use and Release account
	// for: file-system metadata, block rounding. 0 for a fake.
	Slack() uint64
}

// TestDisk checks a kiosk.Disk against the contract in kiosk/ports.go.
// h makes a fresh harness, with at least 16 MiB free, for each subtest.
func TestDisk(t *testing.T, h func(t *testing.T) DiskHarness) {
	free := func(t *testing.T, d kiosk.Disk) uint64 {
		t.Helper()
		n, err := d.Free(context.Background())
		if err != nil {
			t.Fatalf("Free = %v", err)
		}
		return n
	}
	near := func(t *testing.T, what string, got, want, slack uint64) {
		t.Helper()
		lo, hi := want-min(want, slack), want+slack
		if got < lo || got > hi {
			t.Errorf("%s: Free = %d, want %d ± %d", what, got, want, slack)
		}
	}
	t.Run("free space follows what is written", func(t *testing.T) {
		hd := h(t)
		before := free(t, hd.Disk())
		if before < 16<<20 {
			t.Fatalf("the harness has %d bytes free, want at least 16 MiB", before)
		}
		hd.Use(8 << 20)
		near(t, "after using 8 MiB", free(t, hd.Disk()), before-8<<20, hd.Slack())
		hd.Release()
		near(t, "after giving it back", free(t, hd.Disk()), before, hd.Slack())
	})
	t.Run("a full disk says so", func(t *testing.T) {
		hd := h(t)
		before := free(t, hd.Disk())
		hd.Use(before - min(before, 1<<20))
		if got := free(t, hd.Disk()); got > 1<<20+hd.Slack() {
			t.Errorf("Free = %d after filling all but 1 MiB of %d", got, before)
		}
	})
	t.Run("an ended context", func(t *testing.T) {
		hd := h(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := hd.Disk().Free(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("Free(cancelled) = %v, want context.Canceled", err)
		}
	})
}
