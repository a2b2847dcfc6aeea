//go:build !linux

package sound

import (
	"fmt"

	"selvkasse/kiosk"
)

// PlaybackDevice: the kiosk plays sound through ALSA, on Linux only.
func PlaybackDevice() error {
	return fmt.Errorf("sound: audio is supported on Linux only: %w", kiosk.ErrDeviceUnavailable)
}
