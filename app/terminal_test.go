package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"selvkasse/devices/sim"
	"selvkasse/devices/zvt"
	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// TestVendTimeout: the terminal waits the kiosk's release window and 30 s
// more for the answer to its approval, in whole seconds, at most 255.
func TestVendTimeout(t *testing.T) {
	tests := []struct {
		release time.Duration
		want    byte
	}{
		{0, 150}, // the kiosk's default release window, 120 s
		{-time.Second, 150},
		{10 * time.Second, 40},
		{120 * time.Second, 150},
		{1500 * time.Millisecond, 32}, // rounded up
		{225 * time.Second, 255},
		{226 * time.Second, 255},
		{300 * time.Second, 255},
		{24 * time.Hour, 255},
	}
	for _, tt := range tests {
		if got := vendTimeout(tt.release); got != tt.want {
			t.Errorf("vendTimeout(%v) = %d, want %d", tt.release, got, tt.want)
		}
	}
}

// TestLinkWatch: a listener hears each change, and a listener set while
// the line is down hears that at once.
func TestLinkWatch(t *testing.T) {
	type change struct {
		up  bool
		err error
	}
	var got []change
	listen := func(up bool, err error) { got = append(got, change{up, err}) }
	var w linkWatch
	lost := errors.New("reset")
	w.report(false, lost) // before anyone listens
	w.set(listen)
	w.report(true, nil)
	w.report(false, nil)
	if len(got) != 3 || got[0] != (change{false, lost}) || got[1] != (change{true, nil}) || got[2].up || got[2].err == nil {
		t.Fatalf("changes %+v", got)
	}
	got = nil
	w.report(true, nil)
	w.set(listen) // up: nothing to tell
	if len(got) != 1 || !got[0].up {
		t.Fatalf("changes %+v", got)
	}
}

// TestTerminalLineFault: a terminal on TCP that drops the connection is a
// device fault of the checkout until the redial gets through.
func TestTerminalLineFault(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 4)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	accept := func() net.Conn {
		t.Helper()
		select {
		case c := <-accepted:
			t.Cleanup(func() { c.Close() })
			return c
		case <-time.After(20 * time.Second):
			t.Fatal("the terminal was not dialled")
			return nil
		}
	}

	e := mustE2E(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	k := newKioskRun(slog.New(slog.DiscardHandler))
	go k.forwardDeviceEvents(ctx, e.co)

	clk := kiosktest.NewClock(time.Date(2026, 11, 26, 15, 0, 0, 0, time.UTC))
	term, err := openTerminal(ctx, SerialConfig{Addr: ln.Addr().String()}, clk, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer term.Close()
	term.OnLink(k.terminalLink)
	srv := accept()
	untilView(t, e.co, "idle", 20*time.Second, func(v kiosk.View) bool { return v.State == kiosk.Idle })

	srv.Close() // the terminal drops the link
	untilView(t, e.co, "out of order for the terminal", 20*time.Second, func(v kiosk.View) bool {
		return v.State == kiosk.OutOfOrder && v.Fault == kiosk.DevTerminal
	})
	wctx, wcancel := context.WithTimeout(ctx, 20*time.Second)
	defer wcancel()
	if err := clk.WaitTimers(wctx, 1); err != nil {
		t.Fatal("no redial was scheduled")
	}
	at, _ := clk.Next()
	clk.AdvanceTo(at)
	accept()
	untilView(t, e.co, "back in service", 20*time.Second, func(v kiosk.View) bool {
		return v.State == kiosk.Idle && v.Fault == ""
	})
}

// TestOpenTerminalUnreachable: a terminal not there at the start is an
// error, as before the line was redialled.
func TestOpenTerminalUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nobody listens there now
	_, err = openTerminal(t.Context(), SerialConfig{Addr: addr}, kiosk.SystemClock{}, nil, nil)
	if !errors.Is(err, kiosk.ErrDeviceUnavailable) || !strings.Contains(err.Error(), "terminal at "+addr) {
		t.Fatalf("openTerminal = %v", err)
	}
}

// TestSerialTerminalUnplug: the serial terminal's unplug and reopen reach
// OnLink.
func TestSerialTerminalUnplug(t *testing.T) {
	link := filepath.Join(t.TempDir(), "selvkasse-terminal")
	var unplug func()
	plug := func() {
		t.Helper()
		master, slave, _, err := sim.OpenPTY()
		if err != nil {
			t.Skip(err)
		}
		os.Remove(link)
		if err := os.Symlink(slave.Name(), link); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { master.Close(); slave.Close() })
		unplug = func() { master.Close(); slave.Close() }
	}
	plug()
	clk := kiosktest.NewClock(time.Date(2026, 11, 26, 15, 0, 0, 0, time.UTC))
	term, err := openTerminal(t.Context(), SerialConfig{Path: link}, clk, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer term.Close()
	changes := make(chan bool, 8)
	term.OnLink(func(up bool, err error) {
		if !up && err == nil {
			t.Error("down without a reason")
		}
		changes <- up
	})
	next := func(want bool) {
		t.Helper()
		select {
		case up := <-changes:
			if up != want {
				t.Fatalf("OnLink(%v), want %v", up, want)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("no OnLink(%v)", want)
		}
	}
	unplug()
	next(false)
	plug()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	if err := clk.WaitTimers(ctx, 1); err != nil {
		t.Fatal("no reopen was scheduled")
	}
	at, _ := clk.Next()
	clk.AdvanceTo(at)
	next(true)
}

// flakyRegistrar fails its first fails registrations.
type flakyRegistrar struct {
	fails, calls int
}

func (f *flakyRegistrar) Register(ctx context.Context) (zvt.Completion, error) {
	f.calls++
	if f.calls <= f.fails {
		return zvt.Completion{}, fmt.Errorf("test: no answer: %w", kiosk.ErrDeviceUnavailable)
	}
	return zvt.Completion{TerminalID: "52523535"}, nil
}

// soonClock runs AfterFunc's f at once, in its own goroutine.
type soonClock struct{ kiosk.SystemClock }

func (soonClock) AfterFunc(_ time.Duration, f func()) kiosk.Timer {
	return time.AfterFunc(0, f)
}

// A terminal still busy with what a crashed kiosk left answers a few
// seconds later: `run` tries again instead of giving up at once.
func TestRegisterTerminalTriesAgain(t *testing.T) {
	f := &flakyRegistrar{fails: 2}
	if err := registerTerminal(context.Background(), f, soonClock{}, nil, 10*time.Second); err != nil || f.calls != 3 {
		t.Fatalf("registerTerminal = %v after %d calls, want success on the 3rd", err, f.calls)
	}
	f = &flakyRegistrar{fails: 1 << 30}
	err := registerTerminal(context.Background(), f, soonClock{}, nil, 50*time.Millisecond)
	if !errors.Is(err, kiosk.ErrDeviceUnavailable) || f.calls < 1 {
		t.Fatalf("registerTerminal against a silent terminal = %v after %d calls, want its error", err, f.calls)
	}
}
