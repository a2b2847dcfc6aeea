package app

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// dropPageCache evicts the files of dir from the page cache, as a boot
// leaves them: the next start reads them from the disk. It syncs each
// file first (a dirty page is not dropped) and then advises the kernel
// that none of it is needed (posix_fadvise(2), POSIX_FADV_DONTNEED);
// pages a process maps stay, so the store must be closed.
func dropPageCache(b *testing.B, dir string) {
	b.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			b.Fatal(err)
		}
		err = f.Sync()
		if err == nil {
			err = unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED)
		}
		f.Close()
		if err != nil {
			b.Fatalf("drop %s from the page cache: %v", e.Name(), err)
		}
	}
}
