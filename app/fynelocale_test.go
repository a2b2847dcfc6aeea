package app

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestFyneLocaleQuiet: the binary (here the test binary, which links Fyne
// and this package as selvkasse does) started under C.UTF-8 and the
// other C locales prints no "Error parsing user locale" from Fyne's init.
func TestFyneLocaleQuiet(t *testing.T) {
	for _, env := range [][]string{
		{"LANG=C.UTF-8"},
		{"LANG=nb_NO.UTF-8", "LC_ALL=C.utf8"},
		{"LANG=C"},
	} {
		t.Run(strings.Join(env, ","), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "LC_ALL=", "LC_MESSAGES=", "LANGUAGE=")
			cmd.Env = append(cmd.Env, env...)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Run(); err != nil {
				t.Fatalf("%v: %s", err, out.String())
			}
			if strings.Contains(out.String(), "locale") || strings.Contains(out.String(), "Fyne error") {
				t.Errorf("the start printed:\n%s", out.String())
			}
		})
	}
}
