// Package ui is the touchscreen user interface of Selvkasse, built with
// Fyne: the customer screens (Screen, one per checkout state, rendered from
// a kiosk.View), the demo's device simulator panel (Simulator), the
// touchscreen theme (Theme) and the Norwegian Bokmål and English texts.
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
// The cabinet list shows text only, names and prices, never pictures or
// logos: tobacco products may not be displayed to the customer
// (tobakksskadeloven § 25, the display ban).
package ui
