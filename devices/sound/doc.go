// Package sound is the kiosk's tone driver: it implements kiosk.Sounder.
// It makes each tone itself (16-bit PCM sine notes and a chirp, a raised
// cosine at each end so they do not click), wraps it in a RIFF/WAVE file
// and hands that to a player program on its stdin, by default ALSA's
// aplay (Debian alsa-utils), one child process per tone.
//
// Without the player program or an audio device it says so at start
// (Player.Check) and every Play returns kiosk.ErrDeviceUnavailable: the
// kiosk keeps selling, every tone being paired with the screen.
//
// Imports: the standard library and selvkasse/kiosk.
package sound
