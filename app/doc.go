// Package app is the selvkasse binary's body: configuration, the data
// directory, wiring of the kiosk core to storage, devices and screens, the
// loopback health and simulator endpoint, and the subcommands (demo, sim,
// run, journal verify, staff add/list/set-pin/disable, report x|z, keys,
// saft export, about, stock receive|count|threshold|report, catalog
// import/export: through the kiosk's authenticated admin endpoint while it
// runs, admin.go). cmd/selvkasse is the thin main. speech.go speaks and
// plays what the customer screen draws (kiosk.Narrate through
// devices/speech and devices/sound), speechkeys.go is the table of the
// customer's keys and keypad.go wires the keypad (navigation, volume,
// activity, `sim key`).
//
// It may import everything in the module, Fyne (including fyne/v2/app,
// which app/ui must not) and golang.org/x/term (PIN entry without echo).
package app
