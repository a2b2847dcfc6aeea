package app

import (
	"context"
	"fmt"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
	"selvkasse/storage"
)

// mustSeededDB opens the data dir dir with the demo catalog in it, as
// the demo does at start; the caller closes it.
func mustSeededDB(tb testing.TB, dir string) *storage.DB {
	tb.Helper()
	db, err := storage.Open(dir, storage.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	fakeSign(db)
	if err := seedIfEmpty(context.Background(), db); err != nil {
		db.Close()
		tb.Fatal(err)
	}
	return db
}

// untilView waits, woken by each change of the checkout, until ok holds
// for its view, and fails the test after within.
func untilView(tb testing.TB, co *kiosk.Checkout, what string, within time.Duration, ok func(kiosk.View) bool) kiosk.View {
	tb.Helper()
	changed := make(chan struct{}, 1)
	cancel := co.Subscribe(func(kiosk.View) {
		select {
		case changed <- struct{}{}:
		default:
		}
	})
	defer cancel()
	deadline := time.After(within)
	for {
		v := co.View()
		if ok(v) {
			return v
		}
		select {
		case <-changed:
		case <-deadline:
			tb.Fatalf("never %s; now %v, %d items, fault %q, notice %v %q", what, v.State, v.Count, v.Fault, v.Notice, v.NoticeArg)
		}
	}
}

// staffOverride signs the demo supervisor in at co, badge and PIN,
// seeding the demo staff into db first when its register is empty, and
// makes o: what staff does at the kiosk to settle a sale.
func staffOverride(co *kiosk.Checkout, db *storage.DB, o kiosk.Override) error {
	if err := seedStaffIfEmpty(context.Background(), db, nil, time.Now()); err != nil {
		return err
	}
	sup := DemoStaff()[1]
	if v := co.View(); v.Staff == nil || v.Staff.ID != sup.Staff.ID || v.Staff.Phase != kiosk.StaffSignedIn {
		co.StaffBadge(sup.Staff.Badge)
		if err := co.StaffPIN(sup.PIN); err != nil {
			return fmt.Errorf("sign in %s: %w", sup.Staff.ID, err)
		}
	}
	return co.Override(o)
}

// fakeSign gives db the fake signing key (kiosktest.Signer) in
// Europe/Oslo: run and demo attach the data dir's key (attachSigner).
func fakeSign(db *storage.DB) {
	zone, err := signingZone()
	if err != nil {
		panic(err)
	}
	db.SetSigner(&kiosktest.Signer{}, zone)
}
