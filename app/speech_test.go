package app

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

const speechWait = 20 * time.Second

// spokenKiosk is the e2e kiosk with the narrator on the checkout's
// views, as the screen hands them over, in one language, with a
// recording speaker and sounder.
type spokenKiosk struct {
	*e2e
	n       *narrator
	speaker *kiosktest.Speaker
	sounder *kiosktest.Sounder
	act     actionKiosk
}

func mustSpokenKiosk(t *testing.T, lang string) *spokenKiosk {
	t.Helper()
	e := mustE2E(t)
	k := &spokenKiosk{e2e: e, speaker: kiosktest.NewSpeaker(), sounder: kiosktest.NewSounder(60)}
	k.n = newNarrator(slog.New(slog.NewTextHandler(io.Discard, nil)), k.speaker, k.sounder, lang)
	k.act = actionKiosk{e.co, k.n}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go k.n.Run(ctx)
	go k.n.PlayTones(ctx)
	k.n.Show(e.co.View(), lang)
	t.Cleanup(e.co.Subscribe(func(v kiosk.View) { k.n.Show(v, lang) }))
	return k
}

// hear waits for each phrase in want, in order, in lang.
func (k *spokenKiosk) hear(lang string, want ...string) {
	k.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), speechWait)
	defer cancel()
	for _, w := range want {
		p, err := k.speaker.Next(ctx)
		if err != nil {
			k.t.Fatalf("waiting to hear %q: %v; heard so far %q", w, err, k.speaker.Said())
		}
		if p.Text != w || p.Lang != lang {
			k.t.Fatalf("heard %v, want %s: %q", p, lang, w)
		}
	}
}

// TestSpokenSale runs a whole sale with speech on (a headset plugged in)
// and checks what was said, in order, in Norwegian and in English: the
// welcome prompt, each item and its price, the total, the age check, the
// pay instruction and the terminal's prompt, the release with its
// compartment and the thank-you; and the tones that went with them.
func TestSpokenSale(t *testing.T) {
	type words struct {
		on, welcome, cola, colaTotal, snus, total, age, pay, terminal, release, thanks string
	}
	for _, tc := range []struct {
		lang string
		w    words
	}{
		{"nb", words{
			on:        "Tale er slått på. Trykk gjenta for å høre igjen, og stopp for stillhet.",
			welcome:   "Velkommen! Skann en vare for å starte.",
			cola:      "Cola 0,5 l, 32 kroner og 90 øre.",
			colaTotal: "Totalt 32 kroner og 90 øre. Skann flere varer, eller trykk Betal.",
			snus:      "Nordlys Snus Original Portion 24 g, 129 kroner.",
			total:     "Totalt 161 kroner og 90 øre.",
			age:       "Alderskontroll. En ansatt kommer for å kontrollere alderen din. Ha legitimasjon klar.",
			pay:       "Å betale: 161 kroner og 90 øre. Følg instruksjonene på betalingsterminalen.",
			terminal:  "Sett inn kort",
			release:   "Skapet er åpent. Ta Nordlys Snus Original Portion 24 g fra rom 1. Lukk døren etterpå.",
			thanks:    "Takk for handelen!",
		}},
		{"en", words{
			on:        "Speech is on. Press repeat to hear it again, and stop for silence.",
			welcome:   "Welcome! Scan an item to start.",
			cola:      "Cola 0,5 l, 32 kroner and 90 øre.",
			colaTotal: "Total 32 kroner and 90 øre. Scan more items, or press Pay.",
			snus:      "Nordlys Snus Original Portion 24 g, 129 kroner.",
			total:     "Total 161 kroner and 90 øre.",
			age:       "Age check. A member of staff is coming to check your age. Have your ID ready.",
			pay:       "To pay: 161 kroner and 90 øre. Follow the instructions on the payment terminal.",
			terminal:  "Insert card",
			release:   "The cabinet is open. Take Nordlys Snus Original Portion 24 g from compartment 1. Close the door afterwards.",
			thanks:    "Thank you for shopping!",
		}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			k := mustSpokenKiosk(t, tc.lang)
			w := tc.w
			k.n.SetHeadset(true)
			k.hear(tc.lang, w.on, w.welcome)

			k.scanner.Feed(cola)
			k.hear(tc.lang, w.cola, w.colaTotal)
			if err := k.act.Add(kiosk.MustGTIN(snus)); err != nil {
				t.Fatal(err)
			}
			k.hear(tc.lang, w.snus, w.total)

			if err := k.act.Pay(); err != nil {
				t.Fatal(err)
			}
			if _, err := k.staff.WaitRequest(k.ctx); err != nil {
				t.Fatal(err)
			}
			k.hear(tc.lang, w.age)
			if err := k.staff.Approve("ola"); err != nil {
				t.Fatal(err)
			}
			if _, err := k.term.WaitAuthorize(k.ctx); err != nil {
				t.Fatal(err)
			}
			k.hear(tc.lang, w.pay)
			k.co.SetPayStatusLang("Sett inn kort", "Insert card")
			k.hear(tc.lang, w.terminal)
			if err := k.term.Respond(kiosktest.PayApproved()); err != nil {
				t.Fatal(err)
			}
			k.hear(tc.lang, w.release)
			k.cab.Open()
			k.cab.Close()
			k.hear(tc.lang, w.thanks)
			if err := k.act.FinishReceipt(); err != nil {
				t.Fatal(err)
			}
			k.hear(tc.lang, w.welcome)

			// The tones: two items accepted, the age check's attention.
			ctx, cancel := context.WithTimeout(context.Background(), speechWait)
			defer cancel()
			var tones []kiosk.Tone
			for range 3 {
				tone, err := k.sounder.Next(ctx)
				if err != nil {
					t.Fatalf("tones %v: %v", tones, err)
				}
				tones = append(tones, tone)
			}
			if want := []kiosk.Tone{kiosk.ToneAccepted, kiosk.ToneAccepted, kiosk.ToneAttention}; !slices.Equal(tones, want) {
				t.Errorf("tones %v, want %v", tones, want)
			}
			if r := k.speaker.Results(); slices.ContainsFunc(r, func(err error) bool { return err != nil }) {
				t.Errorf("a phrase was cut or failed in a sale where each was heard out: %v", r)
			}
		})
	}
}

// TestSpeechOffSaysNothingButSounds: without a headset or the key the
// kiosk says nothing; the tones still go with the screen.
func TestSpeechOffSaysNothingButSounds(t *testing.T) {
	k := mustSpokenKiosk(t, "nb")
	k.scanner.Feed("1234567890128") // unknown
	ctx, cancel := context.WithTimeout(context.Background(), speechWait)
	defer cancel()
	if tone, err := k.sounder.Next(ctx); err != nil || tone != kiosk.ToneRefused {
		t.Fatalf("tone %v, %v; want refused", tone, err)
	}
	k.scanner.Feed(cola)
	if tone, err := k.sounder.Next(ctx); err != nil || tone != kiosk.ToneAccepted {
		t.Fatalf("tone %v, %v; want accepted", tone, err)
	}
	if s := k.speaker.Said(); len(s) != 0 {
		t.Errorf("said %v with speech off", s)
	}
}

// TestSpeechKeys: the accessibility key starts speech, any action cuts
// the phrase being said, repeat says the prompt again, stop silences,
// and the key again turns speech off. /healthz and the simulator
// command show and drive the same.
func TestSpeechKeys(t *testing.T) {
	k := mustSpokenKiosk(t, "nb")
	srv := &server{co: k.co, start: time.Now(), speech: k.n}
	welcome := "Velkommen! Skann en vare for å starte."
	k.speaker.Hold(true) // each phrase is "being said" until finished or cut
	next := func(*fyne.KeyEvent) { t.Error("an accessibility key reached the screen") }
	key := k.n.typedKey(next, func() string { return "nb" })
	ctx, cancel := context.WithTimeout(context.Background(), speechWait)
	defer cancel()
	heardOut := func(lang string, texts ...string) {
		t.Helper()
		for _, w := range texts {
			k.hear(lang, w)
			if !k.speaker.Finish() {
				t.Fatalf("%q was not being said", w)
			}
		}
	}

	key(&fyne.KeyEvent{Name: fyne.KeyF1})
	heardOut("nb", "Tale er slått på. Trykk gjenta for å høre igjen, og stopp for stillhet.")
	k.hear("nb", welcome)
	cuts := k.speaker.Cuts()
	// A tap on the screen (through the screen's Kiosk) cuts it.
	if err := k.act.Help(); err != nil {
		t.Fatal(err)
	}
	if err := k.speaker.WaitCuts(ctx, cuts+1); err != nil {
		t.Fatal(err)
	}
	heardOut("nb", "Hjelp er tilkalt. En ansatt kommer.")
	if err := k.act.WithdrawHelp(); err != nil {
		t.Fatal(err)
	}
	heardOut("nb", "Hjelp-anropet er trukket tilbake.")

	// Repeat: the prompt again; then a key press cuts it.
	key(&fyne.KeyEvent{Name: fyne.KeyF2})
	k.hear("nb", welcome)
	cuts, results := k.speaker.Cuts(), len(k.speaker.Results())
	passed := false
	k.n.typedKey(func(*fyne.KeyEvent) { passed = true }, func() string { return "nb" })(&fyne.KeyEvent{Name: fyne.KeyDown})
	if !passed {
		t.Error("an ordinary key did not reach the screen")
	}
	if err := k.speaker.WaitCuts(ctx, cuts+1); err != nil {
		t.Fatal(err)
	}
	if err := k.speaker.WaitResults(ctx, results+1); err != nil {
		t.Fatal(err)
	}
	if r := k.speaker.Results(); len(r) == 0 || !errors.Is(r[len(r)-1], kiosk.ErrSpeechCut) {
		t.Errorf("the cut phrase ended %v, want ErrSpeechCut", r)
	}

	// The simulator: repeat in English after a language switch on the
	// screen, then stop, then the key turns speech off.
	k.n.Repeat("en")
	k.hear("en", "Welcome! Scan an item to start.")
	cuts = k.speaker.Cuts()
	if err := srv.do("speech", "stop"); err != nil {
		t.Fatal(err)
	}
	if err := k.speaker.WaitCuts(ctx, cuts+1); err != nil {
		t.Fatal(err)
	}
	h := srv.health()
	if h.Speech == nil || !h.Speech.On || h.Speech.Last != "Welcome! Scan an item to start." || h.Speech.LastLang != "en" {
		t.Fatalf("/healthz speech %+v", h.Speech)
	}
	if err := srv.do("speech", "key"); err != nil {
		t.Fatal(err)
	}
	if h := srv.health(); h.Speech.On {
		t.Error("speech still on after the accessibility key")
	}
	if err := srv.do("speech", "sing"); !errors.As(err, new(usageError)) {
		t.Errorf("speech sing = %v, want a usage error", err)
	}
	k.scanner.Feed(cola)
	untilView(t, k.co, "shopping", speechWait, func(v kiosk.View) bool { return v.State == kiosk.Shopping })
	if err := srv.do("speech", "plug"); err != nil {
		t.Fatal(err)
	}
	k.speaker.Hold(false)
	k.hear("nb", "Tale er slått på. Trykk gjenta for å høre igjen, og stopp for stillhet.",
		"Totalt 32 kroner og 90 øre. Skann flere varer, eller trykk Betal.")
}

// TestHealthzSpeech: /healthz over HTTP carries the speech section.
func TestHealthzSpeech(t *testing.T) {
	k := mustSpokenKiosk(t, "en")
	hs := httptest.NewServer((&server{co: k.co, start: time.Now(), speech: k.n}).handler())
	defer hs.Close()
	srv := hs.URL
	if err := k.n.do("plug"); err != nil {
		t.Fatal(err)
	}
	k.hear("en", "Speech is on. Press repeat to hear it again, and stop for silence.", "Welcome! Scan an item to start.")
	resp, err := http.Get(srv + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h struct {
		Speech SpeechHealth `json:"speech"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		t.Fatal(err)
	}
	if !h.Speech.On || !h.Speech.Headset || h.Speech.Last != "Welcome! Scan an item to start." || len(h.Speech.Said) != 2 {
		t.Errorf("/healthz speech %+v", h.Speech)
	}
}

// TestJackStartsSpeech: the headset switch turns speech on and off.
func TestJackStartsSpeech(t *testing.T) {
	k := mustSpokenKiosk(t, "nb")
	j := kiosktest.NewJack()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go k.n.WatchJack(ctx, j)
	j.Plug()
	k.hear("nb", "Tale er slått på. Trykk gjenta for å høre igjen, og stopp for stillhet.", "Velkommen! Skann en vare for å starte.")
	j.Unplug()
	wctx, wcancel := context.WithTimeout(context.Background(), speechWait)
	defer wcancel()
	for k.n.health().On {
		if err := k.speaker.WaitCuts(wctx, k.speaker.Cuts()+1); err != nil {
			t.Fatal("speech still on after the headset was pulled out")
		}
	}
}

func TestSpeechConfig(t *testing.T) {
	base := `{"kiosk_id":"K1","shop":{"name":"S","org_no":"999999999"},"data_dir":"/tmp/x"`
	tests := []struct {
		name, extra string
		ok          bool
	}{
		{"defaults", ``, true},
		{"set", `,"speech":{"rate":140,"volume":80,"jack":"/dev/input/event3"},"sound":{"volume":0,"command":["aplay","-q","-"]}`, true},
		{"speech volume", `,"speech":{"volume":101}`, false},
		{"rate", `,"speech":{"rate":50}`, false},
		{"sound volume", `,"sound":{"volume":-1}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.json")
			if err := os.WriteFile(path, []byte(base+tt.extra+"}"), 0o600); err != nil {
				t.Fatal(err)
			}
			c, err := LoadConfig(path)
			if (err == nil) != tt.ok {
				t.Fatalf("LoadConfig = %v, want ok %v", err, tt.ok)
			}
			if err != nil && (!errors.Is(err, ErrBadConfig) || !strings.Contains(err.Error(), "volume") && !strings.Contains(err.Error(), "rate")) {
				t.Errorf("error %v: want ErrBadConfig naming the key", err)
			}
			if tt.name == "set" && (c.Speech.Rate != 140 || *c.Sound.Volume != 0 || c.Speech.Jack != "/dev/input/event3") {
				t.Errorf("config %+v %+v", c.Speech, c.Sound)
			}
		})
	}
}

// TestOpenSpeechDegrades: a kiosk without espeak-ng or a sound card
// opens anyway (the narrator records, the screen shows); a bad volume
// is refused.
func TestOpenSpeechDegrades(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	sp, so, err := openSpeech(SpeechConfig{Program: "no-such-espeak"}, SoundConfig{Command: []string{"no-such-player"}}, log)
	if err != nil || sp != nil || so != nil {
		t.Errorf("openSpeech without programs = %v, %v, %v; want nil, nil, nil", sp, so, err)
	}
	bad := 400
	if _, _, err := openSpeech(SpeechConfig{Volume: &bad}, SoundConfig{}, log); !errors.Is(err, ErrBadConfig) {
		t.Errorf("openSpeech volume 400 = %v, want ErrBadConfig", err)
	}
}

func TestInOrder(t *testing.T) {
	got := []string{"a", "x", "b", "c"}
	for _, tt := range []struct {
		want []string
		ok   bool
	}{{[]string{"a", "b", "c"}, true}, {[]string{"a", "c"}, true}, {[]string{"b", "a"}, false}, {[]string{"d"}, false}, {nil, true}} {
		if inOrder(got, tt.want) != tt.ok {
			t.Errorf("inOrder(%q, %q) = %v", got, tt.want, !tt.ok)
		}
	}
}

// TestKioskChangesQueueBehind: what the kiosk changes by itself (the
// terminal's prompt) waits until the phrase being said is done; a scan
// cuts it.
func TestKioskChangesQueueBehind(t *testing.T) {
	k := mustSpokenKiosk(t, "nb")
	k.speaker.Hold(true)
	finish := func(texts ...string) {
		t.Helper()
		for _, w := range texts {
			k.hear("nb", w)
			if !k.speaker.Finish() {
				t.Fatalf("%q was not being said", w)
			}
		}
	}
	k.n.SetHeadset(true)
	finish("Tale er slått på. Trykk gjenta for å høre igjen, og stopp for stillhet.", "Velkommen! Skann en vare for å starte.")
	k.scanner.Feed(cola)
	finish("Cola 0,5 l, 32 kroner og 90 øre.", "Totalt 32 kroner og 90 øre. Skann flere varer, eller trykk Betal.")
	if err := k.act.Pay(); err != nil {
		t.Fatal(err)
	}
	k.hear("nb", "Å betale: 32 kroner og 90 øre. Følg instruksjonene på betalingsterminalen.")
	cuts := k.speaker.Cuts()
	k.co.SetPayStatusLang("Sett inn kort", "Insert card") // the subscribers have seen it when it returns
	if !k.speaker.Finish() || k.speaker.Cuts() != cuts {
		t.Fatal("the terminal's prompt cut the pay instruction")
	}
	k.hear("nb", "Sett inn kort")
	// A scan while paying is refused: it cuts the terminal's prompt.
	k.scanner.Feed(cola)
	ctx, cancel := context.WithTimeout(context.Background(), speechWait)
	defer cancel()
	if err := k.speaker.WaitCuts(ctx, cuts+1); err != nil {
		t.Fatal(err)
	}
	k.hear("nb", "Cola 0,5 l ble ikke lagt i kurven nå. Skann den igjen etterpå.")
}

// TestRefusedCommandSaysSo: a tap the checkout refuses is said to have
// failed, as the screen's banner shows.
func TestRefusedCommandSaysSo(t *testing.T) {
	k := mustSpokenKiosk(t, "en")
	k.n.SetHeadset(true)
	k.hear("en", "Speech is on. Press repeat to hear it again, and stop for silence.", "Welcome! Scan an item to start.")
	if err := k.act.Retry(); err == nil {
		t.Fatal("Retry on the welcome screen was taken")
	}
	k.hear("en", "That did not work. Try again, or press Help.")
}

// TestDeclineSpokenInTheScreensLanguage: a declined card's reason is
// said as the screen shows it, from the result code, in the screen's
// language only (the terminal's own text holds both languages).
func TestDeclineSpokenInTheScreensLanguage(t *testing.T) {
	k := mustSpokenKiosk(t, "en")
	k.n.SetHeadset(true)
	k.hear("en", "Speech is on. Press repeat to hear it again, and stop for silence.", "Welcome! Scan an item to start.")
	k.scanner.Feed(cola)
	k.hear("en", "Cola 0,5 l, 32 kroner and 90 øre.", "Total 32 kroner and 90 øre. Scan more items, or press Pay.")
	if err := k.act.Pay(); err != nil {
		t.Fatal(err)
	}
	if _, err := k.term.WaitAuthorize(k.ctx); err != nil {
		t.Fatal(err)
	}
	declined := kiosktest.PayDeclined("Ikke dekning / Not enough funds")
	declined.Result.Code = "71"
	if err := k.term.Respond(declined); err != nil {
		t.Fatal(err)
	}
	k.hear("en", "To pay: 32 kroner and 90 øre. Follow the instructions on the payment terminal.",
		"The payment did not go through. The card was declined: there is not enough money on the card. Press Try again, or cancel the purchase.")
}
