package app

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"selvkasse/app/staffpin"
	"selvkasse/app/ui"
	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// BenchmarkBadgeToStaffScreen is the time from a supervisor's badge read
// to the staff screen drawn: the badge look-up in the Badger staff
// register, the PIN check (argon2id, the default parameters), the
// journaled log-in, and the customer screen's render of the signed-in
// view (Fyne's test driver: the widget tree is built and laid out, no
// pixels drawn). Each iteration logs out again, untimed. Its baseline,
// in the same run, is BenchmarkBadgeToStaffScreenPINOnly: the PIN check
// alone.
func BenchmarkBadgeToStaffScreen(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := mustSeededDB(b, b.TempDir())
	defer db.Close()
	if err := seedStaffIfEmpty(ctx, db, nil, time.Now()); err != nil {
		b.Fatal(err)
	}
	printer := kiosktest.NewPrinter()
	printer.SetStatus(kiosk.PrinterStatus{Ready: true})
	co := newCheckout("K1", DemoShop, db, Devices{
		Scanner: kiosktest.NewScanner(nil), Terminal: kiosktest.NewPaymentTerminal(nil), Printer: printer,
		Cabinet: kiosktest.NewCabinetLock(nil), Staff: kiosktest.NewStaffApproval(),
	}, kiosk.SystemClock{}, nil)
	if err := co.Start(ctx); err != nil {
		b.Fatal(err)
	}
	a := test.NewTempApp(b)
	w := a.NewWindow("Selvkasse")
	screen := ui.NewScreen(co, ui.LangNorwegian)
	w.SetContent(screen.Content())
	shown := make(chan struct{}, 1)
	screen.SetOnRender(func(v kiosk.View) {
		if v.Staff != nil && v.Staff.Phase == kiosk.StaffSignedIn {
			select {
			case shown <- struct{}{}:
			default:
			}
		}
	})
	unbind := screen.Bind()
	defer unbind()
	sup := DemoStaff()[1]
	lat := make([]time.Duration, 0, b.N)
	for b.Loop() {
		start := time.Now()
		co.StaffBadge(sup.Staff.Badge)
		if err := co.StaffPIN(sup.PIN); err != nil {
			b.Fatal(err)
		}
		select {
		case <-shown:
		case <-time.After(10 * time.Second):
			b.Fatal("the staff screen was never drawn")
		}
		lat = append(lat, time.Since(start))
		b.StopTimer()
		co.StaffLogout()
		b.StartTimer()
	}
	reportPercentiles(b, lat)
}

// BenchmarkBadgeToStaffScreenPINOnly is the baseline: one PIN check with
// the same hasher and parameters.
func BenchmarkBadgeToStaffScreenPINOnly(b *testing.B) {
	h := staffpin.New()
	sup := DemoStaff()[1]
	hash, err := h.Hash(sup.PIN)
	if err != nil {
		b.Fatal(err)
	}
	lat := make([]time.Duration, 0, b.N)
	for b.Loop() {
		start := time.Now()
		if ok, err := h.Verify(sup.PIN, hash); !ok || err != nil {
			b.Fatal(ok, err)
		}
		lat = append(lat, time.Since(start))
	}
	reportPercentiles(b, lat)
}
