package serialport

import (
	"errors"
	"syscall"
)

// goneErrno reports whether err is an errno Linux gives for a device node
// whose device is gone: ENXIO or ENODEV when opening a tty node that
// outlived its USB device, EIO from a hung-up tty.
func goneErrno(err error) bool {
	return errors.Is(err, syscall.ENXIO) || errors.Is(err, syscall.ENODEV) || errors.Is(err, syscall.EIO)
}
