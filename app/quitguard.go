package app

import (
	"context"
	"time"
)

// quitGuard ends the kiosk's window loop when the kiosk is stopped, and
// does not let a hang in the window system's teardown keep the process
// alive. The Fyne loop ends with glfwTerminate, which tears down the GL
// context and the X connection; with Mesa's software drivers under Xvfb
// that has hung (the demo not stopping on SIGTERM: CI on 2026-12-03 and
// two runs by hand), and systemd would then wait TimeoutStopSec and
// SIGKILL a kiosk whose store was never closed.
type quitGuard struct {
	quit  func()                               // asks the loop to end (fyne.Do(a.Driver().Quit))
	grace time.Duration                        // how long the loop gets
	after func(time.Duration) <-chan time.Time // time.After; a test's own
	hung  func()                               // the loop did not end in grace: finish without it and exit
}

// run waits for ctx to end, asks the loop to quit and, unless returned is
// closed (the loop returned) within the grace, calls hung. It returns at
// once when the loop returns before ctx ends (the window was closed).
func (g quitGuard) run(ctx context.Context, returned <-chan struct{}) {
	select {
	case <-ctx.Done():
	case <-returned:
		return
	}
	g.quit()
	select {
	case <-returned:
	case <-g.after(g.grace):
		g.hung()
	}
}
