package gpiocab

import (
	"errors"
	"fmt"
	"time"

	"selvkasse/kiosk"
)

// ErrBadConfig is wrapped by the errors of Config.Validate, and so of New
// and Open for a config that cannot work.
var ErrBadConfig = errors.New("gpiocab: bad config")

// MethodKeySwitch is the Approval.Method of answers given with the staff
// key switch.
const MethodKeySwitch = "key switch"

// Pin is one line of the GPIO chip.
type Pin struct {
	// Offset is the line's number on the chip, as gpioinfo lists it
	// (on a Raspberry Pi the BCM GPIO number, not the header pin).
	Offset int
	// ActiveLow: the line's active state is the low level. Active means
	// energised for the lock, lit for the lamp, open for the door, bolt
	// thrown (locked) for the feedback contact, turned for the key lines.
	ActiveLow bool
	// PullUp enables the chip's internal pull-up resistor. Inputs only:
	// for switches wired between the line and ground with no resistor of
	// their own.
	PullUp bool
}

// Config says how the cabinet is wired. DefaultConfig returns the
// reference wiring in the package documentation.
type Config struct {
	// Chip is the GPIO character device, as a name in /dev ("gpiochip0")
	// or a path.
	Chip string

	// Lock drives the lock's relay or MOSFET stage. Required.
	Lock Pin
	// FailSafe: the lock is energised to lock and opens when power fails
	// (a maglock). False, the default, is a fail-secure lock (solenoid
	// bolt, electric strike in fail-secure mode): energised to unlock,
	// locked without power. A tobacco cabinet should be fail-secure.
	FailSafe bool
	// Door reads the door sensor (reed switch). Required.
	Door Pin
	// Feedback reads the lock's bolt-monitor contact; nil if the lock has
	// none. Without it Unlock and Lock cannot tell whether the bolt moved
	// and never return kiosk.ErrLockFault.
	Feedback *Pin
	// FeedbackTimeout is how long Unlock and Lock wait for the feedback
	// contact to report the bolt moved before they return
	// kiosk.ErrLockFault. Required with Feedback; more than Debounce.
	FeedbackTimeout time.Duration

	// Key reads the staff key switch's approve position; nil if there is
	// no key switch (then RequestAgeCheck returns
	// kiosk.ErrDeviceUnavailable).
	Key *Pin
	// Refuse reads the key switch's refuse position (or a refuse button
	// beside it); nil if staff cannot refuse at the cabinet. Needs Key.
	Refuse *Pin
	// Lamp lights a lamp or buzzer at the counter while an age check
	// waits for the key; nil if there is none.
	Lamp *Pin
	// Staff is the Approval.Staff of answers given with the key: the key
	// cannot tell who turned it, so this names the key ("butikknøkkel").
	// Required with Key.
	Staff string

	// Debounce is the period an input must be stable before the kernel
	// reports an edge (0: no debouncing), for every input line. The
	// kernel counts it in whole microseconds; at most one second.
	Debounce time.Duration

	// Clock times FeedbackTimeout and stamps edges that come without a
	// time; nil means kiosk.SystemClock.
	Clock kiosk.Clock
}

// DefaultConfig returns the reference wiring (see the package
// documentation): a fail-secure lock with a bolt-monitor contact, a
// normally open reed switch, a two-way spring-return key switch and a
// lamp, on a Raspberry Pi's header. Check the offsets against the real
// board with gpioinfo.
func DefaultConfig() Config {
	return Config{
		Chip:            "gpiochip0",
		Lock:            Pin{Offset: 17},
		Door:            Pin{Offset: 27, PullUp: true},
		Feedback:        &Pin{Offset: 25, ActiveLow: true, PullUp: true},
		FeedbackTimeout: time.Second,
		Key:             &Pin{Offset: 22, ActiveLow: true, PullUp: true},
		Refuse:          &Pin{Offset: 23, ActiveLow: true, PullUp: true},
		Lamp:            &Pin{Offset: 24},
		Staff:           "staff key",
		Debounce:        20 * time.Millisecond,
	}
}

// maxDebounce bounds Config.Debounce: longer would hide a door opened and
// closed again.
const maxDebounce = time.Second

// Validate checks that cfg can work: a chip, distinct non-negative
// offsets, pull-ups on inputs only, Refuse only with Key, a Staff name
// with Key, a FeedbackTimeout longer than Debounce with Feedback. Its
// errors wrap ErrBadConfig.
func (cfg Config) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrBadConfig, fmt.Sprintf(format, a...))
	}
	if cfg.Chip == "" {
		return bad("no chip")
	}
	type named struct {
		name   string
		pin    *Pin
		output bool
	}
	pins := []named{
		{"lock", &cfg.Lock, true}, {"door", &cfg.Door, false}, {"feedback", cfg.Feedback, false},
		{"key", cfg.Key, false}, {"refuse", cfg.Refuse, false}, {"lamp", cfg.Lamp, true},
	}
	used := map[int]string{}
	for _, p := range pins {
		if p.pin == nil {
			continue
		}
		if p.pin.Offset < 0 {
			return bad("%s line offset %d is negative", p.name, p.pin.Offset)
		}
		if other, ok := used[p.pin.Offset]; ok {
			return bad("%s and %s both on line %d", other, p.name, p.pin.Offset)
		}
		used[p.pin.Offset] = p.name
		if p.output && p.pin.PullUp {
			return bad("%s line %d is an output: no pull-up", p.name, p.pin.Offset)
		}
	}
	if cfg.Debounce < 0 || cfg.Debounce > maxDebounce {
		return bad("debounce %v is not between 0 and %v", cfg.Debounce, maxDebounce)
	}
	if cfg.Feedback != nil && cfg.FeedbackTimeout <= cfg.Debounce {
		return bad("feedback timeout %v is not longer than the debounce period %v", cfg.FeedbackTimeout, cfg.Debounce)
	}
	if cfg.Refuse != nil && cfg.Key == nil {
		return bad("a refuse line needs a key line")
	}
	if cfg.Key != nil && cfg.Staff == "" {
		return bad("a key line needs a staff name")
	}
	return nil
}
