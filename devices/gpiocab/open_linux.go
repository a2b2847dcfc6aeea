package gpiocab

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/warthog618/gpiod"
)

// Open requests the cabinet's lines on cfg.Chip through the GPIO character
// device (uAPI v2) and returns the Cabinet driving them; New then locks
// every lock. The lock lines are requested first, as outputs already at
// the locked level, so opening never unlocks a compartment even for a
// moment; the lamp and the tower's lamps and buzzer are requested off.
//
// Every line is requested active-high (the Cabinet applies ActiveLow
// itself), with a consumer label as gpioinfo shows it: "selvkasse-lock1",
// "selvkasse-door1", "selvkasse-feedback1" for compartment 1 (2, 3 … for
// the others), "selvkasse-key", "selvkasse-refuse", "selvkasse-lamp",
// "selvkasse-green", "selvkasse-yellow", "selvkasse-red",
// "selvkasse-buzzer". Inputs are requested with edge detection on
// both edges, the pin's pull-up, Config.Debounce and the realtime event
// clock, so that an edge's time is wall-clock time. That needs Linux 5.11
// or later: debouncing and the realtime event clock are uAPI v2 features
// (gpiod v0.8.2 options.go: WithDebounce "Requires Linux v5.10 or later",
// WithRealtimeEventClock "Requires Linux v5.11 or later"); on an older
// kernel gpiod refuses the request with an ErrUapiIncompatibility.
//
// Errors: ErrBadConfig (wrapped) for a config that cannot work; otherwise
// gpiod's or the system's error, wrapped with the line it was for: a
// missing chip satisfies errors.Is(err, fs.ErrNotExist), a chip the user
// may not open errors.Is(err, fs.ErrPermission), a line another process
// holds errors.Is(err, syscall.EBUSY).
func Open(cfg Config) (*Cabinet, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	chip, err := gpiod.NewChip(cfg.Chip)
	if err != nil {
		return nil, fmt.Errorf("gpiocab: open %s: %w", cfg.Chip, err)
	}
	defer chip.Close() // requested lines outlive the chip's handle

	var lines Lines
	fail := func(what string, pin Pin, err error) (*Cabinet, error) {
		closeLines(lines)
		return nil, fmt.Errorf("gpiocab: open %s: %s line %d: %w", cfg.Chip, what, pin.Offset, err)
	}
	output := func(what string, pin Pin, level int) (*gpiod.Line, error) {
		return chip.RequestLine(pin.Offset, gpiod.WithConsumer("selvkasse-"+what), gpiod.AsOutput(level))
	}
	input := func(what string, pin Pin) (*gpiodInput, error) {
		in := &gpiodInput{}
		opts := []gpiod.LineReqOption{
			gpiod.WithConsumer("selvkasse-" + what), gpiod.AsInput, gpiod.WithBothEdges,
			gpiod.WithRealtimeEventClock, gpiod.WithEventHandler(in.handle),
		}
		if pin.PullUp {
			opts = append(opts, gpiod.WithPullUp)
		}
		if cfg.Debounce > 0 {
			opts = append(opts, gpiod.WithDebounce(cfg.Debounce))
		}
		l, err := chip.RequestLine(pin.Offset, opts...)
		if err != nil {
			return nil, err
		}
		in.l = l
		return in, nil
	}

	// Every lock line first, each requested at the locked level.
	lines.Compartments = make([]CompartmentLines, len(cfg.Compartments))
	for i, cp := range cfg.Compartments {
		what := fmt.Sprintf("lock%d", i+1)
		l, err := output(what, cp.Lock, lockLevel(true, cfg.FailSafe, cp.Lock))
		if err != nil {
			return fail(what, cp.Lock, err)
		}
		lines.Compartments[i].Lock = l
	}
	for i, cp := range cfg.Compartments {
		n := i + 1
		door, err := input(fmt.Sprintf("door%d", n), cp.Door)
		if err != nil {
			return fail(fmt.Sprintf("door%d", n), cp.Door, err)
		}
		lines.Compartments[i].Door = door
		if cp.Feedback != nil {
			fb, err := input(fmt.Sprintf("feedback%d", n), *cp.Feedback)
			if err != nil {
				return fail(fmt.Sprintf("feedback%d", n), *cp.Feedback, err)
			}
			lines.Compartments[i].Feedback = fb
		}
	}
	for _, in := range []struct {
		what string
		pin  *Pin
		line *InputLine
	}{
		{"key", cfg.Key, &lines.Key},
		{"refuse", cfg.Refuse, &lines.Refuse},
	} {
		if in.pin == nil {
			continue
		}
		l, err := input(in.what, *in.pin)
		if err != nil {
			return fail(in.what, *in.pin, err)
		}
		*in.line = l
	}
	// The lamp and the tower's lamps and buzzer are requested off.
	for _, out := range []struct {
		what string
		pin  *Pin
		line *OutputLine
	}{
		{"lamp", cfg.Lamp, &lines.Lamp},
		{"green", cfg.Green, &lines.Green},
		{"yellow", cfg.Yellow, &lines.Yellow},
		{"red", cfg.Red, &lines.Red},
		{"buzzer", cfg.Buzzer, &lines.Buzzer},
	} {
		if out.pin == nil {
			continue
		}
		l, err := output(out.what, *out.pin, levelFor(false, out.pin.ActiveLow))
		if err != nil {
			return fail(out.what, *out.pin, err)
		}
		*out.line = l
	}
	return New(cfg, lines) // closes the lines when it fails
}

// gpiodInput is an InputLine over a gpiod line requested with an event
// handler. gpiod calls the handler from its watcher goroutine, one event
// at a time and in order (gpiod v0.8.2 options.go, WithEventHandler).
type gpiodInput struct {
	l  *gpiod.Line
	fn atomic.Pointer[func(Edge)]
}

func (in *gpiodInput) handle(e gpiod.LineEvent) {
	fn := in.fn.Load()
	if fn == nil {
		return // before Watch: New reads the level after Watch
	}
	v := 0
	if e.Type == gpiod.LineEventRisingEdge {
		v = 1
	}
	// With the realtime event clock the timestamp is time since the Unix
	// epoch.
	(*fn)(Edge{Value: v, At: time.Unix(0, int64(e.Timestamp))})
}

func (in *gpiodInput) Value() (int, error) { return in.l.Value() }
func (in *gpiodInput) Watch(fn func(Edge)) { in.fn.Store(&fn) }
func (in *gpiodInput) Close() error        { return in.l.Close() }
