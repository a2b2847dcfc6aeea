package sound

import "selvkasse/devices/audio"

// The player's child process and the playback device's check are
// devices/audio's, shared with devices/speech.
type (
	Process = audio.Process
	Start   = audio.Start
)

var (
	// ExecStart starts a real child process, never through a shell.
	ExecStart Start = audio.ExecStart
	// PlaybackDevice reports whether the machine has an ALSA playback
	// device; kiosk.ErrDeviceUnavailable (wrapped) when not.
	PlaybackDevice = audio.PlaybackDevice
)
