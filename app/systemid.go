package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"selvkasse/kiosk"
)

// The cash register system's unique id (issue 12 item 7; Skatteetaten's
// product declaration asks which system made a SAF-T file): 128 random
// bits in 32 lowercase hex digits, made once per data dir, at the
// kiosk's first start (demo or run, or the first SAF-T export of a data
// dir from before ids), and kept in <data dir>/SYSTEMID (mode 0644, one
// line). It is journaled when made (13999 system-id-created, Data
// "system_id"), so the journal vouches for the id an export names, and it
// is never made again: a data dir copied with its journal keeps it.

// systemIDFile is the file in the data dir that holds the id.
const systemIDFile = "SYSTEMID"

// ErrNoSystemID: the data dir has no SYSTEMID yet.
var ErrNoSystemID = errors.New("no system id yet")

// readSystemID reads the data dir's system id. Errors: ErrNoSystemID
// when there is none; a damaged file (not 32 hex digits) or an
// unreadable one names the file.
func readSystemID(dataDir string) (string, error) {
	path := filepath.Join(dataDir, systemIDFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%w in %s", ErrNoSystemID, dataDir)
	}
	if err != nil {
		return "", fmt.Errorf("system id: %w", err)
	}
	id := strings.TrimSpace(string(b))
	if !validSystemID(id) {
		return "", fmt.Errorf("system id: %s is damaged: it holds %q, not 32 hex digits; restore it from a copy of the data dir, "+
			"or read the id from the journal's system-id-created record", path, truncate(id, 40))
	}
	return id, nil
}

func validSystemID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for _, c := range id {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// ensureSystemID returns the data dir's system id, making it when there
// is none: written to a temporary file, synced, and linked into place, so
// that it appears whole or not at all and a second maker finds the
// first's id instead of replacing it; then journaled (with kioskID,
// at now). A damaged SYSTEMID is an error: an id is never made twice.
func ensureSystemID(ctx context.Context, j kiosk.Journal, dataDir, kioskID string, now time.Time) (string, error) {
	id, err := readSystemID(dataDir)
	if !errors.Is(err, ErrNoSystemID) {
		return id, err
	}
	var b [16]byte
	if _, err := io.ReadFull(rand.Reader, b[:]); err != nil {
		return "", fmt.Errorf("system id: %w", err)
	}
	id = hex.EncodeToString(b[:])
	made, err := linkNewFile(filepath.Join(dataDir, systemIDFile), []byte(id+"\n"), 0o644)
	if err != nil {
		return "", fmt.Errorf("system id: %w", err)
	}
	if !made {
		return readSystemID(dataDir)
	}
	if _, err := j.Append(ctx, kiosk.Entry{Code: kiosk.CodeOther, Subtype: kiosk.SubSystemIDCreated, Time: now, Kiosk: kioskID,
		Text: "system id made: " + id, Data: map[string]string{"system_id": id}}); err != nil {
		return "", fmt.Errorf("system id %s made, but not journaled: %w", id, err)
	}
	return id, nil
}

// linkNewFile creates path with content b and mode perm, whole or not at
// all: a temporary file in the same dir, synced, then hard-linked to
// path, which fails if path exists (made is then false and path is left
// as it was), and the dir synced.
func linkNewFile(path string, b []byte, perm fs.FileMode) (made bool, err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return false, err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := writeSynced(f, perm, func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
		return false, err
	}
	if err := os.Link(tmp, path); errors.Is(err, fs.ErrExist) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return true, syncDir(dir)
}

// writeSynced sets f's mode, writes it with write, syncs and closes it;
// f is closed whatever happens.
func writeSynced(f *os.File, perm fs.FileMode, write func(io.Writer) error) error {
	err := f.Chmod(perm)
	if err == nil {
		err = write(f)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
