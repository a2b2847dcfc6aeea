//go:build !unix

package app

// syncDir is a no-op where a directory cannot be opened and synced
// (Windows): there the rename itself is all the durability there is.
func syncDir(string) error { return nil }
