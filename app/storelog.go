package app

import (
	"context"
	"log/slog"

	"selvkasse/storage"
)

// openKioskStore opens the data dir dir for `demo` and `run`, Badger's
// messages going to log through storeLogger. Errors are storage.Open's.
func openKioskStore(dir string, log *slog.Logger) (*storage.DB, error) {
	return storage.Open(dir, storage.Options{Logger: storeLogger(log)})
}

// storeLogger is where Badger's own messages go in `demo` and `run`: the
// kiosk's log, in its format, with Badger's warnings and errors only.
// Badger reports each table it opens, every flush and compaction at INFO
// ("All 0 tables opened in 0s", "Set nextTxnTs to 0", level summaries);
// on a technician's terminal and in the systemd journal they bury what
// needs a look. The kiosk's own INFO lines are not filtered.
func storeLogger(log *slog.Logger) *slog.Logger {
	return slog.New(minLevel{h: log.Handler(), min: slog.LevelWarn})
}

// minLevel passes the records of min and above to h and drops the rest.
type minLevel struct {
	h   slog.Handler
	min slog.Level
}

func (m minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= m.min && m.h.Enabled(ctx, l)
}

func (m minLevel) Handle(ctx context.Context, r slog.Record) error {
	if r.Level < m.min {
		return nil
	}
	return m.h.Handle(ctx, r)
}

func (m minLevel) WithAttrs(as []slog.Attr) slog.Handler {
	return minLevel{h: m.h.WithAttrs(as), min: m.min}
}

func (m minLevel) WithGroup(name string) slog.Handler {
	return minLevel{h: m.h.WithGroup(name), min: m.min}
}
