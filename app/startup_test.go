package app

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// TestStartupMarks: each step is the time since the one before (the first
// since the process started), and the line gives the total; a note stands
// after the step it explains, and takes no time of the next one.
func TestStartupMarks(t *testing.T) {
	now := processStart
	clock := func() time.Time { return now }
	s := newStartupMarks(clock)
	for _, st := range []struct {
		name string
		took time.Duration
	}{{"store", 40 * time.Millisecond}, {"window", 1500 * time.Millisecond}, {"shown", 250 * time.Millisecond}} {
		now = now.Add(st.took)
		s.mark(st.name)
		if st.name == "store" {
			s.note("tables", 3748)
			s.note("read-in-full", 12)
		}
	}
	var buf bytes.Buffer
	s.log(slog.New(slog.NewTextHandler(&buf, nil)))
	want := "msg=start-up total=1.79s store=40ms tables=3748 read-in-full=12 window=1.5s shown=250ms"
	if got := buf.String(); !strings.Contains(got, want) {
		t.Errorf("log line %q, want it to hold %q", got, want)
	}
}
