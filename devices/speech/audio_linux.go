package speech

import (
	"fmt"
	"path/filepath"

	"selvkasse/kiosk"
)

// PlaybackDevice reports whether the machine has an ALSA playback
// device (/dev/snd/pcmC*D*p). Errors: kiosk.ErrDeviceUnavailable
// (wrapped) when there is none.
func PlaybackDevice() error {
	m, _ := filepath.Glob("/dev/snd/pcmC*D*p")
	if len(m) == 0 {
		return fmt.Errorf("speech: no audio playback device (/dev/snd/pcmC*D*p): %w", kiosk.ErrDeviceUnavailable)
	}
	return nil
}
