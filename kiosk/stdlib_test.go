package kiosk

import (
	"os/exec"
	"strings"
	"testing"
)

// TestStdlibOnly keeps the core free of third-party code: every dependency
// of ./kiosk/... must be the standard library or this module's kiosk.
func TestStdlibOnly(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", "selvkasse/kiosk/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, p := range strings.Fields(string(out)) {
		if p != "selvkasse/kiosk" && !strings.HasPrefix(p, "selvkasse/kiosk/") {
			t.Errorf("kiosk depends on %s; the core may use the standard library only", p)
		}
	}
}
