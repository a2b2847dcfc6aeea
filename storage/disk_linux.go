//go:build linux

package storage

import (
	"os"
	"syscall"
)

// datasync is fdatasync(2): the file's data and what is needed to read it
// back, not its timestamps.
func datasync(f *os.File) error { return syscall.Fdatasync(int(f.Fd())) }
