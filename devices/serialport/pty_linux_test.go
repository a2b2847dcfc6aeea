//go:build linux

package serialport_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"selvkasse/devices/serialport"
	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// guard bounds every wait of these tests, so that a Port that hangs fails
// the test instead of stalling it. Nothing waits for it to pass.
const guard = 10 * time.Second

// mustPTY makes a pseudo-terminal: the master end, which plays the
// device, and the path of the slave end, which plays /dev/ttyUSB0. This is
// posix_openpt, grantpt and unlockpt done by hand (grantpt has nothing to
// do on Linux's devpts). The master is non-blocking so that os.File polls
// it: its reads take deadlines. Closing the master hangs the slave up,
// just as the kernel hangs up a USB serial tty when it is unplugged.
func mustPTY(tb testing.TB) (*os.File, string) {
	tb.Helper()
	fd, err := unix.Open("/dev/ptmx", unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	if err != nil {
		tb.Fatalf("open /dev/ptmx: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		unix.Close(fd)
		tb.Fatalf("ptsname: %v", err)
	}
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		unix.Close(fd)
		tb.Fatalf("unlockpt: %v", err)
	}
	m := os.NewFile(uintptr(fd), "/dev/ptmx")
	tb.Cleanup(func() { m.Close() })
	return m, "/dev/pts/" + strconv.Itoa(n)
}

// mustLink points link at target, replacing what was there, as udev does
// with /dev/selvkasse-scanner.
func mustLink(tb testing.TB, target, link string) {
	tb.Helper()
	if err := os.Remove(link); err != nil && !errors.Is(err, os.ErrNotExist) {
		tb.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		tb.Fatal(err)
	}
}

func mustOpen(tb testing.TB, cfg serialport.Config, opts ...serialport.Option) *serialport.Port {
	tb.Helper()
	p, err := serialport.Open(cfg, opts...)
	if err != nil {
		tb.Fatalf("Open(%v): %v", cfg, err)
	}
	tb.Cleanup(func() { closeWithin(tb, p) })
	return p
}

// closeWithin closes p, failing tb if Close hangs.
func closeWithin(tb testing.TB, p *serialport.Port) error {
	tb.Helper()
	ch := make(chan error, 1)
	go func() { ch <- p.Close() }()
	return recv(tb, ch, "Close")
}

type readResult struct {
	data string
	err  error
}

// goRead starts one p.Read of up to n bytes.
func goRead(p io.Reader, n int) <-chan readResult {
	ch := make(chan readResult, 1)
	go func() {
		buf := make([]byte, n)
		k, err := p.Read(buf)
		ch <- readResult{string(buf[:k]), err}
	}()
	return ch
}

func recv[T any](tb testing.TB, ch <-chan T, what string) T {
	tb.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(guard):
		tb.Fatalf("%s: nothing within %v", what, guard)
		panic("unreachable")
	}
}

// mustReadFull reads exactly n bytes from p.
func mustReadFull(tb testing.TB, p io.Reader, n int) string {
	tb.Helper()
	ch := make(chan readResult, 1)
	go func() {
		buf := make([]byte, n)
		k, err := io.ReadFull(p, buf)
		ch <- readResult{string(buf[:k]), err}
	}()
	r := recv(tb, ch, "read from port")
	if r.err != nil {
		tb.Fatalf("read %d bytes from port: got %q, %v", n, r.data, r.err)
	}
	return r.data
}

// mustReadMaster reads exactly n bytes the port wrote.
func mustReadMaster(tb testing.TB, m *os.File, n int) string {
	tb.Helper()
	m.SetReadDeadline(time.Now().Add(guard))
	buf := make([]byte, n)
	k, err := io.ReadFull(m, buf)
	if err != nil {
		tb.Fatalf("read %d bytes at the device: got %q, %v", n, buf[:k], err)
	}
	return string(buf)
}

func mustWrite(tb testing.TB, w io.Writer, s string) {
	tb.Helper()
	if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
		tb.Fatalf("write %q: %d, %v", s, n, err)
	}
}

// mustOpenWatched opens path with a fake clock, a back-off of 100 ms to
// 300 ms, and its events recorded.
func mustOpenWatched(tb testing.TB, path string) (*serialport.Port, *kiosktest.Clock, events) {
	tb.Helper()
	clk := kiosktest.NewClock(t0)
	ev := make(events, 16)
	p := mustOpen(tb, serialport.Config{Path: path},
		serialport.WithClock(clk),
		serialport.WithBackoff(100*time.Millisecond, 300*time.Millisecond),
		serialport.WithEvents(ev.record))
	return p, clk, ev
}

// events records a Port's events on a channel.
type events chan serialport.Event

func (e events) record(ev serialport.Event) { e <- ev }

func (e events) next(tb testing.TB, want serialport.EventKind) serialport.Event {
	tb.Helper()
	ev := recv(tb, (<-chan serialport.Event)(e), "event "+want.String())
	if ev.Kind != want {
		tb.Fatalf("event %v, want %v", ev, want)
	}
	return ev
}

func (e events) none(tb testing.TB) {
	tb.Helper()
	select {
	case ev := <-e:
		tb.Fatalf("unexpected event %v", ev)
	default:
	}
}

// nextWait waits until the port's reconnect goroutine has set its back-off
// timer on clk and returns how long that timer is.
func nextWait(tb testing.TB, clk *kiosktest.Clock) time.Duration {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	defer cancel()
	if err := clk.WaitTimers(ctx, 1); err != nil {
		tb.Fatalf("no reopen timer: %v", err)
	}
	at, _ := clk.Next()
	return at.Sub(clk.Now())
}

func wantUnplugged(tb testing.TB, err error, what string) {
	tb.Helper()
	if !errors.Is(err, serialport.ErrUnplugged) || !errors.Is(err, kiosk.ErrDeviceUnavailable) {
		tb.Fatalf("%s: error %v, want ErrUnplugged and kiosk.ErrDeviceUnavailable", what, err)
	}
}

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func TestReadWriteAllBytes(t *testing.T) {
	m, slave := mustPTY(t)
	p := mustOpen(t, serialport.Config{Path: slave, StopBits: serialport.TwoStopBits})

	// Every byte value passes untouched both ways: the line is raw (no CR
	// or LF mapping, no XON/XOFF, no ^C, no echo).
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	mustWrite(t, m, string(all))
	if got := mustReadFull(t, p, len(all)); got != string(all) {
		t.Errorf("port read %q, want all 256 byte values in order", got)
	}
	mustWrite(t, p, string(all))
	if got := mustReadMaster(t, m, len(all)); got != string(all) {
		t.Errorf("device got %q, want all 256 byte values in order", got)
	}

	// Read returns what has arrived, without waiting to fill the buffer.
	mustWrite(t, m, "abc")
	if r := recv(t, goRead(p, 64), "read"); r.data != "abc" || r.err != nil {
		t.Errorf("Read = %q, %v; want \"abc\", nil", r.data, r.err)
	}
	if n, err := p.Read(nil); n != 0 || err != nil {
		t.Errorf("Read(nil) = %d, %v; want 0, nil", n, err)
	}
}

func TestUnplugAndReopen(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "selvkasse-scanner")
	m1, slave1 := mustPTY(t)
	mustLink(t, slave1, link)
	p, clk, ev := mustOpenWatched(t, link)

	mustWrite(t, m1, "4006381333931\r")
	if got := mustReadFull(t, p, 14); got != "4006381333931\r" {
		t.Fatalf("read %q", got)
	}

	// Unplug: a Read blocked on the device fails with the unavailable
	// error at once, and exactly once.
	r := goRead(p, 64)
	m1.Close()
	got := recv(t, r, "Read after unplug")
	if got.data != "" {
		t.Errorf("Read after unplug returned data %q", got.data)
	}
	wantUnplugged(t, got.err, "Read after unplug")
	t.Logf("unplugged: %v", got.err)
	if e := ev.next(t, serialport.EventUnplugged); e.Path != link || e.Err == nil {
		t.Errorf("unplug event %+v, want the path and a reason", e)
	}
	// udev removes the symlink while the device is away.
	if err := os.Remove(link); err != nil {
		t.Fatal(err)
	}

	// While away, Write fails at once, writing nothing.
	if n, err := p.Write([]byte("x")); n != 0 {
		t.Errorf("Write while unplugged = %d, %v; want 0 bytes", n, err)
	} else {
		wantUnplugged(t, err, "Write while unplugged")
	}

	// A Read while away waits for the next reopen attempt and reports
	// its failure: a loop calling Read does not spin.
	if d := nextWait(t, clk); d != 100*time.Millisecond {
		t.Errorf("first back-off %v, want 100ms", d)
	}
	r = goRead(p, 64)
	clk.Advance(100 * time.Millisecond)
	e := ev.next(t, serialport.EventReopenFailed)
	if e.Attempt != 1 || !errors.Is(e.Err, os.ErrNotExist) {
		t.Errorf("event %+v, want attempt 1 failing with not-exist", e)
	}
	got = recv(t, r, "Read while unplugged")
	wantUnplugged(t, got.err, "Read while unplugged")
	if !errors.Is(got.err, os.ErrNotExist) {
		t.Errorf("Read while unplugged = %v; want the failed reopen's reason (it must wait for the attempt)", got.err)
	}

	// The back-off doubles, up to the maximum.
	if d := nextWait(t, clk); d != 200*time.Millisecond {
		t.Errorf("second back-off %v, want 200ms", d)
	}
	clk.Advance(200 * time.Millisecond)
	ev.next(t, serialport.EventReopenFailed)
	// No Read was waiting: the next one reports that failure at once
	// (the clock stands still), then the failures are all told.
	got = recv(t, goRead(p, 64), "Read after a failed attempt")
	wantUnplugged(t, got.err, "Read after a failed attempt")
	if !strings.Contains(got.err.Error(), "reopen attempt 2") {
		t.Errorf("Read = %v; want attempt 2's failure", got.err)
	}
	if d := nextWait(t, clk); d != 300*time.Millisecond {
		t.Errorf("third back-off %v, want the 300ms maximum", d)
	}
	if n := p.Reopened(); n != 0 {
		t.Errorf("Reopened() = %d while unplugged, want 0", n)
	}

	// Plugged in again: udev points the link at the new tty.
	m2, slave2 := mustPTY(t)
	mustLink(t, slave2, link)
	r = goRead(p, 64) // waits for the attempt, then reads the new device
	clk.Advance(300 * time.Millisecond)
	if e := ev.next(t, serialport.EventReopened); e.Attempt != 3 || e.Err != nil {
		t.Errorf("event %+v, want reopened at attempt 3", e)
	}
	if n := p.Reopened(); n != 1 {
		t.Errorf("Reopened() = %d, want 1", n)
	}
	mustWrite(t, m2, "7038010055488\r")
	got = recv(t, r, "Read after reopen")
	if got.err != nil {
		t.Fatalf("Read after reopen: %v", got.err)
	}
	rest := mustReadFull(t, p, 14-len(got.data))
	if s := got.data + rest; s != "7038010055488\r" {
		t.Errorf("read %q after reopen, want only the new device's bytes", s)
	}
	mustWrite(t, p, "hi")
	if s := mustReadMaster(t, m2, 2); s != "hi" {
		t.Errorf("device got %q", s)
	}
	if n := clk.Pending(); n != 0 {
		t.Errorf("%d timers pending after reopen, want none", n)
	}
	ev.none(t)
}

func TestUnplugFoundByWrite(t *testing.T) {
	m, slave := mustPTY(t)
	link := filepath.Join(t.TempDir(), "selvkasse-terminal")
	mustLink(t, slave, link)
	clk := kiosktest.NewClock(t0)
	ev := make(events, 16)
	p := mustOpen(t, serialport.Config{Path: link}, serialport.WithClock(clk), serialport.WithEvents(ev.record))

	mustWrite(t, m, "ab")
	if got := mustReadFull(t, p, 2); got != "ab" {
		t.Fatalf("read %q", got)
	}
	m.Close()
	if err := os.Remove(link); err != nil { // udev removes the link
		t.Fatal(err)
	}
	n, err := p.Write([]byte("status?"))
	if n != 0 {
		t.Errorf("Write to a hung-up device wrote %d bytes", n)
	}
	wantUnplugged(t, err, "Write after unplug")
	ev.next(t, serialport.EventUnplugged)

	// No Read was running; the next one still learns of the unplug, at
	// once (the clock does not move), so a driver drops its half frame.
	got := recv(t, goRead(p, 8), "Read after unplug found by Write")
	wantUnplugged(t, got.err, "Read after unplug found by Write")
	if !errors.Is(got.err, unix.EIO) {
		t.Errorf("Read = %v; want the Write's reason (EIO)", got.err)
	}
	// Reported once: the next Read waits for a reopen attempt.
	r := goRead(p, 8)
	nextWait(t, clk)
	clk.Advance(serialport.DefaultBackoff)
	ev.next(t, serialport.EventReopenFailed)
	got = recv(t, r, "second Read")
	wantUnplugged(t, got.err, "second Read")
	if !errors.Is(got.err, os.ErrNotExist) {
		t.Errorf("second Read = %v; want the failed reopen's reason", got.err)
	}
}

func TestClose(t *testing.T) {
	_, slave := mustPTY(t)
	p := mustOpen(t, serialport.Config{Path: slave})

	r := goRead(p, 8) // blocked: the device sends nothing
	if err := closeWithin(t, p); err != nil {
		t.Fatalf("Close: %v", err)
	}
	got := recv(t, r, "Read blocked at Close")
	if !errors.Is(got.err, os.ErrClosed) {
		t.Errorf("blocked Read after Close = %q, %v; want os.ErrClosed", got.data, got.err)
	}
	if _, err := p.Read(make([]byte, 8)); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Read after Close: %v, want os.ErrClosed", err)
	}
	if n, err := p.Write([]byte("x")); n != 0 || !errors.Is(err, os.ErrClosed) {
		t.Errorf("Write after Close: %d, %v; want 0, os.ErrClosed", n, err)
	}
	if err := closeWithin(t, p); err != nil {
		t.Errorf("second Close: %v", err)
	}
	// The device is free again (the library's TIOCEXCL is gone).
	mustOpen(t, serialport.Config{Path: slave})
}

func TestCloseWhileUnplugged(t *testing.T) {
	m, slave := mustPTY(t)
	clk := kiosktest.NewClock(t0)
	ev := make(events, 16)
	p := mustOpen(t, serialport.Config{Path: slave}, serialport.WithClock(clk), serialport.WithEvents(ev.record))
	m.Close()
	got := recv(t, goRead(p, 8), "Read after unplug")
	wantUnplugged(t, got.err, "Read after unplug")
	ev.next(t, serialport.EventUnplugged)
	nextWait(t, clk)

	r := goRead(p, 8) // waiting for a reopen attempt
	if err := closeWithin(t, p); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if got := recv(t, r, "Read waiting at Close"); !errors.Is(got.err, os.ErrClosed) {
		t.Errorf("waiting Read after Close: %v, want os.ErrClosed", got.err)
	}
	// Close stopped the reconnect goroutine and its timer.
	if n := clk.Pending(); n != 0 {
		t.Errorf("%d timers pending after Close", n)
	}
	clk.Advance(time.Hour)
	ev.none(t)
}

func TestReadTimeout(t *testing.T) {
	m, slave := mustPTY(t)
	p := mustOpen(t, serialport.Config{Path: slave, ReadTimeout: 20 * time.Millisecond})

	got := recv(t, goRead(p, 8), "Read with timeout")
	if got.data != "" || !errors.Is(got.err, os.ErrDeadlineExceeded) {
		t.Fatalf("idle Read = %q, %v; want a deadline error", got.data, got.err)
	}
	var te interface{ Timeout() bool }
	if !errors.As(got.err, &te) || !te.Timeout() {
		t.Errorf("idle Read error %v has no Timeout() true", got.err)
	}
	if errors.Is(got.err, kiosk.ErrDeviceUnavailable) || errors.Is(got.err, io.EOF) {
		t.Errorf("a timeout must not look like an unplug or EOF: %v", got.err)
	}
	// Reading goes on after a timeout, nothing lost. The pty hands "z"
	// to the port's side through a kernel work queue: on a loaded
	// machine a Read may time out again before it arrives, which is the
	// port working as configured, so those are read past (up to guard).
	mustWrite(t, m, "z")
	for deadline := time.Now().Add(guard); ; {
		got := recv(t, goRead(p, 8), "Read after timeout")
		if errors.Is(got.err, os.ErrDeadlineExceeded) && got.data == "" && time.Now().Before(deadline) {
			continue
		}
		if got.data != "z" || got.err != nil {
			t.Errorf("Read after timeout = %q, %v; want \"z\"", got.data, got.err)
		}
		break
	}
}

func TestOpenMissing(t *testing.T) {
	link := filepath.Join(t.TempDir(), "selvkasse-printer")
	_, err := serialport.Open(serialport.Config{Path: link})
	wantUnplugged(t, err, "Open of a missing device")
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open: %v, want not-exist as the reason", err)
	}

	// A dangling udev symlink is missing too.
	mustLink(t, filepath.Join(t.TempDir(), "ttyUSB9"), link)
	_, err = serialport.Open(serialport.Config{Path: link})
	wantUnplugged(t, err, "Open of a dangling symlink")
}

func TestOpenAllowMissing(t *testing.T) {
	link := filepath.Join(t.TempDir(), "selvkasse-printer")
	clk := kiosktest.NewClock(t0)
	ev := make(events, 16)
	p := mustOpen(t, serialport.Config{Path: link},
		serialport.AllowMissing(), serialport.WithClock(clk), serialport.WithEvents(ev.record))
	ev.next(t, serialport.EventUnplugged)
	n, err := p.Write([]byte("x"))
	if n != 0 {
		t.Errorf("Write wrote %d bytes to a missing device", n)
	}
	wantUnplugged(t, err, "Write to a missing device")

	m, slave := mustPTY(t)
	mustLink(t, slave, link)
	r := goRead(p, 8)
	nextWait(t, clk)
	clk.Advance(serialport.DefaultBackoff)
	ev.next(t, serialport.EventReopened)
	mustWrite(t, m, "q")
	if got := recv(t, r, "Read after the device appeared"); got.data != "q" || got.err != nil {
		t.Errorf("Read = %q, %v; want \"q\"", got.data, got.err)
	}
	if n := p.Reopened(); n != 1 {
		t.Errorf("Reopened() = %d, want 1", n)
	}
}

func TestOpenNotATTY(t *testing.T) {
	path := filepath.Join(t.TempDir(), "not-a-tty")
	if err := os.WriteFile(path, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, opts := range [][]serialport.Option{nil, {serialport.AllowMissing()}} {
		_, err := serialport.Open(serialport.Config{Path: path}, opts...)
		if err == nil {
			t.Fatal("Open of a regular file succeeded")
		}
		if errors.Is(err, kiosk.ErrDeviceUnavailable) {
			t.Errorf("Open of a regular file = %v; a wrong path is no unplug", err)
		}
		t.Logf("not a tty: %v", err)
	}
}
