// Package sim holds simulated devices, driven by a person through the
// demo's simulator window (or `selvkasse sim`) and by end-to-end tests.
//
// Devices bundles the in-process ones: the cabinet (compartments, each
// with its lock and door), staff's age check and key switch (a turn with
// no age check waiting is a log-in) and the intervention light (a tower
// light whose signal and chimes the simulator window shows).
// Each implements its kiosk port and behaves as the real one would
// towards the kiosk: a door changes only when someone opens, closes or
// forces it; an age check waits for staff. The kiosktest conformance suites run
// against them too (sim_test.go), so the demo exercises the same
// contracts as the drivers.
//
// ScannerLine and PrinterLine are wire simulators instead: a barcode
// scanner and an ESC/POS receipt printer at the far end of a serial line,
// played on a pseudo-terminal reached through a stable symlink (as udev
// names /dev/selvkasse-scanner). The kiosk drives them through its real
// drivers (devices/serialport, devices/scanner, devices/escpos), so the
// demo and the tests run the code that runs against hardware. The
// printer decodes the ESC/POS stream, answers DLE EOT from its paper and
// cover, and draws each receipt (ReceiptImage). Pseudo-terminals are
// Linux-only (pty_linux.go; pty_other.go says so).
//
// It imports the standard library, selvkasse/kiosk, the protocol codecs
// of devices/escpos, golang.org/x/sys/unix and x/image (fonts) and
// boombuler/barcode (QR, Code 128) for the pictures; never kiosktest,
// which is for tests, nor serialport, which is the driver's side.
package sim
