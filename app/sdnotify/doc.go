// Package sdnotify tells systemd about the service's state: the
// sd_notify(3) protocol, standard library only.
//
// A service of Type=notify sends READY=1 once it is up, and, when the unit
// sets WatchdogSec=, WATCHDOG=1 at least every WatchdogInterval()/2; a
// missed ping makes systemd kill and (with Restart=) restart the service.
// Messages are datagrams to the unix socket named by $NOTIFY_SOCKET (a
// path, or an abstract socket when it starts with '@'). Without
// $NOTIFY_SOCKET — not started by systemd — every call is a no-op.
//
// Under a compositor (cage runs the app as its child) the unit needs
// NotifyAccess=all, since the datagrams do not come from the main process.
package sdnotify
