package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"selvkasse/app/ui"
	"selvkasse/devices/sound"
	"selvkasse/devices/speech"
	"selvkasse/kiosk"
)

// Speech and sound at the kiosk (issue 14 items 1 and 3): the narrator
// turns each view the customer screen draws into phrases (when speech is
// on) and a tone (always), kiosk.Narrate being the pure mapping.

// SpeechConfig is the "speech" section of the configuration file.
type SpeechConfig struct {
	// Off: no speech at all (no espeak-ng is started, the keys and the
	// headset do nothing).
	Off bool `json:"off,omitempty"`
	// Program is espeak-ng (default "espeak-ng").
	Program string `json:"program,omitempty"`
	// Rate is words per minute, 80..450 (default 160).
	Rate int `json:"rate,omitempty"`
	// Volume is 0..100 (default 70).
	Volume *int `json:"volume,omitempty"`
	// Jack is the Linux input device of the headset socket's switch
	// (a udev symlink, e.g. /dev/input/by-path/platform-…-event);
	// empty: speech starts with the accessibility key only.
	Jack string `json:"jack,omitempty"`
}

// SoundConfig is the "sound" section of the configuration file.
type SoundConfig struct {
	// Volume of the tones, 0 (silent) to 100 (default 60).
	Volume *int `json:"volume,omitempty"`
	// Command is the player, reading one WAV file on stdin (default
	// aplay -q -t wav -).
	Command []string `json:"command,omitempty"`
}

// Defaults of the speech and sound sections.
const (
	DefaultSpeechVolume = 70
	DefaultSoundVolume  = 60
)

func volumeOr(v *int, def int) int {
	if v == nil {
		return def
	}
	return *v
}

// check says what is wrong with the speech and sound sections.
func (c Config) checkSpeech() error {
	if v := volumeOr(c.Speech.Volume, DefaultSpeechVolume); v < 0 || v > 100 {
		return fmt.Errorf("%w: speech.volume %d: want 0..100", ErrBadConfig, v)
	}
	if r := c.Speech.Rate; r != 0 && (r < 80 || r > 450) {
		return fmt.Errorf("%w: speech.rate %d: want 80..450 words per minute", ErrBadConfig, r)
	}
	if v := volumeOr(c.Sound.Volume, DefaultSoundVolume); v < 0 || v > 100 {
		return fmt.Errorf("%w: sound.volume %d: want 0..100", ErrBadConfig, v)
	}
	return nil
}

// openSpeech opens espeak-ng and the tone player for c. A missing
// program or audio device is logged once, plainly, and the kiosk runs
// on without it (the narrator still records what it would have said,
// for /healthz); only a bad configuration is an error.
func openSpeech(sp SpeechConfig, so SoundConfig, log *slog.Logger) (kiosk.Speaker, kiosk.Sounder, error) {
	var speaker kiosk.Speaker
	if !sp.Off {
		e, err := speech.NewEspeak(speech.Config{Program: sp.Program, Rate: sp.Rate, Volume: volumeOr(sp.Volume, DefaultSpeechVolume)})
		if err != nil {
			return nil, nil, fmt.Errorf("%w: speech: %v", ErrBadConfig, err)
		}
		if err := e.Check(); err != nil {
			log.Warn("speech unavailable: the kiosk runs without speaking", "err", err)
		} else {
			speaker = e
		}
	}
	p, err := sound.New(sound.Config{Command: so.Command, Volume: volumeOr(so.Volume, DefaultSoundVolume)})
	if err != nil {
		return nil, nil, fmt.Errorf("%w: sound: %v", ErrBadConfig, err)
	}
	if err := p.Check(); err != nil {
		log.Warn("sound unavailable: the kiosk runs without tones", "err", err)
		return speaker, nil, nil
	}
	return speaker, p, nil
}

// narrator speaks and plays what the customer screen shows. Show takes
// each view the screen draws, in order; Run speaks the queued phrases
// and PlayTones plays the tones, each on its own goroutine. The keys and
// the headset switch speech on and off, repeat the prompt and stop it.
type narrator struct {
	log     *slog.Logger
	speaker kiosk.Speaker // nil: the phrases are recorded only
	sounder kiosk.Sounder // nil: no tones

	off bool // speech is off in the configuration: the keys and the headset do nothing

	keys keyMap  // the customer's keys (speechkeys.go); nil: the defaults
	vol  volumes // under mu once the kiosk runs

	mu        sync.Mutex
	on        bool
	headset   bool
	lang      string
	prev      kiosk.View
	seen      bool
	queue     []kiosk.Phrase
	cancelCur context.CancelFunc // the phrase being said; nil when none
	last      kiosk.Phrase
	said      []string // the newest phrases, for /healthz
	lastErr   string
	logged    map[string]bool // errors logged once
	wake      chan struct{}
	tones     chan kiosk.Tone
}

// saidKept is how many of the newest phrases /healthz lists.
const saidKept = 50

func newNarrator(log *slog.Logger, speaker kiosk.Speaker, sounder kiosk.Sounder, lang string) *narrator {
	return &narrator{log: log, speaker: speaker, sounder: sounder, lang: lang,
		logged: map[string]bool{}, wake: make(chan struct{}, 1), tones: make(chan kiosk.Tone, 8)}
}

func (n *narrator) kick() {
	select {
	case n.wake <- struct{}{}:
	default:
	}
}

// Show narrates the screen going to v, drawn in lang. A view that comes
// from a scan or a pick (kiosk.Narration.Cut) cuts what is being said
// first: the customer has moved on. Other changes (the terminal, the
// sale's end, staff) queue behind it.
func (n *narrator) Show(v kiosk.View, lang string) {
	// A decline's reason as the screen says it, in its language (the
	// terminal's own text holds both).
	if v.Notice == kiosk.NoticeDeclined {
		v.NoticeArg = ui.DeclineReason(lang, v)
	}
	n.mu.Lock()
	prev, seen := n.prev, n.seen
	n.prev, n.seen, n.lang = v, true, lang
	if !seen {
		n.mu.Unlock()
		return
	}
	nr := kiosk.Narrate(prev, v, lang)
	if nr.Tone != 0 && n.sounder != nil {
		select {
		case n.tones <- nr.Tone:
		default: // tones pile up: the screen shows it anyway
		}
	}
	if !n.on || len(nr.Say) == 0 {
		n.mu.Unlock()
		return
	}
	if nr.Cut {
		n.cutLocked()
	}
	n.queue = append(n.queue, nr.Say...)
	n.mu.Unlock()
	n.kick()
}

// cutLocked drops the queue and stops the phrase being said. n.mu is
// held.
func (n *narrator) cutLocked() {
	n.queue = nil
	if n.cancelCur != nil {
		n.cancelCur()
		n.cancelCur = nil
	}
	if n.speaker != nil {
		n.speaker.Cut()
	}
}

// Action is any customer action (a tap, a key, a scan): it cuts the
// phrase being said.
func (n *narrator) Action() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.cutLocked()
}

// SetHeadset is the headset switch: plugged in turns speech on (with the
// greeting), pulled out turns it off.
func (n *narrator) SetHeadset(plugged bool) {
	n.mu.Lock()
	n.headset = plugged
	n.mu.Unlock()
	n.SetOn(plugged)
}

// SetOn switches speech on (greeting, then the screen's prompt) or off
// (silence at once).
func (n *narrator) SetOn(on bool) {
	n.mu.Lock()
	defer n.kick()
	defer n.mu.Unlock()
	if on == n.on || n.off {
		return
	}
	n.on = on
	n.cutLocked()
	if on {
		n.queue = kiosk.Greeting(n.prev, n.lang)
	}
}

// Toggle is the accessibility key: speech on when it is off, off when on.
func (n *narrator) Toggle() {
	n.mu.Lock()
	on := n.on
	n.mu.Unlock()
	n.SetOn(!on)
}

// Repeat is the repeat key: the screen's prompt again, in lang (the
// screen's language now; "" for the last drawn). It turns speech on
// when it was off.
func (n *narrator) Repeat(lang string) {
	n.mu.Lock()
	defer n.kick()
	defer n.mu.Unlock()
	if lang != "" {
		n.lang = lang
	}
	if n.off {
		return
	}
	n.on = true
	n.cutLocked()
	if p := kiosk.Prompt(n.prev, n.lang); p.Text != "" {
		n.queue = []kiosk.Phrase{p}
	}
}

// Failed says that the customer's command was refused, as the screen's
// banner does (speech on only).
func (n *narrator) Failed() {
	n.mu.Lock()
	if !n.on {
		n.mu.Unlock()
		return
	}
	n.queue = append(n.queue, kiosk.Failed(n.lang))
	n.mu.Unlock()
	n.kick()
}

// Stop is the stop key: silence now. Speech stays on for the next
// screen.
func (n *narrator) Stop() { n.Action() }

// Run says the queued phrases, one at a time, until ctx ends.
func (n *narrator) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-n.wake:
		}
		for {
			n.mu.Lock()
			if len(n.queue) == 0 {
				n.mu.Unlock()
				break
			}
			p := n.queue[0]
			n.queue = n.queue[1:]
			n.last = p
			n.said = append(n.said, p.Text)
			if len(n.said) > saidKept {
				n.said = n.said[len(n.said)-saidKept:]
			}
			pctx, cancel := context.WithCancel(ctx)
			n.cancelCur = cancel
			n.mu.Unlock()
			var err error
			if n.speaker != nil {
				err = n.speaker.Say(pctx, p)
			}
			cancel()
			n.mu.Lock()
			n.cancelCur = nil
			n.mu.Unlock()
			switch {
			case ctx.Err() != nil:
				return
			case err == nil, errors.Is(err, kiosk.ErrSpeechCut), errors.Is(err, context.Canceled):
			default:
				n.failed("speech", err)
			}
		}
	}
}

// PlayTones plays the tones Show queued until ctx ends.
func (n *narrator) PlayTones(ctx context.Context) {
	if n.sounder == nil {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case t := <-n.tones:
			if err := n.sounder.Play(ctx, t); err != nil && ctx.Err() == nil {
				n.failed("sound", err)
			}
		}
	}
}

// failed notes err for /healthz and logs each distinct one once.
func (n *narrator) failed(what string, err error) {
	n.mu.Lock()
	n.lastErr = err.Error()
	first := !n.logged[n.lastErr]
	n.logged[n.lastErr] = true
	n.mu.Unlock()
	if first {
		n.log.Warn(what+" failed; the screen shows it anyway", "err", err)
	}
}

// WatchJack follows the headset switch until ctx ends or the jack cannot
// be read (logged; speech then starts with the key only).
func (n *narrator) WatchJack(ctx context.Context, j kiosk.Jack) {
	for {
		plugged, err := j.ReadJack(ctx)
		if err != nil {
			if ctx.Err() == nil {
				n.log.Warn("headset jack not watched: speech starts with the accessibility key", "err", err)
			}
			return
		}
		n.mu.Lock()
		changed := plugged != n.headset
		n.mu.Unlock()
		if changed {
			n.SetHeadset(plugged)
		}
	}
}

// SpeechHealth is speech in /healthz: whether it is on, and what was
// said (the phrases handed to the speech driver, newest last).
type SpeechHealth struct {
	On       bool     `json:"on"`
	Headset  bool     `json:"headset"`
	Voice    bool     `json:"voice"` // a speech driver runs (false: phrases recorded only)
	Last     string   `json:"last,omitempty"`
	LastLang string   `json:"last_lang,omitempty"`
	Said     []string `json:"said,omitempty"`
	Error    string   `json:"error,omitempty"`
}

func (n *narrator) health() *SpeechHealth {
	n.mu.Lock()
	defer n.mu.Unlock()
	return &SpeechHealth{On: n.on, Headset: n.headset, Voice: n.speaker != nil, Last: n.last.Text, LastLang: n.last.Lang,
		Said: append([]string(nil), n.said...), Error: n.lastErr}
}

// do is the simulator's speech command: plug, unplug, key (the
// accessibility key), repeat, stop.
func (n *narrator) do(arg string) error {
	switch arg {
	case "plug":
		n.SetHeadset(true)
	case "unplug":
		n.SetHeadset(false)
	case "key":
		n.Action()
		n.Toggle()
	case "repeat":
		n.Action()
		n.Repeat("")
	case "stop":
		n.Stop()
	default:
		return usageError("speech takes plug, unplug, key, repeat or stop")
	}
	return nil
}

// actionKiosk is the checkout as the customer screen drives it: each
// customer command is an action that cuts the phrase being said first,
// and a refused one is said to have failed (the screen's banner).
type actionKiosk struct {
	*kiosk.Checkout
	n *narrator
}

// do runs a customer command.
func (k actionKiosk) do(cmd func() error) error {
	k.n.Action()
	err := cmd()
	if err != nil {
		k.n.Failed()
	}
	return err
}

func (k actionKiosk) Add(g kiosk.GTIN) error {
	return k.do(func() error { return k.Checkout.Add(g) })
}
func (k actionKiosk) SetQty(g kiosk.GTIN, qty int) error {
	return k.do(func() error { return k.Checkout.SetQty(g, qty) })
}
func (k actionKiosk) Remove(g kiosk.GTIN) error {
	return k.do(func() error { return k.Checkout.Remove(g) })
}
func (k actionKiosk) Pay() error           { return k.do(k.Checkout.Pay) }
func (k actionKiosk) Retry() error         { return k.do(k.Checkout.Retry) }
func (k actionKiosk) Cancel() error        { return k.do(k.Checkout.Cancel) }
func (k actionKiosk) Help() error          { return k.do(k.Checkout.Help) }
func (k actionKiosk) WithdrawHelp() error  { return k.do(k.Checkout.WithdrawHelp) }
func (k actionKiosk) Touch()               { k.n.Action(); k.Checkout.Touch() }
func (k actionKiosk) FinishReceipt() error { return k.do(k.Checkout.FinishReceipt) }

// startSpeech opens speech and sound for o, starts the narrator's
// goroutines and the headset watcher, until ctx ends.
func (k *kioskRun) startSpeech(ctx context.Context, o kioskOptions) (*narrator, error) {
	speaker, sounder, err := openSpeech(o.Speech, o.Sound, k.log)
	if err != nil {
		return nil, err
	}
	n := newNarrator(k.log, speaker, sounder, o.Lang)
	n.off = o.Speech.Off
	keys, err := keyMapFor(o.Keypad.Keys)
	if err != nil {
		return nil, err
	}
	n.keys = keys
	n.vol = volumes{speech: volumeOr(o.Speech.Volume, DefaultSpeechVolume), sound: volumeOr(o.Sound.Volume, DefaultSoundVolume)}
	go n.Run(ctx)
	go n.PlayTones(ctx)
	if o.Speech.Jack != "" && !o.Speech.Off {
		j, closeJack, err := speech.OpenJack(o.Speech.Jack)
		if err != nil {
			k.log.Warn("headset jack not watched: speech starts with the accessibility key", "err", err)
		} else {
			context.AfterFunc(ctx, func() { _ = closeJack() })
			go n.WatchJack(ctx, j)
		}
	}
	return n, nil
}
