//go:build linux

package zvtsim

import (
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// OpenPTY makes a pseudo-terminal pair for a serial-framed simulator: the
// master is the terminal's end (pass it to Serve, or ServePTY), the slave
// is what the driver opens as it would /dev/ttyUSB0 (path is its name).
// The slave is put in raw mode so that no byte is echoed or translated.
// Both files are non-blocking, so closing one wakes its pending Read. The
// caller closes both.
func OpenPTY() (master, slave *os.File, path string, err error) {
	mfd, err := unix.Open("/dev/ptmx", unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, "", fmt.Errorf("zvtsim: /dev/ptmx: %w", err)
	}
	bail := func(what string, err error) (*os.File, *os.File, string, error) {
		unix.Close(mfd)
		return nil, nil, "", fmt.Errorf("zvtsim: %s: %w", what, err)
	}
	n, err := unix.IoctlGetInt(mfd, unix.TIOCGPTN)
	if err != nil {
		return bail("TIOCGPTN", err)
	}
	if err := unix.IoctlSetPointerInt(mfd, unix.TIOCSPTLCK, 0); err != nil {
		return bail("TIOCSPTLCK", err)
	}
	path = "/dev/pts/" + strconv.Itoa(n)
	sfd, err := unix.Open(path, unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	if err != nil {
		return bail("open "+path, err)
	}
	tio, err := unix.IoctlGetTermios(sfd, unix.TCGETS)
	if err == nil {
		// cfmakeraw(3)
		tio.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
		tio.Oflag &^= unix.OPOST
		tio.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
		tio.Cflag &^= unix.CSIZE | unix.PARENB
		tio.Cflag |= unix.CS8
		tio.Cc[unix.VMIN], tio.Cc[unix.VTIME] = 1, 0
		err = unix.IoctlSetTermios(sfd, unix.TCSETS, tio)
	}
	if err != nil {
		unix.Close(sfd)
		return bail("raw mode", err)
	}
	return os.NewFile(uintptr(mfd), "/dev/ptmx"), os.NewFile(uintptr(sfd), path), path, nil
}
