package kiosktest_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

func TestFakeSpeakerConformance(t *testing.T) {
	kiosktest.TestSpeaker(t, kiosktest.FakeSpeakerHarness)
}

func TestFakeSounderConformance(t *testing.T) {
	kiosktest.TestSounder(t, func(t *testing.T) kiosktest.SounderHarness { return sounderHarness{kiosktest.NewSounder(50)} })
}

func TestFakeJackConformance(t *testing.T) {
	kiosktest.TestJack(t, kiosktest.FakeJackHarness)
}

type sounderHarness struct{ s *kiosktest.Sounder }

func (h sounderHarness) Sounder() kiosk.Sounder { return h.s }

// TestFakeSpeakerRecords: phrases in order, Next waits for each, Cut
// counts and ends a held phrase.
func TestFakeSpeakerRecords(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s := kiosktest.NewSpeaker()
	want := []kiosk.Phrase{{Lang: "nb", Text: "en"}, {Lang: "en", Text: "two"}}
	go func() {
		for _, p := range want {
			_ = s.Say(ctx, p)
		}
	}()
	for i, w := range want {
		got, err := s.Next(ctx)
		if err != nil || got != w {
			t.Fatalf("Next %d = %v, %v; want %v", i, got, err, w)
		}
	}
	if got := s.Said(); !slices.Equal(got, want) {
		t.Errorf("Said %v, want %v", got, want)
	}
	s.Hold(true)
	done := make(chan error, 1)
	go func() { done <- s.Say(ctx, kiosk.Phrase{Lang: "nb", Text: "held"}) }()
	if err := s.WaitSpeaking(ctx); err != nil {
		t.Fatal(err)
	}
	s.Cut()
	if err := <-done; !errors.Is(err, kiosk.ErrSpeechCut) {
		t.Errorf("held Say after Cut = %v", err)
	}
	if s.Cuts() != 1 {
		t.Errorf("Cuts %d, want 1", s.Cuts())
	}
	s.Fail(kiosk.ErrDeviceUnavailable)
	if err := s.Say(ctx, want[0]); !errors.Is(err, kiosk.ErrDeviceUnavailable) {
		t.Errorf("failing Say = %v", err)
	}
}

func TestFakeSounderRecords(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s := kiosktest.NewSounder(40)
	for _, tone := range []kiosk.Tone{kiosk.ToneRefused, kiosk.ToneAccepted} {
		if err := s.Play(ctx, tone); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := s.Next(ctx); got != kiosk.ToneRefused {
		t.Errorf("Next = %v", got)
	}
	want := []kiosktest.Played{{kiosk.ToneRefused, 40}, {kiosk.ToneAccepted, 40}}
	if got := s.Played(); !slices.Equal(got, want) {
		t.Errorf("Played %v, want %v", got, want)
	}
}
