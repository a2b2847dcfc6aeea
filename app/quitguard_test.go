package app

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
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

// TestKioskQuitLeavesWindowsOpen: the kiosk's stop ends Fyne's loop
// through the driver, as Fyne's own SIGTERM handler does, and closes no
// window itself. fyne.App.Quit, which it called before, closes every
// window first; the loop may then still poll the window system's events,
// and Fyne 2.7.1 handles a pointer move over a closing window through the
// window's nil view (glfw.(*Window).SetInputMode from processMouseMoved;
// fyne-io/fyne#5981 has the same stack): the demo died with exit status
// 2 after SIGTERM in make test (TestDemoUnderXvfb, 2026-12-04), and
// once in 110 stops by hand with the pointer moving over the simulator's
// entry (the store then left unclosed). The race is too rare to play in
// a test; this one checks that the stop no longer closes the windows.
func TestKioskQuitLeavesWindowsOpen(t *testing.T) {
	a := &quitRecorder{App: test.NewTempApp(t)}
	a.drv.Driver = a.App.Driver()
	k := &kioskRun{log: slog.New(slog.DiscardHandler)}
	k.quitGuard(a, func() { t.Error("the stop's finish ran") }).quit()
	if a.appQuit {
		t.Error("the stop called fyne.App.Quit, which closes the windows before the loop ends")
	}
	if !a.drv.quit {
		t.Error("the stop did not ask the driver to end the loop")
	}
}

// quitRecorder is a Fyne app that records which Quit a stop called.
type quitRecorder struct {
	fyne.App
	appQuit bool
	drv     quitDriver
}

func (r *quitRecorder) Quit()               { r.appQuit = true }
func (r *quitRecorder) Driver() fyne.Driver { return &r.drv }

type quitDriver struct {
	fyne.Driver
	quit bool
}

func (d *quitDriver) Quit() { d.quit = true }
