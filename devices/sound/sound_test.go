package sound

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestWAVHeaderGolden: the 44-byte RIFF/WAVE header of each tone.
func TestWAVHeaderGolden(t *testing.T) {
	for _, tone := range kiosk.Tones() {
		wav, err := WAV(tone, 50)
		if err != nil {
			t.Fatal(err)
		}
		got := hex.Dump(wav[:44])
		path := filepath.Join("testdata", tone.String()+".wavheader.golden")
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to create)", err)
		}
		if got != string(want) {
			t.Errorf("%v header:\n%s\nwant\n%s", tone, got, want)
		}
	}
}

// crossings estimates the frequency of pcm[from:to] (seconds) from its
// zero crossings.
func freq(pcm []int16, from, to float64) float64 {
	a, b := int(from*SampleRate), int(to*SampleRate)
	n := 0
	for i := a + 1; i < b; i++ {
		if (pcm[i-1] < 0) != (pcm[i] < 0) {
			n++
		}
	}
	return float64(n) / 2 / (to - from)
}

// TestToneFrequencies: each tone's notes are at their pitch, refused
// falls, attention rises, and the three are distinct in length.
func TestToneFrequencies(t *testing.T) {
	near := func(t *testing.T, what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > want*0.03 {
			t.Errorf("%s: %.0f Hz, want %.0f Hz ± 3 %%", what, got, want)
		}
	}
	acc, _ := PCM(kiosk.ToneAccepted, 100)
	near(t, "accepted", freq(acc, 0.01, 0.11), 1320)
	ref, _ := PCM(kiosk.ToneRefused, 100)
	near(t, "refused, first note", freq(ref, 0.01, 0.14), 440)
	near(t, "refused, second note", freq(ref, 0.20, 0.40), 330)
	att, _ := PCM(kiosk.ToneAttention, 100)
	lo, hi := freq(att, 0.01, 0.06), freq(att, 0.19, 0.24)
	if lo >= hi || lo < 600 || hi > 1400 {
		t.Errorf("attention chirp from %.0f to %.0f Hz: want rising within 660..1320", lo, hi)
	}
	lens := map[int]bool{len(acc): true, len(ref): true, len(att): true}
	if len(lens) != 3 {
		t.Errorf("tones of lengths %d, %d, %d: want distinct", len(acc), len(ref), len(att))
	}
	var peak int16
	for _, s := range acc {
		peak = max(peak, s)
	}
	if want := int16(26214); peak < want-100 || peak > want {
		t.Errorf("peak %d at volume 100, want about %d", peak, want)
	}
	if acc[0] != 0 {
		t.Errorf("first sample %d: want a fade in from 0", acc[0])
	}
	half, _ := PCM(kiosk.ToneAccepted, 50)
	if got := half[len(half)/2]; math.Abs(float64(got)-float64(acc[len(acc)/2])/2) > 2 {
		t.Errorf("volume 50 sample %d, want half of %d", got, acc[len(acc)/2])
	}
	if _, err := PCM(kiosk.Tone(9), 50); err == nil {
		t.Error("PCM of an unknown tone: no error")
	}
	if _, err := PCM(kiosk.ToneAccepted, 101); !errors.Is(err, kiosk.ErrBadVolume) {
		t.Errorf("PCM at 101 = %v, want ErrBadVolume", err)
	}
}

// fakeExec records each start and lets the test end the process.
type fakeExec struct {
	mu      sync.Mutex
	starts  []started
	fail    error // the start fails
	exitErr error // the process exits with it
	block   bool  // the process runs until killed
}

type started struct {
	name  string
	args  []string
	stdin []byte
}

type fakeProc struct {
	done chan error
	once sync.Once
}

func (p *fakeProc) Wait() error { return <-p.done }
func (p *fakeProc) Kill() error {
	p.once.Do(func() { p.done <- errors.New("signal: killed") })
	return nil
}

func (f *fakeExec) start(name string, args []string, stdin io.Reader, stderr io.Writer) (Process, error) {
	in, _ := io.ReadAll(stdin)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.starts = append(f.starts, started{name, args, in})
	if f.fail != nil {
		return nil, f.fail
	}
	p := &fakeProc{done: make(chan error, 1)}
	if !f.block {
		if f.exitErr != nil {
			_, _ = io.WriteString(stderr, "aplay: main:831: audio open error: No such file or directory\n")
		}
		p.once.Do(func() { p.done <- f.exitErr })
	}
	return p, nil
}

func found(string) (string, error) { return "/usr/bin/aplay", nil }
func noAudioCheck() error          { return nil }

func mustPlayer(tb testing.TB, cfg Config) *Player {
	tb.Helper()
	p, err := New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// TestPlayerRunsAplayWithTheWAV: the command line and what goes to stdin.
func TestPlayerRunsAplayWithTheWAV(t *testing.T) {
	f := &fakeExec{}
	p := mustPlayer(t, Config{Volume: 70, Start: f.start, LookPath: found, Audio: noAudioCheck})
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	if err := p.Play(context.Background(), kiosk.ToneRefused); err != nil {
		t.Fatal(err)
	}
	want, _ := WAV(kiosk.ToneRefused, 70)
	if len(f.starts) != 1 {
		t.Fatalf("%d starts", len(f.starts))
	}
	s := f.starts[0]
	if s.name != "aplay" || !slices.Equal(s.args, []string{"-q", "-t", "wav", "-"}) {
		t.Errorf("ran %s %q", s.name, s.args)
	}
	if !bytes.Equal(s.stdin, want) {
		t.Errorf("stdin: %d bytes, not the refused tone's WAV at 70 (%d bytes)", len(s.stdin), len(want))
	}
}

func TestPlayerDegrades(t *testing.T) {
	t.Run("NoProgram", func(t *testing.T) {
		f := &fakeExec{}
		p := mustPlayer(t, Config{Start: f.start, Volume: 50, Audio: noAudioCheck,
			LookPath: func(string) (string, error) { return "", exec.ErrNotFound }})
		if err := p.Check(); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
			t.Fatalf("Check = %v, want ErrDeviceUnavailable", err)
		}
		if err := p.Play(context.Background(), kiosk.ToneAccepted); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
			t.Errorf("Play = %v, want ErrDeviceUnavailable", err)
		}
		if len(f.starts) != 0 {
			t.Errorf("started %d players without one", len(f.starts))
		}
	})
	t.Run("NoDevice", func(t *testing.T) {
		p := mustPlayer(t, Config{Start: (&fakeExec{}).start, Volume: 50, LookPath: found,
			Audio: func() error { return errors.New("no card") }})
		if err := p.Check(); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
			t.Fatalf("Check = %v, want ErrDeviceUnavailable", err)
		}
	})
	t.Run("PlayerFails", func(t *testing.T) {
		f := &fakeExec{exitErr: errors.New("exit status 1")}
		p := mustPlayer(t, Config{Start: f.start, Volume: 50, LookPath: found, Audio: noAudioCheck})
		err := p.Play(context.Background(), kiosk.ToneAccepted)
		if !errors.Is(err, kiosk.ErrDeviceUnavailable) || !bytes.Contains([]byte(err.Error()), []byte("audio open error")) {
			t.Errorf("Play = %v, want ErrDeviceUnavailable with aplay's message", err)
		}
	})
	t.Run("StartFails", func(t *testing.T) {
		f := &fakeExec{fail: exec.ErrNotFound}
		p := mustPlayer(t, Config{Start: f.start, Volume: 50, LookPath: found, Audio: noAudioCheck})
		if err := p.Play(context.Background(), kiosk.ToneAccepted); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
			t.Errorf("Play = %v, want ErrDeviceUnavailable", err)
		}
	})
	t.Run("ContextKillsThePlayer", func(t *testing.T) {
		f := &fakeExec{block: true}
		p := mustPlayer(t, Config{Start: f.start, Volume: 50, LookPath: found, Audio: noAudioCheck})
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		if err := p.Play(ctx, kiosk.ToneAccepted); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Play = %v, want DeadlineExceeded", err)
		}
	})
}

type harness struct{ p *Player }

func (h harness) Sounder() kiosk.Sounder { return h.p }

func TestPlayerConformanceFakeExec(t *testing.T) {
	kiosktest.TestSounder(t, func(t *testing.T) kiosktest.SounderHarness {
		return harness{mustPlayer(t, Config{Start: (&fakeExec{}).start, Volume: 50, LookPath: found, Audio: noAudioCheck})}
	})
}

// TestPlayerConformanceRealProcess runs the driver with real child
// processes: cat takes the WAV (no audio device needed), and aplay on
// the machine's audio device when it has one.
func TestPlayerConformanceRealProcess(t *testing.T) {
	t.Run("cat", func(t *testing.T) {
		kiosktest.TestSounder(t, func(t *testing.T) kiosktest.SounderHarness {
			p := mustPlayer(t, Config{Command: []string{"cat"}, Volume: 50, Audio: noAudioCheck})
			if err := p.Check(); err != nil {
				t.Skipf("no cat: %v", err)
			}
			return harness{p}
		})
	})
	t.Run("aplay", func(t *testing.T) {
		p := mustPlayer(t, Config{Volume: 10})
		if err := p.Check(); err != nil {
			t.Skipf("aplay on a real audio device: %v (install alsa-utils and run on a machine with a sound card)", err)
		}
		kiosktest.TestSounder(t, func(t *testing.T) kiosktest.SounderHarness { return harness{mustPlayer(t, Config{Volume: 10})} })
	})
}
