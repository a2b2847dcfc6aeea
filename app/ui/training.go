package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// trainingBanner is the customer screen's banner while the kiosk is in
// training mode (kiosk.View.Training; kassasystemforskrifta § 2-8-7): on
// top of every customer screen, in the primary colour, so that nobody
// takes a training sale for a real one. It shows in the language the
// customer screen is in.
func (s *Screen) trainingBanner() []fyne.CanvasObject {
	if !s.view.Training {
		return nil
	}
	return []fyne.CanvasObject{banner(s.t(mTrainingBanner), theme.ColorNamePrimary, theme.ColorNameForegroundOnPrimary)}
}
