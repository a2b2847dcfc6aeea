// Package speech is the kiosk's text-to-speech driver (kiosk.Speaker) and
// headset-jack watcher (kiosk.Jack).
//
// Espeak runs espeak-ng (Debian package espeak-ng, voices nb and en) as a
// child process per phrase: the text goes on its stdin, never on the
// command line (a product name is never an argument, nor passed through
// a shell); the rate and volume come from the configuration; a cut kills
// the child. Without espeak-ng or an audio device it says so at start
// (Espeak.Check) and every Say returns kiosk.ErrDeviceUnavailable: the
// kiosk keeps selling on the screen.
//
// InputJack reads a Linux input device's switch events (EV_SW,
// SW_HEADPHONE_INSERT; linux/input-event-codes.h), as the kernel's ALSA
// jack detection reports a headset plugged into the kiosk's socket.
//
// Imports: the standard library and selvkasse/kiosk.
package speech
