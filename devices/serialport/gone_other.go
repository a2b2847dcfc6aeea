//go:build !linux

package serialport

// goneErrno is the stub for systems other than Linux: no errno is known
// here to mean "node present, device gone", so at Open only "not found"
// counts as unplugged. Reads and writes detect an unplug the same way on
// every system (any device error ends the handle).
func goneErrno(error) bool { return false }
