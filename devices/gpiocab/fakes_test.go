package gpiocab

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

var (
	t0           = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	errUnplugged = errors.New("fake: line gone")
	errFakeClose = errors.New("fake: already closed")
)

// fakeIn is a fake InputLine. Set changes its level and, on a change,
// calls the watcher with an Edge stamped by clk, in the caller's
// goroutine; Emit sends an edge without checking for a change.
type fakeIn struct {
	clk kiosk.Clock

	deliver sync.Mutex // one watcher call at a time, as gpiod does

	mu     sync.Mutex
	level  int
	fn     func(Edge)
	err    error // Value fails with it
	closed bool
}

var _ InputLine = (*fakeIn)(nil)

func newFakeIn(clk kiosk.Clock, level int) *fakeIn { return &fakeIn{clk: clk, level: level} }

func (f *fakeIn) Value() (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.closed:
		return 0, errFakeClose
	case f.err != nil:
		return 0, f.err
	}
	return f.level, nil
}

func (f *fakeIn) Watch(fn func(Edge)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fn = fn
}

func (f *fakeIn) Close() error {
	f.deliver.Lock()
	defer f.deliver.Unlock()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return errFakeClose
	}
	f.closed = true
	return nil
}

func (f *fakeIn) Closed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.closed
}

func (f *fakeIn) SetErr(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

// Set moves the line to level, with an edge if it changed.
func (f *fakeIn) Set(level int) {
	f.mu.Lock()
	if f.level == level {
		f.mu.Unlock()
		return
	}
	f.mu.Unlock()
	f.Emit(Edge{Value: level, At: f.clk.Now()})
}

// Emit sets the level to e.Value and delivers e, change or not.
func (f *fakeIn) Emit(e Edge) {
	f.deliver.Lock()
	defer f.deliver.Unlock()
	f.mu.Lock()
	f.level = e.Value
	fn, closed := f.fn, f.closed
	f.mu.Unlock()
	if fn != nil && !closed {
		fn(e)
	}
}

// fakeOut is a fake OutputLine that records the levels set. onSet, the
// hardware behind the line, runs after each successful SetValue in the
// caller's goroutine.
type fakeOut struct {
	clk kiosk.Clock // stamps the sets; nil: no times

	mu      sync.Mutex
	level   int
	sets    []int
	times   []time.Time
	err     error
	closed  bool
	onSet   func(level int)
	changed chan struct{}
}

var _ OutputLine = (*fakeOut)(nil)

func newFakeOut(level int) *fakeOut { return &fakeOut{level: level, changed: make(chan struct{})} }

func (f *fakeOut) SetValue(v int) error {
	f.mu.Lock()
	switch {
	case f.closed:
		f.mu.Unlock()
		return errFakeClose
	case f.err != nil:
		f.mu.Unlock()
		return f.err
	}
	f.level = v
	f.sets = append(f.sets, v)
	if f.clk != nil {
		f.times = append(f.times, f.clk.Now())
	}
	close(f.changed)
	f.changed = make(chan struct{})
	on := f.onSet
	f.mu.Unlock()
	if on != nil {
		on(v)
	}
	return nil
}

func (f *fakeOut) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return errFakeClose
	}
	f.closed = true
	return nil
}

func (f *fakeOut) Level() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.level
}

func (f *fakeOut) Sets() []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]int(nil), f.sets...)
}

// Times returns when each level of Sets was set (with a clock).
func (f *fakeOut) Times() []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Time(nil), f.times...)
}

func (f *fakeOut) Closed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.closed
}

func (f *fakeOut) SetErr(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

// WaitSets returns once at least n levels have been set, or ctx ends.
func (f *fakeOut) WaitSets(ctx context.Context, n int) error {
	return kiosktest.AwaitCount(ctx, &f.mu, n, func() (int, <-chan struct{}) { return len(f.sets), f.changed })
}

// rig is a cabinet wired as cfg says, on fake lines, with the hardware
// behind them: each compartment's bolt, which follows its lock's coil
// unless jammed (or in manual mode, where the test moves it), and door;
// the key switch; the tower's lamps and buzzer. lock, door and feedback
// are compartment 1's.
type rig struct {
	t   *testing.T
	cfg Config
	clk *kiosktest.Clock
	c   *Cabinet

	comps                      []*rigComp
	lock                       *fakeOut
	door, feedback             *fakeIn
	lamp                       *fakeOut
	key, refuse                *fakeIn
	green, yellow, red, buzzer *fakeOut

	mu     sync.Mutex
	manual bool
}

// rigComp is one compartment's hardware.
type rigComp struct {
	r              *rig
	no             int
	lock           *fakeOut
	door, feedback *fakeIn

	// under r.mu
	target bool // where the coil drives the bolt: true locked
	bolt   bool // true locked
	jammed bool
}

func (r *rig) in(pin *Pin, active bool) *fakeIn {
	if pin == nil {
		return nil
	}
	return newFakeIn(r.clk, levelFor(active, pin.ActiveLow))
}

func (r *rig) out(pin *Pin, active bool) *fakeOut {
	if pin == nil {
		return nil
	}
	o := newFakeOut(levelFor(active, pin.ActiveLow))
	o.clk = r.clk
	return o
}

// newRig builds the rig; the doors start closed, the bolts locked, the
// keys let go, the lamps lit (New must put them out). The Cabinet is
// closed at the end of the test.
func newRig(t *testing.T, cfg Config) *rig {
	t.Helper()
	r := &rig{t: t, cfg: cfg, clk: kiosktest.NewClock(t0)}
	if cfg.Clock == nil {
		r.cfg.Clock = r.clk
	}
	for i, cp := range cfg.Compartments {
		k := &rigComp{r: r, no: i + 1, target: true, bolt: true}
		// The lock line starts at the unlocked level: New must lock it.
		k.lock = newFakeOut(lockLevel(false, cfg.FailSafe, cp.Lock))
		k.lock.onSet = k.coil
		k.door = r.in(&cp.Door, false)
		k.feedback = r.in(cp.Feedback, true)
		r.comps = append(r.comps, k)
	}
	r.lock, r.door, r.feedback = r.comps[0].lock, r.comps[0].door, r.comps[0].feedback
	r.key = r.in(cfg.Key, false)
	r.refuse = r.in(cfg.Refuse, false)
	r.lamp = r.out(cfg.Lamp, true)
	r.green, r.yellow, r.red, r.buzzer = r.out(cfg.Green, true), r.out(cfg.Yellow, true), r.out(cfg.Red, true), r.out(cfg.Buzzer, true)
	c, err := New(r.cfg, r.lines())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	r.c = c
	t.Cleanup(func() { c.Close() })
	return r
}

// threeCompartments is the reference wiring with compartments 1 to 3.
func threeCompartments() Config {
	cfg := DefaultConfig()
	cfg.Compartments = ReferenceCompartments()
	return cfg
}

// lines returns the fake lines as Lines, leaving unused ones nil
// interfaces.
func (r *rig) lines() Lines {
	var l Lines
	for _, k := range r.comps {
		cl := CompartmentLines{Lock: k.lock, Door: k.door}
		if k.feedback != nil {
			cl.Feedback = k.feedback
		}
		l.Compartments = append(l.Compartments, cl)
	}
	if r.key != nil {
		l.Key = r.key
	}
	if r.refuse != nil {
		l.Refuse = r.refuse
	}
	for _, o := range []struct {
		f    *fakeOut
		line *OutputLine
	}{{r.lamp, &l.Lamp}, {r.green, &l.Green}, {r.yellow, &l.Yellow}, {r.red, &l.Red}, {r.buzzer, &l.Buzzer}} {
		if o.f != nil {
			*o.line = o.f
		}
	}
	return l
}

// comp is compartment n's hardware.
func (r *rig) comp(n int) *rigComp { return r.comps[n-1] }

func (k *rigComp) cfg() Compartment { return k.r.cfg.Compartments[k.no-1] }

// coil is the lock's hardware: level is the lock line's new level.
func (k *rigComp) coil(level int) {
	r := k.r
	r.mu.Lock()
	k.target = energised(true, r.cfg.FailSafe) == isActive(level, k.cfg().Lock.ActiveLow)
	if !k.jammed && !r.manual {
		k.bolt = k.target
	}
	r.mu.Unlock()
	k.report()
}

// report sets the feedback contact to the bolt's position.
func (k *rigComp) report() {
	if k.feedback == nil {
		return
	}
	k.r.mu.Lock()
	bolt := k.bolt
	k.r.mu.Unlock()
	k.feedback.Set(levelFor(bolt, k.cfg().Feedback.ActiveLow))
}

// MoveBolt moves the bolt by hand (manual mode).
func (k *rigComp) MoveBolt(locked bool) {
	k.r.mu.Lock()
	k.bolt = locked
	k.r.mu.Unlock()
	k.report()
}

func (k *rigComp) Bolt() bool {
	k.r.mu.Lock()
	defer k.r.mu.Unlock()
	return k.bolt
}

// SetJammed jams the bolt where it is (true) or frees it, when it goes
// where the coil drives it.
func (k *rigComp) SetJammed(jammed bool) {
	k.r.mu.Lock()
	k.jammed = jammed
	if !jammed && !k.r.manual {
		k.bolt = k.target
	}
	k.r.mu.Unlock()
	k.report()
}

// Door opens or closes the door.
func (k *rigComp) Door(open bool) { k.door.Set(levelFor(open, k.cfg().Door.ActiveLow)) }

func (r *rig) coil(level int)        { r.comps[0].coil(level) }
func (r *rig) MoveBolt(locked bool)  { r.comps[0].MoveBolt(locked) }
func (r *rig) Bolt() bool            { return r.comps[0].Bolt() }
func (r *rig) Door(open bool)        { r.comps[0].Door(open) }
func (r *rig) SetJammed(jammed bool) { r.comps[0].SetJammed(jammed) }

func (r *rig) SetManual(m bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.manual = m
}

// Turn turns the key to approve or refuse and lets it spring back.
func (r *rig) Turn(approve bool) {
	r.t.Helper()
	line, pin := r.refuse, r.cfg.Refuse
	if approve {
		line, pin = r.key, r.cfg.Key
	}
	if line == nil {
		r.t.Fatalf("no line to turn the key to approve=%v", approve)
	}
	line.Set(levelFor(true, pin.ActiveLow))
	line.Set(levelFor(false, pin.ActiveLow))
}

// waitShown returns once n age checks wait for the key.
func (r *rig) waitShown(ctx context.Context, n int) error {
	c := r.c
	return kiosktest.AwaitCount(ctx, &c.mu, n, func() (int, <-chan struct{}) { return len(c.waiting), c.changed })
}

// autoAdvance fires the clock's timers as soon as they are set, as if
// time passed, until the test ends: for the conformance suite, which does
// not move the clock.
func (r *rig) autoAdvance(step time.Duration) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for r.clk.WaitTimers(ctx, 1) == nil {
			r.clk.Advance(step)
		}
	}()
	r.t.Cleanup(func() { cancel(); <-done })
}

// testCtx bounds a test's waits.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

type result[T any] struct {
	v   T
	err error
}

func goCall[T any](f func() (T, error)) <-chan result[T] {
	ch := make(chan result[T], 1)
	go func() {
		v, err := f()
		ch <- result[T]{v, err}
	}()
	return ch
}

func recv[T any](t *testing.T, what string, ch <-chan result[T]) (T, error) {
	t.Helper()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-testCtx(t).Done():
		t.Fatalf("%s did not return", what)
		panic("unreachable")
	}
}

// mustNotReturn checks that a call has not returned yet. It cannot prove
// that the call never will; it catches a call that returned early.
func mustNotReturn[T any](t *testing.T, what string, ch <-chan result[T]) {
	t.Helper()
	select {
	case r := <-ch:
		t.Fatalf("%s returned %v, %v; want it still waiting", what, r.v, r.err)
	default:
	}
}
