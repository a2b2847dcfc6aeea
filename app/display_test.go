package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestNoDisplay: `demo` and `run` without a display say so in one plain
// line and exit 1 before they touch the data dir (no journal, no start
// recorded, no device opened). Each runs in a child process (this test
// binary), as a technician would start it: the old code panicked in
// Fyne's GLFW driver, with a C trace, after the journal had recorded a
// start.
func TestNoDisplay(t *testing.T) {
	if os.Getenv("SELVKASSE_NODISPLAY_ARGS") != "" {
		t.Skip("the child")
	}
	for _, c := range []struct {
		name, display string
		args          func(data string) []string
		want          string
	}{
		{"demo/unset", "", func(data string) []string { return []string{"demo", "--data", data, "--health", "127.0.0.1:0"} },
			"selvkasse: demo: no display: DISPLAY is not set"},
		{"demo/no-server", ":59531", func(data string) []string { return []string{"demo", "--data", data, "--health", "127.0.0.1:0"} },
			"selvkasse: demo: no display: the X server of DISPLAY=:59531 does not answer"},
		{"run/unset", "", func(data string) []string {
			return []string{"run", "--config", mustConfigFile(t, `{"kiosk_id": "K1", "data_dir": "`+data+`",
				"shop": {"name": "S", "org_no": "1"}, "health": "127.0.0.1:0",
				"devices": {"terminal": {"path": "`+filepath.Join(t.TempDir(), "no-terminal")+`"}}}`)}
		}, "selvkasse: run: no display: DISPLAY is not set"},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			// A start that waits for a window or a device is a failure
			// too: the old code could hang on a missing terminal.
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestNoDisplayChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), "DISPLAY="+c.display, "WAYLAND_DISPLAY=",
				"SELVKASSE_NODISPLAY_ARGS="+strings.Join(c.args(data), "\x1f"))
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Errorf("exit: %v, want status 1", err)
			}
			msg := stderr.String()
			if !strings.HasPrefix(msg, c.want) || strings.Count(msg, "\n") != 1 ||
				strings.Contains(msg, "panic") || strings.Contains(msg, "goroutine") {
				t.Errorf("stderr, want one line starting %q:\n%s", c.want, msg)
			}
			if !strings.Contains(msg, "Xvfb :1") {
				t.Errorf("stderr does not say how to get a display: %s", msg)
			}
			if _, err := os.Stat(data); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the data dir was touched (%v): a start may have been journaled", err)
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout: %s", stdout.String())
			}
		})
	}
}

// TestNoDisplayChild is TestNoDisplay's child: it runs the command line
// in SELVKASSE_NODISPLAY_ARGS and exits with its status.
func TestNoDisplayChild(t *testing.T) {
	args := os.Getenv("SELVKASSE_NODISPLAY_ARGS")
	if args == "" {
		t.Skip("run by TestNoDisplay")
	}
	os.Exit(Main(strings.Split(args, "\x1f"), os.Stdout, os.Stderr))
}

// mustFakeXDisplay points DISPLAY, for the rest of tb, at a loopback
// listener that answers connections as an X server's socket would, for
// tests of `run` and `demo` that stop before they open a window
// (needDisplay asks for a display before anything else). It speaks no X.
func mustFakeXDisplay(tb testing.TB) {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	port := l.Addr().(*net.TCPAddr).Port
	if port < 6000 {
		tb.Fatalf("loopback port %d is below X's 6000", port)
	}
	tb.Setenv("DISPLAY", fmt.Sprintf("127.0.0.1:%d", port-6000))
	tb.Setenv("WAYLAND_DISPLAY", "")
	if err := needDisplay("test"); err != nil {
		tb.Fatal(err)
	}
}
