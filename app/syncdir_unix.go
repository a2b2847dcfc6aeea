//go:build unix

package app

import "os"

// syncDir makes a file created, renamed or linked in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
