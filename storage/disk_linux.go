//go:build linux

package storage

import (
	"os"
	"syscall"
)

// datasync is fdatasync(2): the file's data and what is needed to read it
// back, not its timestamps.
func datasync(f *os.File) error { return syscall.Fdatasync(int(f.Fd())) }

// freeBytes is statfs(2)'s space available to an unprivileged writer.
func freeBytes(dir string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, &os.PathError{Op: "statfs", Path: dir, Err: err}
	}
	return st.Bavail * uint64(st.Bsize), nil
}
