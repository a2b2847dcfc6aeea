package kiosktest_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

type fakeCabinetHarness struct{ c *kiosktest.CabinetLock }

func (h fakeCabinetHarness) Cabinet() kiosk.CabinetLock { return h.c }
func (h fakeCabinetHarness) Compartments() int          { return 3 }
func (h fakeCabinetHarness) Door(n int, open bool)      { h.c.SetDoor(n, open) }
func (h fakeCabinetHarness) Jam()                       { h.c.SetFault(kiosk.ErrLockFault) }
func (h fakeCabinetHarness) Unjam()                     { h.c.SetFault(nil) }
func (h fakeCabinetHarness) Unplug()                    { h.c.SetFault(kiosk.ErrDeviceUnavailable) }
func (h fakeCabinetHarness) Replug()                    { h.c.SetFault(nil) }
func (h fakeCabinetHarness) Locked(n int) bool          { return !slices.Contains(h.c.Unlocked(), n) }

func TestFakeCabinetConformance(t *testing.T) {
	kiosktest.TestCabinetLock(t, func(t *testing.T) kiosktest.CabinetHarness {
		c := kiosktest.NewCabinetLock(nil)
		c.SetCompartments(3)
		return fakeCabinetHarness{c}
	})
}

func TestFakeCabinetLog(t *testing.T) {
	clk := kiosktest.NewClock(devT0)
	c := kiosktest.NewCabinetLock(clk)
	ctx := t.Context()
	if !c.Locked() || c.IsOpen() {
		t.Fatalf("new cabinet: locked %v, open %v", c.Locked(), c.IsOpen())
	}
	if err := c.Unlock(ctx, []int{1}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Second)
	c.Open()
	c.Open() // no change, no event
	clk.Advance(time.Second)
	c.Close()
	c.SetFault(errors.New("motor stalled"))
	err := c.Lock(ctx)
	if !errors.Is(err, kiosk.ErrLockFault) {
		t.Errorf("Lock with a plain fault = %v, want it wrapped as kiosk.ErrLockFault", err)
	}
	var got []string
	for _, e := range c.Log() {
		got = append(got, fmt.Sprintf("%v locked=%v err=%v +%v", e.Op, e.Locked, e.Err != nil, e.At.Sub(devT0)))
	}
	want := []string{
		"unlock locked=false err=false +0s",
		"door open locked=false err=false +1s",
		"door close locked=false err=false +2s",
		"lock locked=false err=true +2s",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Log =\n%q\nwant\n%q", got, want)
	}
	ev := c.DoorEvents()
	if len(ev) != 2 || !ev[0].Open || ev[1].Open || !ev[1].At.Equal(devT0.Add(2*time.Second)) {
		t.Errorf("DoorEvents = %+v", ev)
	}
}
