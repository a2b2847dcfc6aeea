package speech

import (
	"fmt"
	"os"
	"syscall"
	"unsafe"

	"selvkasse/kiosk"
)

// OpenJack watches the input device at path (a udev symlink such as
// /dev/input/by-path/platform-…-event, the sound card's "Headphone
// Jack" device) and reads its headset switch at start (ioctl EVIOCGSW,
// linux/input.h). Errors: kiosk.ErrDeviceUnavailable (wrapped) when it
// cannot be opened.
func OpenJack(path string) (*InputJack, func() error, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("speech: jack %s: %w: %w", path, kiosk.ErrDeviceUnavailable, err)
	}
	var bits [8]byte
	const iocRead = 2
	req := uintptr(iocRead<<30 | len(bits)<<16 | 'E'<<8 | 0x1b) // EVIOCGSW(len)
	plugged := false
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), req, uintptr(unsafe.Pointer(&bits[0]))); errno == 0 {
		for _, sw := range []uint{swHeadphoneInsert, swLineoutInsert, swJackPhysicalInsert} {
			if bits[sw/8]&(1<<(sw%8)) != 0 {
				plugged = true
			}
		}
	}
	return NewInputJack(f, plugged), f.Close, nil
}
