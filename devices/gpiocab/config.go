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

// Compartment is one compartment of the cabinet: its own lock, door
// sensor and, where the lock has one, bolt-monitor contact. Compartments
// are numbered from 1 in the order Config lists them.
type Compartment struct {
	// Lock drives the lock's relay or MOSFET stage. Required.
	Lock Pin
	// Door reads the door sensor (reed switch). Required.
	Door Pin
	// Feedback reads the lock's bolt-monitor contact; nil if the lock has
	// none. Without it Unlock and Lock cannot tell whether this
	// compartment's bolt moved and never return kiosk.ErrLockFault for it.
	Feedback *Pin
}

// Config says how the cabinet is wired. DefaultConfig returns the
// reference wiring in the package documentation.
type Config struct {
	// Chip is the GPIO character device, as a name in /dev ("gpiochip0")
	// or a path.
	Chip string

	// Compartments are the cabinet's compartments: Compartments[0] is
	// compartment 1. At least one.
	Compartments []Compartment
	// FailSafe: the locks are energised to lock and open when power fails
	// (maglocks). False, the default, is a fail-secure lock (solenoid
	// bolt, electric strike in fail-secure mode): energised to unlock,
	// locked without power. A tobacco cabinet should be fail-secure. It
	// applies to every compartment's lock.
	FailSafe bool
	// FeedbackTimeout is how long Unlock and Lock wait for the feedback
	// contacts to report the bolts moved before they return
	// kiosk.ErrLockFault. Required when a compartment has Feedback; more
	// than Debounce.
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

	// Green, Yellow and Red light the intervention light's lamps (a
	// signal tower on top of the kiosk) and Buzzer sounds its buzzer;
	// each nil if not fitted. With none of them there is no tower
	// (Cabinet.Light is nil).
	Green, Yellow, Red, Buzzer *Pin

	// Debounce is the period an input must be stable before the kernel
	// reports an edge (0: no debouncing), for every input line. The
	// kernel counts it in whole microseconds; at most one second.
	Debounce time.Duration

	// Clock times FeedbackTimeout, the tower's blinking and chime, and
	// stamps edges that come without a time; nil means kiosk.SystemClock.
	Clock kiosk.Clock
}

// ReferenceCompartments is the reference wiring of a cabinet of three
// compartments (see the package documentation): compartment 1 as
// DefaultConfig wires it, 2 and 3 on lines of a Raspberry Pi's header
// that leave its I2C, SPI and UART pins free. A cabinet of more
// compartments needs a second chip or an I/O expander: name its lines in
// the Config.
func ReferenceCompartments() []Compartment {
	ref := func(lock, door, feedback int) Compartment {
		return Compartment{
			Lock: Pin{Offset: lock}, Door: Pin{Offset: door, PullUp: true},
			Feedback: &Pin{Offset: feedback, ActiveLow: true, PullUp: true},
		}
	}
	return []Compartment{ref(17, 27, 25), ref(12, 16, 20), ref(26, 21, 18)}
}

// DefaultConfig returns the reference wiring (see the package
// documentation): one compartment with a fail-secure lock, a
// bolt-monitor contact and a normally open reed switch, a two-way
// spring-return key switch, a lamp at the counter and a signal tower
// with green, yellow and red lamps and a buzzer, on a Raspberry Pi's
// header. Check the offsets against the real board with gpioinfo.
func DefaultConfig() Config {
	return Config{
		Chip:            "gpiochip0",
		Compartments:    ReferenceCompartments()[:1],
		FeedbackTimeout: time.Second,
		Key:             &Pin{Offset: 22, ActiveLow: true, PullUp: true},
		Refuse:          &Pin{Offset: 23, ActiveLow: true, PullUp: true},
		Lamp:            &Pin{Offset: 24},
		Staff:           "staff key",
		Green:           &Pin{Offset: 5},
		Yellow:          &Pin{Offset: 6},
		Red:             &Pin{Offset: 13},
		Buzzer:          &Pin{Offset: 19},
		Debounce:        20 * time.Millisecond,
	}
}

// hasTower reports whether any of the tower's lines is wired.
func (cfg Config) hasTower() bool {
	return cfg.Green != nil || cfg.Yellow != nil || cfg.Red != nil || cfg.Buzzer != nil
}

// maxDebounce bounds Config.Debounce: longer would hide a door opened and
// closed again.
const maxDebounce = time.Second

// Validate checks that cfg can work: a chip, at least one compartment
// (and at most kiosk.MaxCompartment), distinct non-negative offsets over
// every line, pull-ups on inputs only, Refuse only with Key, a Staff name
// with Key, a FeedbackTimeout longer than Debounce when a compartment has
// Feedback. Its errors wrap ErrBadConfig.
func (cfg Config) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrBadConfig, fmt.Sprintf(format, a...))
	}
	if cfg.Chip == "" {
		return bad("no chip")
	}
	if len(cfg.Compartments) == 0 {
		return bad("no compartment")
	}
	if len(cfg.Compartments) > kiosk.MaxCompartment {
		return bad("%d compartments, at most %d", len(cfg.Compartments), kiosk.MaxCompartment)
	}
	type named struct {
		name   string
		pin    *Pin
		output bool
	}
	var pins []named
	feedback := false
	for i := range cfg.Compartments {
		c := &cfg.Compartments[i]
		n := i + 1
		pins = append(pins, named{fmt.Sprintf("compartment %d lock", n), &c.Lock, true},
			named{fmt.Sprintf("compartment %d door", n), &c.Door, false},
			named{fmt.Sprintf("compartment %d feedback", n), c.Feedback, false})
		feedback = feedback || c.Feedback != nil
	}
	pins = append(pins, named{"key", cfg.Key, false}, named{"refuse", cfg.Refuse, false}, named{"lamp", cfg.Lamp, true},
		named{"green", cfg.Green, true}, named{"yellow", cfg.Yellow, true}, named{"red", cfg.Red, true},
		named{"buzzer", cfg.Buzzer, true})
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
	if feedback && cfg.FeedbackTimeout <= cfg.Debounce {
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
