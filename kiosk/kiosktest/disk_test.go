package kiosktest_test

import (
	"context"
	"errors"
	"testing"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

type fakeDiskHarness struct{ d *kiosktest.Disk }

func (h fakeDiskHarness) Disk() kiosk.Disk { return h.d }
func (h fakeDiskHarness) Use(n uint64)     { h.d.Use(n) }
func (h fakeDiskHarness) Release()         { h.d.Release() }
func (h fakeDiskHarness) Slack() uint64    { return 0 }

func TestDiskConformance(t *testing.T) {
	kiosktest.TestDisk(t, func(t *testing.T) kiosktest.DiskHarness {
		return fakeDiskHarness{kiosktest.NewDisk(64 << 20)}
	})
}

func TestDiskUnavailable(t *testing.T) {
	d := kiosktest.NewDisk(1 << 30)
	d.SetUnavailable(true)
	if _, err := d.Free(context.Background()); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
		t.Errorf("Free = %v, want kiosk.ErrDeviceUnavailable", err)
	}
	d.SetUnavailable(false)
	if n, err := d.Free(context.Background()); err != nil || n != 1<<30 || d.Calls() != 2 {
		t.Errorf("Free = %d, %v after %d calls", n, err, d.Calls())
	}
}
