package ui

import (
	"image"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"selvkasse/kiosk"
)

// SimControls drives the simulated devices of the demo (devices/sim).
//
// The commands do not block: Scan sends a code down the scanner's line,
// Card and Staff answer a waiting payment or age check (and do nothing
// when none waits), Door opens the doors of the unlocked compartments (or
// closes every door), ForceDoor forces a locked compartment's door open,
// Printer changes the printer's paper or cover, ScannerCable pulls or
// plugs the scanner's cable. Status says what the simulators wait for
// now; OnChange registers fn, called from any goroutine whenever the
// status changes.
type SimControls interface {
	Scan(code string)
	Card(approve bool)
	Staff(approve bool)
	Door(open bool)
	ForceDoor()
	Printer(cmd PrinterCmd)
	ScannerCable(plugged bool)
	Status() SimStatus
	OnChange(fn func())
}

// PrinterCmd is a change a person makes at the simulated printer.
type PrinterCmd string

const (
	PaperOut    PrinterCmd = "paper-out"
	PaperLow    PrinterCmd = "paper-low"
	PaperOK     PrinterCmd = "paper-ok" // a full roll
	CoverOpen   PrinterCmd = "cover-open"
	CoverClosed PrinterCmd = "cover-closed"
)

// SimStatus is what the simulated devices are waiting for, and how they
// are.
type SimStatus struct {
	PaymentWaiting  bool // the terminal waits for a card: approve or decline
	AgeCheckWaiting bool // staff is asked to check the customer's age
	DoorOpen        bool // a cabinet door is open
	Locked          bool // every cabinet lock is engaged
	// Compartments are the cabinet's compartments, by number; nil when
	// the simulator does not tell them apart (then DoorOpen and Locked
	// are the cabinet's).
	Compartments   []kiosk.CompartmentState
	Light          kiosk.Signal // what the intervention light shows
	Chimes         int          // the light's chimes so far
	Paper          PrinterCmd   // PaperOut, PaperLow or PaperOK
	CoverOpen      bool         // the printer's cover is open
	ScannerPlugged bool         // the scanner's cable is in
	LastReceipt    string       // the last printed receipt, plain text ("" if none)
	ReceiptImage   image.Image  // the same receipt as printed (nil if none)
}

// Simulator is the demo's control panel for the simulated devices: type or
// quick-scan a barcode, answer the card terminal and the age check, open,
// close or force the cabinet's doors, watch the intervention light and
// each compartment's lock and door, and read the last receipt. All
// methods run on the Fyne goroutine.
type Simulator struct {
	s    SimControls
	lang string

	root          *fyne.Container
	title         *widget.Label
	status        *widget.Label
	code          *widget.Entry
	scan          *widget.Button
	quickTitle    *widget.Label
	quick         []*productRow
	termTitle     *widget.Label
	cardOK        *widget.Button
	cardNo        *widget.Button
	staffTitle    *widget.Label
	staffOK       *widget.Button
	staffNo       *widget.Button
	doorTitle     *widget.Label
	doorOpen      *widget.Button
	doorClose     *widget.Button
	doorForce     *widget.Button
	towerLamp     *canvas.Circle
	towerText     *widget.Label
	towerBuzzer   *widget.Label
	comps         *widget.Label
	blink         *fyne.Animation
	blinking      bool        // blink runs
	lampColour    color.NRGBA // the lit colour of the light shown
	receiptTitle  *widget.Label
	receipt       *widget.Label
	receiptImg    *canvas.Image
	printerTitle  *widget.Label
	paperOut      *widget.Button
	paperLow      *widget.Button
	paperOK       *widget.Button
	cover         *widget.Button
	scannerTitle  *widget.Label
	cable         *widget.Button
	quickProducts []kiosk.Product
}

// NewSimulator builds the panel for s. products are the demo catalogue;
// those not in the cabinet (scanned from the open shelf) get a quick-scan
// button each. Call it on the Fyne goroutine.
func NewSimulator(s SimControls, products []kiosk.Product) *Simulator {
	sim := &Simulator{s: s, lang: DefaultLang}
	for _, p := range products {
		if !p.Cabinet {
			sim.quickProducts = append(sim.quickProducts, p)
		}
	}

	sim.title = leftLabel("", theme.SizeNameSubHeadingText, true)
	sim.status = widget.NewLabel("")
	sim.status.Wrapping = fyne.TextWrapWord

	sim.code = widget.NewEntry()
	sim.code.OnSubmitted = func(string) { sim.scanEntry() }
	sim.scan = widget.NewButton("", sim.scanEntry)
	sim.scan.Importance = widget.HighImportance

	sim.quickTitle = leftLabel("", theme.SizeNameText, true)
	quick := container.NewVBox()
	for _, p := range sim.quickProducts {
		code := p.GTIN.Short()
		// A row, not a button: a long name truncates instead of widening
		// the panel.
		r := newProductRow(p.Name, code, func() { sim.s.Scan(code) })
		sim.quick = append(sim.quick, r)
		quick.Add(r)
	}

	sim.termTitle = leftLabel("", theme.SizeNameText, true)
	sim.cardOK = widget.NewButton("", func() { sim.s.Card(true) })
	sim.cardOK.Importance = widget.SuccessImportance
	sim.cardNo = widget.NewButton("", func() { sim.s.Card(false) })
	sim.cardNo.Importance = widget.DangerImportance

	sim.staffTitle = leftLabel("", theme.SizeNameText, true)
	sim.staffOK = widget.NewButton("", func() { sim.s.Staff(true) })
	sim.staffOK.Importance = widget.SuccessImportance
	sim.staffNo = widget.NewButton("", func() { sim.s.Staff(false) })
	sim.staffNo.Importance = widget.DangerImportance

	sim.doorTitle = leftLabel("", theme.SizeNameText, true)
	sim.doorOpen = widget.NewButton("", func() { sim.s.Door(true) })
	sim.doorClose = widget.NewButton("", func() { sim.s.Door(false) })
	sim.doorForce = widget.NewButton("", func() { sim.s.ForceDoor() })
	sim.doorForce.Importance = widget.DangerImportance

	// The tower light: a lamp that blinks as the real one does (on and
	// off once a second), with the buzzer in words.
	sim.towerLamp = canvas.NewCircle(towerOff)
	sim.towerLamp.StrokeColor = color.NRGBA{0x60, 0x60, 0x60, 0xff}
	sim.towerLamp.StrokeWidth = 1
	sim.towerText = widget.NewLabel("")
	sim.towerText.SizeName = theme.SizeNameCaptionText
	sim.towerText.Wrapping = fyne.TextWrapWord
	sim.towerBuzzer = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	sim.towerBuzzer.SizeName = theme.SizeNameCaptionText
	sim.towerBuzzer.Importance = widget.DangerImportance
	sim.towerBuzzer.Wrapping = fyne.TextWrapWord
	sim.comps = widget.NewLabel("")
	sim.comps.SizeName = theme.SizeNameCaptionText
	sim.comps.Wrapping = fyne.TextWrapWord
	sim.blink = fyne.NewAnimation(towerBlinkPeriod/2, sim.blinkTick)
	sim.blink.AutoReverse = true
	sim.blink.RepeatCount = fyne.AnimationRepeatForever
	sim.blink.Curve = fyne.AnimationLinear

	sim.printerTitle = leftLabel("", theme.SizeNameText, true)
	sim.paperOut = widget.NewButton("", func() { sim.s.Printer(PaperOut) })
	sim.paperLow = widget.NewButton("", func() { sim.s.Printer(PaperLow) })
	sim.paperOK = widget.NewButton("", func() { sim.s.Printer(PaperOK) })
	sim.cover = widget.NewButton("", func() {
		if sim.s.Status().CoverOpen {
			sim.s.Printer(CoverClosed)
		} else {
			sim.s.Printer(CoverOpen)
		}
	})
	sim.scannerTitle = leftLabel("", theme.SizeNameText, true)
	sim.cable = widget.NewButton("", func() { sim.s.ScannerCable(!sim.s.Status().ScannerPlugged) })

	sim.receiptImg = canvas.NewImageFromImage(nil)
	sim.receiptImg.FillMode = canvas.ImageFillContain
	sim.receiptImg.ScaleMode = canvas.ImageScaleSmooth
	sim.receiptTitle = leftLabel("", theme.SizeNameText, true)
	sim.receipt = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	sim.receipt.SizeName = theme.SizeNameCaptionText

	pair := func(a, b *widget.Button) *fyne.Container {
		return container.NewGridWithColumns(2, atLeast(a, 0, MinTouch), atLeast(b, 0, MinTouch))
	}
	// The device answers stay in view; codes and the receipt scroll.
	// Two columns: the devices' controls on the left (answers in view,
	// codes scroll), the paper coming out of the printer on the right.
	controls := container.NewBorder(
		container.NewVBox(sim.title, sim.status,
			sim.termTitle, pair(sim.cardOK, sim.cardNo),
			sim.staffTitle, pair(sim.staffOK, sim.staffNo),
			sim.doorTitle, container.NewGridWithColumns(3, atLeast(sim.doorOpen, 0, MinTouch),
				atLeast(sim.doorClose, 0, MinTouch), atLeast(sim.doorForce, 0, MinTouch)),
			widget.NewSeparator()), nil, nil, nil,
		container.NewVScroll(container.NewVBox(
			sim.scannerTitle,
			container.NewBorder(nil, nil, nil, atLeast(sim.scan, 160, MinTouch), atLeast(sim.code, 0, MinTouch)),
			atLeast(sim.cable, 0, MinTouch),
			sim.quickTitle, quick,
		)))
	receipt := container.NewBorder(
		container.NewVBox(sim.printerTitle,
			container.NewGridWithColumns(2, atLeast(sim.paperOut, 0, MinTouch), atLeast(sim.paperLow, 0, MinTouch),
				atLeast(sim.paperOK, 0, MinTouch), atLeast(sim.cover, 0, MinTouch)),
			widget.NewSeparator(),
			// What staff would see and hear of the cabinet: the tower
			// light and each compartment.
			container.NewBorder(nil, nil, container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(towerLampSize), sim.towerLamp)), nil,
				sim.towerText),
			sim.towerBuzzer, sim.comps,
			widget.NewSeparator(), sim.receiptTitle), nil, nil, nil,
		container.NewScroll(container.NewVBox(container.NewCenter(sim.receiptImg), paper(sim.receipt))))
	sim.root = container.NewGridWithColumns(2, controls, receipt)
	sim.Render()
	return sim
}

// Content is the panel's root object.
func (sim *Simulator) Content() fyne.CanvasObject { return sim.root }

// SetLang switches the panel's language ("nb" or "en") and redraws.
func (sim *Simulator) SetLang(lang string) {
	sim.lang = normLang(lang)
	sim.Render()
}

// Bind subscribes to status changes and renders each through fyne.Do.
func (sim *Simulator) Bind() {
	sim.s.OnChange(func() { fyne.Do(sim.Render) })
	sim.Render()
}

// Render reads the simulators' status and updates the panel: the card
// buttons work only while a payment waits, the staff buttons only while an
// age check waits, Open only while an unlocked compartment's door is
// shut, Close only while a door is open, Force only while a locked
// compartment's door is shut. Scanning always works. It must be called on the Fyne goroutine.
func (sim *Simulator) Render() {
	st := sim.s.Status()
	t := func(m msg, args ...any) string { return tr(sim.lang, m, args...) }

	sim.title.SetText(t(mSimTitle))
	var waiting []string
	if st.PaymentWaiting {
		waiting = append(waiting, t(mSimPayment))
	}
	if st.AgeCheckWaiting {
		waiting = append(waiting, t(mSimAgeCheck))
	}
	if len(waiting) == 0 {
		waiting = append(waiting, t(mSimNothing))
	}
	door, lock := t(mSimDoorShut), t(mSimUnlocked)
	if st.DoorOpen {
		door = t(mSimDoorOpen)
	}
	if st.Locked {
		lock = t(mSimLocked)
	}
	paperState := map[PrinterCmd]msg{PaperOut: mSimPaperIsOut, PaperLow: mSimPaperIsLow}[st.Paper]
	if paperState == "" {
		paperState = mSimPaperIsFull
	}
	cover, cable := t(mSimCoverShut), t(mSimScannerIn)
	if st.CoverOpen {
		cover = t(mSimCoverIsOpen)
	}
	if !st.ScannerPlugged {
		cable = t(mSimScannerOut)
	}
	sim.status.SetText(t(mSimWaiting, strings.Join(waiting, ", ")) + "\n" + door + ". " + lock + ".\n" +
		t(paperState) + ", " + cover + ". " + cable + ".")

	sim.code.SetPlaceHolder(t(mSimBarcode))
	sim.scan.SetText(t(mSimScan))
	sim.quickTitle.SetText(t(mSimQuick))
	sim.termTitle.SetText(t(mSimTerminal))
	sim.cardOK.SetText(t(mSimApprove))
	sim.cardNo.SetText(t(mSimDecline))
	sim.staffTitle.SetText(t(mSimStaff))
	sim.staffOK.SetText(t(mSimApprove))
	sim.staffNo.SetText(t(mSimRefuse))
	sim.doorTitle.SetText(t(mSimDoor))
	sim.doorOpen.SetText(t(mSimOpen))
	sim.doorClose.SetText(t(mSimClose))
	sim.doorForce.SetText(t(mTowerForceDoor))
	sim.renderTower(st)
	sim.receiptTitle.SetText(t(mSimReceipt))
	sim.printerTitle.SetText(t(mSimPrinter))
	sim.paperOut.SetText(t(mSimPaperOut))
	sim.paperLow.SetText(t(mSimPaperLow))
	sim.paperOK.SetText(t(mSimPaperOK))
	if st.CoverOpen {
		sim.cover.SetText(t(mSimCoverClose))
	} else {
		sim.cover.SetText(t(mSimCoverOpen))
	}
	sim.scannerTitle.SetText(t(mSimScanner))
	if st.ScannerPlugged {
		sim.cable.SetText(t(mSimUnplug))
	} else {
		sim.cable.SetText(t(mSimReplug))
	}

	enable(sim.paperOut, st.Paper != PaperOut)
	enable(sim.paperLow, st.Paper != PaperLow)
	enable(sim.paperOK, st.Paper == PaperOut || st.Paper == PaperLow)
	enable(sim.scan, st.ScannerPlugged)
	enable(sim.cardOK, st.PaymentWaiting)
	enable(sim.cardNo, st.PaymentWaiting)
	enable(sim.staffOK, st.AgeCheckWaiting)
	enable(sim.staffNo, st.AgeCheckWaiting)
	canOpen, canClose, canForce := st.doors()
	enable(sim.doorOpen, canOpen)
	enable(sim.doorClose, canClose)
	enable(sim.doorForce, canForce)

	switch {
	case st.ReceiptImage != nil:
		// The picture of the paper, at the panel's width; the text is
		// then only for screen readers and tests.
		b := st.ReceiptImage.Bounds()
		w := float32(simReceiptWidth)
		sim.receiptImg.Image = st.ReceiptImage
		sim.receiptImg.SetMinSize(fyne.NewSize(w, w*float32(b.Dy())/float32(b.Dx())))
		sim.receiptImg.Show()
		sim.receiptImg.Refresh()
		sim.receipt.SetText(strings.TrimRight(st.LastReceipt, "\n"))
		sim.receipt.Hide()
	case st.LastReceipt != "":
		sim.receiptImg.Hide()
		sim.receipt.SetText(strings.TrimRight(st.LastReceipt, "\n"))
		sim.receipt.Show()
	default:
		sim.receiptImg.Hide()
		sim.receipt.SetText(t(mSimNoReceipt))
		sim.receipt.Show()
	}
}

// towerBlinkPeriod is one on-and-off of the drawn tower lamp, as
// devices/gpiocab blinks the real one.
const towerBlinkPeriod = time.Second

// towerLampSize is the drawn lamp's diameter.
const towerLampSize = 28

// The drawn tower lamp's colours; a blinking lamp's dark phase is its
// colour faint.
var (
	towerOff     = color.NRGBA{0xb0, 0xb0, 0xb0, 0x60}
	towerColours = map[kiosk.Light]color.NRGBA{
		kiosk.LightGreen:  {0x1f, 0x9d, 0x3a, 0xff},
		kiosk.LightYellow: {0xf2, 0xb8, 0x0c, 0xff},
		kiosk.LightRed:    {0xd3, 0x1f, 0x1f, 0xff},
	}
	towerNames = map[kiosk.Light]msg{
		kiosk.LightOff: mTowerOff, kiosk.LightGreen: mTowerGreen, kiosk.LightYellow: mTowerYellow, kiosk.LightRed: mTowerRed,
	}
)

// renderTower shows the intervention light, the buzzer and each
// compartment's lock and door.
func (sim *Simulator) renderTower(st SimStatus) {
	t := func(m msg, args ...any) string { return tr(sim.lang, m, args...) }
	name, ok := towerNames[st.Light.Light]
	if !ok {
		name = mTowerOff
	}
	text := t(mTowerIs, t(name))
	if st.Light.Blink && st.Light.Light != kiosk.LightOff {
		text += ", " + t(mTowerBlinking)
	}
	sim.towerText.SetText(text + ". " + t(mTowerChimes, st.Chimes))
	if st.Light.Alarm {
		sim.towerBuzzer.SetText(t(mTowerBuzzer))
		sim.towerBuzzer.Show()
	} else {
		sim.towerBuzzer.Hide()
	}
	c, lit := towerColours[st.Light.Light]
	sim.lampColour = c
	switch blink := lit && st.Light.Blink; {
	case blink && !sim.blinking:
		sim.blinking = true
		sim.blink.Start()
	case !blink && sim.blinking:
		sim.blinking = false
		sim.blink.Stop()
	}
	if !sim.blinking {
		sim.setLamp(lit)
	}

	var lines []string
	for _, c := range st.Compartments {
		lock, door := t(mTowerLocked), t(mTowerDoorShut)
		if !c.Locked {
			lock = t(mTowerUnlocked)
		}
		if c.DoorOpen {
			door = t(mTowerDoorOpen)
		}
		lines = append(lines, t(mTowerComp, c.No, lock, door))
	}
	sim.comps.SetText(strings.Join(lines, "\n"))
	if len(lines) == 0 {
		sim.comps.Hide()
	} else {
		sim.comps.Show()
	}
}

// blinkTick is the blink animation's step, on the Fyne goroutine: the
// lamp is lit for the upper half of each sweep, so half of each period.
func (sim *Simulator) blinkTick(v float32) { sim.setLamp(v >= 0.5) }

func (sim *Simulator) setLamp(lit bool) {
	fill := color.Color(towerOff)
	if lit {
		fill = sim.lampColour
	} else if sim.blinking {
		faint := sim.lampColour
		faint.A = 0x40
		fill = faint
	}
	if sim.towerLamp.FillColor != fill {
		sim.towerLamp.FillColor = fill
		sim.towerLamp.Refresh()
	}
}

// doors says which door buttons can act: Open (an unlocked compartment's
// door is shut), Close (a door is open), Force (a locked compartment's
// door is shut).
func (st SimStatus) doors() (open, close, force bool) {
	if len(st.Compartments) == 0 {
		return !st.DoorOpen && !st.Locked, st.DoorOpen, st.Locked && !st.DoorOpen
	}
	for _, c := range st.Compartments {
		open = open || (!c.Locked && !c.DoorOpen)
		close = close || c.DoorOpen
		force = force || (c.Locked && !c.DoorOpen)
	}
	return open, close, force
}

// simReceiptWidth is how wide the receipt picture is shown: an 80 mm
// roll at about the size it has in the hand.
const simReceiptWidth = 440

// SimulatorWidth is the width the Simulator window wants: controls and
// the receipt side by side.
const SimulatorWidth = 1000

// scanEntry scans what was typed, and clears the entry for the next code.
func (sim *Simulator) scanEntry() {
	code := strings.TrimSpace(sim.code.Text)
	if code == "" {
		return
	}
	sim.s.Scan(code)
	sim.code.SetText("")
}

func enable(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}
