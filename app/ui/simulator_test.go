package ui

import (
	"image"
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"selvkasse/kiosk"
)

// ForceDoor records the Force button (fakeSim is in helpers_test.go).
func (f *fakeSim) ForceDoor() { f.record("ForceDoor") }

func showSimulator(t *testing.T, s SimControls, products ...kiosk.Product) (*Simulator, fyne.Window) {
	t.Helper()
	if len(products) == 0 {
		products = mustDemo(t).all()
	}
	sim := NewSimulator(s, products)
	w := test.NewTempWindow(t, sim.Content())
	w.SetPadded(false)
	w.Resize(fyne.NewSize(SimulatorWidth, 760)) // as wide as the demo opens it
	return sim, w
}

func TestSimulatorGolden(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	fs := &fakeSim{status: SimStatus{PaymentWaiting: true, Locked: true, ScannerPlugged: true, Paper: PaperOK,
		LastReceipt: d.receiptDoc().PlainText(42)}}
	gum := d.choc
	gum.GTIN, gum.Name = kiosk.MustGTIN("7020000000100"), "Tyggegummi Peppermynte Ekstra Sterk, stor pakke"
	sim, w := showSimulator(t, fs, append(d.all(), gum)...)
	assertMarkup(t, "simulator.xml", w)
	for _, s := range []string{"Simulator", "Venter på: kortbetaling", "Skapet er låst", "Skann",
		"Cola 0,5 l", d.cola.GTIN.Short(), "Dagsavisen", d.paper.GTIN.Short(), "TOBAKKSHUSET AS"} {
		if !hasText(w, s) {
			t.Errorf("simulator does not show %q; it shows %q", s, texts(w))
		}
	}
	// Cabinet goods are picked on the customer screen, not scanned.
	for _, r := range sim.quick {
		if strings.Contains(r.name, d.cigs.Name) {
			t.Errorf("cabinet product %q has a quick-scan button", d.cigs.Name)
		}
	}
	if len(sim.quick) != 4 {
		t.Errorf("%d quick-scan buttons, want 4 (cola, chocolate, paper, gum)", len(sim.quick))
	}
	assertTouchTargets(t, w)
	assertNoMissingText(t, w)
	assertFits(t, w)
}

// TestSimulatorEnablesByStatus: each pair of buttons works only while its
// device waits.
func TestSimulatorEnablesByStatus(t *testing.T) {
	for _, c := range []struct {
		name string
		st   SimStatus
		on   []string // enabled among the status-driven buttons
	}{
		{"nothing waits, locked", SimStatus{Locked: true, ScannerPlugged: true}, []string{"scan", "out", "low", "force"}},
		{"payment", SimStatus{PaymentWaiting: true, Locked: true, ScannerPlugged: true}, []string{"card+", "card-", "scan", "out", "low", "force"}},
		{"age check", SimStatus{AgeCheckWaiting: true, Locked: true, ScannerPlugged: true, Paper: PaperOK}, []string{"staff+", "staff-", "scan", "out", "low", "force"}},
		{"unlocked, closed, paper out", SimStatus{ScannerPlugged: true, Paper: PaperOut}, []string{"open", "scan", "low", "refill"}},
		{"unlocked, open, paper low, unplugged", SimStatus{DoorOpen: true, Paper: PaperLow}, []string{"close", "out", "refill"}},
		{"compartment 2 released and open", SimStatus{DoorOpen: true, ScannerPlugged: true, Compartments: comps("L", "U+", "L")},
			[]string{"close", "force", "scan", "out", "low"}},
		{"compartment 2 released, shut", SimStatus{ScannerPlugged: true, Compartments: comps("L", "U", "L+")},
			[]string{"open", "close", "force", "scan", "out", "low"}},
		{"all unlocked, compartment 1 forced", SimStatus{DoorOpen: true, ScannerPlugged: true, Compartments: comps("U+", "U+", "U+")},
			[]string{"close", "scan", "out", "low"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			newTestApp(t)
			fs := &fakeSim{status: c.st}
			sim, _ := showSimulator(t, fs)
			buttons := map[string]*widget.Button{
				"card+": sim.cardOK, "card-": sim.cardNo, "staff+": sim.staffOK, "staff-": sim.staffNo,
				"open": sim.doorOpen, "close": sim.doorClose, "force": sim.doorForce, "scan": sim.scan,
				"out": sim.paperOut, "low": sim.paperLow, "refill": sim.paperOK,
			}
			want := map[string]bool{}
			for _, n := range c.on {
				want[n] = true
			}
			for n, b := range buttons {
				if b.Disabled() == want[n] {
					t.Errorf("%s enabled = %v, want %v", n, !b.Disabled(), want[n])
				}
			}
		})
	}
}

func TestSimulatorCommands(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	fs := &fakeSim{status: SimStatus{PaymentWaiting: true, AgeCheckWaiting: true, ScannerPlugged: true, Locked: true}}
	sim, w := showSimulator(t, fs)
	sim.Bind()

	test.Type(sim.code, " 7310000000017 ")
	test.Tap(findButton(t, w, "Skann"))
	if sim.code.Text != "" {
		t.Errorf("entry keeps %q after scanning", sim.code.Text)
	}
	test.Tap(findButton(t, w, "Skann")) // empty: nothing to scan
	test.Type(sim.code, "12345")
	sim.code.OnSubmitted(sim.code.Text) // Enter on the keyboard
	test.Tap(findRow(t, w, "Cola 0,5 l"))
	test.Tap(sim.cardOK)
	test.Tap(sim.cardNo)
	test.Tap(sim.staffOK)
	test.Tap(sim.staffNo)
	test.Tap(sim.doorOpen) // locked: disabled
	test.Tap(sim.doorForce)

	test.Tap(sim.paperOut)
	test.Tap(sim.cover)
	test.Tap(sim.cable)

	fs.set(SimStatus{DoorOpen: true, LastReceipt: "KVITTERING 7\n", Paper: PaperOut, CoverOpen: true})
	if !hasText(w, "KVITTERING 7") || !hasText(w, "Skapdøren er åpen") ||
		!hasText(w, "Skriveren er tom for papir, dekselet er åpent. Strekkodeleseren er frakoblet.") {
		t.Errorf("status change not rendered: %q", texts(w))
	}
	test.Tap(sim.cardOK) // no payment waits any more: disabled
	test.Tap(sim.doorClose)
	test.Tap(sim.paperOK)
	test.Tap(sim.cover)
	test.Tap(sim.cable)
	test.Tap(sim.scan) // unplugged: disabled

	equalCalls(t, fs.Calls(),
		"Scan 7310000000017", "Scan 12345", "Scan "+d.cola.GTIN.Short(),
		"Card true", "Card false", "Staff true", "Staff false", "ForceDoor",
		"Printer paper-out", "Printer cover-open", "ScannerCable false",
		"Door false", "Printer paper-ok", "Printer cover-closed", "ScannerCable true")
}

func TestSimulatorLanguage(t *testing.T) {
	newTestApp(t)
	sim, w := showSimulator(t, &fakeSim{})
	sim.SetLang(LangEnglish)
	for _, s := range []string{"Waiting for: nothing", "Scan", "Quick scan", "Approve", "Refuse", "No receipt yet"} {
		if !hasText(w, s) {
			t.Errorf("English simulator does not show %q: %q", s, texts(w))
		}
	}
	assertNoMissingText(t, w)
}

// TestSimulatorReceiptPicture: a printed receipt shows as its picture, at
// the panel's width and in its proportions.
func TestSimulatorReceiptPicture(t *testing.T) {
	newTestApp(t)
	img := image.NewRGBA(image.Rect(0, 0, 536, 1072))
	fs := &fakeSim{status: SimStatus{ScannerPlugged: true, LastReceipt: "KVITTERING 9", ReceiptImage: img}}
	sim, w := showSimulator(t, fs)
	if !sim.receiptImg.Visible() || sim.receiptImg.Image != img {
		t.Fatal("the receipt picture is not shown")
	}
	if got := sim.receiptImg.MinSize(); got != fyne.NewSize(simReceiptWidth, 2*simReceiptWidth) {
		t.Errorf("picture size %v", got)
	}
	if sim.receipt.Visible() {
		t.Error("the text is shown as well as the picture")
	}
	fs.set(SimStatus{ScannerPlugged: true})
	sim.Render()
	if sim.receiptImg.Visible() || !hasText(w, "Ingen kvittering ennå") {
		t.Error("no receipt: the picture stays")
	}
}

// comps makes compartment states from codes: L locked, U unlocked, + the
// door open.
func comps(codes ...string) []kiosk.CompartmentState {
	var out []kiosk.CompartmentState
	for i, c := range codes {
		out = append(out, kiosk.CompartmentState{No: i + 1, Locked: strings.HasPrefix(c, "L"), DoorOpen: strings.HasSuffix(c, "+")})
	}
	return out
}

// TestSimulatorTower: the tower light in colour, blinking as the
// animation runs, the buzzer in words while the alarm sounds, and each
// compartment's lock and door.
func TestSimulatorTower(t *testing.T) {
	newTestApp(t)
	fs := &fakeSim{status: SimStatus{Locked: true, ScannerPlugged: true, Compartments: comps("L", "L", "L")}}
	sim, w := showSimulator(t, fs)
	sim.Bind()
	if sim.towerLamp.FillColor != towerOff || sim.towerBuzzer.Visible() || !hasText(w, "Tårnlys: av. Ringesignaler: 0") {
		t.Errorf("an unlit tower: fill %v, buzzer shown %v, texts %q", sim.towerLamp.FillColor, sim.towerBuzzer.Visible(), texts(w))
	}
	for _, s := range []string{"Rom 1: låst, døren er lukket", "Rom 3: låst, døren er lukket", "Bryt opp"} {
		if !hasText(w, s) {
			t.Errorf("simulator does not show %q: %q", s, texts(w))
		}
	}

	fs.set(SimStatus{ScannerPlugged: true, Compartments: comps("L", "U+", "L"), DoorOpen: true,
		Light: kiosk.Signal{Light: kiosk.LightYellow, Blink: true}, Chimes: 1})
	if !sim.blinking || !hasText(w, "Tårnlys: gult, blinker. Ringesignaler: 1") || !hasText(w, "Rom 2: ulåst, døren er åpen") {
		t.Errorf("blinking yellow: blinking %v, texts %q", sim.blinking, texts(w))
	}
	yellow := towerColours[kiosk.LightYellow]
	sim.blinkTick(1) // the test driver runs no animation: step it by hand
	if sim.towerLamp.FillColor != yellow {
		t.Errorf("lit phase: fill %v, want %v", sim.towerLamp.FillColor, yellow)
	}
	sim.blinkTick(0.2)
	if c, ok := sim.towerLamp.FillColor.(color.NRGBA); !ok || c.A == 0xff || c.R != yellow.R {
		t.Errorf("dark phase: fill %v, want yellow faint", sim.towerLamp.FillColor)
	}

	fs.set(SimStatus{ScannerPlugged: true, Locked: true, Compartments: comps("L+", "L", "L"), DoorOpen: true,
		Light: kiosk.Signal{Light: kiosk.LightRed, Alarm: true}, Chimes: 1})
	if sim.blinking || sim.towerLamp.FillColor != towerColours[kiosk.LightRed] || !sim.towerBuzzer.Visible() || !hasText(w, "Summeren lyder!") {
		t.Errorf("steady red with the alarm: blinking %v, fill %v, texts %q", sim.blinking, sim.towerLamp.FillColor, texts(w))
	}
	assertTouchTargets(t, w)
	assertFits(t, w)
	sim.SetLang(LangEnglish)
	for _, s := range []string{"Tower light: red. Chimes: 1", "The buzzer sounds!", "Compartment 1: locked, door open", "Force"} {
		if !hasText(w, s) {
			t.Errorf("English simulator does not show %q: %q", s, texts(w))
		}
	}
	assertNoMissingText(t, w)
}
