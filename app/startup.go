package app

import (
	"log/slog"
	"sync"
	"time"

	"selvkasse/storage"
)

// processStart is when this process's Go code began to run: the start-up
// timeline (logged at READY) counts from here.
var processStart = time.Now()

// startupMarks records how long each step of a kiosk's start took, for
// one log line once the first screen is drawn ("start-up" in the
// journal): a technician reading why a kiosk comes up slowly sees which
// step it was (store, devices, window, first frame) without a profiler.
type startupMarks struct {
	now func() time.Time

	mu    sync.Mutex // marks come from the start's goroutine and the Fyne loop's
	last  time.Time
	steps []any // slog attributes: name, duration
}

func newStartupMarks(now func() time.Time) *startupMarks {
	return &startupMarks{now: now, last: processStart}
}

// mark closes the step called name at now.
func (s *startupMarks) mark(name string) {
	t := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.steps = append(s.steps, slog.Duration(name, t.Sub(s.last).Round(time.Millisecond)))
	s.last = t
}

// note adds key=v to the line after the steps marked so far: what
// explains the step before (how many tables the store's step read in
// full, say).
func (s *startupMarks) note(key string, v any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.steps = append(s.steps, slog.Any(key, v))
}

// log writes the steps and the total since the process started.
func (s *startupMarks) log(log *slog.Logger) {
	s.mu.Lock()
	defer s.mu.Unlock()
	args := append([]any{slog.Duration("total", s.last.Sub(processStart).Round(time.Millisecond))}, s.steps...)
	log.Info("start-up", args...)
}

// noteTables notes after the store's step how many tables the store has
// and how many of them its Open read in full (storage.DB.Checked): a slow
// store step with many read in full is a data dir copied or restored, or
// tables written since the last start, not a slow card.
func (s *startupMarks) noteTables(db *storage.DB) {
	tables, full := db.Checked()
	s.note("tables", tables)
	s.note("read-in-full", full)
}
