package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
)

// TestStoreRefused: the out-of-order screen of a refused store says so in
// the screen's language, names the error and the command for the
// technician, offers nothing to touch, and fits the kiosk's window.
func TestStoreRefused(t *testing.T) {
	const detail = "storage: journal rolled back behind its anchor: 11 records are gone"
	const verify = "selvkasse journal verify --data /var/lib/selvkasse"
	for _, c := range []struct {
		lang string
		r    Refusal
		want string
	}{
		{LangNorwegian, RefusalLost, "salg den har registrert, mangler"},
		{LangNorwegian, RefusalData, "lageret er skadet"},
		{LangNorwegian, RefusalKey, "nøkkelen som signerer salgene"},
		{LangEnglish, RefusalLost, "sales it recorded are missing"},
		{LangEnglish, RefusalData, "store is damaged"},
		{LangEnglish, RefusalKey, "the key that signs its sales"},
	} {
		t.Run(fmt.Sprint(c.lang, "_", c.r), func(t *testing.T) {
			a := newTestApp(t)
			w := a.NewWindow("refused")
			w.SetContent(StoreRefused(c.lang, c.r, detail, verify))
			w.Resize(size1280)
			settle(w)
			all := strings.Join(texts(w), "\n")
			for _, s := range []string{tr(c.lang, mOutOfOrder), c.want, detail, verify} {
				if !strings.Contains(all, s) {
					t.Errorf("screen does not show %q; it shows %q", s, all)
				}
			}
			assertNoMissingText(t, w)
			assertFits(t, w)
			for _, o := range visible(w.Canvas().Content()) {
				if _, ok := o.(fyne.Tappable); ok {
					t.Errorf("%T %q can be tapped on a refused store's screen", o, describe(o))
				}
			}
		})
	}
}
