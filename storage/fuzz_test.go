package storage

import (
	"os"
	"path/filepath"
	"selvkasse/kiosk/kiosktest"
	"testing"

	"github.com/dgraph-io/badger/v4/options"
)

// FuzzCheckTable feeds damaged table files to the check Open runs before
// Badger: it must answer with an error, never crash the process (Badger's
// table reader panics on garbage, and in places calls log.Fatal).
func FuzzCheckTable(f *testing.F) {
	dir := f.TempDir()
	d, err := Open(dir, Options{})
	if err != nil {
		f.Fatal(err)
	}
	d.SetSigner(&kiosktest.Signer{}, testZone)
	fill(f, d)
	if err := d.Close(); err != nil {
		f.Fatal(err)
	}
	tables, err := filepath.Glob(filepath.Join(dir, "*.sst"))
	if err != nil || len(tables) == 0 {
		f.Fatalf("no table to seed from: %v", err)
	}
	good, err := os.ReadFile(tables[0])
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(good[len(good)/2:])
	f.Add([]byte{})
	f.Add(make([]byte, 64))
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(t.TempDir(), "000001.sst")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		err := checkTable(path, options.None)
		if err == nil && string(b) != string(good) {
			// A change the checksums do not cover (padding) may pass;
			// what passes must open in Badger's reader without a panic,
			// which checkTable just did.
			return
		}
		if string(b) == string(good) && err != nil {
			t.Fatalf("the good table fails the check: %v", err)
		}
	})
}
