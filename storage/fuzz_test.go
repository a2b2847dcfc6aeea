package storage

import (
	"os"
	"path/filepath"
	"selvkasse/kiosk/kiosktest"
	"testing"

	"github.com/dgraph-io/badger/v4/options"
	"github.com/dgraph-io/badger/v4/table"
	"github.com/dgraph-io/ristretto/v2/z"
)

// fuzzTable fills a store in a new dir, closes it, and returns the bytes
// of one of its tables: the seed of the table fuzzers.
func fuzzTable(f *testing.F) (good []byte) {
	f.Helper()
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
	if good, err = os.ReadFile(tables[0]); err != nil {
		f.Fatal(err)
	}
	return good
}

// FuzzCheckTable feeds damaged table files to the check Open runs before
// Badger: it must answer with an error, never crash the process (Badger's
// table reader panics on garbage, and in places calls log.Fatal).
func FuzzCheckTable(f *testing.F) {
	good := fuzzTable(f)
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
		_, err := checkTable(path, options.None)
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

// FuzzCheckTableTail feeds damaged table files to the short check of a
// remembered table (checkTableTail): without the place of the last block,
// with the good table's, and with wrong places, as a garbled list of
// verified tables would name. It must answer with an error, never crash;
// and a file it passes must open in Badger's table reader, set up as
// Badger opens a table (options.OnBlockRead), without a panic: an error
// (an index that fails its checksum, say) is Badger's to report.
func FuzzCheckTableTail(f *testing.F) {
	good := fuzzTable(f)
	goodLast, err := tableTail(good)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[len(good)/2:])
	f.Add(good[len(good)-64:])
	f.Add(make([]byte, 64))
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(t.TempDir(), "000001.sst")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		wrong := []lastBlock{{Off: goodLast.Off + 1, Len: goodLast.Len - 1}, {Off: 1 << 31, Len: 8},
			{Off: 0, Len: goodLast.Off + goodLast.Len}, {Off: uint32(len(b)), Len: 1}}
		for i, last := range append([]lastBlock{{}, goodLast}, wrong...) {
			_, err := checkTableTail(path, options.None, last)
			if string(b) == string(good) && err != nil && i < 2 {
				t.Fatalf("the good table fails the check (last block %v): %v", last, err)
			}
			if err != nil {
				continue
			}
			mf, err := z.OpenMmapFile(path, os.O_RDONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = table.OpenTable(mf, table.Options{ChkMode: options.OnBlockRead, BlockSize: 4 << 10})
			_ = mf.Close(-1)
		}
	})
}
