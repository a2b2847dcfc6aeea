//go:build !unix

package signing

import "io/fs"

// checkPrivateMode cannot check here: Go's mode bits do not show who may
// read a file outside Unix (Windows has access control lists). The key's
// privacy rests on the data dir's permissions, set up by the installer.
func checkPrivateMode(fs.FileInfo) error { return nil }

// syncDir does nothing here: directories cannot be opened for syncing
// outside Unix; the rename itself is what the platform makes durable.
func syncDir(string) error { return nil }
