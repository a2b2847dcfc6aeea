package storage

import (
	"context"
	"fmt"

	"selvkasse/kiosk"
)

var _ kiosk.Disk = (*DB)(nil)

// DiskReserve is the free space the kiosk keeps on the store's disk
// (kiosk.Config.DiskReserve): what Badger, set up by badgerOptions, may
// still need after the last write the kiosk lets through, so that it
// never meets a full disk. Badger memory-maps its memtable logs (.mem,
// created sparse at twice MemTableSize) and the tables it writes; a page
// of a mapping that the disk cannot back kills the process with SIGBUS,
// with no error to handle. Its needs, with badgerOptions:
//
//   - the memtable log being written fills up to MemTableSize (4 MiB);
//   - flushing it (when full, and at Close) writes a level-0 table of
//     about that size (4 MiB) before the log is deleted;
//   - a compaction of level 0 into level 1 rewrites NumLevelZeroTables
//     tables (2 × 4 MiB) and the level-1 tables they overlap (up to
//     BaseLevelSize, 4 MiB) before deleting the old ones (12 MiB);
//   - the MANIFEST, the DISCARD file and the key registry: about 1 MiB.
//
// That is 21 MiB (minDiskReserve); 32 MiB leaves room for level 0 being
// a table or two behind (it stalls writes at six) and for the few KiB a
// sale under way still writes after the guard tripped. TestDiskReserve
// keeps it at least minDiskReserve when the options change.
const DiskReserve = 32 << 20

// minDiskReserve is the sum above for Badger's options.
func minDiskReserve(memTableSize int64, levelZeroTables int, baseLevelSize int64) uint64 {
	return uint64(2*memTableSize + int64(levelZeroTables)*memTableSize + baseLevelSize + 1<<20)
}

// Free implements kiosk.Disk: the bytes an unprivileged writer may still
// use on the file system holding the data dir (statfs f_bavail ×
// f_bsize). Errors: ctx.Err(); kiosk.ErrDeviceUnavailable (wrapped) when
// the file system cannot be asked (the dir is gone, a platform without
// statfs).
func (d *DB) Free(ctx context.Context) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	n, err := freeBytes(d.dir)
	if err != nil {
		return 0, fmt.Errorf("storage: free space of %s: %w: %v", d.dir, kiosk.ErrDeviceUnavailable, err)
	}
	return n, nil
}
