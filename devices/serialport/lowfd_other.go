//go:build !(linux || darwin || freebsd || openbsd)

package serialport

// On Windows go.bug.st/serial waits with overlapped I/O, not select(2):
// a device's handle may have any value, so no low fds are kept
// (lowfd_unix.go).

func keepLow() {}

func openLow[T any](open func() (T, error)) (T, error) { return open() }
