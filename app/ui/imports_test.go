package ui

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImports keeps the package headless and pointing toward the core: no
// fyne.io/fyne/v2/app (the binary owns the app and its windows, so tests
// run with fyne.io/fyne/v2/test), no Fyne internals, and of this module
// only the kiosk core.
func TestImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			n++
			path, _ := strconv.Unquote(imp.Path.Value)
			if reason := badImport(path); reason != "" {
				t.Errorf("%s imports %s: %s", name, path, reason)
			}
		}
	}
	if n == 0 {
		t.Fatal("no imports found: the check is broken")
	}
}

func badImport(path string) string {
	first, _, _ := strings.Cut(path, "/")
	switch {
	case path == "fyne.io/fyne/v2/app" || strings.HasPrefix(path, "fyne.io/fyne/v2/app/"):
		return "the binary creates the app; ui must stay headless"
	case strings.Contains(path, "/internal"):
		return "Fyne internals"
	case path == "fyne.io/fyne/v2/test" || strings.HasPrefix(path, "fyne.io/fyne/v2/test/"):
		return "test helpers belong in _test.go files"
	case path == "fyne.io/fyne/v2" || strings.HasPrefix(path, "fyne.io/fyne/v2/"):
		return ""
	case path == "selvkasse/kiosk":
		return ""
	case !strings.Contains(first, "."):
		if first == "selvkasse" {
			return "of this module, ui imports only the kiosk core"
		}
		return "" // standard library
	}
	return "not an allowed dependency"
}

func TestBadImport(t *testing.T) {
	for path, bad := range map[string]bool{
		"fyne.io/fyne/v2/app": true, "fyne.io/fyne/v2/internal/cache": true, "fyne.io/fyne/v2/test": true,
		"selvkasse/storage": true, "github.com/dgraph-io/badger/v4": true,
		"fyne.io/fyne/v2": false, "fyne.io/fyne/v2/widget": false, "selvkasse/kiosk": false, "strings": false,
	} {
		if got := badImport(path) != ""; got != bad {
			t.Errorf("badImport(%q) = %v, want %v", path, got, bad)
		}
	}
}
