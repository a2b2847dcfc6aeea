//go:build linux || darwin || freebsd || openbsd

package serialport

import (
	"os"
	"sync"
	"syscall"
)

// Low file descriptors for go.bug.st/serial.
//
// The library waits for input with select(2) (serial_unix.go, Read), and
// select's fd_set holds only the fds below FD_SETSIZE, 1 024 (select(2),
// BUGS: "To monitor file descriptors greater than 1023, use poll(2)"). The
// library's Read panics on a higher fd (index out of range in
// unix.FdSet.Set). The kiosk's store keeps every table file open, about
// 3 700 of them with a million sales, and the kernel hands out the lowest
// free fd: a device opened after the store, or reopened after an unplug,
// would get an fd above 1 023 and take the kiosk down at its first read.
//
// So this package keeps fds below FD_SETSIZE in reserve, taken (opens of
// /dev/null) when the program starts, before any store is opened. openLow
// gives them back to the kernel just before the library opens a device
// (its tty and the two ends of its close pipe take the lowest free fds,
// that is, reserved ones) and takes what is left back afterwards; a closed
// device's fds go back into the reserve (keepLow). Three devices hold nine
// fds; the reserve has room for them three times over, for the opens of
// other goroutines that may take freed fds in the meantime.
const (
	fdSetSize   = 1024
	reserveSize = 32
)

var reserve struct {
	mu  sync.Mutex
	fds []int // below fdSetSize, open on /dev/null
}

func init() { keepLow() }

// topUpLocked fills the reserve with fds below fdSetSize while the kernel
// has them free.
func topUpLocked() {
	for len(reserve.fds) < reserveSize {
		fd, err := syscall.Open(os.DevNull, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != nil {
			return
		}
		if fd >= fdSetSize {
			syscall.Close(fd)
			return
		}
		reserve.fds = append(reserve.fds, fd)
	}
}

// keepLow takes free fds below fdSetSize into the reserve, up to its size:
// at start, and after a device was closed.
func keepLow() {
	reserve.mu.Lock()
	defer reserve.mu.Unlock()
	topUpLocked()
}

// openLow runs open (the library's open of a device) with the reserve's
// fds free, so that the device gets fds the library's select can wait on.
func openLow[T any](open func() (T, error)) (T, error) {
	reserve.mu.Lock()
	defer reserve.mu.Unlock()
	for _, fd := range reserve.fds {
		syscall.Close(fd)
	}
	reserve.fds = reserve.fds[:0]
	defer topUpLocked()
	return open()
}
