//go:build linux && !wayland

package app

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// displayProblem says why no window can be opened, and what to do about
// it when that is not the usual (a display to start), or "" when the X
// server named by DISPLAY lets the kiosk in. Fyne's GLFW driver (this
// build: without the wayland tag) draws through X11 only, so a Wayland
// session is usable through XWayland, which sets DISPLAY. A local server
// is asked as Xlib asks it, with the cookie of the authority file
// (xsetup_linux.go): one that refuses the kiosk is a problem too (the
// driver panicked on it). Of a server over TCP, only that it answers is
// checked: which of its addresses an authority entry names is the
// driver's to work out.
func displayProblem() (why, fix string) {
	return xProbe{getenv: os.Getenv, dial: dialX, readFile: readAuthority, hostname: os.Hostname}.problem()
}

// dialX connects to an X server's socket, briefly.
func dialX(network, addr string) (net.Conn, error) {
	return net.DialTimeout(network, addr, 3*time.Second)
}

// readAuthority reads an X authority file, at most maxXauthority bytes.
func readAuthority(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxXauthority))
}

// xProbe is displayProblem with the environment, the dial, the reading
// of the authority file and the host's name given.
type xProbe struct {
	getenv   func(string) string
	dial     func(network, addr string) (net.Conn, error)
	readFile func(path string) ([]byte, error)
	hostname func() (string, error)
	wait     time.Duration // for the answer to the setup; 0: xSetupWait
}

// xSetupWait bounds the wait for the answer to the connection setup; a
// server slower than that is left to the driver.
const xSetupWait = 10 * time.Second

func (p xProbe) problem() (why, fix string) {
	d := p.getenv("DISPLAY")
	if d == "" {
		if w := p.getenv("WAYLAND_DISPLAY"); w != "" {
			return fmt.Sprintf("DISPLAY is not set (WAYLAND_DISPLAY=%s is, but this build draws through X11: enable XWayland)", w), ""
		}
		return "DISPLAY is not set", ""
	}
	addrs, number := xAddrs(d)
	if len(addrs) == 0 {
		return "", "" // a form this check does not know: the driver will say
	}
	var last error // of the socket file, for a local display: the clearest
	for _, a := range addrs {
		c, err := p.dial(a[0], a[1])
		if err != nil {
			last = err
			continue
		}
		err = p.setup(c, a[0], number)
		c.Close()
		var refused *xRefused
		switch {
		case errors.As(err, &refused):
			return fmt.Sprintf("the X server of DISPLAY=%s does not let the kiosk in (it says: %s)", d, refused.reason),
				"the kiosk needs that display's cookie: set XAUTHORITY to the authority file its X server was started with " +
					"(-auth), or run the kiosk as the desktop's user"
		case err != nil:
			return fmt.Sprintf("the X server of DISPLAY=%s does not answer as an X server (%v)", d, err), ""
		}
		return "", ""
	}
	return fmt.Sprintf("the X server of DISPLAY=%s does not answer (%v)", d, last), ""
}

// setup asks the X server of display number on c, dialled over network,
// to let the kiosk in, with the cookie Xlib would send. A server over
// TCP, one whose authority entry is of another protocol, and one that
// does not answer in p.wait are not asked, or not held against it: nil.
func (p xProbe) setup(c net.Conn, network, number string) error {
	if network != "unix" {
		return nil
	}
	var entries []xAuthEntry
	if path := p.authorityPath(); path != "" {
		if b, err := p.readFile(path); err == nil {
			// Of a damaged file, the entries before the damage, as Xau
			// reads it.
			entries, _ = parseXauthority(b)
		}
	}
	host, _ := p.hostname()
	name, data, ok := xAuthFor(entries, host, number)
	if !ok {
		return nil
	}
	wait := p.wait
	if wait == 0 {
		wait = xSetupWait
	}
	if err := c.SetDeadline(time.Now().Add(wait)); err != nil {
		return nil
	}
	err := xSetup(c, name, data)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return nil
	}
	return err
}

// authorityPath is the authority file Xlib reads: $XAUTHORITY, else
// .Xauthority in $HOME; "" for none.
func (p xProbe) authorityPath() string {
	if x := p.getenv("XAUTHORITY"); x != "" {
		return x
	}
	if h := p.getenv("HOME"); h != "" {
		return filepath.Join(h, ".Xauthority")
	}
	return ""
}

// xSocketDir holds the local X servers' sockets.
const xSocketDir = "/tmp/.X11-unix/"

// xAddrs are the sockets an X client tries for the display name d,
// [host]:number[.screen] (X(7), "Display names"): a local one is the
// abstract socket @/tmp/.X11-unix/X<n>, then the file of that name; a
// host is TCP port 6000+n. number is n in decimal, as authority entries
// name the display. Nil for a name it does not know (a launchd path, a
// protocol prefix other than unix/tcp).
func xAddrs(d string) (addrs [][2]string, number string) {
	proto := ""
	if p, rest, ok := strings.Cut(d, "/"); ok && !strings.HasPrefix(d, "/") {
		proto, d = p, rest
	}
	i := strings.LastIndex(d, ":")
	if i < 0 {
		return nil, ""
	}
	host, num := d[:i], d[i+1:]
	if strings.HasSuffix(host, ":") || strings.Contains(host, "/") { // DECnet "host::n", a socket path
		return nil, ""
	}
	if s, _, ok := strings.Cut(num, "."); ok {
		num = s
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 || n > 59535 {
		return nil, ""
	}
	number = strconv.Itoa(n)
	switch {
	case proto == "" && (host == "" || host == "unix"), proto == "unix" && (host == "" || host == "localhost"):
		path := xSocketDir + "X" + number
		return [][2]string{{"unix", "@" + path}, {"unix", path}}, number
	case (proto == "" || proto == "tcp" || proto == "inet" || proto == "inet6") && host != "" && host != "unix":
		return [][2]string{{"tcp", net.JoinHostPort(strings.Trim(host, "[]"), strconv.Itoa(6000+n))}}, number
	case proto == "tcp" && host == "":
		return [][2]string{{"tcp", net.JoinHostPort("localhost", strconv.Itoa(6000+n))}}, number
	}
	return nil, ""
}
