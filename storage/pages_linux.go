//go:build linux

package storage

import (
	"os"
	"syscall"
)

// releasesPages: Linux lists a process's mappings (/proc/self/maps) and
// lets it drop the resident pages of one (madvise(2)).
const releasesPages = true

// readMaps reads the process's mappings.
func readMaps() ([]byte, error) { return os.ReadFile("/proc/self/maps") }

// dontNeed is madvise(addr, n, MADV_DONTNEED): the process's page table
// entries for the range are dropped. On a shared file mapping the pages
// stay in the page cache (dirty ones stay dirty) and the next access maps
// them again; see pages.go for why the range is certainly such a mapping.
func dontNeed(addr, n uint64) error {
	_, _, errno := syscall.Syscall(syscall.SYS_MADVISE, uintptr(addr), uintptr(n), syscall.MADV_DONTNEED)
	if errno != 0 {
		return &os.SyscallError{Syscall: "madvise", Err: errno}
	}
	return nil
}
