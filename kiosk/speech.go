package kiosk

import (
	"context"
	"errors"
	"fmt"
)

// Speech and sound: the ports the narrator (narrate.go) speaks and plays
// through. Forskrift om universell utforming av IKT (FOR-2013-06-21-732)
// with EN 301 549 clause 5.1 ("closed functionality") asks a
// self-service machine without a screen reader to speak for itself
// (5.1.3.1 speech output) and to pair every sound with something on the
// screen (5.1.3.x: no information by sound alone).

// Sentinel errors of the speech and sound ports.
var (
	// ErrSpeechCut: Cut stopped the phrase before it was spoken through.
	// Not a fault: the customer did something, or asked for silence.
	ErrSpeechCut = errors.New("kiosk: speech cut")
	// ErrNoVoice: the speaker has no voice for the phrase's language.
	// Nothing was said; other languages may still work.
	ErrNoVoice = errors.New("kiosk: no voice for the language")
	// ErrBadVolume: a volume outside 0..100.
	ErrBadVolume = errors.New("kiosk: volume out of range")
)

// Phrase is one thing to say: Text in Lang ("nb" or "en", BCP 47).
// Text is plain words, as a listener should hear them (money already in
// words: "89 kroner og 50 øre"), never markup.
type Phrase struct {
	Lang string
	Text string
}

func (p Phrase) String() string { return p.Lang + ": " + p.Text }

// Speaker says phrases aloud (text to speech).
//
// Say speaks p and returns when it is done: nil when it was spoken
// through; an error wrapping ErrSpeechCut when Cut stopped it; ctx.Err()
// when ctx ended (the phrase stops at once); an error wrapping ErrNoVoice
// when there is no voice for p.Lang; an error wrapping
// ErrDeviceUnavailable when the speech program or the audio device cannot
// be used (nothing, or only part, was said: the caller may try the next
// phrase later, and the kiosk keeps selling without speech). A Speaker says
// one phrase at a time: a Say while another is under way cuts the first
// (which returns ErrSpeechCut) and then speaks.
//
// Cut stops the phrase being spoken now; the Say speaking it returns an
// error wrapping ErrSpeechCut. It never blocks for long, may be called
// from any goroutine, and does nothing when nothing is being said (a
// later Say is not affected).
type Speaker interface {
	Say(ctx context.Context, p Phrase) error
	Cut()
}

// Tone is a sound the kiosk plays, always together with something on the
// screen (EN 301 549 5.1.3: sound never carries information alone). The
// numbers are persisted in tests' golden files only; keep them stable.
type Tone uint8

const (
	ToneAccepted  Tone = 1 // a scan or a pick went into the basket
	ToneRefused   Tone = 2 // a scan was refused: unknown, sold out, not now
	ToneAttention Tone = 3 // help called, age check, door left open, staff needed
)

var toneNames = map[Tone]string{ToneAccepted: "accepted", ToneRefused: "refused", ToneAttention: "attention"}

func (t Tone) String() string {
	if n, ok := toneNames[t]; ok {
		return n
	}
	return fmt.Sprintf("Tone(%d)", uint8(t))
}

// Tones lists every tone, in number order.
func Tones() []Tone { return []Tone{ToneAccepted, ToneRefused, ToneAttention} }

// Sounder plays the kiosk's tones.
//
// Play plays t at the current volume and returns when it has been played
// (tones are short: well under a second). Errors: an error that matches
// no sentinel for a Tone it does not know (nothing played); ctx.Err()
// when ctx ended (the tone stops); an error wrapping ErrDeviceUnavailable
// when the player program or the audio device cannot be used (the kiosk
// keeps selling: every tone is paired with the screen).
//
// SetVolume sets the volume of the tones played from now on, 0 (silent:
// Play returns nil at once) to 100 (full scale). Errors: ErrBadVolume
// (wrapped) outside 0..100, and the volume stays.
type Sounder interface {
	Play(ctx context.Context, t Tone) error
	SetVolume(percent int) error
}

// Jack watches the socket a customer plugs a headset into. Speech starts
// when a headset is plugged in (EN 301 549 5.1.3.5: speech output through
// a private listening device).
//
// ReadJack returns whether a headset is plugged in: the first call at
// once with the state now (false when the watcher cannot tell), later
// calls when it changed. Errors: ctx.Err() when ctx ends; an error
// wrapping ErrDeviceUnavailable when no jack can be watched (no such
// device, not this platform): the caller stops watching, and speech can
// still be started with the accessibility key.
type Jack interface {
	ReadJack(ctx context.Context) (plugged bool, err error)
}
