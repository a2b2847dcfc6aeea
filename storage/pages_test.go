package storage

import (
	"slices"
	"strings"
	"testing"
)

func TestParseMapping(t *testing.T) {
	tests := []struct {
		line string
		want mapping
		ok   bool
	}{
		{"7f2a3c000000-7f2a3c3cb000 rw-s 00000000 fd:01 1234567                    /data/001151.sst",
			mapping{0x7f2a3c000000, 0x7f2a3c3cb000, true, 0, "/data/001151.sst"}, true},
		{"7f2a3c000000-7f2a3c3cb000 r--s 00000000 fd:01 1234567 /data/001151.sst (deleted)",
			mapping{0x7f2a3c000000, 0x7f2a3c3cb000, true, 0, "/data/001151.sst (deleted)"}, true},
		{"00400000-00452000 r-xp 00001000 08:02 173521      /usr/bin/a b",
			mapping{0x400000, 0x452000, false, 0x1000, "/usr/bin/a b"}, true},
		{"7ffd1c0c2000-7ffd1c0e3000 rw-p 00000000 00:00 0                          [stack]",
			mapping{0x7ffd1c0c2000, 0x7ffd1c0e3000, false, 0, "[stack]"}, true},
		{"c000000000-c004000000 rw-p 00000000 00:00 0 ",
			mapping{0xc000000000, 0xc004000000, false, 0, ""}, true},
		{"c000000000-c004000000 rw-p 00000000 00:00 0",
			mapping{0xc000000000, 0xc004000000, false, 0, ""}, true},
		{"", mapping{}, false},
		{"c000000000 rw-p 00000000 00:00 0", mapping{}, false},            // no range
		{"c004000000-c000000000 rw-p 00000000 00:00 0", mapping{}, false}, // end before start
		{"c000000000-c004000000 rw-p 0000zz00 00:00 0", mapping{}, false}, // offset not hex
		{"c000000000-c004000000 rw- 00000000 00:00 0", mapping{}, false},  // perms cut short
		{"c000000000-c004000000 rw-p 00000000", mapping{}, false},         // fields missing
	}
	for _, tt := range tests {
		got, ok := parseMapping(tt.line)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("parseMapping(%q) = %+v, %v; want %+v, %v", tt.line, got, ok, tt.want, tt.ok)
		}
	}
}

func TestTableMappings(t *testing.T) {
	maps := strings.Join([]string{
		"1000-2000 rw-s 00000000 fd:01 11 /data/000001.sst",           // held, alone: released
		"2000-3000 rw-s 00000000 fd:01 12 /data/000002.sst",           // not held
		"3000-4000 rw-s 00000000 fd:01 13 /data/000003.sst",           // mapped twice
		"4000-5000 r--s 00000000 fd:01 13 /data/000003.sst",           //
		"5000-6000 rw-p 00000000 fd:01 14 /data/000004.sst",           // private
		"6000-7000 rw-s 00001000 fd:01 15 /data/000005.sst",           // not from the start
		"7000-8000 rw-s 00000000 fd:01 16 /data/000006.sst (deleted)", // deleted
		"8000-9000 rw-s 00000000 fd:01 17 /other/000007.sst",          // another dir
		"9000-a000 rw-s 00000000 fd:01 18 /data/sub/000008.sst",       // below it
		"a000-b000 rw-s 00000000 fd:01 19 /data/00009.mem",            // not a table
		"b000-c000 rw-s 00000000 fd:01 20 /data/x10.sst",              // not a table name
		"c000-d000 rw-p 00000000 00:00 0 ",                            // anonymous
		"d000-e000 r--s 00000000 fd:01 21 /data/000011.sst",           // held, alone: released
		"garbage",
	}, "\n")
	held := map[uint64]bool{1: true, 3: true, 4: true, 5: true, 6: true, 7: true, 8: true, 11: true}
	got := tableMappings([]byte(maps), "/data", held)
	slices.SortFunc(got, func(a, b mapping) int { return int(a.start) - int(b.start) })
	want := []mapping{{0x1000, 0x2000, true, 0, "/data/000001.sst"}, {0xd000, 0xe000, true, 0, "/data/000011.sst"}}
	if !slices.Equal(got, want) {
		t.Errorf("tableMappings = %+v, want %+v", got, want)
	}
}

func TestSpans(t *testing.T) {
	m := func(start, end uint64) mapping { return mapping{start: start, end: end, shared: true} }
	tests := []struct {
		name string
		in   []mapping
		want []span
	}{
		{"none", nil, nil},
		{"one", []mapping{m(0x1000, 0x3000)}, []span{{0x1000, 0x3000}}},
		{"a run, out of order", []mapping{m(0x3000, 0x4000), m(0x1000, 0x3000), m(0x4000, 0x9000)},
			[]span{{0x1000, 0x9000}}},
		{"a gap between", []mapping{m(0x1000, 0x2000), m(0x3000, 0x4000)},
			[]span{{0x1000, 0x2000}, {0x3000, 0x4000}}},
		{"runs and a gap", []mapping{m(0x8000, 0x9000), m(0x1000, 0x2000), m(0x7000, 0x8000), m(0x2000, 0x3000)},
			[]span{{0x1000, 0x3000}, {0x7000, 0x9000}}},
	}
	for _, tt := range tests {
		in := slices.Clone(tt.in)
		if got := spans(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("%s: spans = %x, want %x", tt.name, got, tt.want)
		}
		if !slices.Equal(in, tt.in) {
			t.Errorf("%s: spans reordered its argument", tt.name)
		}
	}
}

func TestTableFileID(t *testing.T) {
	for name, want := range map[string]uint64{"000001.sst": 1, "1234567.sst": 1234567} {
		if id, ok := tableFileID(name); !ok || id != want {
			t.Errorf("tableFileID(%q) = %d, %v", name, id, ok)
		}
	}
	for _, name := range []string{".sst", "-1.sst", "+1.sst", "0x1.sst", "000001.sst (deleted)", "000001.mem", "99999999999999999999999.sst"} {
		if id, ok := tableFileID(name); ok {
			t.Errorf("tableFileID(%q) = %d, want no id", name, id)
		}
	}
}

// FuzzParseMapping: the reader of /proc/self/maps lines never panics, and
// what it accepts is a non-empty range.
func FuzzParseMapping(f *testing.F) {
	f.Add("7f2a3c000000-7f2a3c3cb000 rw-s 00000000 fd:01 1234567                    /data/001151.sst")
	f.Add("c000000000-c004000000 rw-p 00000000 00:00 0 ")
	f.Add("1-2 rw-s 0 0 0 /a b (deleted)")
	f.Fuzz(func(t *testing.T, line string) {
		m, ok := parseMapping(line)
		if ok && m.end <= m.start {
			t.Fatalf("parseMapping(%q) = %+v: empty range", line, m)
		}
		_ = tableMappings([]byte(line), "/data", map[uint64]bool{1: true})
	})
}
