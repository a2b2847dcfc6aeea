//go:build !linux

package zvtsim

import (
	"errors"
	"os"
)

// OpenPTY is only implemented on Linux.
func OpenPTY() (master, slave *os.File, path string, err error) {
	return nil, nil, "", errors.New("zvtsim: pseudo-terminals need Linux")
}
