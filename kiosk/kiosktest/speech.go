package kiosktest

import (
	"context"
	"fmt"
	"sync"

	"selvkasse/kiosk"
)

// Speaker is a fake kiosk.Speaker that records every phrase it is asked
// to say, in order. By default a phrase is "spoken" at once; Hold makes
// each Say wait until Finish, Cut or its ctx ends, so a test can cut a
// phrase in the middle. Fail makes Say fail. Next waits for the next
// phrase without sleeping. Make one with NewSpeaker.
type Speaker struct {
	mu      sync.Mutex
	said    []kiosk.Phrase
	results []error // the outcome of each finished Say, in the order they finished
	taken   int     // phrases Next has returned
	hold    int     // phrases longer than this are held; -1: none
	fail    error
	cuts    int
	cur     *fakeUtterance
	langs   map[string]bool // the voices it has; nil: nb and en
	wake    chan struct{}   // closed and replaced on every change
}

type fakeUtterance struct {
	done chan error // receives the outcome once
}

var _ kiosk.Speaker = (*Speaker)(nil)

// NewSpeaker returns a speaker with the voices nb and en that speaks each
// phrase at once.
func NewSpeaker() *Speaker {
	return &Speaker{wake: make(chan struct{}), hold: -1, langs: map[string]bool{"nb": true, "en": true}}
}

func (s *Speaker) changedLocked() {
	close(s.wake)
	s.wake = make(chan struct{})
}

// Hold makes every Say from now on wait until Finish, Cut or its ctx;
// Hold(false) lets them return at once again (a Say waiting now still
// waits for one of those).
func (s *Speaker) Hold(on bool) {
	if on {
		s.HoldLonger(0)
	} else {
		s.HoldLonger(-1)
	}
}

// HoldLonger holds (as Hold) only the phrases longer than n bytes, so
// that short phrases are spoken at once and a long one can be cut; -1
// holds none.
func (s *Speaker) HoldLonger(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hold = n
}

// Fail makes every Say from now on return err (say, one wrapping
// kiosk.ErrDeviceUnavailable) without recording the phrase; nil heals it.
func (s *Speaker) Fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = err
}

// Finish ends the phrase being said now as spoken through: its Say
// returns nil. It reports whether a phrase was being said.
func (s *Speaker) Finish() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.endLocked(nil)
}

// endLocked ends the current utterance with err. s.mu is held.
func (s *Speaker) endLocked(err error) bool {
	if s.cur == nil {
		return false
	}
	s.cur.done <- err
	s.cur = nil
	s.changedLocked()
	return true
}

// Cut stops the phrase being said: its Say returns an error wrapping
// kiosk.ErrSpeechCut. It counts every call, also when silent.
func (s *Speaker) Cut() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cuts++
	s.endLocked(fmt.Errorf("kiosktest: speaker: %w", kiosk.ErrSpeechCut))
	s.changedLocked()
}

// Say records p and "speaks" it: at once, or, while held, until Finish,
// Cut or ctx ends. A phrase in a language other than nb and en returns
// kiosk.ErrNoVoice and is not recorded.
func (s *Speaker) Say(ctx context.Context, p kiosk.Phrase) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	if s.fail != nil {
		err := s.fail
		s.mu.Unlock()
		return err
	}
	if !s.langs[p.Lang] {
		s.mu.Unlock()
		return fmt.Errorf("kiosktest: speaker: %q: %w", p.Lang, kiosk.ErrNoVoice)
	}
	s.endLocked(fmt.Errorf("kiosktest: speaker: cut by the next phrase: %w", kiosk.ErrSpeechCut))
	s.said = append(s.said, p)
	if s.hold < 0 || len(p.Text) <= s.hold {
		s.results = append(s.results, nil)
		s.changedLocked()
		s.mu.Unlock()
		return nil
	}
	u := &fakeUtterance{done: make(chan error, 1)}
	s.cur = u
	s.changedLocked()
	s.mu.Unlock()
	var err error
	select {
	case err = <-u.done:
	case <-ctx.Done():
		s.mu.Lock()
		if s.cur == u {
			s.cur = nil
			s.changedLocked()
		}
		s.mu.Unlock()
		select {
		case err = <-u.done: // ended at the same moment
		default:
			err = ctx.Err()
		}
	}
	s.mu.Lock()
	s.results = append(s.results, err)
	s.changedLocked()
	s.mu.Unlock()
	return err
}

// Speaking reports whether a held phrase is being said now.
func (s *Speaker) Speaking() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur != nil
}

// WaitSpeaking returns once a held phrase is being said, or ctx.Err().
func (s *Speaker) WaitSpeaking(ctx context.Context) error {
	return s.waitFor(ctx, func() bool { return s.cur != nil })
}

// Said returns every phrase Say was asked to say, oldest first.
func (s *Speaker) Said() []kiosk.Phrase {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]kiosk.Phrase(nil), s.said...)
}

// Results returns the outcome of every finished Say, in the order they
// finished.
func (s *Speaker) Results() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]error(nil), s.results...)
}

// Cuts is how many times Cut was called.
func (s *Speaker) Cuts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cuts
}

// Next returns the oldest phrase Next has not returned yet, waiting for
// one to be said; ctx.Err() when ctx ends first.
func (s *Speaker) Next(ctx context.Context) (kiosk.Phrase, error) {
	var p kiosk.Phrase
	err := s.waitFor(ctx, func() bool {
		if s.taken < len(s.said) {
			p = s.said[s.taken]
			s.taken++
			return true
		}
		return false
	})
	return p, err
}

// WaitResults returns once n Say calls have finished, or ctx.Err().
func (s *Speaker) WaitResults(ctx context.Context, n int) error {
	return s.waitFor(ctx, func() bool { return len(s.results) >= n })
}

// WaitCuts returns once Cut was called at least n times, or ctx.Err().
func (s *Speaker) WaitCuts(ctx context.Context, n int) error {
	return s.waitFor(ctx, func() bool { return s.cuts >= n })
}

// waitFor waits until ok (called with s.mu held) is true.
func (s *Speaker) waitFor(ctx context.Context, ok func() bool) error {
	for {
		s.mu.Lock()
		done, wake := ok(), s.wake
		s.mu.Unlock()
		if done {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-wake:
		}
	}
}

// Sounder is a fake kiosk.Sounder that records every tone played, in
// order, with the volume it was played at. Fail makes Play fail. Make
// one with NewSounder.
type Sounder struct {
	mu     sync.Mutex
	volume int
	played []Played
	taken  int
	fail   error
	wake   chan struct{}
}

// Played is one tone the fake Sounder played.
type Played struct {
	Tone   kiosk.Tone
	Volume int
}

var _ kiosk.Sounder = (*Sounder)(nil)

// NewSounder returns a sounder at volume (0..100).
func NewSounder(volume int) *Sounder {
	return &Sounder{volume: volume, wake: make(chan struct{})}
}

// Fail makes every Play from now on return err without playing; nil
// heals it.
func (s *Sounder) Fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = err
}

// Play records t at the current volume. A tone it does not know is an
// error and is not recorded; at volume 0 nothing is recorded.
func (s *Sounder) Play(ctx context.Context, t kiosk.Tone) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	if t < kiosk.ToneAccepted || t > kiosk.ToneAttention {
		return fmt.Errorf("kiosktest: sounder: unknown %v", t)
	}
	if s.volume == 0 {
		return nil
	}
	s.played = append(s.played, Played{Tone: t, Volume: s.volume})
	close(s.wake)
	s.wake = make(chan struct{})
	return nil
}

// SetVolume sets the volume, 0..100; outside it returns an error
// wrapping kiosk.ErrBadVolume and the volume stays.
func (s *Sounder) SetVolume(percent int) error {
	if percent < 0 || percent > 100 {
		return fmt.Errorf("kiosktest: sounder: %d: %w", percent, kiosk.ErrBadVolume)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.volume = percent
	return nil
}

// Volume is the volume now.
func (s *Sounder) Volume() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.volume
}

// Played returns every tone played, oldest first.
func (s *Sounder) Played() []Played {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Played(nil), s.played...)
}

// Tones returns every tone played, oldest first, without the volumes.
func (s *Sounder) Tones() []kiosk.Tone {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]kiosk.Tone, len(s.played))
	for i, p := range s.played {
		out[i] = p.Tone
	}
	return out
}

// Next returns the oldest tone Next has not returned yet, waiting for one
// to be played; ctx.Err() when ctx ends first.
func (s *Sounder) Next(ctx context.Context) (kiosk.Tone, error) {
	for {
		s.mu.Lock()
		if s.taken < len(s.played) {
			t := s.played[s.taken].Tone
			s.taken++
			s.mu.Unlock()
			return t, nil
		}
		wake := s.wake
		s.mu.Unlock()
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-wake:
		}
	}
}

// Jack is a fake kiosk.Jack: Plug and Unplug move the headset. Make one
// with NewJack.
type Jack struct {
	mu          sync.Mutex
	plugged     bool
	seen        bool // ReadJack has reported
	reported    bool // the state last reported
	unavailable bool
	wake        chan struct{}
}

var _ kiosk.Jack = (*Jack)(nil)

// NewJack returns a jack with no headset in it.
func NewJack() *Jack { return &Jack{wake: make(chan struct{})} }

func (j *Jack) set(f func()) {
	j.mu.Lock()
	defer j.mu.Unlock()
	f()
	close(j.wake)
	j.wake = make(chan struct{})
}

// Plug plugs a headset in.
func (j *Jack) Plug() { j.set(func() { j.plugged = true }) }

// Unplug pulls the headset out.
func (j *Jack) Unplug() { j.set(func() { j.plugged = false }) }

// Break makes ReadJack fail with kiosk.ErrDeviceUnavailable, as a kiosk
// without a jack to watch.
func (j *Jack) Break() { j.set(func() { j.unavailable = true }) }

// ReadJack reports the state at once on the first call, then waits for
// it to differ from the last reported.
func (j *Jack) ReadJack(ctx context.Context) (bool, error) {
	for {
		j.mu.Lock()
		if j.unavailable {
			j.mu.Unlock()
			return false, fmt.Errorf("kiosktest: jack: %w", kiosk.ErrDeviceUnavailable)
		}
		if !j.seen || j.plugged != j.reported {
			j.seen, j.reported = true, j.plugged
			p := j.plugged
			j.mu.Unlock()
			return p, nil
		}
		wake := j.wake
		j.mu.Unlock()
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-wake:
		}
	}
}
