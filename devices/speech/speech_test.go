package speech

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// fakeExec records each start; a phrase longer than 1000 bytes runs
// until killed, others end at once with exitErr and stderr.
type fakeExec struct {
	mu      sync.Mutex
	starts  []started
	exitErr error
	stderr  string
	running int
	wake    chan struct{}
}

type started struct {
	name  string
	args  []string
	stdin string
}

type fakeProc struct {
	done chan error
	once sync.Once
	f    *fakeExec
}

func (p *fakeProc) Wait() error {
	err := <-p.done
	p.f.mu.Lock()
	p.f.running--
	p.f.mu.Unlock()
	return err
}

func (p *fakeProc) Kill() error {
	p.once.Do(func() { p.done <- errors.New("signal: killed") })
	return nil
}

func newFakeExec() *fakeExec { return &fakeExec{wake: make(chan struct{})} }

func (f *fakeExec) start(name string, args []string, stdin io.Reader, stderr io.Writer) (Process, error) {
	in, _ := io.ReadAll(stdin)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.starts = append(f.starts, started{name, slices.Clone(args), string(in)})
	f.running++
	p := &fakeProc{done: make(chan error, 1), f: f}
	if len(in) <= 1000 {
		_, _ = io.WriteString(stderr, f.stderr)
		p.once.Do(func() { p.done <- f.exitErr })
	}
	close(f.wake)
	f.wake = make(chan struct{})
	return p, nil
}

func found(string) (string, error) { return "/usr/bin/espeak-ng", nil }
func audioOK() error               { return nil }

func mustEspeak(tb testing.TB, cfg Config) *Espeak {
	tb.Helper()
	e, err := NewEspeak(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// TestEspeakCommandLineAndStdin: the voice, rate and volume on the
// command line, the text on stdin only, one line, never as an argument.
func TestEspeakCommandLineAndStdin(t *testing.T) {
	tests := []struct {
		name   string
		cfg    Config
		phrase kiosk.Phrase
		args   []string
		stdin  string
	}{
		{"nb defaults", Config{Volume: 70}, kiosk.Phrase{Lang: "nb", Text: "Snus, 89 kroner."},
			[]string{"-v", "nb", "-s", "160", "-a", "140", "-b", "1", "--stdin"}, "Snus, 89 kroner.\n"},
		{"en rate and volume", Config{Rate: 120, Volume: 100}, kiosk.Phrase{Lang: "en", Text: "Total 89 kroner."},
			[]string{"-v", "en", "-s", "120", "-a", "200", "-b", "1", "--stdin"}, "Total 89 kroner.\n"},
		{"to a file", Config{Volume: 50, Output: "/tmp/x.wav"}, kiosk.Phrase{Lang: "nb", Text: "Takk"},
			[]string{"-v", "nb", "-s", "160", "-a", "100", "-b", "1", "--stdin", "-w", "/tmp/x.wav"}, "Takk\n"},
		{"shell characters and lines stay on stdin", Config{Volume: 50}, kiosk.Phrase{Lang: "nb", Text: "Snus $(rm -rf /);\n`x` | ø\t\"å\""},
			[]string{"-v", "nb", "-s", "160", "-a", "100", "-b", "1", "--stdin"}, "Snus $(rm -rf /); `x` | ø \"å\"\n"},
		{"own voice", Config{Volume: 50, Voices: map[string]string{"en": "en-gb"}}, kiosk.Phrase{Lang: "en", Text: "Hi"},
			[]string{"-v", "en-gb", "-s", "160", "-a", "100", "-b", "1", "--stdin"}, "Hi\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeExec()
			tt.cfg.Start, tt.cfg.LookPath, tt.cfg.Audio = f.start, found, audioOK
			e := mustEspeak(t, tt.cfg)
			if err := e.Check(); err != nil {
				t.Fatal(err)
			}
			if err := e.Say(context.Background(), tt.phrase); err != nil {
				t.Fatal(err)
			}
			if len(f.starts) != 1 {
				t.Fatalf("%d starts", len(f.starts))
			}
			s := f.starts[0]
			if s.name != "espeak-ng" || !slices.Equal(s.args, tt.args) {
				t.Errorf("ran %s %q, want espeak-ng %q", s.name, s.args, tt.args)
			}
			if s.stdin != tt.stdin {
				t.Errorf("stdin %q, want %q", s.stdin, tt.stdin)
			}
		})
	}
}

func TestEspeakConfig(t *testing.T) {
	for _, cfg := range []Config{{Rate: 79}, {Rate: 451}, {Volume: -1}, {Volume: 101}} {
		if _, err := NewEspeak(cfg); !errors.Is(err, ErrBadConfig) {
			t.Errorf("NewEspeak(%+v) = %v, want ErrBadConfig", cfg, err)
		}
	}
}

func TestEspeakDegrades(t *testing.T) {
	p := kiosk.Phrase{Lang: "nb", Text: "Hei"}
	t.Run("NoProgram", func(t *testing.T) {
		f := newFakeExec()
		e := mustEspeak(t, Config{Start: f.start, Audio: audioOK, LookPath: func(string) (string, error) { return "", exec.ErrNotFound }})
		if err := e.Check(); !errors.Is(err, kiosk.ErrDeviceUnavailable) || !strings.Contains(err.Error(), "espeak-ng") {
			t.Fatalf("Check = %v, want ErrDeviceUnavailable naming espeak-ng", err)
		}
		if err := e.Say(context.Background(), p); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
			t.Errorf("Say = %v", err)
		}
		if len(f.starts) != 0 {
			t.Errorf("%d starts without the program", len(f.starts))
		}
	})
	t.Run("NoAudioDevice", func(t *testing.T) {
		e := mustEspeak(t, Config{Start: newFakeExec().start, LookPath: found, Audio: func() error { return errors.New("no card") }})
		if err := e.Check(); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
			t.Fatalf("Check = %v", err)
		}
	})
	t.Run("FileOutputNeedsNoAudio", func(t *testing.T) {
		e := mustEspeak(t, Config{Start: newFakeExec().start, LookPath: found, Output: "/dev/null", Audio: func() error { return errors.New("no card") }})
		if err := e.Check(); err != nil {
			t.Fatalf("Check = %v", err)
		}
	})
	t.Run("ALSAErrorWithExitZero", func(t *testing.T) {
		f := newFakeExec()
		f.stderr = "ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM default\nerror: No such file or directory\n"
		e := mustEspeak(t, Config{Start: f.start, LookPath: found, Audio: audioOK})
		if err := e.Say(context.Background(), p); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
			t.Errorf("Say = %v, want ErrDeviceUnavailable", err)
		}
	})
	t.Run("VoiceMissing", func(t *testing.T) {
		f := newFakeExec()
		f.exitErr, f.stderr = errors.New("exit status 1"), "Error: The specified espeak-ng voice does not exist.\n"
		e := mustEspeak(t, Config{Start: f.start, LookPath: found, Audio: audioOK})
		if err := e.Say(context.Background(), p); !errors.Is(err, kiosk.ErrNoVoice) {
			t.Errorf("Say = %v, want ErrNoVoice", err)
		}
	})
}

type espeakHarness struct {
	e    *Espeak
	wait func(ctx context.Context) error
}

func (h espeakHarness) Speaker() kiosk.Speaker { return h.e }
func (h espeakHarness) Long() kiosk.Phrase     { return kiosktest.LongPhrase() }
func (h espeakHarness) WaitSpeaking(ctx context.Context) error {
	return h.wait(ctx)
}

// TestEspeakConformanceFakeExec: the driver's process handling, with a
// fake espeak-ng that speaks a long phrase until killed.
func TestEspeakConformanceFakeExec(t *testing.T) {
	kiosktest.TestSpeaker(t, func(t *testing.T) kiosktest.SpeakerHarness {
		f := newFakeExec()
		e := mustEspeak(t, Config{Start: f.start, LookPath: found, Audio: audioOK})
		return espeakHarness{e, func(ctx context.Context) error {
			for {
				f.mu.Lock()
				wake := f.wake
				f.mu.Unlock()
				if e.Speaking() {
					return nil
				}
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-wake:
				}
			}
		}}
	})
}

// TestEspeakConformanceReal runs the suite against espeak-ng itself,
// writing WAV files (no audio device needed).
func TestEspeakConformanceReal(t *testing.T) {
	if _, err := exec.LookPath(DefaultProgram); err != nil {
		t.Skip("espeak-ng is not installed (Debian package espeak-ng; `make deps` installs it)")
	}
	kiosktest.TestSpeaker(t, func(t *testing.T) kiosktest.SpeakerHarness {
		started := make(chan struct{}, 16)
		start := func(name string, args []string, stdin io.Reader, stderr io.Writer) (Process, error) {
			p, err := ExecStart(name, args, stdin, stderr)
			if err == nil {
				started <- struct{}{}
			}
			return p, err
		}
		e := mustEspeak(t, Config{Output: filepath.Join(t.TempDir(), "out.wav"), Start: start})
		if err := e.Check(); err != nil {
			t.Fatal(err)
		}
		return espeakHarness{e, func(ctx context.Context) error {
			select {
			case <-started:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}}
	})
}

// TestEspeakWritesSpeech: espeak-ng with the driver's command line makes
// a WAV of some length for each language.
func TestEspeakWritesSpeech(t *testing.T) {
	if _, err := exec.LookPath(DefaultProgram); err != nil {
		t.Skip("espeak-ng is not installed (Debian package espeak-ng)")
	}
	for _, lang := range []string{"nb", "en"} {
		out := filepath.Join(t.TempDir(), lang+".wav")
		e := mustEspeak(t, Config{Output: out})
		var stderr bytes.Buffer
		p, err := ExecStart(DefaultProgram, e.Args(DefaultVoices[lang]), strings.NewReader("Snus, 89 kroner og 50 øre.\n"), &stderr)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Wait(); err != nil {
			t.Fatalf("%s: %v: %s", lang, err, stderr.String())
		}
		if err := e.Say(context.Background(), kiosk.Phrase{Lang: lang, Text: "Takk for handelen!"}); err != nil {
			t.Errorf("%s: Say = %v", lang, err)
		}
	}
}

// jackPipe feeds input events to an InputJack.
type jackPipe struct {
	j *InputJack
	w *io.PipeWriter
}

func event(typ, code uint16, val int32) []byte {
	b := make([]byte, EventSize)
	ts := EventSize - 8
	binary.LittleEndian.PutUint16(b[ts:], typ)
	binary.LittleEndian.PutUint16(b[ts+2:], code)
	binary.LittleEndian.PutUint32(b[ts+4:], uint32(val))
	return b
}

func (p jackPipe) Jack() kiosk.Jack { return p.j }
func (p jackPipe) send(v int32) {
	// A key event and a sync around the switch, as a real device sends.
	_, _ = p.w.Write(slices.Concat(event(0x01, 30, 1), event(evSW, swHeadphoneInsert, v), event(0x00, 0, 0)))
}
func (p jackPipe) Plug()   { p.send(1) }
func (p jackPipe) Unplug() { p.send(0) }

func TestInputJackConformance(t *testing.T) {
	kiosktest.TestJack(t, func(t *testing.T) kiosktest.JackHarness {
		r, w := io.Pipe()
		t.Cleanup(func() { w.Close() })
		return jackPipe{NewInputJack(r, false), w}
	})
}

func TestInputJackEndOfDevice(t *testing.T) {
	r, w := io.Pipe()
	j := NewInputJack(r, true)
	if p, err := j.ReadJack(context.Background()); !p || err != nil {
		t.Fatalf("first read %v, %v; want the state at start", p, err)
	}
	w.Close()
	if _, err := j.ReadJack(context.Background()); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
		t.Errorf("read after the device went = %v, want ErrDeviceUnavailable", err)
	}
}

func TestParseJackEvent(t *testing.T) {
	tests := []struct {
		b    []byte
		want JackEvent
		err  bool
	}{
		{event(evSW, swHeadphoneInsert, 1), JackEvent{true, true}, false},
		{event(evSW, swHeadphoneInsert, 0), JackEvent{true, false}, false},
		{event(evSW, swLineoutInsert, 1), JackEvent{true, true}, false},
		{event(evSW, 0x00, 1), JackEvent{}, false}, // SW_LID
		{event(0x01, swHeadphoneInsert, 1), JackEvent{}, false},
		{make([]byte, 3), JackEvent{}, true},
	}
	for i, tt := range tests {
		got, err := ParseJackEvent(tt.b)
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("%d: %+v, %v; want %+v, error %v", i, got, err, tt.want, tt.err)
		}
	}
}

func FuzzParseJackEvent(f *testing.F) {
	f.Add(event(evSW, swHeadphoneInsert, 1))
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		ev, err := ParseJackEvent(b)
		if err != nil && ev.Known {
			t.Fatal("an error with a known event")
		}
		if len(b) != EventSize && err == nil {
			t.Fatalf("%d bytes accepted", len(b))
		}
	})
}

func TestOpenJackMissingDevice(t *testing.T) {
	_, _, err := OpenJack(filepath.Join(t.TempDir(), "no-such-event"))
	if !errors.Is(err, kiosk.ErrDeviceUnavailable) {
		t.Errorf("OpenJack of a missing device = %v, want ErrDeviceUnavailable", err)
	}
}

// TestEspeakSetVolume: the volume keys change the amplitude of the next
// phrase; a volume out of range is refused and the volume stays.
func TestEspeakSetVolume(t *testing.T) {
	f := newFakeExec()
	e := mustEspeak(t, Config{Volume: 70, Start: f.start, LookPath: found, Audio: audioOK})
	if err := e.SetVolume(40); err != nil {
		t.Fatal(err)
	}
	if err := e.SetVolume(101); !errors.Is(err, kiosk.ErrBadVolume) {
		t.Errorf("101: %v, want ErrBadVolume", err)
	}
	if a := e.Args("nb"); !slices.Contains(a, "80") || slices.Contains(a, "140") {
		t.Errorf("args %q, want -a 80", a)
	}
}
