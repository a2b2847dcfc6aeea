package sim_test

import (
	"context"
	"testing"
	"time"

	"selvkasse/devices/sim"
	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// The kiosktest conformance suites, run against the simulated devices:
// the demo's devices keep the same contracts as the fakes and drivers.

var simT0 = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)

func newDevices(t *testing.T) *sim.Devices {
	t.Helper()
	return sim.New(kiosktest.NewClock(simT0), 3)
}

// await returns once ok() holds, re-checking after every change of d.
func await(ctx context.Context, d *sim.Devices, ok func() bool) error {
	changed := make(chan struct{}, 1)
	cancel := d.OnChange(func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	})
	defer cancel()
	for !ok() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-changed:
		}
	}
	return nil
}

type cabinetHarness struct{ d *sim.Devices }

func (h cabinetHarness) Cabinet() kiosk.CabinetLock { return h.d.Cabinet() }
func (h cabinetHarness) Compartments() int          { return len(h.d.Status().Compartments) }
func (h cabinetHarness) Jam()                       { h.d.JamLock(true) }
func (h cabinetHarness) Unjam()                     { h.d.JamLock(false) }
func (h cabinetHarness) Unplug()                    { h.d.SetOnline(sim.DevCabinet, false) }
func (h cabinetHarness) Replug()                    { h.d.SetOnline(sim.DevCabinet, true) }
func (h cabinetHarness) Locked(n int) bool          { return h.d.Status().Compartments[n-1].Locked }
func (h cabinetHarness) Door(n int, open bool) {
	if err := h.d.SetDoor(n, open); err != nil {
		panic(err)
	}
}

func TestSimCabinetConformance(t *testing.T) {
	kiosktest.TestCabinetLock(t, func(t *testing.T) kiosktest.CabinetHarness { return cabinetHarness{newDevices(t)} })
}

type towerHarness struct{ d *sim.Devices }

func (h towerHarness) Light() kiosk.TowerLight         { return h.d.Tower() }
func (h towerHarness) Showing(*testing.T) kiosk.Signal { return h.d.Status().Light }
func (h towerHarness) Chimes(*testing.T) int           { return h.d.Status().Chimes }
func (h towerHarness) Break() bool                     { h.d.SetOnline(sim.DevTower, false); return true }
func (h towerHarness) Mend()                           { h.d.SetOnline(sim.DevTower, true) }

func TestSimTowerConformance(t *testing.T) {
	kiosktest.TestTowerLight(t, func(t *testing.T) kiosktest.TowerHarness { return towerHarness{newDevices(t)} })
}

type staffHarness struct{ d *sim.Devices }

func (h staffHarness) Approval() kiosk.StaffApproval { return h.d.StaffApproval() }
func (h staffHarness) AwaitRequest(ctx context.Context) (kiosk.AgeCheck, error) {
	var p sim.Pending
	err := await(ctx, h.d, func() bool { p = h.d.Pending(); return p.AgeCheck != nil })
	if err != nil {
		return kiosk.AgeCheck{}, err
	}
	return *p.AgeCheck, nil
}
func (h staffHarness) Decide(approve bool) string {
	h.d.Staff(approve)
	return sim.StaffName
}
func (h staffHarness) Shown() []kiosk.AgeCheck {
	if c := h.d.Pending().AgeCheck; c != nil {
		return []kiosk.AgeCheck{*c}
	}
	return nil
}
func (h staffHarness) SetAvailable(ok bool) { h.d.SetOnline(sim.DevStaff, ok) }

func TestSimStaffConformance(t *testing.T) {
	kiosktest.TestStaffApproval(t, func(t *testing.T) kiosktest.StaffHarness { return staffHarness{newDevices(t)} })
}

type keyHarness struct{ d *sim.Devices }

func (h keyHarness) Key() kiosk.StaffKey  { return h.d.StaffKey() }
func (h keyHarness) Turn()                { h.d.KeyTurn() }
func (h keyHarness) SetAvailable(ok bool) { h.d.SetOnline(sim.DevStaff, ok) }

func TestSimStaffKeyConformance(t *testing.T) {
	kiosktest.TestStaffKey(t, func(t *testing.T) kiosktest.StaffKeyHarness { return keyHarness{newDevices(t)} })
}
