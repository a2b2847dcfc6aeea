package kiosk_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// TestCancelledNoticeGoesAway: "Handelen er avbrutt." does not stay on
// the welcome screen, whichever screen the customer cancelled from
// (issue 14: a stale notice stayed on the welcome screen).
func TestCancelledNoticeGoesAway(t *testing.T) {
	for _, c := range []struct {
		name string
		to   func(r *rig)
	}{
		{"basket", func(r *rig) {}},
		{"declined", func(r *rig) {
			r.must(r.co.Pay())
			r.payDeclined()
		}},
		{"warning", func(r *rig) {
			r.clock.Advance(60 * time.Second)
			r.wait(kiosk.TimeoutWarning)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := mustRig(t)
			r.co.Scan(soda.GTIN.String())
			r.wait(kiosk.Shopping)
			c.to(r)
			r.must(r.co.Cancel())
			v := r.wait(kiosk.Idle)
			if v.Notice != kiosk.NoticeCancelled {
				t.Fatalf("after cancel: notice %v", v.Notice)
			}
			r.clock.Advance(10 * time.Second)
			r.until(func(v kiosk.View) bool { return v.Notice == kiosk.NoticeNone }, "notice cleared")
		})
	}
}

// TestRemoveLast: the line added last is in the view, and RemoveLast
// takes one of it out, through the basket's own rules (an emptied basket
// ends the sale).
func TestRemoveLast(t *testing.T) {
	r := mustRig(t)
	if err := r.co.RemoveLast(); !errors.Is(err, kiosk.ErrNotNow) {
		t.Fatalf("remove last from an empty basket: %v", err)
	}
	r.co.Scan(soda.GTIN.String())
	r.co.Scan(avis.GTIN.String())
	r.co.Scan(soda.GTIN.String())
	v := r.wait(kiosk.Shopping)
	if v.LastAdded != soda.GTIN {
		t.Fatalf("last added %q, want the soda", v.LastAdded)
	}
	qty := func(v kiosk.View) map[kiosk.GTIN]int {
		m := map[kiosk.GTIN]int{}
		for _, l := range v.Lines {
			m[l.Product.GTIN] = l.Qty
		}
		return m
	}
	r.must(r.co.RemoveLast())
	if v := r.co.View(); qty(v)[soda.GTIN] != 1 || qty(v)[avis.GTIN] != 1 || v.LastAdded != soda.GTIN {
		t.Fatalf("after one remove: %v, last %q", qty(v), v.LastAdded)
	}
	r.must(r.co.RemoveLast())
	if v := r.co.View(); qty(v)[soda.GTIN] != 0 || v.LastAdded != avis.GTIN {
		t.Fatalf("after two: %v, last %q", qty(v), v.LastAdded)
	}
	r.must(r.co.SetQty(avis.GTIN, 2)) // a + counts as an add
	if v := r.co.View(); v.LastAdded != avis.GTIN {
		t.Fatalf("after +: last %q", v.LastAdded)
	}
	r.must(r.co.RemoveLast())
	r.must(r.co.RemoveLast())
	if v := r.wait(kiosk.Idle); len(v.Lines) != 0 || v.LastAdded != "" {
		t.Fatalf("emptied: %d lines, last %q", len(v.Lines), v.LastAdded)
	}
}

// TestDeclineCodeInView: the terminal's result code comes with a
// decline, so the screen can word it in its own language.
func TestDeclineCodeInView(t *testing.T) {
	r := mustRig(t)
	r.co.Scan(soda.GTIN.String())
	r.must(r.co.Pay())
	r.payDeclined()
	if v := r.co.View(); v.Notice != kiosk.NoticeDeclined || v.NoticeCode != "05" {
		t.Fatalf("notice %v code %q, want Declined 05", v.Notice, v.NoticeCode)
	}
	r.must(r.co.Cancel())
	if v := r.wait(kiosk.Idle); v.NoticeCode != "" {
		t.Fatalf("code %q outlived the decline", v.NoticeCode)
	}
}

// listOnly is a catalog that is not a kiosk.NameFinder: Search lists it
// whole.
type listOnly struct{ kiosk.Catalog }

// TestSearch: the same finds from a catalog that finds names itself (the
// fake store, as storage.DB) and from one that only lists.
func TestSearch(t *testing.T) {
	r := mustRig(t)
	listed := kiosk.NewCheckout(kiosk.Config{KioskID: "K1"}, kiosk.Deps{Catalog: listOnly{r.store}, Sales: r.store, Journal: r.store,
		Scanner: r.scanner, Terminal: r.term, Printer: r.printer, Cabinet: r.cab, Staff: r.staff, Clock: r.clock})
	for _, co := range []*kiosk.Checkout{r.co, listed} {
		searchCases(t, co)
	}
}

func searchCases(t *testing.T, co *kiosk.Checkout) {
	t.Helper()
	for _, c := range []struct {
		q    string
		want []string
	}{
		{"", nil},
		{"   ", nil},
		{"snus", []string{snus.Name}},
		{"NORDLYS sn", []string{snus.Name}},
		{"a", []string{avis.Name, soda.Name}},
		{"cola avis", nil},
		{"zzz", nil},
	} {
		got, err := co.Search(context.Background(), c.q, 0)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range got {
			names = append(names, p.Name)
		}
		if strings.Join(names, "|") != strings.Join(c.want, "|") {
			t.Errorf("Search(%q) = %q, want %q", c.q, names, c.want)
		}
	}
	if got, _ := co.Search(context.Background(), "a", 1); len(got) != 1 {
		t.Errorf("max 1 gave %d", len(got))
	}
}
