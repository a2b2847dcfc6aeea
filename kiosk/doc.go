// Package kiosk is the domain core of Selvkasse: money in øre, VAT, products
// and GTINs, the basket, the age policy, the checkout state machine, the
// journal's event types, staff roles with the one table of which role may
// do what (staff.go), the staff log-in (stafflogin.go), the one table of
// staff overrides and their reasons (override.go), and the ports
// (interfaces) the core consumes.
//
// The Checkout service is split by concern: service.go (its state, views,
// timers and journal), checkout_basket.go, checkout_age.go,
// checkout_payment.go, checkout_release.go, checkout_recovery.go,
// checkout_staff.go (help calls, the staff log-in at the kiosk and the
// overrides), checkout_signal.go (the intervention light, the assistance
// queue, device status and today's counts), checkout_devices.go,
// checkout_disk.go (the free-space guard) and checkout_receipt.go (the
// receipt journaled only once printed, the reprint queue and the one
// copy, with the ReceiptStore port in receipts.go);
// checkout.go holds the transition table, the one source of the flow.
// Staff at the kiosk is an overlay on the flow, not a state: the PIN pad
// and the staff screen (View.Staff) stand in front of whatever the
// customer's sale is doing, and an override moves the sale only through
// the table's events.
//
// signature.go holds what the journal's signatures cover (Skatteetaten's
// SAF-T signature guideline: SignatureInput.Data) and the Signer and
// SignatureVerifier ports; app/signing implements them with RSA-SHA1 and
// HMAC-SHA1 and keeps the keys.
//
// report.go has the X and Z reports (kassasystemforskrifta §§ 2-8-2,
// 2-8-3) and their ports (ReportStore, TerminalEndOfDay); report_totals.go
// the running totals the store keeps for them and the one switch of
// which journal records they count; report_doc.go their printed form.
//
// speech.go has the Speaker, Sounder and Jack ports (speech, tones, the
// headset socket; EN 301 549 5.1 closed functionality); narrate.go the
// narrator, the pure mapping from one view to the next into phrases and
// a tone, with its words in narrate_words.go.
// stock.go has the stock (issue 13): every change of a product's stock is
// a StockMovement, so that stock is the sum of its movements; the count
// file parser and a count's variance; the low-stock threshold and the
// shelf recount flag; the stock-out outlook (days of stock left and a
// suggested order, computed from the movements at a given time); and the
// StockStore port. checkout_stock.go is receiving goods on the staff
// screen.
//
// It imports the Go standard library only; TestStdlibOnly enforces that.
// Everything else in the module points toward this package: device drivers
// implement its device ports, storage implements its store ports, and app
// wires them together.
package kiosk
