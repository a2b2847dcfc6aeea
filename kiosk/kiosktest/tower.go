package kiosktest

import (
	"context"
	"fmt"
	"sync"

	"selvkasse/kiosk"
)

// TowerLight is a fake kiosk.TowerLight: it records every signal shown
// and counts the chimes. SetFault makes both fail.
type TowerLight struct {
	mu      sync.Mutex
	signals []kiosk.Signal
	chimes  int
	fault   error
	wake    chan struct{}
}

var _ kiosk.TowerLight = (*TowerLight)(nil)

// NewTowerLight returns a light that is off.
func NewTowerLight() *TowerLight { return &TowerLight{wake: make(chan struct{})} }

// SetFault makes Show and Chime return err (wrapped with
// kiosk.ErrDeviceUnavailable); nil clears it.
func (t *TowerLight) SetFault(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.fault = err
}

func (t *TowerLight) changedLocked() {
	close(t.wake)
	t.wake = make(chan struct{})
}

// okLocked is the error Show and Chime return, if any.
func (t *TowerLight) okLocked(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if t.fault != nil {
		return fmt.Errorf("kiosktest: tower light: %w: %w", kiosk.ErrDeviceUnavailable, t.fault)
	}
	return nil
}

// Show implements kiosk.TowerLight.
func (t *TowerLight) Show(ctx context.Context, s kiosk.Signal) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.okLocked(ctx); err != nil {
		return err
	}
	t.signals = append(t.signals, s)
	t.changedLocked()
	return nil
}

// Chime implements kiosk.TowerLight.
func (t *TowerLight) Chime(ctx context.Context) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.okLocked(ctx); err != nil {
		return err
	}
	t.chimes++
	t.changedLocked()
	return nil
}

// Current is the last signal shown (off before the first).
func (t *TowerLight) Current() kiosk.Signal {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.signals) == 0 {
		return kiosk.Signal{}
	}
	return t.signals[len(t.signals)-1]
}

// Signals returns every signal shown, in order.
func (t *TowerLight) Signals() []kiosk.Signal {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]kiosk.Signal(nil), t.signals...)
}

// Chimes counts the chimes so far.
func (t *TowerLight) Chimes() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.chimes
}

// Changed returns a channel closed at the next Show or Chime.
func (t *TowerLight) Changed() <-chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.wake
}
