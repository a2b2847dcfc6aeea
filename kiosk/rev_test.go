package kiosk_test

import (
	"testing"
	"time"

	"selvkasse/kiosk"
)

// TestBasketRevision: every change of the basket's lines is a new
// revision, stamped with the checkout's clock; anything else (a notice, a
// refused scan, another look at the view) is not.
func TestBasketRevision(t *testing.T) {
	r := mustRig(t)
	if v := r.co.View(); v.Rev != 0 || !v.RevAt.IsZero() {
		t.Fatalf("before any change: rev %d at %v", v.Rev, v.RevAt)
	}
	var seen []uint64
	r.co.Subscribe(func(v kiosk.View) { seen = append(seen, v.Rev) })
	step := func(what string, want uint64, do func()) {
		t.Helper()
		before := r.co.View()
		r.clock.Advance(time.Second)
		at := r.clock.Now()
		do()
		v := r.co.View()
		if v.Rev != want {
			t.Fatalf("%s: rev %d, want %d", what, v.Rev, want)
		}
		if len(seen) == 0 || seen[len(seen)-1] != want {
			t.Fatalf("%s: subscribers saw %v, want %d last", what, seen, want)
		}
		if wantAt := map[bool]time.Time{true: at, false: before.RevAt}[want != before.Rev]; !v.RevAt.Equal(wantAt) {
			t.Fatalf("%s: rev at %v, want %v", what, v.RevAt, wantAt)
		}
	}
	step("scan", 1, func() { r.co.Scan(soda.GTIN.String()) })
	step("same product again", 2, func() { r.co.Scan(soda.GTIN.String()) })
	step("unknown code", 2, func() { r.co.Scan("1234567890128") })
	step("pick", 3, func() { r.must(r.co.Add(avis.GTIN)) })
	step("quantity", 4, func() { r.must(r.co.SetQty(soda.GTIN, 1)) })
	step("remove", 5, func() { r.must(r.co.Remove(avis.GTIN)) })
	step("cancel", 6, func() { r.must(r.co.Cancel()) })
	if v := r.co.View(); v.Count != 0 || v.Rev != 6 {
		t.Fatalf("after cancel: %d items, rev %d", v.Count, v.Rev)
	}
	step("next sale", 7, func() { r.co.Scan(soda.GTIN.String()) })
}
