// Package catalogio reads and writes the shop's catalog as outside files:
// a wholesaler's price list as CSV (UTF-8 with or without a byte order
// mark, or Windows-1252; ";" or "," between fields; a header row; decimal
// comma or point) or JSON (an array of objects), with the columns found
// by their header names or by a mapping given on the command line or in
// the configuration, so a wholesaler's file loads without editing
// (issue 13 item 1).
//
// Parse never fails on the file's content: every line it cannot take
// becomes a Problem naming the line, the field and why, and the good
// lines become products that pass kiosk.Product.Validate. Whether the
// good lines are imported when some are bad is the caller's choice
// (selvkasse catalog import --skip-bad). WriteCSV and WriteJSON write the
// catalog back in the same fields, so an export imports again to no
// change. It imports the kiosk core and the standard library, and
// golang.org/x/text for the Windows-1252 code page.
package catalogio
