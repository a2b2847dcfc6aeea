// Package escpos renders the kiosk's documents (kiosk.Document) as ESC/POS
// command streams for thermal receipt printers, and reads the printers'
// real-time status replies (DLE EOT).
//
// It only turns documents into bytes and status bytes into a
// kiosk.PrinterStatus; it adds no content of its own. Command names and
// bytes follow the Epson ESC/POS command reference; each is cited where it
// is sent. The driver that talks to a printer over a serial line builds on
// this package.
//
// Imports: the standard library, selvkasse/kiosk and
// golang.org/x/text/encoding/charmap (the PC858 code page).
package escpos
