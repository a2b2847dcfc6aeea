package app

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"selvkasse/storage"
)

// kioskLog is the kiosk's log as demo and run make it, into a buffer.
func kioskLog() (*slog.Logger, *bytes.Buffer) {
	var b bytes.Buffer
	return slog.New(slog.NewTextHandler(&b, &slog.HandlerOptions{Level: slog.LevelInfo})), &b
}

// TestStoreLoggerLevels: Badger's warnings and errors reach the kiosk's
// log in its format; its INFO and DEBUG lines do not.
func TestStoreLoggerLevels(t *testing.T) {
	for _, c := range []struct {
		level slog.Level
		kept  bool
	}{
		{slog.LevelDebug, false},
		{slog.LevelInfo, false},
		{slog.LevelWarn, true},
		{slog.LevelError, true},
	} {
		t.Run(c.level.String(), func(t *testing.T) {
			log, b := kioskLog()
			s := storeLogger(log).With("component", "badger")
			if got := s.Enabled(context.Background(), c.level); got != c.kept {
				t.Errorf("Enabled = %v, want %v", got, c.kept)
			}
			s.Log(context.Background(), c.level, "value log truncated", "file", "000001.vlog")
			line := b.String()
			if !c.kept {
				if line != "" {
					t.Errorf("dropped level logged %q", line)
				}
				return
			}
			for _, want := range []string{"level=" + c.level.String(), `msg="value log truncated"`, "component=badger", "file=000001.vlog"} {
				if !strings.Contains(line, want) {
					t.Errorf("line %q lacks %q", line, want)
				}
			}
			if strings.Count(line, "\n") != 1 || !strings.HasPrefix(line, "time=") {
				t.Errorf("not one line in the kiosk's format: %q", line)
			}
		})
	}
	// The kiosk's own INFO lines stay.
	log, b := kioskLog()
	_ = storeLogger(log)
	log.Info("screen action refused")
	if !strings.Contains(b.String(), "level=INFO") {
		t.Errorf("the kiosk's own INFO line is gone: %q", b.String())
	}
}

// TestStoreLoggerQuietsBadger: opening and closing a store logs Badger's
// INFO lines to the kiosk's log unfiltered (so this test can fail) and
// nothing when demo and run open it (openKioskStore).
func TestStoreLoggerQuietsBadger(t *testing.T) {
	open := func(log *slog.Logger, filtered bool) {
		t.Helper()
		var db *storage.DB
		var err error
		if filtered {
			db, err = openKioskStore(t.TempDir(), log)
		} else {
			db, err = storage.Open(t.TempDir(), storage.Options{Logger: log})
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
	raw, rb := kioskLog()
	open(raw, false)
	if !strings.Contains(rb.String(), "level=INFO") || !strings.Contains(rb.String(), "component=badger") {
		t.Fatalf("Badger logged no INFO line unfiltered; the test proves nothing: %q", rb.String())
	}
	log, b := kioskLog()
	open(log, true)
	if b.Len() > 0 {
		t.Errorf("through storeLogger:\n%s", b.String())
	}
}
