package gpiocab

import "time"

// The driver is written against these interfaces, not against gpiod, so
// that it runs on fake lines in tests. Values are physical line levels
// (0 low, 1 high); the driver applies each pin's ActiveLow itself, and
// Open requests every line active-high.

// OutputLine is a requested output line: a lock's driver stage, the
// staff lamp, a tower lamp or the buzzer. *gpiod.Line satisfies it.
//
// SetValue drives the line to level 0 or 1; an error means the level may
// not have changed. Close releases the line.
type OutputLine interface {
	SetValue(level int) error
	Close() error
}

// Edge is one change of an input line's level.
type Edge struct {
	Value int       // the level after the change, 0 or 1
	At    time.Time // when the kernel saw it; zero if the line cannot tell
}

// InputLine is a requested input line with edge detection on both edges:
// a door's reed switch, a lock's bolt-monitor contact, the staff key
// switch.
//
// Value reads the level now; an error means the line (or its chip) does
// not answer. Watch makes the line call fn with each edge from then on, in
// the order the edges happened and one call at a time; fn does not block
// for long (it takes a mutex). Watch is called once, before the first
// Value. Close releases the line and returns once no call of fn is
// running; it is never called from fn.
type InputLine interface {
	Value() (int, error)
	Watch(fn func(Edge))
	Close() error
}

// isActive reports whether a line at level reads as its active state.
func isActive(level int, activeLow bool) bool { return (level != 0) != activeLow }

// levelFor is the level that puts a line in its active state (active
// true) or its inactive state.
func levelFor(active, activeLow bool) int {
	if active != activeLow {
		return 1
	}
	return 0
}

// energised reports whether the lock's coil carries current when the bolt
// is to be locked (locked true) or unlocked. A fail-secure lock is
// energised to unlock; a fail-safe lock (a maglock) is energised to lock.
func energised(locked, failSafe bool) bool { return locked == failSafe }

// lockLevel is a lock line's level for a locked or unlocked bolt: the
// lock wired to pin, fail-safe or not.
func lockLevel(locked, failSafe bool, pin Pin) int {
	return levelFor(energised(locked, failSafe), pin.ActiveLow)
}
