// Package app is the selvkasse binary's body: configuration, the data
// directory, wiring of the kiosk core to storage, devices and screens, the
// loopback health and simulator endpoint, and the subcommands (demo, sim,
// run, journal verify). cmd/selvkasse is the thin main.
//
// It may import everything in the module and Fyne (including fyne/v2/app,
// which app/ui must not).
package app
