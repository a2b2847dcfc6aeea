package ui

import (
	"flag"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"selvkasse/kiosk"
)

// Fyne's test package has no -update: on a mismatch (or a missing master)
// it writes the actual markup to testdata/failed/. This flag rewrites the
// masters in testdata/ instead; review them with git diff.
var update = flag.Bool("update", false, "rewrite the markup goldens in testdata/")

// shotsEnv names a directory to write PNG screenshots of every golden
// screen to, for a person to look at. Nothing is compared.
const shotsEnv = "SELVKASSE_UI_SHOTS"

// Screen sizes of the two panels the kiosk ships with.
var (
	size1280 = fyne.NewSize(1280, 800)
	size1920 = fyne.NewSize(1920, 1080)
)

// fakeKiosk is a recording Kiosk. Every command is recorded by name and
// argument and returns err; set replaces the view and notifies the
// subscribers on the caller's goroutine.
type fakeKiosk struct {
	mu      sync.Mutex
	view    kiosk.View
	calls   []string
	wake    chan struct{} // closed and replaced on every call
	err     error
	subs    map[int]func(kiosk.View)
	next    int
	touches int // StaffTouch calls
	// active counts Touch calls, apart from the commands: every tap and
	// key on a customer screen makes one (timers.go).
	active int
}

var _ Kiosk = (*fakeKiosk)(nil)

// The checkout is what the binary hands the screens.
var _ Kiosk = (*kiosk.Checkout)(nil)

func newFakeKiosk(v kiosk.View) *fakeKiosk {
	return &fakeKiosk{view: v, subs: map[int]func(kiosk.View){}, wake: make(chan struct{})}
}

func (f *fakeKiosk) View() kiosk.View {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.view
}

func (f *fakeKiosk) Subscribe(fn func(kiosk.View)) func() {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := f.next
	f.next++
	f.subs[id] = fn
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		delete(f.subs, id)
	}
}

func (f *fakeKiosk) set(v kiosk.View) {
	f.mu.Lock()
	f.view = v
	fns := make([]func(kiosk.View), 0, len(f.subs))
	for _, fn := range f.subs {
		fns = append(fns, fn)
	}
	f.mu.Unlock()
	for _, fn := range fns {
		fn(v)
	}
}

func (f *fakeKiosk) setErr(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

func (f *fakeKiosk) record(call string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
	close(f.wake)
	f.wake = make(chan struct{})
	return f.err
}

// waitCalls waits until n commands were made (staff actions run off the
// Fyne goroutine) and returns them.
func (f *fakeKiosk) waitCalls(t *testing.T, n int) []string {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		f.mu.Lock()
		calls, w := append([]string(nil), f.calls...), f.wake
		f.mu.Unlock()
		if len(calls) >= n {
			return calls
		}
		select {
		case <-w:
		case <-deadline:
			t.Fatalf("%d calls, want %d: %q", len(calls), n, calls)
		}
	}
}

// Calls returns the commands so far, in order.
func (f *fakeKiosk) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *fakeKiosk) subscribers() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.subs)
}

func (f *fakeKiosk) Add(g kiosk.GTIN) error { return f.record("Add " + g.Short()) }
func (f *fakeKiosk) SetQty(g kiosk.GTIN, q int) error {
	return f.record(fmt.Sprintf("SetQty %s %d", g.Short(), q))
}
func (f *fakeKiosk) Remove(g kiosk.GTIN) error   { return f.record("Remove " + g.Short()) }
func (f *fakeKiosk) Pay() error                  { return f.record("Pay") }
func (f *fakeKiosk) Retry() error                { return f.record("Retry") }
func (f *fakeKiosk) Cancel() error               { return f.record("Cancel") }
func (f *fakeKiosk) Help() error                 { return f.record("Help") }
func (f *fakeKiosk) FinishReceipt() error        { return f.record("FinishReceipt") }
func (f *fakeKiosk) WithdrawHelp() error         { return f.record("WithdrawHelp") }
func (f *fakeKiosk) StaffPIN(pin string) error   { return f.record("StaffPIN " + pin) }
func (f *fakeKiosk) StaffCancelLogin()           { _ = f.record("StaffCancelLogin") }
func (f *fakeKiosk) StaffChoose(id string) error { return f.record("StaffChoose " + id) }

// StaffTouch is counted apart from the commands: every tap on a staff
// screen makes one.
func (f *fakeKiosk) StaffTouch() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.touches++
}

// staffTouches counts StaffTouch calls.
func (f *fakeKiosk) staffTouches() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.touches
}
func (f *fakeKiosk) StaffLogout() { _ = f.record("StaffLogout") }
func (f *fakeKiosk) Override(o kiosk.Override) error {
	return f.record(overrideCall(o))
}

// overrideCall is how the fake records an override.
func overrideCall(o kiosk.Override) string {
	s := fmt.Sprintf("Override %v (%v)", o.Kind, o.Reason)
	if o.Line != "" {
		s += " line " + o.Line.Short()
	}
	if o.Compartment != 0 {
		s += fmt.Sprintf(" compartment %d", o.Compartment)
	}
	if o.Receipt != 0 {
		s += fmt.Sprintf(" receipt %d", o.Receipt)
	}
	return s
}

// customerCommands are the commands a customer screen may make; every
// other is staff's.
var customerCommands = map[string]bool{
	"Add": true, "SetQty": true, "Remove": true, "Pay": true, "Retry": true, "Cancel": true,
	"Help": true, "WithdrawHelp": true, "Touch": true, "FinishReceipt": true,
}

// fakeSim is a recording SimControls.
type fakeSim struct {
	mu     sync.Mutex
	status SimStatus
	calls  []string
	fns    []func()
}

var _ SimControls = (*fakeSim)(nil)

func (f *fakeSim) record(call string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
}

func (f *fakeSim) Scan(code string)     { f.record("Scan " + code) }
func (f *fakeSim) Card(approve bool)    { f.record(fmt.Sprintf("Card %v", approve)) }
func (f *fakeSim) Staff(approve bool)   { f.record(fmt.Sprintf("Staff %v", approve)) }
func (f *fakeSim) Door(open bool)       { f.record(fmt.Sprintf("Door %v", open)) }
func (f *fakeSim) Printer(c PrinterCmd) { f.record("Printer " + string(c)) }
func (f *fakeSim) ScannerCable(in bool) { f.record(fmt.Sprintf("ScannerCable %v", in)) }

func (f *fakeSim) Status() SimStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.status
}

func (f *fakeSim) OnChange(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fns = append(f.fns, fn)
}

// set changes the status and notifies like the simulators do.
func (f *fakeSim) set(st SimStatus) {
	f.mu.Lock()
	f.status = st
	fns := append([]func(){}, f.fns...)
	f.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

func (f *fakeSim) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

// Demo data. The brand names are made up.

func mustGTIN(tb testing.TB, body string) kiosk.GTIN {
	tb.Helper()
	g, err := kiosk.ParseGTIN(body + string(kiosk.CheckDigit(body)))
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

type demo struct {
	cigs, snus, roll, cola, choc, paper kiosk.Product
}

func mustDemo(tb testing.TB) demo {
	tb.Helper()
	d := demo{
		cigs: kiosk.Product{GTIN: mustGTIN(tb, "702000000001"), Name: "Nordlys Original 20 stk", Group: kiosk.GroupTobacco,
			VAT: kiosk.VAT25, Price: 15900, MinAge: 18, Cabinet: true, Stock: 20},
		snus: kiosk.Product{GTIN: mustGTIN(tb, "702000000002"), Name: "Fjellsnus Original Portion 24 g", Group: kiosk.GroupTobacco,
			VAT: kiosk.VAT25, Price: 12450, MinAge: 18, Cabinet: true, Stock: 40},
		roll: kiosk.Product{GTIN: mustGTIN(tb, "702000000003"), Name: "Fjordtobakk Rulletobakk 40 g", Group: kiosk.GroupTobacco,
			VAT: kiosk.VAT25, Price: 16900, MinAge: 18, Cabinet: true, Stock: 0},
		cola: kiosk.Product{GTIN: mustGTIN(tb, "702000000004"), Name: "Cola 0,5 l", Group: kiosk.GroupSoftDrink,
			VAT: kiosk.VAT15, Price: 3290, Stock: 50},
		choc: kiosk.Product{GTIN: mustGTIN(tb, "702000000005"), Name: "Melkesjokolade 60 g", Group: kiosk.GroupFood,
			VAT: kiosk.VAT15, Price: 2490, Stock: 30},
		paper: kiosk.Product{GTIN: mustGTIN(tb, "702000000006"), Name: "Dagsavisen", Group: kiosk.GroupPress,
			VAT: kiosk.VAT0, Price: 4500, Stock: 10},
	}
	for _, p := range d.all() {
		if err := p.Validate(); err != nil {
			tb.Fatal(err)
		}
	}
	return d
}

func (d demo) all() []kiosk.Product {
	return []kiosk.Product{d.cigs, d.snus, d.roll, d.cola, d.choc, d.paper}
}

func (d demo) cabinet() []kiosk.Product { return []kiosk.Product{d.snus, d.roll, d.cigs} }

// basketView is a Shopping view of the given lines.
func (d demo) basketView(lines ...kiosk.Line) kiosk.View {
	b := kiosk.Basket{Lines: lines}
	return kiosk.View{
		State: kiosk.Shopping, SaleID: "S-1", Lines: b.Lines, Count: b.Count(),
		Total: b.Total(), VAT: b.VAT(), Cabinet: d.cabinet(),
	}
}

func (d demo) shopping() kiosk.View {
	return d.basketView(
		kiosk.Line{Product: d.cola, Qty: 2},
		kiosk.Line{Product: d.cigs, Qty: 1},
		kiosk.Line{Product: d.choc, Qty: 1},
	)
}

func (d demo) receiptDoc() *kiosk.Document {
	v := d.shopping()
	var doc kiosk.Document
	doc.Text("TOBAKKSHUSET AS", kiosk.Style{Bold: true, Align: kiosk.AlignCenter})
	doc.Text("Org.nr. 999 999 999 MVA", kiosk.Style{Align: kiosk.AlignCenter})
	doc.Rule()
	for _, l := range v.Lines {
		doc.Pair(fmt.Sprintf("%d x %s", l.Qty, l.Product.Name), l.Total().Plain(), kiosk.Style{})
	}
	doc.Rule()
	doc.Pair("TOTALT", v.Total.String(), kiosk.Style{Bold: true})
	for _, x := range v.VAT {
		doc.Pair("Herav mva "+x.Rate.String(), x.VAT.Plain(), kiosk.Style{})
	}
	doc.Feed()
	doc.Pair("Visa ************1234", v.Total.Plain(), kiosk.Style{})
	doc.Text("Kvittering nr. 42", kiosk.Style{Align: kiosk.AlignCenter})
	return &doc
}

// views is one view per state, as the goldens show them.
func (d demo) views() map[kiosk.State]kiosk.View {
	shop := d.shopping()
	with := func(s kiosk.State, f func(*kiosk.View)) kiosk.View {
		v := shop
		v.State = s
		if f != nil {
			f(&v)
		}
		return v
	}
	return map[kiosk.State]kiosk.View{
		kiosk.Idle:            {State: kiosk.Idle, Cabinet: d.cabinet()},
		kiosk.Shopping:        shop,
		kiosk.TimeoutWarning:  with(kiosk.TimeoutWarning, warningLeft(27*time.Second, kiosk.DefaultExtends-1)),
		kiosk.AgeCheckPending: with(kiosk.AgeCheckPending, nil),
		kiosk.Paying:          with(kiosk.Paying, func(v *kiosk.View) { v.PayStatus = "SETT INN / HOLD KORT" }),
		kiosk.PaymentDeclined: with(kiosk.PaymentDeclined, func(v *kiosk.View) {
			v.Notice, v.NoticeArg, v.NoticeCode = kiosk.NoticeDeclined, "Ikke nok dekning på kortet / Credit not sufficient", "71"
		}),
		kiosk.Releasing: with(kiosk.Releasing, func(v *kiosk.View) {
			v.DoorOpen = true
			v.Release = []kiosk.ReleaseItem{{Name: d.cigs.Name, Qty: 1, Compartment: 2}}
		}),
		kiosk.Receipt: {State: kiosk.Receipt, Cabinet: d.cabinet(), Receipt: d.receiptDoc(), ReceiptNo: 42,
			Notice: kiosk.NoticeNone},
		kiosk.Assistance: with(kiosk.Assistance, func(v *kiosk.View) { v.PaperLow = true }),
		kiosk.OutOfOrder: {State: kiosk.OutOfOrder, Fault: kiosk.DevTerminal},
	}
}

// helpAt is when the customer called for help in the tests.
var helpAt = time.Date(2026, 12, 3, 14, 5, 0, 0, time.Local)

// withHelp is v with the customer's call for help open.
func withHelp(v kiosk.View) kiosk.View {
	v.Help = helpAt
	return v
}

// Staff in the tests.
const (
	kariID   = "kari"
	kariName = "Kari Nordmann"
	olaName  = "Ola Nordmann"
)

// clerkMayNot are the overrides a clerk may not make (kiosk/staff.go's
// table, as the kiosk reports it in OverrideOption.Permitted).
var clerkMayNot = map[kiosk.OverrideKind]bool{
	kiosk.OvCompleteSale: true, kiosk.OvClearFault: true, kiosk.OvZReport: true,
	kiosk.OvReturn: true, kiosk.OvTrainingMode: true,
}

// overrideOptions is every override as the kiosk offers it to role, with
// available the ones that apply now.
func overrideOptions(role kiosk.Role, available ...kiosk.OverrideKind) []kiosk.OverrideOption {
	var out []kiosk.OverrideOption
	for _, k := range kiosk.OverrideKinds {
		o := kiosk.OverrideOption{Kind: k, Permitted: role == kiosk.RoleSupervisor || !clerkMayNot[k], Reasons: k.Reasons()}
		for _, a := range available {
			o.Available = o.Available || (a == k && !k.Later())
		}
		out = append(out, o)
	}
	return out
}

// at is a time today in the tests.
func at(hour, min int) time.Time { return time.Date(2026, 12, 3, hour, min, 0, 0, time.Local) }

// staffStatus fills in what the staff screen shows besides the
// overrides: devices, compartments, the queue and today's counts.
func staffStatus(v kiosk.View) kiosk.View {
	v.Devices = []kiosk.DeviceStatus{
		{Device: kiosk.DevScanner, OK: true},
		{Device: kiosk.DevPrinter, OK: true, Detail: kiosk.DetailPaperLow},
		{Device: kiosk.DevTerminal, OK: false, Detail: "no answer"},
	}
	v.Compartments = []kiosk.CompartmentState{
		{No: 1, Locked: true}, {No: 2, Locked: true}, {No: 3, Locked: false, DoorOpen: true},
	}
	v.PaperLow = true
	v.Calls = []kiosk.Call{
		{Kind: kiosk.CallAgeCheck, Kiosk: "kasse-1", Since: at(14, 2), Sale: "S-1"},
		{Kind: kiosk.CallDoorOpen, Kiosk: "kasse-1", Since: at(14, 4), Arg: "3"},
		{Kind: kiosk.CallHelp, Kiosk: "kasse-2", Since: at(14, 5)},
	}
	v.Today = kiosk.DayCounts{Sales: 37, AgeApproved: 12, AgeRefused: 2, Overrides: 5, Cancelled: 3}
	return v
}

// pinView is v with the PIN pad open for Kari.
func pinView(v kiosk.View) kiosk.View {
	v.Staff = &kiosk.StaffView{Phase: kiosk.StaffPIN, ID: kariID, Name: kariName, Role: kiosk.RoleSupervisor}
	return v
}

// signedIn is v with a staff member of role signed in, the overrides
// available that apply.
func signedIn(v kiosk.View, role kiosk.Role, available ...kiosk.OverrideKind) kiosk.View {
	v = staffStatus(v)
	name := kariName
	if role == kiosk.RoleClerk {
		name = olaName
	}
	v.Staff = &kiosk.StaffView{Phase: kiosk.StaffSignedIn, ID: kariID, Name: name, Role: role,
		Overrides: overrideOptions(role, available...)}
	return v
}

// ageCheckStaff is Kari at an age check.
func (d demo) ageCheckStaff() kiosk.View {
	return signedIn(d.views()[kiosk.AgeCheckPending], kiosk.RoleSupervisor,
		kiosk.OvApproveAge, kiosk.OvRefuseAge, kiosk.OvVoidLine, kiosk.OvCancelSale, kiosk.OvOpenCompartment)
}

// clerkAtAssistance is Ola, a clerk, where a payment needs staff: the
// sale can be completed, but not by a clerk.
func (d demo) clerkAtAssistance() kiosk.View {
	v := d.views()[kiosk.Assistance]
	v.Notice = kiosk.NoticeRecoveryPending
	return signedIn(v, kiosk.RoleClerk, kiosk.OvCancelSale, kiosk.OvResumeSale, kiosk.OvCompleteSale)
}

// newTestApp starts a headless app with the kiosk theme.
func newTestApp(t *testing.T) fyne.App {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(Theme())
	return a
}

// showScreen puts a new Screen for k in an unpadded window of the given
// size.
func showScreen(t *testing.T, k Kiosk, lang string, size fyne.Size) (*Screen, fyne.Window) {
	t.Helper()
	s := NewScreen(k, lang)
	w := test.NewTempWindow(t, s.Content())
	w.SetPadded(false)
	w.Resize(size)
	return s, w
}

// assertMarkup compares the window's markup with testdata/name (or
// rewrites it with -update) and, with SELVKASSE_UI_SHOTS set, saves a
// screenshot.
func assertMarkup(t *testing.T, name string, w fyne.Window) {
	t.Helper()
	settle(w)
	if *update {
		path := filepath.Join("testdata", name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(test.RenderToMarkup(w.Canvas())), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	test.AssertRendersToMarkup(t, name, w.Canvas())
	if dir := os.Getenv(shotsEnv); dir != "" {
		saveShot(t, filepath.Join(dir, strings.TrimSuffix(name, ".xml")+".png"), w)
	}
}

// settle lays the window out again until it stops changing, as the real
// driver does on every frame (it re-lays out a parent when a child's
// minimum size changed, e.g. a word-wrapped label after it got its width).
// The test canvas lays out only on resize and on Refresh.
func settle(w fyne.Window) {
	prev := ""
	for i := 0; i < 5; i++ {
		relayout(w.Canvas().Content())
		cur := test.RenderToMarkup(w.Canvas())
		if cur == prev {
			return
		}
		prev = cur
	}
}

func relayout(o fyne.CanvasObject) {
	if o == nil || !o.Visible() {
		return
	}
	switch c := o.(type) {
	case *fyne.Container:
		if c.Layout != nil {
			c.Layout.Layout(c.Objects, c.Size())
		}
		for _, ch := range c.Objects {
			relayout(ch)
		}
	case fyne.Widget:
		if r := test.WidgetRenderer(c); r != nil {
			r.Layout(c.Size())
			for _, ch := range r.Objects() {
				relayout(ch)
			}
		}
	}
}

func saveShot(t *testing.T, path string, w fyne.Window) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}

// visible walks the object tree as the canvas shows it (through each
// widget's live renderer), skipping hidden subtrees.
func visible(o fyne.CanvasObject) []fyne.CanvasObject {
	if o == nil || !o.Visible() {
		return nil
	}
	out := []fyne.CanvasObject{o}
	switch c := o.(type) {
	case *fyne.Container:
		for _, ch := range c.Objects {
			out = append(out, visible(ch)...)
		}
	case fyne.Widget:
		if r := test.WidgetRenderer(c); r != nil {
			for _, ch := range r.Objects() {
				out = append(out, visible(ch)...)
			}
		}
	}
	return out
}

// texts is every piece of text a customer sees in w, one entry per
// widget (the walk does not descend into labels, buttons and rows).
func texts(w fyne.Window) []string {
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x.Text)
			return
		case *widget.Button:
			out = append(out, oneLine(x.Text))
			return
		case *widget.RichText:
			out = append(out, x.String())
			return
		case *productRow:
			out = append(out, x.name, x.price)
			return
		case *canvas.Text:
			out = append(out, x.Text)
			return
		case *fyne.Container:
			for _, ch := range x.Objects {
				walk(ch)
			}
		case fyne.Widget:
			if r := test.WidgetRenderer(x); r != nil {
				for _, ch := range r.Objects() {
					walk(ch)
				}
			}
		}
	}
	walk(w.Canvas().Content())
	return out
}

func hasText(w fyne.Window, s string) bool {
	for _, t := range texts(w) {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

// findButton returns the visible button labelled text.
func findButton(t *testing.T, w fyne.Window, text string) *widget.Button {
	t.Helper()
	var found []*widget.Button
	for _, o := range visible(w.Canvas().Content()) {
		if b, ok := o.(*widget.Button); ok && oneLine(b.Text) == text {
			found = append(found, b)
		}
	}
	if len(found) == 0 {
		t.Fatalf("no button %q; the screen shows %q", text, texts(w))
	}
	return found[0]
}

func findRow(t *testing.T, w fyne.Window, name string) *productRow {
	t.Helper()
	for _, o := range visible(w.Canvas().Content()) {
		if r, ok := o.(*productRow); ok && r.name == name {
			return r
		}
	}
	t.Fatalf("no cabinet row %q; the screen shows %q", name, texts(w))
	return nil
}

func equalCalls(t *testing.T, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("calls = %q, want %q", got, want)
	}
}
