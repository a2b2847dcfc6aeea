//go:build unix

package signing

import (
	"fmt"
	"io/fs"
	"os"
)

// checkPrivateMode refuses a private key file or keys dir that others
// than its owner may read, write or enter: the key would no longer be the
// kiosk's alone (the file must be 0600 or 0400, the dir 0700 or 0500).
func checkPrivateMode(fi fs.FileInfo) error {
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		want := "0600"
		if fi.IsDir() {
			want = "0700"
		}
		return fmt.Errorf("mode %#o lets others in; it must be %s (chmod %s)", perm, want, want)
	}
	return nil
}

// syncDir makes a rename or removal in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
