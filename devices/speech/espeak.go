package speech

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"selvkasse/kiosk"
)

// Defaults of Config.
const (
	DefaultProgram = "espeak-ng"
	DefaultRate    = 160 // words per minute: a little slower than espeak-ng's 175
	DefaultVolume  = 70
)

// DefaultVoices are espeak-ng's voices for the screens' languages.
var DefaultVoices = map[string]string{"nb": "nb", "en": "en"}

// Config sets up an Espeak.
type Config struct {
	// Program is espeak-ng; empty: DefaultProgram.
	Program string
	// Voices maps a phrase's language to an espeak-ng voice; nil:
	// DefaultVoices.
	Voices map[string]string
	// Rate is words per minute, 80..450; 0: DefaultRate.
	Rate int
	// Volume is 0..100 percent of espeak-ng's amplitude range (-a 0..200);
	// 0: silent.
	Volume int
	// Output, when set, is a WAV file espeak-ng writes instead of
	// speaking (-w): for tests and machines without audio.
	Output string
	// Start starts espeak-ng; nil: ExecStart.
	Start Start
	// LookPath finds the program; nil: exec.LookPath.
	LookPath func(string) (string, error)
	// Audio checks the audio device at Check when Output is empty; nil:
	// PlaybackDevice.
	Audio func() error
}

// ErrBadConfig: a rate or volume out of range.
var ErrBadConfig = errors.New("speech: bad config")

// Espeak is the kiosk.Speaker that runs espeak-ng.
type Espeak struct {
	cfg Config

	mu     sync.Mutex
	cur    *utterance // the phrase being said; nil when silent
	broken error      // from Check: every Say returns it

	volume atomic.Int32 // 0..100; cfg.Volume at first, then SetVolume
}

type utterance struct {
	proc Process
	cut  bool
}

var _ kiosk.Speaker = (*Espeak)(nil)

// NewEspeak returns an Espeak. Errors: ErrBadConfig (wrapped) for a rate
// outside 80..450 or a volume outside 0..100.
func NewEspeak(cfg Config) (*Espeak, error) {
	if cfg.Program == "" {
		cfg.Program = DefaultProgram
	}
	if cfg.Voices == nil {
		cfg.Voices = DefaultVoices
	}
	if cfg.Rate == 0 {
		cfg.Rate = DefaultRate
	}
	if cfg.Rate < 80 || cfg.Rate > 450 {
		return nil, fmt.Errorf("%w: rate %d words per minute, want 80..450", ErrBadConfig, cfg.Rate)
	}
	if cfg.Volume < 0 || cfg.Volume > 100 {
		return nil, fmt.Errorf("%w: volume %d, want 0..100", ErrBadConfig, cfg.Volume)
	}
	if cfg.Start == nil {
		cfg.Start = ExecStart
	}
	if cfg.LookPath == nil {
		cfg.LookPath = exec.LookPath
	}
	if cfg.Audio == nil {
		cfg.Audio = PlaybackDevice
	}
	e := &Espeak{cfg: cfg}
	e.volume.Store(int32(cfg.Volume))
	return e, nil
}

// Check looks for espeak-ng and, unless it writes to Output, the audio
// device, once, at start. Errors: kiosk.ErrDeviceUnavailable (wrapped)
// naming what is missing; every later Say returns the same error at
// once, so that a kiosk without speech says so once and keeps selling.
func (e *Espeak) Check() error {
	var err error
	if _, lerr := e.cfg.LookPath(e.cfg.Program); lerr != nil {
		err = fmt.Errorf("speech: %s not found (Debian package espeak-ng): %w: %w", e.cfg.Program, kiosk.ErrDeviceUnavailable, lerr)
	} else if e.cfg.Output == "" {
		if aerr := e.cfg.Audio(); aerr != nil {
			err = aerr
			if !errors.Is(err, kiosk.ErrDeviceUnavailable) {
				err = fmt.Errorf("speech: %w: %w", kiosk.ErrDeviceUnavailable, aerr)
			}
		}
	}
	e.mu.Lock()
	e.broken = err
	e.mu.Unlock()
	return err
}

// Args is espeak-ng's command line for a phrase in voice: the text is
// not in it (it goes on stdin).
func (e *Espeak) Args(voice string) []string {
	args := []string{"-v", voice, "-s", strconv.Itoa(e.cfg.Rate), "-a", strconv.Itoa(2 * int(e.volume.Load())), "-b", "1", "--stdin"}
	if e.cfg.Output != "" {
		args = append(args, "-w", e.cfg.Output)
	}
	return args
}

// Say implements kiosk.Speaker: one espeak-ng child for the phrase, the
// text (one line, UTF-8) on its stdin.
func (e *Espeak) Say(ctx context.Context, p kiosk.Phrase) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	voice, ok := e.cfg.Voices[p.Lang]
	if !ok {
		return fmt.Errorf("speech: %q: %w", p.Lang, kiosk.ErrNoVoice)
	}
	text := strings.Join(strings.Fields(p.Text), " ") + "\n"
	var stderr bytes.Buffer
	e.mu.Lock()
	if e.broken != nil {
		err := e.broken
		e.mu.Unlock()
		return err
	}
	e.cutLocked()
	proc, err := e.cfg.Start(e.cfg.Program, e.Args(voice), strings.NewReader(text), &stderr)
	if err != nil {
		e.mu.Unlock()
		return fmt.Errorf("speech: start %s: %w: %w", e.cfg.Program, kiosk.ErrDeviceUnavailable, err)
	}
	u := &utterance{proc: proc}
	e.cur = u
	e.mu.Unlock()

	done := make(chan error, 1)
	go func() { done <- proc.Wait() }()
	var werr error
	select {
	case werr = <-done:
	case <-ctx.Done():
		_ = proc.Kill()
		<-done
		e.finish(u)
		return ctx.Err()
	}
	if e.finish(u) {
		return fmt.Errorf("speech: %w", kiosk.ErrSpeechCut)
	}
	msg := strings.TrimSpace(stderr.String())
	switch {
	case werr != nil && strings.Contains(msg, "voice does not exist"):
		return fmt.Errorf("speech: voice %q: %w (%s)", voice, kiosk.ErrNoVoice, msg)
	case werr != nil:
		return fmt.Errorf("speech: %s: %w: %w (%s)", e.cfg.Program, kiosk.ErrDeviceUnavailable, werr, msg)
	case e.cfg.Output == "" && strings.Contains(strings.ToLower(msg), "error"):
		// espeak-ng exits 0 when it cannot open the audio device.
		return fmt.Errorf("speech: %s: %w (%s)", e.cfg.Program, kiosk.ErrDeviceUnavailable, msg)
	}
	return nil
}

// finish clears u as the current phrase and reports whether it was cut.
func (e *Espeak) finish(u *utterance) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cur == u {
		e.cur = nil
	}
	return u.cut
}

// cutLocked kills the child saying the current phrase. e.mu is held.
func (e *Espeak) cutLocked() {
	if e.cur == nil {
		return
	}
	e.cur.cut = true
	_ = e.cur.proc.Kill()
	e.cur = nil
}

// Cut implements kiosk.Speaker: it kills the child saying the phrase.
func (e *Espeak) Cut() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.cutLocked()
}

// Speaking reports whether a phrase is being said now.
func (e *Espeak) Speaking() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.cur != nil
}

// SetVolume sets the volume of the phrases said from now on, 0..100
// (the keypad's volume keys). Errors: kiosk.ErrBadVolume (wrapped)
// outside 0..100, and the volume stays.
func (e *Espeak) SetVolume(percent int) error {
	if percent < 0 || percent > 100 {
		return fmt.Errorf("speech: volume %d: %w", percent, kiosk.ErrBadVolume)
	}
	e.volume.Store(int32(percent))
	return nil
}
