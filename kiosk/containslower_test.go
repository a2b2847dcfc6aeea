package kiosk

import (
	"strings"
	"testing"
)

// FuzzContainsLower: containsLower, which the search matches names with
// without building their lower case, says what strings.ToLower and
// strings.Contains say, for any bytes (names are the catalog's, words
// the customer's, and either may hold what is not UTF-8).
func FuzzContainsLower(f *testing.F) {
	for _, c := range [][2]string{
		{"Nordlys Snus Original", "snus"}, {"RØDE MIX", "røde"}, {"Ærlig Æble", "æb"}, {"Cola 0,5 l", "0,5 l"},
		{"abc", ""}, {"", "a"}, {"İstanbul", "i"}, {"\xff\xfeab", "\ufffdab"}, {"ΣΑΣ", "σας"}, {"aaab", "aab"},
	} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, s, w string) {
		lw := strings.ToLower(w)
		want := strings.Contains(strings.ToLower(s), lw)
		if got := containsLower(s, []rune(lw)); got != want {
			t.Fatalf("containsLower(%q, %q) = %v; strings.Contains(strings.ToLower(…)) says %v", s, lw, got, want)
		}
	})
}
