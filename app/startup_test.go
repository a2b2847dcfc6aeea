package app

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// TestStartupMarks: each step is the time since the one before (the first
// since the process started), and the line gives the total.
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
	}
	var buf bytes.Buffer
	s.log(slog.New(slog.NewTextHandler(&buf, nil)))
	want := "msg=start-up total=1.79s store=40ms window=1.5s shown=250ms"
	if got := buf.String(); !strings.Contains(got, want) {
		t.Errorf("log line %q, want it to hold %q", got, want)
	}
}
