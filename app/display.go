package app

import (
	"errors"
	"fmt"
)

// ErrNoDisplay: `demo` and `run` draw the kiosk's screen in a window and
// there is no display to draw on. They stop with it before the data dir
// is opened, a start journaled or a device opened (before, Fyne's GLFW
// driver panicked with a C trace after the journal had recorded a start).
var ErrNoDisplay = errors.New("no display")

// needDisplay returns ErrNoDisplay, wrapped with what is missing and what
// to do, when the screen cannot be drawn; cmd names the command in the
// message. The check is displayProblem (display_linux.go; an honest stub
// elsewhere).
func needDisplay(cmd string) error {
	why, fix := displayProblem()
	if why == "" {
		return nil
	}
	if fix == "" {
		fix = "the kiosk's screen needs one: run it on the kiosk's desktop, or start a virtual one (Xvfb :1 & export DISPLAY=:1)"
	}
	return fmt.Errorf("%s: %w: %s; %s", cmd, ErrNoDisplay, why, fix)
}
