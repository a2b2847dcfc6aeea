//go:build unix

package storage

import (
	"errors"
	"os"
	"syscall"
)

// lockHeld reports whether another open store holds the data dir. Badger
// locks the directory itself with flock(2); a lock taken and dropped here
// at once tells whether it is free. A lock held by this process through
// another open DB counts too: flock locks belong to open files.
func lockHeld(dir string) (bool, error) {
	f, err := os.Open(dir)
	if err != nil {
		return false, err
	}
	defer f.Close()
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return false, syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}

// checkAccess reports a data dir this process may not read and write.
func checkAccess(dir string) error {
	if err := syscall.Access(dir, 0x7); err != nil { // R_OK|W_OK|X_OK
		return &os.PathError{Op: "access", Path: dir, Err: err}
	}
	return nil
}
