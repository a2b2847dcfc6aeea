package app

import (
	"fmt"
	"net"
	"testing"
)

// mustFakeXDisplay points DISPLAY, for the rest of tb, at a loopback
// listener that answers connections as an X server's socket would, for
// tests of `run` and `demo` that stop before they open a window
// (needDisplay asks for a display before anything else). It speaks no X.
func mustFakeXDisplay(tb testing.TB) {
	tb.Helper()
	l := mustServe(tb, "tcp", "127.0.0.1:0", func(c net.Conn) { c.Close() })
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

// mustServe listens on network and addr for the rest of tb and hands
// every connection to serve, in a goroutine of its own.
func mustServe(tb testing.TB, network, addr string, serve func(net.Conn)) net.Listener {
	tb.Helper()
	l, err := net.Listen(network, addr)
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
			go serve(c)
		}
	}()
	return l
}
