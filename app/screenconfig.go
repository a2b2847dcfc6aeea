package app

import (
	"log/slog"

	"selvkasse/app/ui"
)

// ScreenConfig is the customer touchscreen as installed (config key
// "screen"): large text from the start, and the panel's size and
// resolution the touch targets are measured on (issue 14 item 5). Keys
// left out take ui.DefaultPanel: a 15.6" 1920×1080 panel (345 mm wide)
// at scale 1.
type ScreenConfig struct {
	LargeText    bool    `json:"large_text,omitempty"`     // start every sale in large text
	PanelWidthMM float64 `json:"panel_width_mm,omitempty"` // the picture's visible width
	WidthPx      int     `json:"width_px,omitempty"`       // horizontal resolution
	HeightPx     int     `json:"height_px,omitempty"`      // vertical resolution
	Scale        float64 `json:"scale,omitempty"`          // pixels per Fyne unit (FYNE_SCALE)
}

// Panel is the configured panel, defaults filled in. The window is the
// whole panel when full screen, else the demo's window.
func (c ScreenConfig) Panel(fullscreen bool) ui.Panel {
	p := ui.DefaultPanel
	if c.PanelWidthMM > 0 {
		p.WidthMM = c.PanelWidthMM
	}
	if c.WidthPx > 0 {
		p.WidthPx = c.WidthPx
	}
	if c.HeightPx > 0 {
		p.HeightPx = c.HeightPx
	}
	if c.Scale > 0 {
		p.Scale = c.Scale
	}
	if fullscreen {
		p.Window.Width = float32(float64(p.WidthPx) / p.Scale)
		p.Window.Height = float32(float64(p.HeightPx) / p.Scale)
	}
	return p
}

// checkPanel warns when the configured panel shows the customer's touch
// targets smaller than issue 14 asks (the sizes are set for the default
// panel): a denser panel needs a larger FYNE_SCALE.
func checkPanel(p ui.Panel, log *slog.Logger) {
	if prim, other := p.MM(ui.PrimaryTouch), p.MM(ui.CustomerTouch); prim < ui.PrimaryTargetMM || other < ui.TargetMM {
		log.Warn("touch targets are too small on this panel; raise the screen scale",
			"primary_mm", prim, "other_mm", other, "panel_width_mm", p.WidthMM, "width_px", p.WidthPx, "scale", p.Scale)
	}
}
