//go:build pins

// This file is never built (the "pins" tag is never set). It keeps go.mod
// requiring go.bug.st/serial v1.8.0, the serial library the scanner,
// printer and payment terminal drivers are written against, until
// devices/serialport imports it. Delete it then.

package devices

import _ "go.bug.st/serial"
