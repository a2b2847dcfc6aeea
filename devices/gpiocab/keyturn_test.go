package gpiocab

import (
	"context"
	"errors"
	"testing"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// keptTurn reports whether a key turn waits for WaitKeyTurn.
func keptTurn(r *rig) bool {
	r.c.mu.Lock()
	defer r.c.mu.Unlock()
	return r.c.keyTurn
}

func waitKeyTurn(r *rig, ctx context.Context) <-chan result[struct{}] {
	return goCall(func() (struct{}, error) { return struct{}{}, r.c.WaitKeyTurn(ctx) })
}

// TestKeyTurnReported: what staff does at the key switch, and whether it
// is reported to WaitKeyTurn as a log-in, once.
func TestKeyTurnReported(t *testing.T) {
	tests := []struct {
		name  string
		staff func(t *testing.T, r *rig)
		want  bool // one turn reported
	}{
		{"TurnNoAgeCheck", func(t *testing.T, r *rig) { r.Turn(true) }, true},
		{"TwoTurnsNobodyWaited", func(t *testing.T, r *rig) { r.Turn(true); r.Turn(true) }, true},
		{"RepeatedOnEdge", func(t *testing.T, r *rig) {
			on := levelFor(true, r.cfg.Key.ActiveLow)
			r.key.Emit(Edge{Value: on})
			r.key.Emit(Edge{Value: on}) // an "off" edge lost in between
		}, true},
		{"RefuseIsNoLogIn", func(t *testing.T, r *rig) { r.Turn(false) }, false},
		{"OffEdgeIsNoTurn", func(t *testing.T, r *rig) {
			r.key.Emit(Edge{Value: levelFor(false, r.cfg.Key.ActiveLow)})
		}, false},
		{"TurnAnswersAgeCheck", func(t *testing.T, r *rig) {
			ch := startCheck(t, r, testCtx(t), "s1", 1)
			r.Turn(true)
			if a, err := recv(t, "RequestAgeCheck", ch); err != nil || !a.Approved {
				t.Fatalf("RequestAgeCheck = %+v, %v; want approved", a, err)
			}
		}, false},
		{"TurnAnswersOneOfTwoChecks", func(t *testing.T, r *rig) {
			first := startCheck(t, r, testCtx(t), "s1", 1)
			second := startCheck(t, r, testCtx(t), "s2", 2)
			r.Turn(true)
			r.Turn(false)
			for _, ch := range []<-chan result[kiosk.Approval]{first, second} {
				if _, err := recv(t, "RequestAgeCheck", ch); err != nil {
					t.Fatal(err)
				}
			}
		}, false},
		{"TurnAfterAgeCheckAnswered", func(t *testing.T, r *rig) {
			ch := startCheck(t, r, testCtx(t), "s1", 1)
			r.Turn(false)
			if _, err := recv(t, "RequestAgeCheck", ch); err != nil {
				t.Fatal(err)
			}
			r.Turn(true)
		}, true},
		{"TurnAfterAgeCheckWithdrawn", func(t *testing.T, r *rig) {
			ctx, cancel := context.WithCancel(testCtx(t))
			ch := startCheck(t, r, ctx, "s1", 1)
			cancel()
			if _, err := recv(t, "RequestAgeCheck", ch); !errors.Is(err, context.Canceled) {
				t.Fatalf("withdrawn RequestAgeCheck = %v", err)
			}
			r.Turn(true)
		}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, DefaultConfig())
			tc.staff(t, r)
			if got := keptTurn(r); got != tc.want {
				t.Fatalf("a key turn kept for WaitKeyTurn: %v, want %v", got, tc.want)
			}
			if !tc.want {
				return
			}
			if _, err := recv(t, "WaitKeyTurn", waitKeyTurn(r, testCtx(t))); err != nil {
				t.Fatalf("WaitKeyTurn = %v, want the turn", err)
			}
			if keptTurn(r) {
				t.Errorf("the turn is still kept after WaitKeyTurn reported it: it would be reported twice")
			}
		})
	}
}

// TestKeyTurnWhileWaiting: a WaitKeyTurn under way is not given the turn
// that answers an age check; the next turn is its.
func TestKeyTurnWhileWaiting(t *testing.T) {
	r := newRig(t, DefaultConfig())
	ctx := testCtx(t)
	login := waitKeyTurn(r, ctx)
	if err := r.waitKeyWaiting(ctx, 1); err != nil {
		t.Fatal(err)
	}
	check := startCheck(t, r, ctx, "s1", 1)
	r.Turn(true)
	if a, err := recv(t, "RequestAgeCheck", check); err != nil || !a.Approved || a.Method != MethodKeySwitch {
		t.Fatalf("RequestAgeCheck = %+v, %v; want approved at the key switch", a, err)
	}
	mustNotReturn(t, "WaitKeyTurn after the turn that answered the age check", login)
	if keptTurn(r) {
		t.Fatalf("the turn that answered the age check is kept for WaitKeyTurn")
	}
	r.Turn(true)
	if _, err := recv(t, "WaitKeyTurn", login); err != nil {
		t.Fatalf("WaitKeyTurn = %v, want the turn", err)
	}
	if keptTurn(r) {
		t.Errorf("a turn is left kept: WaitKeyTurn was given the age check's turn")
	}
}

// waitKeyWaiting returns once n WaitKeyTurn calls wait.
func (r *rig) waitKeyWaiting(ctx context.Context, n int) error {
	c := r.c
	return kiosktest.AwaitCount(ctx, &c.mu, n, func() (int, <-chan struct{}) { return c.keyWaiters, c.changed })
}

func TestWaitKeyTurnErrors(t *testing.T) {
	tests := []struct {
		name     string
		cfg      func(*Config)
		before   func(r *rig)                // before WaitKeyTurn is called
		ended    bool                        // WaitKeyTurn is called with an ended ctx
		waiting  func(r *rig, cancel func()) // once WaitKeyTurn waits; cancel ends its ctx
		want     error
		alsoWant error // wrapped too, if not nil
	}{
		{name: "NoKeyLine", cfg: func(c *Config) { c.Key, c.Refuse = nil, nil }, want: kiosk.ErrDeviceUnavailable},
		{name: "KeyUnreadable", before: func(r *rig) { r.key.SetErr(errUnplugged) }, want: kiosk.ErrDeviceUnavailable, alsoWant: errUnplugged},
		{name: "Closed", before: func(r *rig) { r.c.Close() }, want: kiosk.ErrDeviceUnavailable},
		{name: "ClosedWithATurnKept", before: func(r *rig) { r.Turn(true); r.c.Close() }, want: kiosk.ErrDeviceUnavailable},
		{name: "ClosedWhileWaiting", waiting: func(r *rig, _ func()) { r.c.Close() }, want: kiosk.ErrDeviceUnavailable},
		{name: "CtxEndsWhileWaiting", waiting: func(_ *rig, cancel func()) { cancel() }, want: context.Canceled},
		{name: "CtxEndedWithATurnKept", before: func(r *rig) { r.Turn(true) }, ended: true, want: context.Canceled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			r := newRig(t, cfg)
			if tc.before != nil {
				tc.before(r)
			}
			ctx, cancel := context.WithCancel(testCtx(t))
			defer cancel()
			if tc.ended {
				cancel()
			}
			ch := waitKeyTurn(r, ctx)
			if tc.waiting != nil {
				if err := r.waitKeyWaiting(testCtx(t), 1); err != nil {
					t.Fatalf("WaitKeyTurn does not wait: %v", err)
				}
				tc.waiting(r, cancel)
			}
			_, err := recv(t, "WaitKeyTurn", ch)
			if !errors.Is(err, tc.want) || (tc.alsoWant != nil && !errors.Is(err, tc.alsoWant)) {
				t.Errorf("WaitKeyTurn = %v, want %v (wrapping %v)", err, tc.want, tc.alsoWant)
			}
		})
	}
}

// TestWaitKeyTurnAfterCancel: a wait whose ctx ends takes no
// turn, and the turn staff makes afterwards goes to the next wait.
func TestWaitKeyTurnAfterCancel(t *testing.T) {
	r := newRig(t, DefaultConfig())
	ctx, cancel := context.WithCancel(testCtx(t))
	ch := waitKeyTurn(r, ctx)
	if err := r.waitKeyWaiting(testCtx(t), 1); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := recv(t, "WaitKeyTurn", ch); !errors.Is(err, context.Canceled) {
		t.Fatalf("WaitKeyTurn after cancel = %v", err)
	}
	r.Turn(true)
	if !keptTurn(r) {
		t.Fatalf("a turn after the ended wait was not kept")
	}
	if _, err := recv(t, "WaitKeyTurn", waitKeyTurn(r, testCtx(t))); err != nil {
		t.Errorf("the next WaitKeyTurn = %v, want the turn", err)
	}
}
