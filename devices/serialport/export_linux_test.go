package serialport

import "syscall"

// DrainFDReserve closes the reserve of low fds (lowfd_unix.go), as if
// other opens had used it up; the next open or close of a device fills it
// again from whatever fds below FD_SETSIZE are free then.
func DrainFDReserve() {
	reserve.mu.Lock()
	defer reserve.mu.Unlock()
	for _, fd := range reserve.fds {
		syscall.Close(fd)
	}
	reserve.fds = nil
}

// KeepLow is keepLow: it fills the reserve from the free low fds.
var KeepLow = keepLow
