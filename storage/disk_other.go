//go:build !linux

package storage

import (
	"errors"
	"os"
	"runtime"
)

// datasync is a full fsync where fdatasync(2) is not available.
func datasync(f *os.File) error { return f.Sync() }

// freeBytes is not written for this platform: the kiosk runs on Linux.
// Free reports it as kiosk.ErrDeviceUnavailable, and the checkout sells
// without the guard (kiosk.Disk).
func freeBytes(string) (uint64, error) {
	return 0, errors.New("free space is not measured on " + runtime.GOOS)
}
