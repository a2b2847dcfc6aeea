// Package audio is what the kiosk's two audio drivers, devices/speech
// (espeak-ng) and devices/sound (the tones through aplay), share: the
// child process a phrase or a tone is played by, started without a
// shell and injected in tests, and the check for an ALSA playback device.
// It is no driver of its own; it imports the standard library and kiosk
// (for kiosk.ErrDeviceUnavailable) only.
package audio
