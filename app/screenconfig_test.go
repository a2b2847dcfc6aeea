package app

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"selvkasse/app/ui"
)

func TestScreenConfig(t *testing.T) {
	if got := (ScreenConfig{}).Panel(false); got != ui.DefaultPanel {
		t.Errorf("defaults: %+v, want ui.DefaultPanel %+v", got, ui.DefaultPanel)
	}
	var c Config
	if err := json.Unmarshal([]byte(`{"screen":{"large_text":true,"panel_width_mm":300,"width_px":1280,"height_px":800,"scale":1.5}}`), &c); err != nil {
		t.Fatal(err)
	}
	p := c.Screen.Panel(true)
	if !c.Screen.LargeText || p.WidthMM != 300 || p.WidthPx != 1280 || p.HeightPx != 800 || p.Scale != 1.5 ||
		p.Window.Width != 1280/1.5 {
		t.Errorf("read %+v, panel %+v", c.Screen, p)
	}
	for _, c := range []struct {
		panel ui.Panel
		warn  bool
	}{
		{ui.DefaultPanel, false},
		{ui.Panel{WidthMM: 345, WidthPx: 3840, HeightPx: 2160, Scale: 1}, true}, // 4K, no scale
		{ui.Panel{WidthMM: 345, WidthPx: 3840, HeightPx: 2160, Scale: 2}, false},
	} {
		var buf bytes.Buffer
		checkPanel(c.panel, slog.New(slog.NewTextHandler(&buf, nil)))
		if got := strings.Contains(buf.String(), "too small"); got != c.warn {
			t.Errorf("%+v: warned %v, want %v: %s", c.panel, got, c.warn, buf.String())
		}
	}
}
