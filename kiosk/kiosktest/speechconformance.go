package kiosktest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// speechWait bounds every wait of the speech and sound suites: generous,
// for a loaded 2-core machine; a pass never waits for it.
const speechWait = 20 * time.Second

// SpeakerHarness is a kiosk.Speaker under test.
type SpeakerHarness interface {
	// Speaker is the port under test.
	Speaker() kiosk.Speaker
	// Long is a phrase that takes seconds to say, long enough to be
	// cut in the middle.
	Long() kiosk.Phrase
	// WaitSpeaking returns once the speaker is saying a phrase, or
	// ctx.Err().
	WaitSpeaking(ctx context.Context) error
}

// TestSpeaker checks a kiosk.Speaker against its error contract: short
// phrases in nb and en are spoken through (nil), a language without a
// voice is ErrNoVoice, an ended ctx is ctx.Err(), Cut when silent does
// nothing, Cut and a next Say stop a phrase (ErrSpeechCut), and an ended
// ctx stops one too. h makes a fresh harness for each subtest.
func TestSpeaker(t *testing.T, h func(t *testing.T) SpeakerHarness) {
	short := []kiosk.Phrase{{Lang: "nb", Text: "Snus, 89 kroner."}, {Lang: "en", Text: "Total 89 kroner."}}
	// sayLong says the long phrase on a goroutine once the speaker is
	// saying it; its outcome comes on the channel.
	sayLong := func(t *testing.T, hs SpeakerHarness, ctx context.Context) <-chan error {
		t.Helper()
		out := make(chan error, 1)
		go func() { out <- hs.Speaker().Say(ctx, hs.Long()) }()
		wctx, cancel := context.WithTimeout(context.Background(), speechWait)
		defer cancel()
		if err := hs.WaitSpeaking(wctx); err != nil {
			t.Fatalf("the long phrase never started: %v", err)
		}
		return out
	}
	outcome := func(t *testing.T, c <-chan error) error {
		t.Helper()
		select {
		case err := <-c:
			return err
		case <-time.After(speechWait):
			t.Fatalf("Say did not return within %v", speechWait)
			return nil
		}
	}
	tests := []struct {
		name string
		run  func(t *testing.T, hs SpeakerHarness)
	}{
		{"SaysBothLanguages", func(t *testing.T, hs SpeakerHarness) {
			for _, p := range short {
				if err := hs.Speaker().Say(context.Background(), p); err != nil {
					t.Errorf("Say(%v) = %v, want nil", p, err)
				}
			}
		}},
		{"NoVoice", func(t *testing.T, hs SpeakerHarness) {
			err := hs.Speaker().Say(context.Background(), kiosk.Phrase{Lang: "xx-nowhere", Text: "hello"})
			if !errors.Is(err, kiosk.ErrNoVoice) {
				t.Errorf("Say in a language without a voice = %v, want ErrNoVoice", err)
			}
		}},
		{"EndedContext", func(t *testing.T, hs SpeakerHarness) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if err := hs.Speaker().Say(ctx, short[0]); !errors.Is(err, context.Canceled) {
				t.Errorf("Say with an ended ctx = %v, want context.Canceled", err)
			}
		}},
		{"CutWhenSilentDoesNothing", func(t *testing.T, hs SpeakerHarness) {
			hs.Speaker().Cut()
			if err := hs.Speaker().Say(context.Background(), short[0]); err != nil {
				t.Errorf("Say after a Cut in silence = %v, want nil", err)
			}
		}},
		{"CutStopsThePhrase", func(t *testing.T, hs SpeakerHarness) {
			c := sayLong(t, hs, context.Background())
			hs.Speaker().Cut()
			if err := outcome(t, c); !errors.Is(err, kiosk.ErrSpeechCut) {
				t.Errorf("the cut phrase's Say = %v, want ErrSpeechCut", err)
			}
			if err := hs.Speaker().Say(context.Background(), short[1]); err != nil {
				t.Errorf("Say after a cut = %v, want nil", err)
			}
		}},
		{"NextPhraseCutsTheFirst", func(t *testing.T, hs SpeakerHarness) {
			c := sayLong(t, hs, context.Background())
			if err := hs.Speaker().Say(context.Background(), short[0]); err != nil {
				t.Errorf("the second Say = %v, want nil", err)
			}
			if err := outcome(t, c); !errors.Is(err, kiosk.ErrSpeechCut) {
				t.Errorf("the first Say = %v, want ErrSpeechCut", err)
			}
		}},
		{"EndedContextStopsThePhrase", func(t *testing.T, hs SpeakerHarness) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			c := sayLong(t, hs, ctx)
			cancel()
			if err := outcome(t, c); !errors.Is(err, context.Canceled) {
				t.Errorf("Say whose ctx ended = %v, want context.Canceled", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, h(t)) })
	}
}

// LongPhrase is a phrase that takes minutes to say, for harnesses.
func LongPhrase() kiosk.Phrase {
	return kiosk.Phrase{Lang: "en", Text: strings.Repeat("This is a long phrase that is cut before its end. ", 2000)}
}

// FakeSpeakerHarness runs TestSpeaker against the fake Speaker: the long
// phrase is held until cut.
func FakeSpeakerHarness(t *testing.T) SpeakerHarness {
	s := NewSpeaker()
	s.HoldLonger(1000)
	return fakeSpeakerHarness{s}
}

type fakeSpeakerHarness struct{ s *Speaker }

func (h fakeSpeakerHarness) Speaker() kiosk.Speaker                 { return h.s }
func (h fakeSpeakerHarness) Long() kiosk.Phrase                     { return LongPhrase() }
func (h fakeSpeakerHarness) WaitSpeaking(ctx context.Context) error { return h.s.WaitSpeaking(ctx) }

// SounderHarness is a kiosk.Sounder under test.
type SounderHarness interface {
	Sounder() kiosk.Sounder
}

// TestSounder checks a kiosk.Sounder: every tone plays (nil), an unknown
// tone is an error, an ended ctx is ctx.Err(), volumes 0..100 are taken
// and others are ErrBadVolume, and volume 0 plays nothing without error.
func TestSounder(t *testing.T, h func(t *testing.T) SounderHarness) {
	tests := []struct {
		name string
		run  func(t *testing.T, s kiosk.Sounder)
	}{
		{"PlaysEveryTone", func(t *testing.T, s kiosk.Sounder) {
			for _, tone := range kiosk.Tones() {
				if err := s.Play(context.Background(), tone); err != nil {
					t.Errorf("Play(%v) = %v", tone, err)
				}
			}
		}},
		{"UnknownTone", func(t *testing.T, s kiosk.Sounder) {
			for _, tone := range []kiosk.Tone{0, 4, 255} {
				if err := s.Play(context.Background(), tone); err == nil {
					t.Errorf("Play(%v) = nil, want an error", tone)
				}
			}
		}},
		{"EndedContext", func(t *testing.T, s kiosk.Sounder) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if err := s.Play(ctx, kiosk.ToneAccepted); !errors.Is(err, context.Canceled) {
				t.Errorf("Play with an ended ctx = %v, want context.Canceled", err)
			}
		}},
		{"Volume", func(t *testing.T, s kiosk.Sounder) {
			for _, v := range []int{-1, 101, 1000} {
				if err := s.SetVolume(v); !errors.Is(err, kiosk.ErrBadVolume) {
					t.Errorf("SetVolume(%d) = %v, want ErrBadVolume", v, err)
				}
			}
			for _, v := range []int{0, 100, 35} {
				if err := s.SetVolume(v); err != nil {
					t.Errorf("SetVolume(%d) = %v", v, err)
				}
			}
			if err := s.Play(context.Background(), kiosk.ToneRefused); err != nil {
				t.Errorf("Play at 35 = %v", err)
			}
			if err := s.SetVolume(0); err != nil {
				t.Fatal(err)
			}
			if err := s.Play(context.Background(), kiosk.ToneAttention); err != nil {
				t.Errorf("Play at volume 0 = %v, want nil", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, h(t).Sounder()) })
	}
}

// JackHarness is a kiosk.Jack under test, with a way to move the headset.
type JackHarness interface {
	Jack() kiosk.Jack
	Plug()
	Unplug()
}

// TestJack checks a kiosk.Jack: the first read answers at once (no
// headset), each plug and unplug is reported, and a read with nothing
// to report waits until its ctx ends.
func TestJack(t *testing.T, h func(t *testing.T) JackHarness) {
	read := func(t *testing.T, j kiosk.Jack, want bool) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), speechWait)
		defer cancel()
		got, err := j.ReadJack(ctx)
		if err != nil || got != want {
			t.Fatalf("ReadJack = %v, %v; want %v, nil", got, err, want)
		}
	}
	t.Run("FirstReadAtOnce", func(t *testing.T) {
		hj := h(t)
		read(t, hj.Jack(), false)
	})
	t.Run("PlugAndUnplug", func(t *testing.T) {
		hj := h(t)
		read(t, hj.Jack(), false)
		hj.Plug()
		read(t, hj.Jack(), true)
		hj.Unplug()
		read(t, hj.Jack(), false)
	})
	t.Run("WaitsUntilContextEnds", func(t *testing.T) {
		hj := h(t)
		read(t, hj.Jack(), false)
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		if got, err := hj.Jack().ReadJack(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("ReadJack with nothing new = %v, %v; want DeadlineExceeded", got, err)
		}
	})
}

// FakeJackHarness runs TestJack against the fake Jack.
func FakeJackHarness(t *testing.T) JackHarness { j := NewJack(); return fakeJackHarness{j} }

type fakeJackHarness struct{ j *Jack }

func (h fakeJackHarness) Jack() kiosk.Jack { return h.j }
func (h fakeJackHarness) Plug()            { h.j.Plug() }
func (h fakeJackHarness) Unplug()          { h.j.Unplug() }
