package gpiocab

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"selvkasse/kiosk"
)

// BlinkPeriod is one on-and-off of a blinking tower lamp: about 1 Hz, on
// for half of it and off for the other half.
const BlinkPeriod = time.Second

// ChimeLength is how long Chime sounds the buzzer: a short beep.
const ChimeLength = 200 * time.Millisecond

// towerOut is one of the tower's outputs: a lamp or the buzzer; line is
// nil when it is not fitted.
type towerOut struct {
	line OutputLine
	pin  *Pin
}

func (o towerOut) set(on bool) error {
	if o.line == nil {
		return nil
	}
	return o.line.SetValue(levelFor(on, o.pin.ActiveLow))
}

// Tower is the intervention light on the cabinet's GPIO chip: a signal
// tower with a green, a yellow and a red lamp and a buzzer (Config.Green,
// Yellow, Red, Buzzer), each optional. It implements kiosk.TowerLight;
// Cabinet.Light returns it. Blinking and the chime are timed on the
// Config's Clock. Its methods may be called from any goroutine.
type Tower struct {
	clk    kiosk.Clock
	lamps  [kiosk.LightRed + 1]towerOut // by kiosk.Light; [LightOff] unused
	buzzer towerOut

	mu       sync.Mutex
	closed   bool
	sig      kiosk.Signal
	lit      bool // the lamp of sig.Light is lit (a blinking lamp's phase)
	blinkGen int  // bumped on every Show: an older blink timer does nothing
	blinkT   kiosk.Timer
	chiming  bool
	chimeGen int
	chimeT   kiosk.Timer
	buzzing  bool // the buzzer line is driven on
}

var _ kiosk.TowerLight = (*Tower)(nil)

func newTower(cfg Config, l Lines, clk kiosk.Clock) *Tower {
	t := &Tower{clk: clk, buzzer: towerOut{l.Buzzer, cfg.Buzzer}}
	t.lamps[kiosk.LightGreen] = towerOut{l.Green, cfg.Green}
	t.lamps[kiosk.LightYellow] = towerOut{l.Yellow, cfg.Yellow}
	t.lamps[kiosk.LightRed] = towerOut{l.Red, cfg.Red}
	return t
}

// off puts every lamp and the buzzer out (New).
func (t *Tower) off() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.allOffLocked()
}

func (t *Tower) allOffLocked() error {
	var errs []error
	for l := kiosk.LightGreen; l <= kiosk.LightRed; l++ {
		if err := t.lamps[l].set(false); err != nil {
			errs = append(errs, fmt.Errorf("%v lamp: %w", l, err))
		}
	}
	if err := t.buzzer.set(false); err != nil {
		errs = append(errs, fmt.Errorf("buzzer: %w", err))
	} else {
		t.buzzing = false
	}
	return errors.Join(errs...)
}

// Show implements kiosk.TowerLight: it lights the lamp of s.Light and
// puts the others out; with s.Blink the lamp goes on and off, BlinkPeriod
// a cycle, until the next Show; with s.Alarm the buzzer sounds until the
// next Show. A colour whose lamp is not fitted shows nothing. Errors:
// ctx.Err(); kiosk.ErrDeviceUnavailable (wrapped) when a line cannot be
// set (every line is still tried) or the Cabinet is closed; an error that
// matches no sentinel for a Light that is not one of kiosk's.
func (t *Tower) Show(ctx context.Context, s kiosk.Signal) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.Light > kiosk.LightRed {
		return fmt.Errorf("gpiocab: tower: show %v: no such light", s.Light)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return unavailable("tower: show", errClosed)
	}
	t.blinkGen++
	if t.blinkT != nil {
		t.blinkT.Stop()
		t.blinkT = nil
	}
	t.sig = s
	var errs []error
	for l := kiosk.LightGreen; l <= kiosk.LightRed; l++ {
		if err := t.lamps[l].set(l == s.Light); err != nil {
			errs = append(errs, fmt.Errorf("%v lamp: %w", l, err))
		}
	}
	t.lit = s.Light != kiosk.LightOff
	if err := t.setBuzzerLocked(s.Alarm || t.chiming); err != nil {
		errs = append(errs, fmt.Errorf("buzzer: %w", err))
	}
	if len(errs) > 0 {
		return unavailable("tower: show", errors.Join(errs...))
	}
	if s.Blink && t.lit && t.lamps[s.Light].line != nil {
		gen := t.blinkGen
		t.blinkT = t.clk.AfterFunc(BlinkPeriod/2, func() { t.blink(gen) })
	}
	return nil
}

// blink turns the blinking lamp over, every half BlinkPeriod.
func (t *Tower) blink(gen int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed || gen != t.blinkGen {
		return // a later Show took over
	}
	t.lit = !t.lit
	// A line that fails here is tried again at the next turn and the next
	// Show, which reports it.
	_ = t.lamps[t.sig.Light].set(t.lit)
	t.blinkT = t.clk.AfterFunc(BlinkPeriod/2, func() { t.blink(gen) })
}

func (t *Tower) setBuzzerLocked(on bool) error {
	if t.buzzer.line == nil || on == t.buzzing {
		return nil
	}
	if err := t.buzzer.set(on); err != nil {
		return err
	}
	t.buzzing = on
	return nil
}

// Chime implements kiosk.TowerLight: it sounds the buzzer for
// ChimeLength (a chime during another starts it over; during an alarm the
// buzzer sounds on). Without a buzzer it does nothing. Errors: ctx.Err();
// kiosk.ErrDeviceUnavailable (wrapped) when the buzzer's line cannot be
// set or the Cabinet is closed.
func (t *Tower) Chime(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return unavailable("tower: chime", errClosed)
	}
	if t.buzzer.line == nil {
		return nil
	}
	t.chimeGen++
	if t.chimeT != nil {
		t.chimeT.Stop()
		t.chimeT = nil
	}
	if err := t.buzzer.set(true); err != nil {
		return unavailable("tower: chime", err)
	}
	t.buzzing, t.chiming = true, true
	gen := t.chimeGen
	t.chimeT = t.clk.AfterFunc(ChimeLength, func() { t.chimeEnd(gen) })
	return nil
}

func (t *Tower) chimeEnd(gen int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed || gen != t.chimeGen {
		return
	}
	t.chiming, t.chimeT = false, nil
	// A buzzer that cannot be put out here is put out by the next Show.
	_ = t.setBuzzerLocked(t.sig.Alarm)
}

// shutdown stops the timers and puts everything out (Cabinet.Close).
func (t *Tower) shutdown() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	t.blinkGen++
	t.chimeGen++
	for _, tm := range []kiosk.Timer{t.blinkT, t.chimeT} {
		if tm != nil {
			tm.Stop()
		}
	}
	t.blinkT, t.chimeT = nil, nil
	return t.allOffLocked()
}
