//go:build !linux

package sim

import (
	"errors"
	"os"
)

// OpenPTY is Linux-only: the appliance and its tests run on Linux, and
// the simulators' pseudo-terminals use devpts ioctls.
func OpenPTY() (master, slave *os.File, path string, err error) {
	return nil, nil, "", errors.New("sim: pseudo-terminal simulators need Linux")
}
