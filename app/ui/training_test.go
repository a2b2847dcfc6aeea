package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"selvkasse/kiosk"
)

// withTraining is v with the kiosk in training mode, switched on by Kari.
func withTraining(v kiosk.View) kiosk.View {
	v.Training = true
	v.Calls = append(append([]kiosk.Call(nil), v.Calls...), kiosk.Call{Kind: kiosk.CallTraining, Kiosk: "kasse-1", Since: at(13, 58), Arg: kariID})
	return v
}

// Issue 12 item 4, § 2-8-7: in training mode every customer screen
// carries the banner, in the customer's language, on top; without it,
// none does.
func TestTrainingBanner(t *testing.T) {
	d := mustDemo(t)
	banners := map[string]string{LangNorwegian: "TRENINGSMODUS – ikke et ekte kjøp", LangEnglish: "TRAINING MODE – not a real purchase"}
	for _, st := range kiosk.States() {
		for _, lang := range Languages() {
			t.Run(fmt.Sprintf("%v/%s", st, lang), func(t *testing.T) {
				newTestApp(t)
				k := newFakeKiosk(withTraining(d.views()[st]))
				s, w := showScreen(t, k, lang, size1280)
				if top := bannerTexts(s); len(top) == 0 || top[0] != banners[lang] {
					t.Errorf("banners %q, want %q first; the screen shows %q", top, banners[lang], texts(w))
				}
				for other, b := range banners {
					if other != lang && hasText(w, b) {
						t.Errorf("the %s banner on a %s screen", other, lang)
					}
				}
				s.Render(d.views()[st])
				for _, b := range banners {
					if hasText(w, b) {
						t.Errorf("training banner %q after training mode ended", b)
					}
				}
			})
		}
	}
}

// bannerTexts are the texts of the banners under the screen's header,
// top first.
func bannerTexts(s *Screen) []string {
	if !s.bannerBox.Visible() {
		return nil
	}
	var out []string
	for _, o := range s.banners.Objects {
		out = append(out, strings.Join(objTexts(o), " "))
	}
	return out
}

// objTexts is the visible text in o.
func objTexts(o fyne.CanvasObject) []string {
	if o == nil || !o.Visible() {
		return nil
	}
	switch x := o.(type) {
	case *widget.RichText:
		return []string{x.String()}
	case *widget.Label:
		return []string{x.Text}
	case *canvas.Text:
		return []string{x.Text}
	case *fyne.Container:
		var out []string
		for _, ch := range x.Objects {
			out = append(out, objTexts(ch)...)
		}
		return out
	}
	return nil
}

// The staff screen names training mode in the queue with who switched it
// on, and counts training receipts apart from the sales.
func TestTrainingOnStaffScreen(t *testing.T) {
	d := mustDemo(t)
	for _, tc := range []struct{ lang, call, count string }{
		{LangNorwegian, "Treningsmodus er på – slå den av når opplæringen er ferdig. Slått på av: kari", "Treningskvitteringer: 2"},
		{LangEnglish, "Training mode is on – switch it off when training is over. Switched on by: kari", "Training receipts: 2"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			newTestApp(t)
			v := withTraining(signedIn(d.views()[kiosk.Idle], kiosk.RoleSupervisor, kiosk.OvTrainingMode))
			v.Today.Training = 2
			_, w := showScreen(t, newFakeKiosk(v), tc.lang, size1280)
			for _, want := range []string{tc.call, tc.count} {
				if !hasText(w, want) {
					t.Errorf("no %q; the screen shows %q", want, texts(w))
				}
			}
		})
	}
}
