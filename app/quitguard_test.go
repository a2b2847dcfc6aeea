package app

import (
	"context"
	"testing"
	"time"
)

// TestQuitGuard: a stop asks the loop to quit; a loop that returns in
// time is left alone, one that hangs gets hung called; a loop that ends
// by itself (the window closed) needs neither.
func TestQuitGuard(t *testing.T) {
	for _, c := range []struct {
		name               string
		stop, loopReturns  bool
		wantQuit, wantHung bool
	}{
		{"stopped, loop returns", true, true, true, false},
		{"stopped, loop hangs", true, false, true, true},
		{"window closed", false, true, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			returned := make(chan struct{})
			expired := make(chan time.Time)
			quitAsked := make(chan struct{})
			var hung bool
			g := quitGuard{
				quit:  func() { close(quitAsked) },
				grace: time.Minute,
				after: func(d time.Duration) <-chan time.Time {
					if d != time.Minute {
						t.Errorf("grace %v, want 1m", d)
					}
					return expired
				},
				hung: func() { hung = true },
			}
			done := make(chan struct{})
			go func() { defer close(done); g.run(ctx, returned) }()
			if c.stop {
				cancel()
				<-quitAsked
			}
			if c.loopReturns {
				close(returned)
			} else {
				expired <- time.Time{}
			}
			<-done
			select {
			case <-quitAsked:
				if !c.wantQuit {
					t.Error("quit asked, want not")
				}
			default:
				if c.wantQuit {
					t.Error("quit never asked")
				}
			}
			if hung != c.wantHung {
				t.Errorf("hung called %v, want %v", hung, c.wantHung)
			}
		})
	}
}
