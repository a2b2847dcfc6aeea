package kiosk

import (
	"slices"
	"testing"
)

func TestWrap(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  []string
	}{
		{"", 10, nil},
		{"short", 10, []string{"short"}},
		{"terminal end of day failed: offline", 12, []string{"terminal end", "of day", "failed:", "offline"}},
		{"dial tcp 127.0.0.1:35855", 8, []string{"dial tcp", "127.0.0.", "1:35855"}},
		{"  spaces   between  ", 20, []string{"spaces between"}},
		{"æøå æøå", 7, []string{"æøå æøå"}},
	}
	for _, tt := range tests {
		if got := wrap(tt.in, tt.width); !slices.Equal(got, tt.want) {
			t.Errorf("wrap(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
	}
}
