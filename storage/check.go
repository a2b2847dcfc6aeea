package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
	"github.com/dgraph-io/badger/v4/table"
	"github.com/dgraph-io/ristretto/v2/z"
)

// dirFiles is what checkFiles found in the data dir before Badger opened it.
type dirFiles struct {
	manifest bool // a MANIFEST exists: the dir held a store before
	tables   int  // .sst files on disk, listed in the MANIFEST or not
}

// checkFiles looks at the data dir before Badger does, and refuses what
// Badger would mishandle:
//
//   - table files (.sst), value logs (.vlog), memtable logs (.mem) or a key
//     registry without a MANIFEST: Badger would start a new, empty store and
//     delete the tables;
//   - a MANIFEST that does not replay (Badger reports it too, but here it
//     is checked before any table is touched);
//   - a table the MANIFEST lists that is missing, unreadable, or damaged
//     anywhere: Badger opens tables in goroutines of its own, where a
//     damaged index panics and crashes the process, and it skips a table
//     whose checksum fails and carries on without its data. Every block of
//     every listed table is read and its checksum checked; that reads the
//     whole store once per Open, a few tens of MiB on a kiosk.
//
// Tables on disk that the MANIFEST does not list are left alone: a power
// cut between writing a table and listing it leaves one, and Badger deletes
// it. Damaged value logs and memtable logs Badger reports itself, with an
// error.
func checkFiles(dir string) (dirFiles, error) {
	var found dirFiles
	entries, err := os.ReadDir(dir)
	if err != nil {
		return found, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	var others []string
	for _, e := range entries {
		name := e.Name()
		switch {
		case name == badger.ManifestFilename:
			found.manifest = true
		case strings.HasSuffix(name, ".sst"):
			found.tables++
			others = append(others, name)
		case strings.HasSuffix(name, ".vlog"), strings.HasSuffix(name, ".mem"), name == badger.KeyRegistryFileName:
			others = append(others, name)
		}
	}
	if !found.manifest {
		if len(others) > 0 {
			sort.Strings(others)
			return found, fmt.Errorf("%w: no MANIFEST, but store files %s: the MANIFEST was lost", ErrCorrupt, strings.Join(others, ", "))
		}
		return found, nil
	}
	m, err := replayManifest(filepath.Join(dir, badger.ManifestFilename))
	if err != nil {
		return found, err
	}
	ids := make([]uint64, 0, len(m.Tables))
	for id := range m.Tables {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		tm := m.Tables[id]
		if tm.KeyID != 0 {
			return found, fmt.Errorf("%w: table %d is encrypted; this store never encrypts", ErrCorrupt, id)
		}
		if err := checkTable(table.NewFilename(id, dir), tm.Compression); err != nil {
			return found, err
		}
	}
	return found, nil
}

func replayManifest(path string) (m badger.Manifest, err error) {
	f, err := os.Open(path)
	if err != nil {
		return m, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	defer f.Close()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: MANIFEST does not replay: %v", ErrCorrupt, firstLine(r))
		}
	}()
	// The options only carry the logger for warnings: none.
	m, _, err = badger.ReplayManifestFile(f, 0, badger.Options{})
	if err != nil {
		return m, fmt.Errorf("%w: MANIFEST does not replay: %v", ErrCorrupt, err)
	}
	return m, nil
}

// checkTable reads the table file at path and checks its index and every
// block with Badger's own table reader, from memory, in this goroutine, so
// that a panic on garbage can be recovered.
func checkTable(path string, c options.CompressionType) (err error) {
	name := filepath.Base(path)
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%w: table %s listed in the MANIFEST is missing", ErrCorrupt, name)
	case err != nil:
		return fmt.Errorf("%w: read table %s: %v", ErrUnavailable, name, err)
	case len(data) < 8:
		return fmt.Errorf("%w: table %s has %d bytes", ErrCorrupt, name, len(data))
	}
	f, err := os.Open(path) // the reader wants the file for its name and size
	if err != nil {
		return fmt.Errorf("%w: open table %s: %v", ErrUnavailable, name, err)
	}
	defer f.Close()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: table %s is damaged: reading it panicked: %v", ErrCorrupt, name, firstLine(r))
		}
	}()
	// The data is a plain byte slice, not a mapping: should the reader
	// close it on an error path, unmapping fails harmlessly.
	mf := &z.MmapFile{Data: data, Fd: f}
	t, err := table.OpenTable(mf, table.Options{
		// Check blocks in VerifyChecksum below, not while opening: on
		// that error path OpenTable would close the file itself.
		ChkMode:     options.NoVerification,
		BlockSize:   4 << 10,
		Compression: c,
	})
	if err != nil {
		return fmt.Errorf("%w: table %s: %v", ErrCorrupt, name, err)
	}
	if err := t.VerifyChecksum(); err != nil {
		return fmt.Errorf("%w: table %s: %v", ErrCorrupt, name, err)
	}
	return nil
}
