//go:build linux

package storage

import (
	"io/fs"
	"syscall"
)

// fileIdentity is the inode number and the status-change time (ctime) of
// fi, in nanoseconds. Unlike the modification time, nobody can set a
// ctime: any rewrite, replacement or restore of the file changes one or
// the other.
func fileIdentity(fi fs.FileInfo) (ino uint64, ctime int64) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0
	}
	return st.Ino, st.Ctim.Sec*1e9 + st.Ctim.Nsec
}
