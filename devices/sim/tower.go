package sim

import (
	"context"

	"selvkasse/kiosk"
)

type tower struct{ d *Devices }

var _ kiosk.TowerLight = tower{}

// Tower is the simulated intervention light's port: Show and Chime change
// what Status reports (Light, Chimes) for the simulator window to show.
// Blinking is the window's to draw. While the light is offline
// (SetOnline(DevTower, false)) both fail with kiosk.ErrDeviceUnavailable.
func (d *Devices) Tower() kiosk.TowerLight { return tower{d} }

// Show implements kiosk.TowerLight.
func (t tower) Show(ctx context.Context, s kiosk.Signal) error {
	return t.change(ctx, func(d *Devices) { d.signal = s })
}

// Chime implements kiosk.TowerLight.
func (t tower) Chime(ctx context.Context) error {
	return t.change(ctx, func(d *Devices) { d.chimes++ })
}

func (t tower) change(ctx context.Context, f func(d *Devices)) error {
	d := t.d
	d.mu.Lock()
	if err := ctx.Err(); err != nil {
		d.mu.Unlock()
		return err
	}
	if d.offline[DevTower] {
		d.mu.Unlock()
		return offline(DevTower)
	}
	f(d)
	d.unlockChanged()
	return nil
}
