package sdnotify

import (
	"errors"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// Message strings of the protocol.
const (
	MsgReady     = "READY=1"
	MsgStopping  = "STOPPING=1"
	MsgReloading = "RELOADING=1"
	MsgWatchdog  = "WATCHDOG=1"
)

// ErrBadSocket reports a $NOTIFY_SOCKET that is neither a path nor an
// abstract socket name.
var ErrBadSocket = errors.New("sdnotify: NOTIFY_SOCKET is not a unix socket path or @name")

// Ready tells systemd the service is up (READY=1).
func Ready() error { return Notify(MsgReady) }

// Stopping tells systemd the service is shutting down (STOPPING=1).
func Stopping() error { return Notify(MsgStopping) }

// Watchdog pings the service watchdog (WATCHDOG=1).
func Watchdog() error { return Notify(MsgWatchdog) }

// Status sets the free-form status line systemctl status shows.
func Status(s string) error { return Notify("STATUS=" + strings.ReplaceAll(s, "\n", " ")) }

// Notify sends state, one or more newline-separated VAR=value
// assignments, to $NOTIFY_SOCKET. Without $NOTIFY_SOCKET it does nothing
// and returns nil.
func Notify(state string) error {
	name := os.Getenv("NOTIFY_SOCKET")
	if name == "" {
		return nil
	}
	return send(name, state)
}

func send(name, state string) error {
	switch {
	case strings.HasPrefix(name, "@"):
		name = "\x00" + name[1:] // abstract namespace
	case strings.HasPrefix(name, "/"):
	default:
		return ErrBadSocket
	}
	addr := &net.UnixAddr{Name: name, Net: "unixgram"}
	c, err := net.DialUnix("unixgram", nil, addr)
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.Write([]byte(state))
	return err
}

// WatchdogInterval is the watchdog timeout systemd set for this process
// (WatchdogSec= as $WATCHDOG_USEC) and whether it is enabled. When
// $WATCHDOG_PID is set and names another process, the watchdog is not
// this process's to ping and ok is false (sd_watchdog_enabled(3)). Ping at
// half the interval.
func WatchdogInterval() (d time.Duration, ok bool) {
	us := os.Getenv("WATCHDOG_USEC")
	if us == "" {
		return 0, false
	}
	n, err := strconv.ParseUint(us, 10, 63)
	if err != nil || n == 0 {
		return 0, false
	}
	if p := os.Getenv("WATCHDOG_PID"); p != "" {
		pid, err := strconv.Atoi(p)
		if err != nil || pid != os.Getpid() {
			return 0, false
		}
	}
	return time.Duration(n) * time.Microsecond, true
}
