package app

import (
	"runtime/debug"
	"sync"
)

// Product declaration data (issue 12 item 7; kassasystemforskrifta § 2-1
// and Skatteetaten's product declaration for cash register systems): the
// system's name and maker, and its version, shown by `selvkasse about`
// and written in the SAF-T export's header.
const (
	productName    = "Selvkasse"
	productCompany = "Selvkasse"
)

// Version is the release of the cash register system. A release build
// sets it: go build -ldflags "-X selvkasse/app.Version=1.2.0".
var Version = "0.1.0"

// softwareVersion is Version with the source revision the binary was
// built from, when the build recorded one (a build inside the git
// checkout): "0.1.0+e5ada86", "+e5ada86.dirty" for uncommitted changes.
// At most 20 characters, SAF-T's softwareVersion.
var softwareVersion = sync.OnceValue(func() string {
	return versionOf(Version, debug.ReadBuildInfo)
})

func versionOf(v string, info func() (*debug.BuildInfo, bool)) string {
	bi, ok := info()
	if !ok {
		return v
	}
	var rev string
	dirty := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if len(rev) < 7 {
		return v
	}
	out := v + "+" + rev[:7]
	if dirty {
		out += ".dirty"
	}
	if len(out) > 20 {
		return v
	}
	return out
}
