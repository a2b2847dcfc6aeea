package app

import (
	"os"
	"path/filepath"
)

// DefaultDataDir is where the demo keeps its data when --data is not
// given: $XDG_DATA_HOME/selvkasse, or ~/.local/share/selvkasse (XDG Base
// Directory Specification). The appliance passes /var/lib/selvkasse.
func DefaultDataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "selvkasse")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "selvkasse")
	}
	return filepath.Join(home, ".local", "share", "selvkasse")
}
