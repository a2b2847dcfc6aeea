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
// full (checkFiles) and are unchanged since. It is written soon after
// each Open (rememberAtOpen), with the tables that Open found, and again
// at a clean Close, without those compacted away; it is removed when the
// scrub finds one of them damaged (forgetVerified). So a power cut or a
// killed process leaves the list of the last Open: the next Open reads in
// full only the tables written since, as after a clean Close, and not the
// whole history. What a crash can leave behind in a table file is a table
// being written, which is new and not listed (Badger syncs a table before
// the MANIFEST lists it). Damage to a listed table's bytes (rot on the
// card, a write torn by the power cut somewhere else on it) is caught as
// after a clean Close: by the short check where Badger reads at open, by
// the scrub elsewhere (scrub.go). Badger ignores files it does not know.
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

// readVerified reads verifiedFile and returns the tables it names, with
// where their last block is (zero: not known). A missing file, or one
// that does not decode (it is only a shortcut), remembers nothing. The
// file stays: it goes on naming tables that were checked, whatever
// happens to this Open (verifiedFile).
func readVerified(dir string) map[tableStamp]lastBlock {
	b, err := os.ReadFile(filepath.Join(dir, verifiedFile))
	if err != nil {
		return nil
	}
	known := map[tableStamp]lastBlock{}
	var l verifiedList
	if json.Unmarshal(b, &l) == nil && l.Version == verifiedVersion {
		for _, t := range l.Tables {
			known[t.tableStamp] = t.Last
		}
	}
	return known
}

// forgetVerified removes verifiedFile, so that the next Open reads every
// table in full: one of them was found damaged after it was listed.
func forgetVerified(dir string) error {
	if err := os.Remove(filepath.Join(dir, verifiedFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("storage: forget verified tables: %w", err)
	}
	if err := z.SyncDir(dir); err != nil {
		return fmt.Errorf("storage: forget verified tables: %w", err)
	}
	return nil
}

// rememberVerified writes verifiedFile atomically (a temporary file,
// fsync, rename, fsync of the dir) with those of ts whose file is still
// unchanged: soon after Open, and after Badger has closed cleanly.
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
