package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
	"github.com/dgraph-io/badger/v4/table"
	"github.com/dgraph-io/ristretto/v2/z"
)

// dirFiles is what checkFiles found in the data dir before Badger opened it.
type dirFiles struct {
	manifest bool // a MANIFEST exists: the dir held a store before
	tables   int  // .sst files on disk, listed in the MANIFEST or not
	// verified are the tables the MANIFEST lists, as they were checked:
	// Close remembers those still unchanged (verified.go).
	verified []tableStamp
	read     int // tables read and checksummed in full by this check
}

// checkFiles looks at the data dir before Badger does, and refuses what
// Badger would mishandle:
//
//   - table files (.sst), value logs (.vlog), memtable logs (.mem) or a key
//     registry without a MANIFEST: Badger would start a new, empty store and
//     delete the tables;
//   - a MANIFEST that does not replay (Badger reports it too, but here it
//     is checked before any table is touched);
//   - a table the MANIFEST lists that is missing, unreadable, or damaged:
//     Badger opens tables in goroutines of its own, where a damaged index
//     panics and crashes the process, and it skips a table whose index
//     checksum fails and carries on without its data.
//
// A table is read and every block's checksum checked (checkTable) the
// first time it is seen; a clean Close remembers the tables so checked
// (verified.go), and at the next Open a remembered table whose size and
// modification time are unchanged gets only the checks of what Badger
// reads when it opens it: its footer, its index with the index checksum,
// and its last block (checkTableIndex). Start-up thus reads the tables
// written since the last clean shutdown, not the whole history. After an
// unclean shutdown (no record of a clean Close) every table is read in
// full again. A block of a remembered table that rots later is caught by
// Badger's checksum on every block read (options.OnBlockRead), as an
// error.
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
	// Whatever happens next, the memory of verified tables is used up:
	// only a clean Close writes it again, so a crash from here on means
	// a full check next time.
	known, err := takeVerified(dir)
	if err != nil {
		return found, err
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
	// Remembered tables get the short check, several at a time (it is
	// mostly waiting for the card); new ones are read in full one at a
	// time (each is read into memory whole). The first error by table id
	// is reported.
	quick := make([]error, len(ids))
	var wg sync.WaitGroup
	sem := make(chan struct{}, quickCheckers)
	for i, id := range ids {
		tm := m.Tables[id]
		if tm.KeyID != 0 {
			return found, fmt.Errorf("%w: table %d is encrypted; this store never encrypts", ErrCorrupt, id)
		}
		path := table.NewFilename(id, dir)
		st, err := stampTable(id, path)
		if err != nil {
			return found, err
		}
		found.verified = append(found.verified, st)
		if known[st] {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				quick[i] = checkTableIndex(path, tm.Compression)
			}()
			continue
		}
		found.read++
		if err := checkTable(path, tm.Compression); err != nil {
			wg.Wait()
			return found, err
		}
	}
	wg.Wait()
	for _, err := range quick {
		if err != nil {
			return found, err
		}
	}
	return found, nil
}

// quickCheckers is how many remembered tables checkFiles checks at once.
const quickCheckers = 4

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

// checkTableIndex opens the table at path with Badger's table reader on a
// read-only mapping, in this goroutine, so that a panic on garbage can be
// recovered. That reads what Badger reads when it opens a table (the
// footer, the index, whose checksum it checks, and the last block), not
// the blocks in between.
func checkTableIndex(path string, c options.CompressionType) (err error) {
	name := filepath.Base(path)
	f, err := os.Open(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%w: table %s listed in the MANIFEST is missing", ErrCorrupt, name)
	case err != nil:
		return fmt.Errorf("%w: open table %s: %v", ErrUnavailable, name, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("%w: table %s: %v", ErrUnavailable, name, err)
	}
	if fi.Size() < 8 {
		return fmt.Errorf("%w: table %s has %d bytes", ErrCorrupt, name, fi.Size())
	}
	data, err := z.Mmap(f, false, fi.Size())
	if err != nil {
		return fmt.Errorf("%w: map table %s: %v", ErrUnavailable, name, err)
	}
	// The reader gets a file of its own: on its early error paths it
	// closes it, unmapping the data; ours then must not unmap again.
	fd, err := os.Open(path)
	if err != nil {
		_ = z.Munmap(data)
		return fmt.Errorf("%w: open table %s: %v", ErrUnavailable, name, err)
	}
	defer func() {
		if _, serr := fd.Stat(); errors.Is(serr, os.ErrClosed) {
			return
		}
		_ = z.Munmap(data)
		fd.Close()
	}()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: table %s is damaged: reading it panicked: %v", ErrCorrupt, name, firstLine(r))
		}
	}()
	_, err = table.OpenTable(&z.MmapFile{Data: data, Fd: fd}, table.Options{
		ChkMode:     options.NoVerification,
		BlockSize:   4 << 10,
		Compression: c,
	})
	if err != nil {
		return fmt.Errorf("%w: table %s: %v", ErrCorrupt, name, err)
	}
	return nil
}
