//go:build !linux

package app

// residentBytes is unknown off Linux (no /proc/self/statm): /healthz and
// /metrics leave it out rather than report a made-up figure.
func residentBytes() (int64, bool) { return 0, false }

// freeBytes is unknown off Linux; see residentBytes.
func freeBytes(string) (int64, bool) { return 0, false }
