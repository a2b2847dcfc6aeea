//go:build linux && !wayland

package app

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// displayProblem says why no window can be opened, or "" when the X
// server named by DISPLAY answers a connection. Fyne's GLFW driver (this
// build: without the wayland tag) draws through X11 only, so a Wayland
// session is usable through XWayland, which sets DISPLAY. The X protocol
// itself (authorisation, screens) is left to the driver: a dial is
// enough to tell "no display" from a display.
func displayProblem() string {
	return xDisplayProblem(os.Getenv, dialX)
}

// dialX connects to an X server's socket, briefly.
func dialX(network, addr string) error {
	c, err := net.DialTimeout(network, addr, 3*time.Second)
	if err != nil {
		return err
	}
	return c.Close()
}

// xDisplayProblem is displayProblem with the environment and the dial
// given.
func xDisplayProblem(getenv func(string) string, dial func(network, addr string) error) string {
	d := getenv("DISPLAY")
	if d == "" {
		if w := getenv("WAYLAND_DISPLAY"); w != "" {
			return fmt.Sprintf("DISPLAY is not set (WAYLAND_DISPLAY=%s is, but this build draws through X11: enable XWayland)", w)
		}
		return "DISPLAY is not set"
	}
	addrs := xAddrs(d)
	if len(addrs) == 0 {
		return "" // a form this check does not know: the driver will say
	}
	var last error // of the socket file, for a local display: the clearest
	for _, a := range addrs {
		err := dial(a[0], a[1])
		if err == nil {
			return ""
		}
		last = err
	}
	return fmt.Sprintf("the X server of DISPLAY=%s does not answer (%v)", d, last)
}

// xAddrs are the sockets an X client tries for the display name d,
// [host]:number[.screen] (X(7), "Display names"): a local one is the
// abstract socket @/tmp/.X11-unix/X<n>, then the file of that name; a
// host is TCP port 6000+n. Nil for a name it does not know (a launchd
// path, a protocol prefix other than unix/tcp).
func xAddrs(d string) [][2]string {
	proto := ""
	if p, rest, ok := strings.Cut(d, "/"); ok && !strings.HasPrefix(d, "/") {
		proto, d = p, rest
	}
	i := strings.LastIndex(d, ":")
	if i < 0 {
		return nil
	}
	host, num := d[:i], d[i+1:]
	if strings.HasSuffix(host, ":") || strings.Contains(host, "/") { // DECnet "host::n", a socket path
		return nil
	}
	if s, _, ok := strings.Cut(num, "."); ok {
		num = s
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 || n > 59535 {
		return nil
	}
	switch {
	case proto == "" && (host == "" || host == "unix"), proto == "unix" && (host == "" || host == "localhost"):
		path := "/tmp/.X11-unix/X" + strconv.Itoa(n)
		return [][2]string{{"unix", "@" + path}, {"unix", path}}
	case (proto == "" || proto == "tcp" || proto == "inet" || proto == "inet6") && host != "" && host != "unix":
		return [][2]string{{"tcp", net.JoinHostPort(strings.Trim(host, "[]"), strconv.Itoa(6000+n))}}
	case proto == "tcp" && host == "":
		return [][2]string{{"tcp", net.JoinHostPort("localhost", strconv.Itoa(6000+n))}}
	}
	return nil
}
