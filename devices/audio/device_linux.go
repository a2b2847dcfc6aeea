package audio

import (
	"fmt"
	"path/filepath"

	"selvkasse/kiosk"
)

// PlaybackDevice reports whether the machine has an ALSA playback
// device (/dev/snd/pcmC*D*p, the kernel's sound/core naming). Errors:
// kiosk.ErrDeviceUnavailable (wrapped) when there is none.
func PlaybackDevice() error {
	m, _ := filepath.Glob("/dev/snd/pcmC*D*p")
	if len(m) == 0 {
		return fmt.Errorf("audio: no playback device (/dev/snd/pcmC*D*p): %w", kiosk.ErrDeviceUnavailable)
	}
	return nil
}
