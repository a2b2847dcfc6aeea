//go:build !linux

package speech

import (
	"fmt"

	"selvkasse/kiosk"
)

// PlaybackDevice: the kiosk speaks through ALSA, on Linux only.
func PlaybackDevice() error {
	return fmt.Errorf("speech: audio is supported on Linux only: %w", kiosk.ErrDeviceUnavailable)
}
