// Package ui is the touchscreen user interface of Selvkasse, built with
// Fyne: the customer screens (Screen, one per checkout state, rendered from
// a kiosk.View), the staff screens that replace them while a staff badge
// is in use (the PIN pad and the staff screen with the overrides, the
// devices, the assistance queue and today's counts), the demo's device
// simulator panel (Simulator), the touchscreen theme (Theme) and the
// Norwegian Bokmål and English texts.
//
// Staff actions (StaffPIN, StaffCancelLogin, StaffLogout, Override) are
// reached only from the staff screens, which are shown only while
// kiosk.View.Staff is set; no customer screen has a way to them
// (TestNoStaffActionWithoutSession taps everything on every customer
// screen to prove it).
//
// It imports the kiosk core, the standard library and Fyne's toolkit
// packages, but never fyne.io/fyne/v2/app: the selvkasse binary creates the
// app and its windows, installs Theme and hands the screens their content
// slots. That keeps every test here headless (fyne.io/fyne/v2/test).
// Nothing here talks to a device or a store: the screens drive the
// checkout through the Kiosk interface and the simulators through
// SimControls, both defined here, by their consumer.
//
// Threading: Render, and every method that touches widgets, must run on
// the Fyne goroutine. Bind subscribes to changes that arrive on any
// goroutine and hands them over with fyne.Do.
//
// Keypad navigation (focus.go, keypad.go): the customer's screens keep
// their own focus, moved by Screen.Key in reading order and drawn as a
// ring; Fyne's canvas focus is not used (see focus.go for why).
//
// The cabinet list shows text only, names and prices, never pictures or
// logos: tobacco products may not be displayed to the customer
// (tobakksskadeloven § 25, the display ban).
package ui
