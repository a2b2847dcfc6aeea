package gpiocab

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
)

// Open needs a GPIO chip to succeed; no test machine has the cabinet's.
// These check that it fails clearly without one.

func TestOpenMissingChip(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Chip = "gpiochip-selvkasse-absent"
	c, err := Open(cfg)
	if c != nil || !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), cfg.Chip) {
		t.Errorf("Open of a missing chip = %v, %v; want an error naming it and wrapping fs.ErrNotExist", c, err)
	}
}

func TestOpenBadConfig(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Key.Offset = cfg.Compartments[0].Lock.Offset
	if c, err := Open(cfg); c != nil || !errors.Is(err, ErrBadConfig) {
		t.Errorf("Open with two pins on one line = %v, %v; want ErrBadConfig", c, err)
	}
}
