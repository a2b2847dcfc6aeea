//go:build !linux

package speech

import (
	"fmt"

	"selvkasse/kiosk"
)

// OpenJack: headset detection reads Linux input devices; elsewhere there
// is no jack to watch, and speech starts with the accessibility key.
func OpenJack(path string) (*InputJack, func() error, error) {
	return nil, nil, fmt.Errorf("speech: jack %s: headset detection is Linux only: %w", path, kiosk.ErrDeviceUnavailable)
}
