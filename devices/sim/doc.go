// Package sim holds simulated devices: in-process stand-ins for the
// kiosk's scanner, payment terminal, receipt printer, cabinet lock and
// staff age check, driven by a person through the demo's simulator window
// (or `selvkasse sim`) and by end-to-end tests.
//
// Devices bundles them. Each device implements its kiosk port and behaves
// as the real one would towards the kiosk: the terminal waits for a card,
// remembers what it decided and can reverse it; the door changes only when
// someone opens or closes it. The kiosktest conformance suites run against
// these devices too (sim_test.go), so the demo exercises the same
// contracts as the drivers. Later the package will also hold wire-protocol
// simulators over pseudo-terminals for the drivers' tests.
//
// It imports the standard library and selvkasse/kiosk only; it never
// imports kiosktest, which is for tests.
package sim
