//go:build !linux

package storage

import "errors"

// releasesPages: elsewhere the store does not release its table pages;
// they stay resident until the operating system reclaims them.
const releasesPages = false

func readMaps() ([]byte, error) { return nil, errors.ErrUnsupported }

func dontNeed(addr, n uint64) error { return errors.ErrUnsupported }
