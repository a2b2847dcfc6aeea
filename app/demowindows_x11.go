//go:build linux && !wayland && cgo

package app

/*
#cgo LDFLAGS: -lX11
#include <X11/Xlib.h>

static int selvkasse_x_error;

static int selvkasse_on_x_error(Display *d, XErrorEvent *e) {
	selvkasse_x_error = e->error_code;
	return 0;
}

// selvkasse_move_window moves the top-level window win to x, y on its own
// connection to the display and waits for the server's answer. Xlib's
// default error handler would end the process on a window that is gone:
// a handler of its own is set for the call and the previous one put back.
static int selvkasse_move_window(unsigned long win, int x, int y) {
	Display *d = XOpenDisplay(NULL);
	if (d == NULL) {
		return -1;
	}
	selvkasse_x_error = 0;
	XErrorHandler prev = XSetErrorHandler(selvkasse_on_x_error);
	XMoveWindow(d, (Window)win, x, y);
	XSync(d, False);
	XSetErrorHandler(prev);
	XCloseDisplay(d);
	return selvkasse_x_error;
}
*/
import "C"

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"
)

// placeWindow moves w to p's position on an X11 display (Fyne's GLFW
// driver gives the window's X11 id through driver.NativeWindow). It must
// run on Fyne's main goroutine (fyne.Do) once w is shown: Xlib's error
// handler is process-wide, and GLFW sets its own there. A window manager
// may still move the window where its own rules say.
func placeWindow(w fyne.Window, p windowPlace) error {
	nw, ok := w.(driver.NativeWindow)
	if !ok {
		return fmt.Errorf("window %q: the driver gives no native window", w.Title())
	}
	var err error
	nw.RunNative(func(ctx any) {
		x, ok := ctx.(driver.X11WindowContext)
		if !ok || x.WindowHandle == 0 {
			err = fmt.Errorf("window %q: not an X11 window (yet)", w.Title())
			return
		}
		switch rc := C.selvkasse_move_window(C.ulong(x.WindowHandle), C.int(p.X), C.int(p.Y)); {
		case rc < 0:
			err = fmt.Errorf("window %q: cannot open the X display", w.Title())
		case rc > 0:
			err = fmt.Errorf("window %q: X error %d moving it", w.Title(), int(rc))
		}
	})
	return err
}
