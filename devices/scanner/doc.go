// Package scanner understands what a serial barcode scanner sends: it
// splits the byte stream into codes (Framer) and reads each code (Parse):
// the AIM symbology identifier, GTIN check digits, GS1 element strings,
// in-store codes with a price or weight, and staff badges.
//
// The driver that implements kiosk.Scanner over a serial line builds on
// these; everything here is pure and works on bytes.
//
// References: ISO/IEC 15424 (AIM symbology identifiers), GS1 General
// Specifications §3 (application identifiers) and §7.8 (FNC1 as the GS
// separator in transmitted data), §2.1.11 (restricted circulation
// numbers, prefixes 20–29).
//
// Imports: the standard library and selvkasse/kiosk.
package scanner
