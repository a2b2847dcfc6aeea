package ui

import (
	"testing"

	"selvkasse/kiosk"
)

// TestStaffScreenAbout: the supervisor screen names the system, its
// version and its unique id (the product declaration's data), in the
// screen's language; without them set it shows no such section.
func TestStaffScreenAbout(t *testing.T) {
	d := mustDemo(t)
	v := signedIn(d.views()[kiosk.Idle], kiosk.RoleSupervisor)
	about := About{Name: "Selvkasse", Version: "0.1.0", SystemID: "9888b04fc100039054ddbc5984ad38d3", Kiosk: "K1"}
	for lang, want := range map[string]string{
		LangNorwegian: "Selvkasse versjon 0.1.0 · system-ID 9888b04fc100039054ddbc5984ad38d3 · kasse K1",
		LangEnglish:   "Selvkasse version 0.1.0 · system id 9888b04fc100039054ddbc5984ad38d3 · till K1",
	} {
		t.Run(lang, func(t *testing.T) {
			newTestApp(t)
			s, w := showScreen(t, newFakeKiosk(v), lang, size1280)
			if hasText(w, tr(lang, mStaffAbout)) {
				t.Errorf("an About section without the system's data")
			}
			s.SetAbout(about)
			if !hasText(w, tr(lang, mStaffAbout)) || !hasText(w, want) {
				t.Errorf("the staff screen does not show %q; it shows %q", want, texts(w))
			}
		})
	}
}
