package fynelocale

import "testing"

func TestFix(t *testing.T) {
	for _, c := range []struct {
		name string
		env  map[string]string
		set  bool
	}{
		{"C.UTF-8 in LANG", map[string]string{"LANG": "C.UTF-8"}, true},
		{"C.utf8 in LC_ALL", map[string]string{"LC_ALL": "C.utf8", "LANG": "nb_NO.UTF-8"}, true},
		{"POSIX with a modifier", map[string]string{"LC_MESSAGES": "POSIX@euro"}, true},
		{"LC_ALL wins over LANG", map[string]string{"LC_ALL": "nb_NO.UTF-8", "LANG": "C.UTF-8"}, false},
		{"bare C", map[string]string{"LANG": "C"}, false},
		{"bare POSIX", map[string]string{"LC_ALL": "POSIX"}, false},
		{"no locale", nil, false},
		{"Norwegian", map[string]string{"LANG": "nb_NO.UTF-8"}, false},
		{"LANGUAGE already set", map[string]string{"LANG": "C.UTF-8", "LANGUAGE": "nb"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range c.env {
				env[k] = v
			}
			set := Fix(func(k string) string { return env[k] }, func(k, v string) error { env[k] = v; return nil })
			if set != c.set {
				t.Fatalf("Fix = %v, want %v", set, c.set)
			}
			if want := c.env["LANGUAGE"]; c.set {
				if env["LANGUAGE"] != "en" {
					t.Errorf("LANGUAGE = %q, want en", env["LANGUAGE"])
				}
			} else if env["LANGUAGE"] != want {
				t.Errorf("LANGUAGE = %q, want it left %q", env["LANGUAGE"], want)
			}
		})
	}
}
