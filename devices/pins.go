//go:build pins

// This file is never built (the "pins" tag is never set). It keeps go.mod
// requiring the exact versions of the two hardware libraries the device
// drivers are written against — go.bug.st/serial v1.8.0 for the serial
// scanner, printer and payment terminal, github.com/warthog618/gpiod
// v0.8.2 for the cabinet lock — until the driver packages import them.
// Delete it when devices/serialport and the GPIO cabinet driver exist.

package devices

import (
	_ "github.com/warthog618/gpiod"
	_ "go.bug.st/serial"
)
