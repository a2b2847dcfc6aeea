//go:build linux && !wayland

package app

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestXAddrs(t *testing.T) {
	local := func(n string) [][2]string {
		return [][2]string{{"unix", "@/tmp/.X11-unix/X" + n}, {"unix", "/tmp/.X11-unix/X" + n}}
	}
	for _, c := range []struct {
		display string
		want    [][2]string
	}{
		{":0", local("0")},
		{":1.0", local("1")},
		{"unix:12", local("12")},
		{"unix/:3", local("3")},
		{"localhost:10.0", [][2]string{{"tcp", "localhost:6010"}}},
		{"10.0.0.5:1", [][2]string{{"tcp", "10.0.0.5:6001"}}},
		{"[::1]:2", [][2]string{{"tcp", "[::1]:6002"}}},
		{"tcp/kiosk:0", [][2]string{{"tcp", "kiosk:6000"}}},
		{"/private/tmp/com.apple.launchd.x/org.xquartz:0", nil},
		{"host::0", nil},
		{"nonsense", nil},
		{":x", nil},
		{":-1", nil},
	} {
		if got := xAddrs(c.display); !slices.Equal(got, c.want) {
			t.Errorf("xAddrs(%q) = %v, want %v", c.display, got, c.want)
		}
	}
}

func TestXDisplayProblem(t *testing.T) {
	refused := errors.New("connection refused")
	for _, c := range []struct {
		name    string
		env     map[string]string
		answers map[string]bool // dial address → answers
		want    string          // "" = usable; else part of the problem
	}{
		{"unset", nil, nil, "DISPLAY is not set"},
		{"wayland only", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, nil, "WAYLAND_DISPLAY=wayland-0 is, but this build draws through X11"},
		{"abstract socket", map[string]string{"DISPLAY": ":0"}, map[string]bool{"@/tmp/.X11-unix/X0": true}, ""},
		{"socket file", map[string]string{"DISPLAY": ":0"}, map[string]bool{"/tmp/.X11-unix/X0": true}, ""},
		{"no server", map[string]string{"DISPLAY": ":7"}, nil, "the X server of DISPLAY=:7 does not answer (connection refused)"},
		{"tcp", map[string]string{"DISPLAY": "localhost:10.0"}, map[string]bool{"localhost:6010": true}, ""},
		{"unknown form", map[string]string{"DISPLAY": "/private/tmp/launchd/org.xquartz:0"}, nil, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := xDisplayProblem(func(k string) string { return c.env[k] }, func(_, addr string) error {
				if c.answers[addr] {
					return nil
				}
				return refused
			})
			if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
				t.Errorf("problem %q, want %q", got, c.want)
			}
		})
	}
}

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
