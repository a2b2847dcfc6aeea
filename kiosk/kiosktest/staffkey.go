package kiosktest

import (
	"context"
	"fmt"
	"sync"

	"selvkasse/kiosk"
)

// StaffKey is a fake kiosk.StaffKey: the staff key switch as a way to log
// in. Turn is staff turning the key while no age check waits for it; a
// turn nobody waits for is kept for the next WaitKeyTurn, at most one.
// SetUnavailable makes the key unreadable. It records the outcome of
// every WaitKeyTurn. Make one with NewStaffKey.
type StaffKey struct {
	mu          sync.Mutex
	kept        bool // a turn no WaitKeyTurn has taken yet
	turns       int
	waiting     int // WaitKeyTurn calls waiting now
	unavailable bool
	waits       []error // every WaitKeyTurn's outcome, oldest first
	wake        chan struct{}
}

var _ kiosk.StaffKey = (*StaffKey)(nil)

// NewStaffKey returns a readable key switch that nobody has turned.
func NewStaffKey() *StaffKey { return &StaffKey{wake: make(chan struct{})} }

func (k *StaffKey) changedLocked() {
	close(k.wake)
	k.wake = make(chan struct{})
}

// Turn turns the key with no age check waiting: the next WaitKeyTurn, or
// the one waiting, returns nil. Turns that nobody takes in between count
// as one. A turn while the key is unavailable is not read, and is lost.
func (k *StaffKey) Turn() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.turns++
	if k.unavailable {
		return
	}
	k.kept = true
	k.changedLocked()
}

// SetUnavailable makes the key unreadable (true) or readable again. While
// it is unreadable WaitKeyTurn, waiting or not, returns an error wrapping
// kiosk.ErrDeviceUnavailable; a turn kept from before is kept.
func (k *StaffKey) SetUnavailable(off bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.unavailable = off
	k.changedLocked()
}

// Turns is how many times Turn was called.
func (k *StaffKey) Turns() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.turns
}

// Kept reports whether a turn waits for the next WaitKeyTurn.
func (k *StaffKey) Kept() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.kept
}

// Waits returns the outcome of every WaitKeyTurn call that returned, oldest
// first: nil for a turn delivered.
func (k *StaffKey) Waits() []error {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]error(nil), k.waits...)
}

// WaitWaiting returns once at least n WaitKeyTurn calls wait, or
// ctx.Err().
func (k *StaffKey) WaitWaiting(ctx context.Context, n int) error {
	return AwaitCount(ctx, &k.mu, n, func() (int, <-chan struct{}) { return k.waiting, k.wake })
}

// WaitKeyTurn implements kiosk.StaffKey: it takes the kept turn, waiting
// for one if need be. Errors: ctx.Err() (an ended ctx takes no turn);
// kiosk.ErrDeviceUnavailable (wrapped) while SetUnavailable(true).
func (k *StaffKey) WaitKeyTurn(ctx context.Context) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	counted := false
	for {
		var err error
		switch {
		case ctx.Err() != nil:
			err = ctx.Err()
		case k.unavailable:
			err = fmt.Errorf("kiosktest: wait key turn: key not readable: %w", kiosk.ErrDeviceUnavailable)
		case k.kept:
			k.kept = false
		default:
			if !counted {
				counted = true
				k.waiting++
				k.changedLocked()
			}
			wake := k.wake
			k.mu.Unlock()
			select {
			case <-ctx.Done():
			case <-wake:
			}
			k.mu.Lock()
			continue
		}
		if counted {
			k.waiting--
			k.changedLocked()
		}
		k.waits = append(k.waits, err)
		return err
	}
}
