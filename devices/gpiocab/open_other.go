//go:build !linux

package gpiocab

import (
	"errors"
	"fmt"
)

// Open is Linux-only: the cabinet's lines are requested through the Linux
// GPIO character device (/dev/gpiochipN), which no other system has. Here
// Open checks cfg and then returns an error wrapping errors.ErrUnsupported.
// New works everywhere, over any lines.
func Open(cfg Config) (*Cabinet, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return nil, fmt.Errorf("gpiocab: open %s: GPIO needs Linux (the GPIO character device): %w", cfg.Chip, errors.ErrUnsupported)
}
