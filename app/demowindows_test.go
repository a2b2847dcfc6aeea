package app

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"selvkasse/app/ui"
	"selvkasse/kiosk"
)

// noSim is a Simulator backend that shows a printed receipt and does
// nothing.
type noSim struct{ receipt string }

func (noSim) Scan(string)           {}
func (noSim) Card(bool)             {}
func (noSim) Staff(bool)            {}
func (noSim) Door(bool)             {}
func (noSim) ForceDoor()            {}
func (noSim) Printer(ui.PrinterCmd) {}
func (noSim) ScannerCable(bool)     {}
func (noSim) OnChange(func())       {}
func (s noSim) Status() ui.SimStatus {
	return ui.SimStatus{Paper: ui.PaperOK, ScannerPlugged: true, Locked: true, LastReceipt: s.receipt}
}

// TestDemoWindowsFitSideBySide: the demo's kiosk and Simulator windows,
// at the demo's scale and with a window manager's frame around each and
// a panel, fit side by side on a 1920×1080 screen without overlapping,
// and each is at least as large as its content needs (measured with
// Fyne's test driver and the kiosk's theme: the kiosk's welcome and
// basket screens, the Simulator showing a receipt), so Fyne does not
// grow it past its place. The old demo opened them at 1280×800 and
// 1000×1000 at scale 1: 2 280 px side by side.
func TestDemoWindowsFitSideBySide(t *testing.T) {
	scale, err := strconv.ParseFloat(demoScale, 32)
	if err != nil {
		t.Fatal(err)
	}
	s := float32(scale)
	kp, sp := demoWindows(s)
	px := func(p windowPlace) fyne.Size { return fyne.NewSize(p.Size.Width*s, p.Size.Height*s) }
	if right := float32(kp.X) + px(kp).Width + demoFrame.Width; right > float32(sp.X) {
		t.Errorf("the kiosk window (x %d, %v px wide, frame %v) overlaps the Simulator at x %d", kp.X, px(kp).Width, demoFrame.Width, sp.X)
	}
	if right := float32(sp.X) + px(sp).Width + demoFrame.Width; right > demoDesktop.Width {
		t.Errorf("the Simulator window ends at x %v, past the %v px screen", right, demoDesktop.Width)
	}
	for name, p := range map[string]windowPlace{"kiosk": kp, "Simulator": sp} {
		if bottom := float32(p.Y) + px(p).Height + demoFrame.Height + demoPanel; bottom > demoDesktop.Height {
			t.Errorf("the %s window ends at y %v with its frame and a panel, past the %v px screen", name, bottom, demoDesktop.Height)
		}
	}
	if demoDesktop != fyne.NewSize(1920, 1080) {
		t.Errorf("the screen to fit is %v, want 1920×1080", demoDesktop)
	}

	// What the content needs, in Fyne's units, with the kiosk's theme.
	test.NewTempApp(t).Settings().SetTheme(ui.Theme())
	e := mustE2E(t)
	screen := ui.NewScreen(e.co, ui.LangNorwegian)
	w := test.NewTempWindow(t, screen.Content())
	unbind := screen.Bind()
	defer unbind()
	need := func(what string) {
		t.Helper()
		if m := w.Content().MinSize(); m.Width > kp.Size.Width || m.Height > kp.Size.Height {
			t.Errorf("the kiosk's %s needs %v, the window is %v", what, m, kp.Size)
		}
	}
	need("welcome screen")
	for _, g := range []string{"7039990000113", "7039990000014"} { // Cola; the longest name, from the cabinet
		if err := e.co.Add(kiosk.MustGTIN(g)); err != nil {
			t.Fatal(err)
		}
	}
	untilView(t, e.co, "the basket", 15*time.Second, func(v kiosk.View) bool { return v.State == kiosk.Shopping && len(v.Lines) == 2 })
	fyne.DoAndWait(func() {})
	need("basket")

	products, err := e.db.List(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	receipt := strings.Repeat(strings.Repeat("x", 42)+"\n", 40)
	sim := ui.NewSimulator(noSim{receipt}, products)
	sim.Bind()
	if m := sim.Content().MinSize(); m.Width > sp.Size.Width || m.Height > sp.Size.Height {
		t.Errorf("the Simulator needs %v, its window is %v", m, sp.Size)
	}
}

// TestUseDemoScale: the demo draws at demoScale unless FYNE_SCALE says
// otherwise.
func TestUseDemoScale(t *testing.T) {
	for _, c := range []struct {
		env  string
		want float32
	}{{"", 0.9}, {"1.5", 1.5}, {"auto", 1}} {
		t.Setenv("FYNE_SCALE", c.env)
		if got := useDemoScale(); got != c.want {
			t.Errorf("FYNE_SCALE=%q: scale %v, want %v", c.env, got, c.want)
		}
		if want := map[string]string{"": demoScale}[c.env]; want != "" && os.Getenv("FYNE_SCALE") != want {
			t.Errorf("FYNE_SCALE=%q: now %q", c.env, os.Getenv("FYNE_SCALE"))
		}
	}
}
