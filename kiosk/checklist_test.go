package kiosk_test

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The regulation checklist (doc/kassasystemforskrifta.md) names the tests
// that prove each paragraph. These tests keep it from rotting: a renamed
// or deleted test, a row whose tests do not fit its status, or a
// paragraph of kassasystemforskrifta §§ 2-1 to 2-8-8 without a row fails.

// checklistRow is one row of a checklist table.
type checklistRow struct {
	line   int      // in the file, from 1
	para   string   // the § column
	status string   // the Status column
	tests  []string // package.TestName
}

// checklistStatuses says, per status, whether a row must name tests
// (need), may name them (may) or must not (neither).
var checklistStatuses = map[string]struct{ need, may bool }{
	"met":         {need: true, may: true},
	"partly":      {need: true, may: true},
	"untested":    {},
	"in progress": {},
	"not yet":     {},
	"n/a":         {may: true},
	"unverified":  {may: true},
}

// checklistParagraphs are the paragraphs of kassasystemforskrifta chapter
// 2 that must each have at least one row.
var checklistParagraphs = []string{
	"2-1", "2-2", "2-3", "2-4", "2-5", "2-6", "2-7",
	"2-8-1", "2-8-2", "2-8-3", "2-8-4", "2-8-5", "2-8-6", "2-8-7", "2-8-8",
}

var (
	testRef   = regexp.MustCompile("^`([a-z][a-z0-9]*)\\.(Test[A-Za-z0-9_]*)`$")
	paraStart = regexp.MustCompile(`^(\d+-\d+(?:-\d+)?)\b`)
)

// parseChecklist reads every table whose header has the columns "§",
// "Status" and "Tests", and checks each row's form: a known status, tests
// written as `package.TestName` (or "—" for none) and as many as the
// status allows. Only the tables' rows are returned; problems are
// returned as errors naming the line.
func parseChecklist(text string) ([]checklistRow, []error) {
	var (
		rows                        []checklistRow
		errs                        []error
		paraCol, statusCol, testCol = -1, -1, -1
		inTable                     bool
	)
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "|") {
			inTable, paraCol, statusCol, testCol = false, -1, -1, -1
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if !inTable { // a header row
			inTable = true
			for i, c := range cells {
				switch c {
				case "§":
					paraCol = i
				case "Status":
					statusCol = i
				case "Tests":
					testCol = i
				}
			}
			continue
		}
		if paraCol < 0 || statusCol < 0 || testCol < 0 || strings.Trim(line, "|-: ") == "" {
			continue // another table, or the separator row
		}
		if len(cells) <= max(paraCol, statusCol, testCol) {
			errs = append(errs, fmt.Errorf("line %d: %d cells, want at least %d", n, len(cells), max(paraCol, statusCol, testCol)+1))
			continue
		}
		r := checklistRow{line: n, para: cells[paraCol], status: cells[statusCol]}
		if r.para == "" {
			errs = append(errs, fmt.Errorf("line %d: no paragraph", n))
		}
		rule, ok := checklistStatuses[r.status]
		if !ok {
			errs = append(errs, fmt.Errorf("line %d (§ %s): unknown status %q", n, r.para, r.status))
		}
		if t := cells[testCol]; t != "—" && t != "" {
			for _, ref := range strings.Split(t, ",") {
				ref = strings.TrimSpace(ref)
				m := testRef.FindStringSubmatch(ref)
				if m == nil {
					errs = append(errs, fmt.Errorf("line %d (§ %s): %q is not `package.TestName`", n, r.para, ref))
					continue
				}
				r.tests = append(r.tests, m[1]+"."+m[2])
			}
		}
		switch {
		case !ok:
		case rule.need && len(r.tests) == 0:
			errs = append(errs, fmt.Errorf("line %d (§ %s): status %q needs a test that proves it", n, r.para, r.status))
		case !rule.may && len(r.tests) > 0:
			errs = append(errs, fmt.Errorf("line %d (§ %s): status %q names no tests, found %v", n, r.para, r.status, r.tests))
		}
		rows = append(rows, r)
	}
	return rows, errs
}

// checkChecklist is parseChecklist plus what needs the repository: each
// named test exists (exists reports whether it does) and each of paras
// has a row.
func checkChecklist(text string, exists func(string) bool, paras []string) []error {
	rows, errs := parseChecklist(text)
	seen := map[string]bool{}
	for _, r := range rows {
		if m := paraStart.FindStringSubmatch(r.para); m != nil {
			seen[m[1]] = true
		}
		for _, t := range r.tests {
			if !exists(t) {
				errs = append(errs, fmt.Errorf("line %d (§ %s): no test %s in the module", r.line, r.para, t))
			}
		}
	}
	for _, p := range paras {
		if !seen[p] {
			errs = append(errs, fmt.Errorf("§ %s has no row", p))
		}
	}
	return errs
}

var testFunc = regexp.MustCompile(`(?m)^func (Test[A-Za-z0-9_]*)\(`)
var pkgClause = regexp.MustCompile(`(?m)^package ([a-z][a-z0-9_]*)`)

// moduleTests walks the module the kiosk directory is in (its parent,
// which holds go.mod) and returns every top-level test as
// package.TestName, the package without an external test package's
// "_test".
func moduleTests(tb testing.TB) map[string]bool {
	tb.Helper()
	root := ".."
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		tb.Fatalf("the module root: %v", err)
	}
	tests := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); path != root && (strings.HasPrefix(n, ".") || n == "testdata" || n == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		m := pkgClause.FindSubmatch(b)
		if m == nil {
			return fmt.Errorf("%s: no package clause", path)
		}
		pkg := strings.TrimSuffix(string(m[1]), "_test")
		for _, f := range testFunc.FindAllSubmatch(b, -1) {
			tests[pkg+"."+string(f[1])] = true
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return tests
}

func TestChecklistTestsExist(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("doc", "kassasystemforskrifta.md"))
	if err != nil {
		t.Fatal(err)
	}
	tests := moduleTests(t)
	if !tests["kiosk.TestChecklistTestsExist"] {
		t.Fatal("the walk did not find this test; it finds nothing")
	}
	for _, err := range checkChecklist(string(b), func(name string) bool { return tests[name] }, checklistParagraphs) {
		t.Error(err)
	}
}

// TestChecklistCanFail: the checks catch what they are for.
func TestChecklistCanFail(t *testing.T) {
	const head = "| § | Requirement | Status | How | Tests |\n|---|---|---|---|---|\n"
	exists := func(name string) bool { return name == "kiosk.TestReal" }
	tests := []struct {
		name  string
		table string
		want  string // in an error; "" for none
	}{
		{"fine", head + "| 2-1 | r | met | h | `kiosk.TestReal` |\n| 2-2 | r | in progress | h | — |\n", ""},
		{"n/a may name a test", head + "| 2-1 | r | n/a | h | `kiosk.TestReal` |\n| 2-2 | r | n/a | h | — |\n", ""},
		{"bogus test", head + "| 2-1 | r | met | h | `kiosk.TestReal`, `kiosk.TestBogus` |\n| 2-2 | r | n/a | h | — |\n", "no test kiosk.TestBogus"},
		{"met without a test", head + "| 2-1 | r | met | h | — |\n| 2-2 | r | n/a | h | — |\n", "needs a test"},
		{"in progress naming a test", head + "| 2-1 | r | in progress | h | `kiosk.TestReal` |\n| 2-2 | r | n/a | h | — |\n", "names no tests"},
		{"unknown status", head + "| 2-1 | r | done | h | `kiosk.TestReal` |\n| 2-2 | r | n/a | h | — |\n", "unknown status"},
		{"not a test reference", head + "| 2-1 | r | met | h | TestReal |\n| 2-2 | r | n/a | h | — |\n", "not `package.TestName`"},
		{"paragraph missing", head + "| 2-1 | r | met | h | `kiosk.TestReal` |\n", "§ 2-2 has no row"},
		{"2-8-1 is not 2-8-10's row", head + "| 2-8-10 | r | met | h | `kiosk.TestReal` |\n| 2-2 | r | n/a | h | — |\n", "§ 2-8-1 has no row"},
		{"short row", head + "| 2-1 | r | met |\n| 2-2 | r | n/a | h | — |\n", "cells"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			paras := []string{"2-1", "2-2"}
			if strings.Contains(tt.name, "2-8-1") {
				paras = []string{"2-8-1", "2-2"}
			}
			errs := checkChecklist("intro\n\n"+tt.table+"\ntext after\n", exists, paras)
			if tt.want == "" {
				for _, err := range errs {
					t.Errorf("unexpected: %v", err)
				}
				return
			}
			for _, err := range errs {
				if strings.Contains(err.Error(), tt.want) {
					return
				}
			}
			t.Errorf("no error with %q; got %v", tt.want, errs)
		})
	}
}

// TestSystemDescriptionLinks: the system description points into the
// README by section; each section it names («README: Section») exists.
func TestSystemDescriptionLinks(t *testing.T) {
	desc, err := os.ReadFile(filepath.Join("doc", "systembeskrivelse.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	heads := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^#+ +(.+?)\s*$`).FindAllSubmatch(readme, -1) {
		heads[string(m[1])] = true
	}
	refs := regexp.MustCompile(`README: ([^)»]+)`).FindAllSubmatch(desc, -1)
	if len(refs) == 0 {
		t.Fatal("the system description names no README section")
	}
	for _, m := range refs {
		for _, s := range strings.Split(string(m[1]), ";") {
			if s = strings.Join(strings.Fields(s), " "); !heads[s] { // a section's name may wrap
				t.Errorf("systembeskrivelse.md names README section %q; the README has no such heading", s)
			}
		}
	}
}
