//go:build !linux || wayland || !cgo

package app

import (
	"errors"

	"fyne.io/fyne/v2"
)

// placeWindow is an honest stub off X11: Fyne 2.7 cannot place a window
// (only center it), Wayland lets no client place its windows, and the
// window manager of macOS and Windows places them. The demo's windows
// are sized to fit side by side (demoWindows).
func placeWindow(fyne.Window, windowPlace) error {
	return errors.ErrUnsupported
}
