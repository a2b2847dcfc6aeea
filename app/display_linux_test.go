//go:build linux && !wayland

package app

import (
	"errors"
	"slices"
	"strings"
	"testing"
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
