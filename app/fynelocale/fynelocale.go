package fynelocale

import (
	"os"
	"strings"
)

func init() {
	Fix(os.Getenv, os.Setenv)
}

// Fix sets LANGUAGE to "en" when the locale that messages follow
// (LC_ALL, else LC_MESSAGES, else LANG) is the C or POSIX locale with a
// codeset or modifier ("C.UTF-8", "C.utf8", "POSIX@x") and LANGUAGE is
// empty. It reports whether it set it. Any other locale, and a bare "C"
// or "POSIX", Fyne reads without complaint, and they are left alone.
func Fix(getenv func(string) string, setenv func(k, v string) error) bool {
	var loc string
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if loc = getenv(k); loc != "" {
			break
		}
	}
	if loc == "C" || loc == "POSIX" || getenv("LANGUAGE") != "" {
		return false
	}
	lang, _, _ := strings.Cut(loc, ".")
	lang, _, _ = strings.Cut(lang, "@")
	if lang != "C" && lang != "POSIX" {
		return false
	}
	return setenv("LANGUAGE", "en") == nil
}
