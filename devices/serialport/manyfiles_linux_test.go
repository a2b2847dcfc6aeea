//go:build linux

package serialport_test

import (
	"math"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"selvkasse/devices/serialport"
)

// heldFDs are fds open on /dev/null that a test holds.
type heldFDs struct{ fds []int }

// mustHoldFDs opens /dev/null until the kernel hands out an fd of at
// least above, and holds every one open until the test ends: the files a
// kiosk with a long history holds open (Badger keeps each of its tables
// open, about 3 700 with a million sales).
func mustHoldFDs(tb testing.TB, above int) *heldFDs {
	tb.Helper()
	h := &heldFDs{}
	tb.Cleanup(func() { h.release(math.MaxInt) })
	for {
		fd, err := unix.Open("/dev/null", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			tb.Fatalf("open /dev/null with %d fds held: %v", len(h.fds), err)
		}
		h.fds = append(h.fds, fd)
		if fd >= above {
			return h
		}
	}
}

// release closes the held fds below n.
func (h *heldFDs) release(n int) {
	kept := h.fds[:0]
	for _, fd := range h.fds {
		if fd < n {
			unix.Close(fd)
		} else {
			kept = append(kept, fd)
		}
	}
	h.fds = kept
}

// TestManyOpenFiles opens and reads a device while the process holds
// more than 1 024 files open, as the kiosk does with a long sales
// history. go.bug.st/serial waits for a byte with select(2), whose
// fd_set holds only fds below FD_SETSIZE (1 024); given a higher fd, its
// Read panicked (index out of range in unix.FdSet.Set) and took the
// kiosk down at the first scan.
func TestManyOpenFiles(t *testing.T) {
	mustHoldFDs(t, 1100)
	m, slave := mustPTY(t)
	p := mustOpen(t, serialport.Config{Path: slave})
	mustWrite(t, m, "7039990000113\r")
	if got := mustReadFull(t, p, 14); got != "7039990000113\r" {
		t.Errorf("port read %q, want the scan", got)
	}
	mustWrite(t, p, "ok")
	if got := mustReadMaster(t, m, 2); got != "ok" {
		t.Errorf("device got %q, want \"ok\"", got)
	}
}

// TestManyOpenFilesNoReserve opens a device when no fd below FD_SETSIZE is
// free, the reserve included: the device gets a higher fd. Its Read then
// reports the device lost, with the library's failure, instead of a panic
// that would end the kiosk; and once low fds are free again Port reopens
// the device in one and reads from it.
func TestManyOpenFilesNoReserve(t *testing.T) {
	serialport.DrainFDReserve()
	held := mustHoldFDs(t, 1100)
	m, slave := mustPTY(t)
	p, clk, ev := mustOpenWatched(t, slave)

	mustWrite(t, m, "x")
	got := recv(t, goRead(p, 64), "Read on an fd above FD_SETSIZE")
	wantUnplugged(t, got.err, "Read on an fd above FD_SETSIZE")
	if !strings.Contains(got.err.Error(), "serial library failed") {
		t.Errorf("Read = %v; want the library's failure as the reason", got.err)
	}
	ev.next(t, serialport.EventUnplugged)

	held.release(1024) // the store closed some tables
	serialport.KeepLow()
	clk.Advance(nextWait(t, clk))
	ev.next(t, serialport.EventReopened)
	mustWrite(t, m, "y")
	var read string
	for !strings.Contains(read, "y") { // the "x" may or may not have outlived the reopen
		r := recv(t, goRead(p, 64), "Read after the reopen")
		if r.err != nil {
			t.Fatalf("Read after the reopen: %v", r.err)
		}
		read += r.data
	}
}
