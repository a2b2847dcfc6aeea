//go:build !linux

package app

import "testing"

// dropPageCache is Linux's (posix_fadvise); elsewhere the start after a
// boot is not measured.
func dropPageCache(b *testing.B, dir string) {
	b.Helper()
	b.Skip("the page cache is dropped on Linux only")
}
