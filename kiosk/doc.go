// Package kiosk is the domain core of Selvkasse: money in øre, VAT, products
// and GTINs, the basket, the age policy, the checkout state machine, the
// journal's event types, staff roles with the one table of which role may
// do what, and the ports (interfaces) the core consumes.
//
// The Checkout service is split by concern: service.go (its state, views,
// timers and journal), checkout_basket.go, checkout_age.go,
// checkout_payment.go, checkout_release.go, checkout_recovery.go,
// checkout_staff.go and checkout_devices.go; checkout.go holds the
// transition table, the one source of the flow.
//
// It imports the Go standard library only; TestStdlibOnly enforces that.
// Everything else in the module points toward this package: device drivers
// implement its device ports, storage implements its store ports, and app
// wires them together.
package kiosk
