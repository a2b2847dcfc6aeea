package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Small building blocks shared by the screens and the simulator. They
// create widgets, so they run on the Fyne goroutine.

// label is a centred, word-wrapped label in the given size.
func label(text string, size fyne.ThemeSizeName, bold bool) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignCenter, fyne.TextStyle{Bold: bold})
	l.SizeName = size
	l.Wrapping = fyne.TextWrapWord
	return l
}

func heading(text string) *widget.Label    { return label(text, theme.SizeNameHeadingText, true) }
func subheading(text string) *widget.Label { return label(text, theme.SizeNameSubHeadingText, false) }
func body(text string) *widget.Label       { return label(text, theme.SizeNameText, false) }

// leftLabel is a left-aligned label on one line.
func leftLabel(text string, size fyne.ThemeSizeName, bold bool) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: bold})
	l.SizeName = size
	return l
}

// nameLabel is a left-aligned label that truncates with an ellipsis rather
// than push its neighbours off the screen: for product names, in the
// centre of a Border layout, which gives it whatever width is left.
//
// The label truncates only while it does not fit (nameFit): Fyne's
// ellipsis truncation shapes the text with a new HarfBuzz shaper at every
// refresh and resize, fitting or not, which made a basket of ten lines
// take milliseconds to render; measuring a label that is not truncated
// is cached.
func nameLabel(text string, size fyne.ThemeSizeName, bold bool) *fyne.Container {
	return fitName(leftLabel(text, size, bold))
}

// fitName puts l, a one-line label, in a nameFit.
func fitName(l *widget.Label) *fyne.Container { return container.New(&nameFit{l: l}, l) }

// nameFit lays out a one-line label at the size it is given and turns
// its ellipsis truncation on only when that is narrower than the text.
type nameFit struct {
	l *widget.Label
}

// full is the label's width untruncated.
func (n *nameFit) full() fyne.Size {
	if n.l.Truncation == fyne.TextTruncateOff {
		return n.l.MinSize()
	}
	th := n.l.Theme()
	t := fyne.MeasureText(n.l.Text, th.Size(n.l.SizeName), n.l.TextStyle)
	pad := th.Size(theme.SizeNameInnerPadding)
	return fyne.NewSize(t.Width+2*pad, n.l.MinSize().Height)
}

// MinSize is what a truncating label asks for: its height, and room for
// a letter and the ellipsis.
func (n *nameFit) MinSize([]fyne.CanvasObject) fyne.Size {
	th := n.l.Theme()
	ts := th.Size(n.l.SizeName)
	w := fyne.MeasureText("M…", ts, n.l.TextStyle).Width + 2*th.Size(theme.SizeNameInnerPadding)
	return fyne.NewSize(w, n.full().Height)
}

func (n *nameFit) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	trunc := fyne.TextTruncateOff
	if size.Width < n.full().Width {
		trunc = fyne.TextTruncateEllipsis
	}
	if n.l.Truncation != trunc {
		n.l.Truncation = trunc
		n.l.Refresh()
	}
	n.l.Move(fyne.NewPos(0, 0))
	n.l.Resize(size)
}

// rightLabel is a right-aligned label for amounts.
func rightLabel(text string, size fyne.ThemeSizeName, bold bool) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignTrailing, fyne.TextStyle{Bold: bold})
	l.SizeName = size
	return l
}

// button is a touch target: a widget.Button at least w wide and h tall.
func button(text string, imp widget.Importance, w, h float32, tapped func()) *fyne.Container {
	b := widget.NewButton(text, tapped)
	b.Importance = imp
	return atLeast(b, max(w, MinTouch), max(h, MinTouch))
}

// centred centres objects side by side, like a row of buttons.
func centred(objs ...fyne.CanvasObject) *fyne.Container {
	return container.NewCenter(container.NewHBox(objs...))
}

// middle stacks objects in a full-width column, centred vertically.
func middle(objs ...fyne.CanvasObject) *fyne.Container {
	all := make([]fyne.CanvasObject, 0, len(objs)+2)
	all = append(all, layout.NewSpacer())
	for _, o := range objs {
		if o != nil {
			all = append(all, o)
		}
	}
	all = append(all, layout.NewSpacer())
	return container.NewVBox(all...)
}

// colouredText is wrapped, centred text in the given colour, for use on a
// coloured background (pill).
func colouredText(text string, fg fyne.ThemeColorName, size fyne.ThemeSizeName) *widget.RichText {
	rt := widget.NewRichText(&widget.TextSegment{Text: text, Style: widget.RichTextStyle{
		Alignment: fyne.TextAlignCenter,
		ColorName: fg,
		SizeName:  size,
		TextStyle: fyne.TextStyle{Bold: true},
	}})
	rt.Wrapping = fyne.TextWrapWord
	return rt
}

// banner is a full-width coloured strip with text: notices and errors.
func banner(text string, bg, fg fyne.ThemeColorName) *fyne.Container {
	return pill(theme.Color(bg), colouredText(text, fg, theme.SizeNameText))
}

// badge is the small "18+" mark on a basket line.
func badge(text string) *fyne.Container {
	t := canvas.NewText(text, theme.Color(theme.ColorNameForegroundOnError))
	t.TextStyle = fyne.TextStyle{Bold: true}
	t.TextSize = theme.Size(theme.SizeNameCaptionText)
	return container.NewCenter(pill(theme.Color(theme.ColorNameError), t))
}

// paper frames a receipt: white with a dark border.
func paper(o fyne.CanvasObject) *fyne.Container {
	r := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	r.StrokeColor = theme.Color(theme.ColorNameForeground)
	r.StrokeWidth = 2
	return container.NewStack(r, container.NewPadded(o))
}

// productRow is one line of the cabinet list: a tappable row with the
// product's name and price, text only (tobakksskadeloven § 25).
type productRow struct {
	widget.DisableableWidget
	name, price string
	onTapped    func()
	// customer: a customer screen's row: outlined, CustomerTouch tall,
	// the name wrapped rather than cut. highlight: just added.
	customer, highlight bool
	// min is MinSize as last computed, for a row looking like minFor:
	// a list asks every row's MinSize at each layout, and a row's is its
	// labels' text measured and wrapped again. refreshed is how the row
	// looked at its last Refresh: a screen's Refresh reaches every row of
	// a list it shows, and one that has not changed is not measured and
	// painted again. With a wholesaler's 2 000 cabinet products, both
	// made most of a redraw (two seconds a pick in the demo).
	min       fyne.Size
	minFor    rowLook
	refreshed rowLook
}

// rowLook is what a productRow's size and paint depend on besides its
// texts, which do not change.
type rowLook struct {
	width, text         float32
	disabled, highlight bool
}

func (r *productRow) look() rowLook {
	return rowLook{r.Size().Width, r.Theme().Size(theme.SizeNameText), r.Disabled(), r.highlight}
}

func newProductRow(name, price string, tapped func()) *productRow {
	r := &productRow{name: name, price: price, onTapped: tapped}
	r.ExtendBaseWidget(r)
	return r
}

// MinSize is the renderer's, computed again when the row's look changed
// (a wrapped name's height depends on the width).
func (r *productRow) MinSize() fyne.Size {
	if l := r.look(); r.min.IsZero() || l != r.minFor {
		r.min, r.minFor = r.DisableableWidget.MinSize(), l
	}
	return r.min
}

// Refresh redraws the row if its look changed since the last Refresh.
func (r *productRow) Refresh() {
	l := r.look()
	if l == r.refreshed {
		return
	}
	r.refreshed = l
	r.DisableableWidget.Refresh()
}

// Tapped calls the row's action unless the row is disabled.
func (r *productRow) Tapped(*fyne.PointEvent) {
	if r.Disabled() || r.onTapped == nil {
		return
	}
	r.onTapped()
}

func (r *productRow) CreateRenderer() fyne.WidgetRenderer {
	th := r.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	bgName := theme.ColorNameButton
	if r.Disabled() {
		bgName = theme.ColorNameDisabledButton
	}
	bg := canvas.NewRectangle(th.Color(bgName, v))
	bg.CornerRadius = th.Size(theme.SizeNameInputRadius)
	name := leftLabel(r.name, theme.SizeNameText, false)
	price := rightLabel(r.price, theme.SizeNameText, true)
	if r.Disabled() {
		name.Importance = widget.LowImportance
		price.Importance = widget.LowImportance
	}
	var row fyne.CanvasObject = container.NewBorder(nil, nil, nil, price, fitName(name))
	if r.customer {
		return widget.NewSimpleRenderer(r.customerRow(bg, name, price))
	}
	return widget.NewSimpleRenderer(atLeast(container.NewStack(bg, row), 0, MinTouch+8))
}

// touchArea catches a tap anywhere on the area it covers.
type touchArea struct {
	widget.BaseWidget
	onTapped func()
}

func newTouchArea(tapped func()) *touchArea {
	t := &touchArea{onTapped: tapped}
	t.ExtendBaseWidget(t)
	return t
}

// Tapped calls the area's action.
func (t *touchArea) Tapped(*fyne.PointEvent) {
	if t.onTapped != nil {
		t.onTapped()
	}
}

func (t *touchArea) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}

// addAll adds objs to c with one layout. Container.Add lays c out again
// for each object it adds, which makes a list built by Add quadratic in
// its length.
func addAll(c *fyne.Container, objs ...fyne.CanvasObject) {
	if len(objs) == 0 {
		return
	}
	c.Objects = append(c.Objects, objs...)
	c.Refresh()
}
