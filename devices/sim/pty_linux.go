//go:build linux

package sim

import (
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// OpenPTY makes a pseudo-terminal pair: the master, which plays the
// device, and the slave's path, which the driver opens as it would
// /dev/ttyUSB0 (every simulator here, zvtsim's too, uses it). It is posix_openpt, grantpt and unlockpt by hand (grantpt
// has nothing to do on devpts).
//
// The simulator also holds the slave open, in raw mode: raw so that no
// byte is echoed, translated (CR to LF) or taken as a signal before the
// driver has opened the port and set its own mode; held so that the
// master does not read EIO while the driver has it closed (between an
// unplug and its reopen). Closing both ends hangs the slave up, as the
// kernel hangs up a USB serial tty that is pulled out.
func OpenPTY() (master, slave *os.File, path string, err error) {
	fd, err := unix.Open("/dev/ptmx", unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, "", fmt.Errorf("sim: open /dev/ptmx: %w", err)
	}
	fail := func(what string, err error) (*os.File, *os.File, string, error) {
		unix.Close(fd)
		return nil, nil, "", fmt.Errorf("sim: %s: %w", what, err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		return fail("ptsname", err)
	}
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		return fail("unlockpt", err)
	}
	path = "/dev/pts/" + strconv.Itoa(n)
	sfd, err := unix.Open(path, unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	if err != nil {
		return fail("open "+path, err)
	}
	if err := makeRaw(sfd); err != nil {
		unix.Close(sfd)
		return fail("raw mode", err)
	}
	// Non-blocking, so os.File polls them and Close wakes a pending Read.
	return os.NewFile(uintptr(fd), "/dev/ptmx"), os.NewFile(uintptr(sfd), path), path, nil
}

// makeRaw is cfmakeraw(3).
func makeRaw(fd int) error {
	t, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return err
	}
	t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
	t.Oflag &^= unix.OPOST
	t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	t.Cflag &^= unix.CSIZE | unix.PARENB
	t.Cflag |= unix.CS8
	t.Cc[unix.VMIN], t.Cc[unix.VTIME] = 1, 0
	return unix.IoctlSetTermios(fd, unix.TCSETS, t)
}
