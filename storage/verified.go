package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/dgraph-io/badger/v4/table"
	"github.com/dgraph-io/ristretto/v2/z"
)

// verifiedFile, in the data dir, lists the tables that were checked in
// full (checkFiles) and were still unchanged when the store was last
// closed cleanly. It exists only between a clean Close and the next
// Open: Open removes it before Badger runs, so an unclean shutdown leaves
// none and the next Open checks every table again. Badger ignores files it
// does not know.
const verifiedFile = "selvkasse-verified-tables.json"

// tableStamp names one table file as it was checked: a table rewritten,
// replaced, grown or cut since (size, modification time, inode or
// status-change time changed) is checked in full again.
type tableStamp struct {
	ID      uint64 `json:"id"`
	Size    int64  `json:"size"`
	ModTime int64  `json:"mtime_ns"`
	Inode   uint64 `json:"ino"`
	CTime   int64  `json:"ctime_ns"`
}

func stampOf(id uint64, fi fs.FileInfo) tableStamp {
	ino, ctime := fileIdentity(fi)
	return tableStamp{ID: id, Size: fi.Size(), ModTime: fi.ModTime().UnixNano(), Inode: ino, CTime: ctime}
}

// verifiedTable is a table as it was checked: its stamp, and where its
// last block is, which the short check at the next Open reads
// (checkTableTail).
type verifiedTable struct {
	tableStamp
	Last lastBlock `json:"last"`
}

// verifiedList is verifiedFile's content. Last came later than the
// stamps, in the same version: a list written without it (or with it
// zero) still names the tables checked, and their short check reads the
// place of the last block from the index, once; a program from before
// reads a list with it as it always did (JSON fields it does not know are
// ignored), so going back to one costs no full read either.
type verifiedList struct {
	Version int             `json:"version"`
	Tables  []verifiedTable `json:"tables"`
}

const verifiedVersion = 1

// stampTable stats the table file id at path. Errors wrap ErrCorrupt for a
// missing file, ErrUnavailable for one that cannot be read.
func stampTable(id uint64, path string) (tableStamp, error) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return tableStamp{}, fmt.Errorf("%w: table %s listed in the MANIFEST is missing", ErrCorrupt, filepath.Base(path))
	case err != nil:
		return tableStamp{}, fmt.Errorf("%w: table %s: %v", ErrUnavailable, filepath.Base(path), err)
	}
	return stampOf(id, fi), nil
}

// takeVerified reads and removes verifiedFile, and returns the tables it
// names, with where their last block is (zero: not known). A missing
// file, or one that does not decode (it is only a shortcut), remembers
// nothing. Errors wrap ErrUnavailable when the file cannot be removed: a
// dir where it cannot be removed cannot hold a store either.
func takeVerified(dir string) (map[tableStamp]lastBlock, error) { return readVerified(dir, true) }

// readVerified reads verifiedFile and, with take, removes it
// (takeVerified); without, the data dir is left as it is (a read-only
// Open).
func readVerified(dir string, take bool) (map[tableStamp]lastBlock, error) {
	path := filepath.Join(dir, verifiedFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	known := map[tableStamp]lastBlock{}
	var l verifiedList
	if err == nil && json.Unmarshal(b, &l) == nil && l.Version == verifiedVersion {
		for _, t := range l.Tables {
			known[t.tableStamp] = t.Last
		}
	}
	if !take {
		return known, nil
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: remove %s: %v", ErrUnavailable, verifiedFile, err)
	}
	if err := z.SyncDir(dir); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return known, nil
}

// rememberVerified writes verifiedFile atomically (a temporary file,
// fsync, rename, fsync of the dir) with those of ts whose file is still
// unchanged. It runs after Badger has closed cleanly.
func rememberVerified(dir string, ts []verifiedTable) error {
	l := verifiedList{Version: verifiedVersion, Tables: []verifiedTable{}}
	for _, t := range ts {
		now, err := os.Stat(table.NewFilename(t.ID, dir))
		if err != nil || stampOf(t.ID, now) != t.tableStamp {
			continue // compacted away or changed: checked again if listed
		}
		l.Tables = append(l.Tables, t)
	}
	b, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("storage: remember verified tables: %w", err)
	}
	tmp := filepath.Join(dir, verifiedFile+".tmp")
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("storage: remember verified tables: %w", err)
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, verifiedFile))
	}
	if err == nil {
		err = z.SyncDir(dir)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("storage: remember verified tables: %w", err)
	}
	return nil
}
