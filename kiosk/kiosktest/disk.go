package kiosktest

import (
	"context"
	"fmt"
	"sync"

	"selvkasse/kiosk"
)

// Disk is a fake kiosk.Disk: as much free space as the test sets, taken
// and given back with Use and Release, and a disk that cannot be read
// (SetUnavailable). It counts the calls of Free. Make one with NewDisk.
type Disk struct {
	mu          sync.Mutex
	free        uint64
	used        uint64
	unavailable bool
	calls       int
}

var _ kiosk.Disk = (*Disk)(nil)

// NewDisk returns a disk with free bytes free.
func NewDisk(free uint64) *Disk { return &Disk{free: free} }

// SetFree sets the free space; what Use took is forgotten.
func (d *Disk) SetFree(n uint64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.free, d.used = n, 0
}

// Use takes n bytes of the free space (down to none), as a file written
// there would.
func (d *Disk) Use(n uint64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	n = min(n, d.free)
	d.free -= n
	d.used += n
}

// Release gives back everything Use took.
func (d *Disk) Release() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.free += d.used
	d.used = 0
}

// SetUnavailable makes Free fail (true) with an error wrapping
// kiosk.ErrDeviceUnavailable, or answer again.
func (d *Disk) SetUnavailable(off bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.unavailable = off
}

// Calls is the number of Free calls so far.
func (d *Disk) Calls() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.calls
}

// Free implements kiosk.Disk.
func (d *Disk) Free(ctx context.Context) (uint64, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls++
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if d.unavailable {
		return 0, fmt.Errorf("kiosktest: free space: cannot be read: %w", kiosk.ErrDeviceUnavailable)
	}
	return d.free, nil
}
