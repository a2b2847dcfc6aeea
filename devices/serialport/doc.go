// Package serialport is where a device path becomes a byte stream. It
// opens a serial device (the scanner, the receipt printer, the payment
// terminal) and hands the drivers a *Port, an io.ReadWriteCloser; the
// drivers themselves take an io.ReadWriter and never see a path.
//
// A Port outlives the device behind it. When the device is unplugged, Port
// closes the dead handle and reopens the same path with back-off until the
// device is back; meanwhile Read and Write fail with an error wrapping
// ErrUnplugged, which wraps kiosk.ErrDeviceUnavailable, so drivers branch
// on the kiosk's sentinel alone. No byte is invented or replayed: what was
// in flight when the device went away is lost, and a write is never
// retried by Port (a half-sent payment request must not be sent again
// blindly; the driver decides).
//
// # Device paths
//
// Config.Path should name one of the stable symlinks the appliance's udev
// rules create, never a kernel name such as /dev/ttyUSB0 or /dev/ttyACM1,
// which depend on the order devices were plugged in:
//
//	/dev/selvkasse-scanner   the barcode scanner (USB serial, 9600 8N1)
//	/dev/selvkasse-printer   the receipt printer (9600 8N1 unless set up otherwise)
//	/dev/selvkasse-terminal  the payment terminal (ZVT: 9600 8N2)
//
// The rules file belongs to the appliance image, not to this package. Each
// rule matches a device by its USB vendor and product id, or, for two
// devices of one model, by the USB port it is plugged into (ID_PATH), and
// adds a symlink. A sketch, with vvvv/pppp and the path to be filled in
// from `udevadm info /dev/ttyUSB0` on the real hardware:
//
//	# /etc/udev/rules.d/70-selvkasse.rules
//	SUBSYSTEM=="tty", ATTRS{idVendor}=="vvvv", ATTRS{idProduct}=="pppp", SYMLINK+="selvkasse-scanner", GROUP="dialout", ENV{ID_MM_DEVICE_IGNORE}="1"
//	SUBSYSTEM=="tty", ENV{ID_PATH}=="platform-xhci-hcd.0-usb-0:1.2:1.0", SYMLINK+="selvkasse-printer", GROUP="dialout", ENV{ID_MM_DEVICE_IGNORE}="1"
//	SUBSYSTEM=="tty", ATTRS{idVendor}=="vvvv", ATTRS{idProduct}=="pppp", SYMLINK+="selvkasse-terminal", GROUP="dialout", ENV{ID_MM_DEVICE_IGNORE}="1"
//
// (ID_MM_DEVICE_IGNORE keeps ModemManager from probing the device with AT
// commands.) udev removes the symlink when the device is unplugged and
// creates it again, possibly pointing at another ttyUSBn, when it comes
// back. Port reopens the symlink's path, not its old target, so it follows.
//
// # Reading
//
// A serial line has no end of stream: Port.Read never returns (0, nil)
// and never io.EOF. With Config.ReadTimeout 0 it blocks until at least one
// byte arrives, the device goes away, or Close. With ReadTimeout > 0 it
// returns, after that long without a byte, an error that satisfies
// errors.Is(err, os.ErrDeadlineExceeded) and net.Error's Timeout: the
// inter-byte gap of a line-framing driver. See Port.Read.
//
// # Many open files
//
// go.bug.st/serial waits for input with select(2), which takes only file
// descriptors below FD_SETSIZE (1 024); on a higher one the library's Read
// panics. The kiosk's store holds a file open per table, thousands of
// them after a few years of sales, and the kernel gives a new open the
// lowest free fd. So the package takes fds below 1 024 in reserve when the
// program starts, before any store is opened, and opens every device in
// them (lowfd_unix.go); a closed device's fds go back into the reserve.
// Should the reserve ever be used up, a Read on a high fd reports the
// device lost (the library's panic, recovered, is the reason) and Port
// reopens it, into a low fd once one is free.
//
// # Platforms
//
// go.bug.st/serial runs on Linux, Windows and macOS, and so does this
// package; the appliance runs Linux. Unplug detection during reads and
// writes is the same everywhere (any error from the device ends the
// handle). Recognising, at Open, an errno that means "the device node is
// there but the device is gone" (ENXIO, ENODEV, EIO) is Linux-only
// (gone_linux.go); elsewhere only "not found" counts (gone_other.go). The
// tests use Linux pseudo-terminals.
//
// Imports: the standard library, selvkasse/kiosk and go.bug.st/serial.
// This is the only package of the project that imports go.bug.st/serial.
// Its tests also import selvkasse/kiosk/kiosktest and golang.org/x/sys/unix.
package serialport
