package app

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/storage"
)

// TestSystemIDMadeOnce: the first ensure makes the id (32 hex digits,
// SYSTEMID 0644, journaled), every later one reads it back; a damaged
// file is an error and is left as it is, never replaced by a new id.
func TestSystemIDMadeOnce(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := mustOpenData(t, dir)
	at := time.Date(2026, 3, 12, 7, 0, 0, 0, time.UTC)
	id, err := ensureSystemID(ctx, db, dir, "K1", at)
	if err != nil || !validSystemID(id) {
		t.Fatalf("ensureSystemID = %q, %v", id, err)
	}
	fi, err := os.Stat(filepath.Join(dir, systemIDFile))
	if err != nil || fi.Mode().Perm() != 0o644 {
		t.Fatalf("SYSTEMID: %v, %v; want mode 0644", fi.Mode(), err)
	}
	for range 2 {
		again, err := ensureSystemID(ctx, db, dir, "K1", at.Add(time.Hour))
		if err != nil || again != id {
			t.Fatalf("ensure again = %q, %v; want %q", again, err, id)
		}
	}
	if got, err := readSystemID(dir); err != nil || got != id {
		t.Errorf("readSystemID = %q, %v", got, err)
	}
	var made []kiosk.Record
	if err := db.Scan(ctx, 0, func(r kiosk.Record) error {
		if r.Subtype == kiosk.SubSystemIDCreated {
			made = append(made, r)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(made) != 1 || made[0].Data["system_id"] != id || !made[0].Time.Equal(at) || made[0].Kiosk != "K1" {
		t.Errorf("journaled %+v; want one system-id-created record of %s", made, id)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".SYSTEMID*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}

	damaged := []byte("not an id\n")
	if err := os.WriteFile(filepath.Join(dir, systemIDFile), damaged, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ensureSystemID(ctx, db, dir, "K1", at); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("ensure on a damaged SYSTEMID = %v; want it named damaged", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, systemIDFile)); !bytes.Equal(b, damaged) {
		t.Errorf("the damaged SYSTEMID was replaced by %q", b)
	}
	if _, err := readSystemID(t.TempDir()); !errors.Is(err, ErrNoSystemID) {
		t.Errorf("readSystemID of a dir without one = %v; want ErrNoSystemID", err)
	}
}

// TestSystemIDRaceKeepsFirst: a second maker finds the first's id (the
// link refuses to replace it) and journals nothing.
func TestSystemIDRaceKeepsFirst(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, systemIDFile)
	first := strings.Repeat("ab", 16)
	if made, err := linkNewFile(path, []byte(first+"\n"), 0o644); !made || err != nil {
		t.Fatalf("first link: %v %v", made, err)
	}
	if made, err := linkNewFile(path, []byte(strings.Repeat("cd", 16)+"\n"), 0o644); made || err != nil {
		t.Fatalf("second link: made %v, %v; want not made, no error", made, err)
	}
	if got, err := readSystemID(dir); err != nil || got != first {
		t.Errorf("after the race: %q %v; want the first %q", got, err, first)
	}
}

func TestVersionOf(t *testing.T) {
	info := func(settings ...string) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) {
			bi := &debug.BuildInfo{}
			for i := 0; i+1 < len(settings); i += 2 {
				bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
			}
			return bi, true
		}
	}
	none := func() (*debug.BuildInfo, bool) { return nil, false }
	for _, tc := range []struct {
		name, v string
		info    func() (*debug.BuildInfo, bool)
		want    string
	}{
		{"no build info", "0.1.0", none, "0.1.0"},
		{"no revision", "0.1.0", info(), "0.1.0"},
		{"revision", "0.1.0", info("vcs.revision", "e5ada86f00", "vcs.modified", "false"), "0.1.0+e5ada86"},
		{"dirty", "0.1.0", info("vcs.revision", "e5ada86f00", "vcs.modified", "true"), "0.1.0+e5ada86.dirty"},
		{"too long for softwareVersion", "10.20.30-rc1", info("vcs.revision", "e5ada86f00", "vcs.modified", "true"), "10.20.30-rc1"},
	} {
		if got := versionOf(tc.v, tc.info); got != tc.want || len(got) > 20 {
			t.Errorf("%s: versionOf = %q; want %q (at most 20 characters)", tc.name, got, tc.want)
		}
	}
}

// TestAboutCommand: name, version, the system id and the key versions;
// a data dir without them says so; a missing one is an error and is not
// made.
func TestAboutCommand(t *testing.T) {
	about := func(args ...string) (string, int) {
		var out, errOut bytes.Buffer
		code := Main(append([]string{"about"}, args...), &out, &errOut)
		return out.String() + errOut.String(), code
	}
	dir := mustKeyedData(t)
	out, code := about("--data", dir)
	if code != 0 || !strings.Contains(out, "none yet (the kiosk makes it") || !strings.Contains(out, "version 1 (made 2026-12-03)") ||
		!strings.Contains(out, "Selvkasse") || !strings.Contains(out, softwareVersion()) {
		t.Errorf("about before a system id = %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, systemIDFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("about made a system id: %v", err)
	}
	db, err := storage.Open(dir, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id, err := ensureSystemID(context.Background(), db, dir, "K1", time.Now())
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if out, code := about("--data", dir); code != 0 || !strings.Contains(out, "System ID:     "+id) || !strings.Contains(out, "Data dir:      "+dir) {
		t.Errorf("about = %d\n%s", code, out)
	}
	missing := filepath.Join(t.TempDir(), "typo")
	if out, code := about("--data", missing); code != 1 || !strings.Contains(out, "no data dir") {
		t.Errorf("about on a missing dir = %d\n%s", code, out)
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Error("about made the missing data dir")
	}
	if _, code := about("extra"); code != 2 {
		t.Errorf("about with an argument = %d; want 2", code)
	}
}
