// Package kiosk is the domain core of Selvkasse: money in øre, VAT, products
// and GTINs, the basket, the age policy, the checkout state machine, the
// journal's event types and the ports (interfaces) the core consumes.
//
// It imports the Go standard library only; TestStdlibOnly enforces that.
// Everything else in the module points toward this package: device drivers
// implement its device ports, storage implements its store ports, and app
// wires them together.
package kiosk
