package ui

import "fyne.io/fyne/v2"

// The product declaration's data on the supervisor screen (issue 12 item
// 7; kassasystemlova § 2 f: the system has a unique id): what system this
// is, which version, its id. Set by the program that knows them (app:
// the version it was built as, the data dir's SYSTEMID).

// About is the system as the staff screen names it.
type About struct {
	Name     string // "Selvkasse"
	Version  string
	SystemID string
	Kiosk    string // this till's id
}

const (
	mStaffAbout     msg = "staff.about"
	mStaffAboutLine msg = "staff.aboutLine" // name, version, system id, kiosk
)

var aboutTexts = map[string]map[msg]string{
	LangNorwegian: {
		mStaffAbout:     "Om systemet",
		mStaffAboutLine: "%s versjon %s · system-ID %s · kasse %s",
	},
	LangEnglish: {
		mStaffAbout:     "About",
		mStaffAboutLine: "%s version %s · system id %s · till %s",
	},
}

func init() { addTexts(aboutTexts) }

// SetAbout names the system on the staff screen; call it on the Fyne
// goroutine. Without it the screen shows no such section.
func (s *Screen) SetAbout(a About) {
	s.about = a
	s.redraw()
}

// aboutSection is the About lines of the staff screen's status.
func (s *Screen) aboutSection(out *fyne.Container) {
	if s.about.SystemID == "" {
		return
	}
	a := s.about
	out.Add(section(s.t(mStaffAbout)))
	out.Add(small(s.t(mStaffAboutLine, a.Name, a.Version, a.SystemID, a.Kiosk)))
}
