//go:build !linux

package audio

import (
	"fmt"

	"selvkasse/kiosk"
)

// PlaybackDevice: the kiosk plays sound through ALSA, on Linux only.
func PlaybackDevice() error {
	return fmt.Errorf("audio: sound is supported on Linux only: %w", kiosk.ErrDeviceUnavailable)
}
