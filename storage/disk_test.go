//go:build linux

package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// tmpfs mounts a tmpfs of size bytes for the test, or skips it when it
// cannot (not root, mount refused).
func tmpfs(t *testing.T, size int) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("not root: the free-space tests mount a tmpfs of their own (CI runs as root)")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d", size), "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("mount -t tmpfs refused (%v: %s)", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return dir
}

type diskHarness struct {
	t    *testing.T
	d    *DB
	dir  string
	used []string
}

func (h *diskHarness) Disk() kiosk.Disk { return h.d }
func (h *diskHarness) Slack() uint64    { return 256 << 10 }

func (h *diskHarness) Use(n uint64) {
	path := filepath.Join(h.dir, fmt.Sprintf("use-%d", len(h.used)))
	f, err := os.Create(path)
	if err != nil {
		h.t.Fatal(err)
	}
	defer f.Close()
	buf := bytes.Repeat([]byte{'x'}, 1<<16)
	for n > 0 {
		b := buf[:min(uint64(len(buf)), n)]
		if _, err := f.Write(b); err != nil {
			h.t.Fatal(err)
		}
		n -= uint64(len(b))
	}
	if err := f.Sync(); err != nil {
		h.t.Fatal(err)
	}
	h.used = append(h.used, path)
}

func (h *diskHarness) Release() {
	for _, p := range h.used {
		if err := os.Remove(p); err != nil {
			h.t.Fatal(err)
		}
	}
	h.used = nil
}

// TestDiskConformance runs the kiosk.Disk suite against the store on a
// tmpfs of its own (the store's own files take some of it first).
func TestDiskConformance(t *testing.T) {
	kiosktest.TestDisk(t, func(t *testing.T) kiosktest.DiskHarness {
		mnt := tmpfs(t, 48<<20)
		d := mustOpen(t, filepath.Join(mnt, "data"))
		return &diskHarness{t: t, d: d, dir: mnt}
	})
}

func TestFreeOfAMissingDir(t *testing.T) {
	d := &DB{dir: filepath.Join(t.TempDir(), "gone")}
	if _, err := d.Free(context.Background()); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
		t.Errorf("Free = %v, want kiosk.ErrDeviceUnavailable", err)
	}
}

// TestDiskReserve: the reserve covers what Badger may still write with
// the options in use (DiskReserve's comment).
func TestDiskReserve(t *testing.T) {
	o := badgerOptions(t.TempDir(), nil)
	need := minDiskReserve(o.MemTableSize, o.NumLevelZeroTables, o.BaseLevelSize)
	if DiskReserve < need {
		t.Errorf("DiskReserve %d MiB < %d MiB Badger may need with these options", DiskReserve>>20, need>>20)
	}
}
