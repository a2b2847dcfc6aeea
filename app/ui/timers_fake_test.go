package ui

import (
	"time"

	"selvkasse/kiosk"
)

// warningLeft sets the warning's time and extensions left on a view.
func warningLeft(left time.Duration, extends int) func(*kiosk.View) {
	return func(v *kiosk.View) { v.WarningLeft, v.ExtendsLeft = left, extends }
}

// Touch is the customer's activity: every tap and key on a customer
// screen makes one (timers.go), so the fake counts them apart from the
// commands, as it does StaffTouch.
func (f *fakeKiosk) Touch() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.active++
}

// customerTouches counts Touch calls.
func (f *fakeKiosk) customerTouches() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.active
}
