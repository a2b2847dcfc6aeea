package sound

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"

	"selvkasse/kiosk"
)

// DefaultCommand plays a WAV file from stdin on ALSA's default device.
var DefaultCommand = []string{"aplay", "-q", "-t", "wav", "-"}

// Config sets up a Player.
type Config struct {
	// Command is the player and its arguments; it reads one WAV file
	// on stdin. Empty: DefaultCommand.
	Command []string
	// Volume is the tones' volume, 0..100.
	Volume int
	// Start starts the player; nil: ExecStart.
	Start Start
	// LookPath finds the player program; nil: exec.LookPath.
	LookPath func(string) (string, error)
	// Audio checks the audio device at Check; nil: PlaybackDevice. A
	// Command that does not play (a file writer) sets it to one that
	// returns nil.
	Audio func() error
}

// Player is the kiosk.Sounder that plays through a player program.
type Player struct {
	cmd    []string
	start  Start
	look   func(string) (string, error)
	audio  func() error
	mu     sync.Mutex
	volume int
	broken error // from Check: every Play returns it
}

var _ kiosk.Sounder = (*Player)(nil)

// New returns a Player. Errors: ErrBadVolume (wrapped).
func New(cfg Config) (*Player, error) {
	p := &Player{cmd: cfg.Command, start: cfg.Start, look: cfg.LookPath, audio: cfg.Audio}
	if len(p.cmd) == 0 {
		p.cmd = DefaultCommand
	}
	if p.start == nil {
		p.start = ExecStart
	}
	if p.look == nil {
		p.look = exec.LookPath
	}
	if p.audio == nil {
		p.audio = PlaybackDevice
	}
	if err := p.SetVolume(cfg.Volume); err != nil {
		return nil, err
	}
	return p, nil
}

// Check looks for the player program and the audio device, once, at
// start. Errors: kiosk.ErrDeviceUnavailable (wrapped) naming what is
// missing; every later Play returns the same error at once, so that
// a kiosk without sound says so once and keeps selling.
func (p *Player) Check() error {
	var err error
	if _, lerr := p.look(p.cmd[0]); lerr != nil {
		err = fmt.Errorf("sound: player %q not found (Debian package alsa-utils for aplay): %w: %w", p.cmd[0], kiosk.ErrDeviceUnavailable, lerr)
	} else if aerr := p.audio(); aerr != nil {
		err = aerr
		if !errors.Is(err, kiosk.ErrDeviceUnavailable) {
			err = fmt.Errorf("sound: %w: %w", kiosk.ErrDeviceUnavailable, aerr)
		}
	}
	p.mu.Lock()
	p.broken = err
	p.mu.Unlock()
	return err
}

// SetVolume implements kiosk.Sounder.
func (p *Player) SetVolume(percent int) error {
	if percent < 0 || percent > 100 {
		return fmt.Errorf("sound: volume %d: %w", percent, kiosk.ErrBadVolume)
	}
	p.mu.Lock()
	p.volume = percent
	p.mu.Unlock()
	return nil
}

// Volume is the volume now.
func (p *Player) Volume() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.volume
}

// Play implements kiosk.Sounder: it makes t's WAV and runs the player
// with it on stdin, waiting for the player to exit.
func (p *Player) Play(ctx context.Context, t kiosk.Tone) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p.mu.Lock()
	vol, broken := p.volume, p.broken
	p.mu.Unlock()
	wav, err := WAV(t, vol)
	if err != nil {
		return err
	}
	if broken != nil {
		return broken
	}
	if vol == 0 {
		return nil
	}
	var stderr bytes.Buffer
	proc, err := p.start(p.cmd[0], p.cmd[1:], bytes.NewReader(wav), &stderr)
	if err != nil {
		return fmt.Errorf("sound: start %s: %w: %w", p.cmd[0], kiosk.ErrDeviceUnavailable, err)
	}
	done := make(chan error, 1)
	go func() { done <- proc.Wait() }()
	select {
	case err = <-done:
	case <-ctx.Done():
		_ = proc.Kill()
		<-done
		return ctx.Err()
	}
	if err != nil {
		return fmt.Errorf("sound: %s: %w: %w (%s)", p.cmd[0], kiosk.ErrDeviceUnavailable, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}
