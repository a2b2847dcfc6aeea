package kiosk_test

import (
	"errors"
	"testing"

	"selvkasse/kiosk"
)

func staffStock(v kiosk.View) *kiosk.StaffStock {
	if v.Staff == nil {
		return nil
	}
	return v.Staff.Stock
}

// Issue 13 item 4: receiving goods on the staff screen. A product scanned
// while receiving is the one received, not a customer's sale; the
// quantity books it with the staff member, journaled; the session stays
// for the next product, and the stock status is read again.
func TestStaffReceivesStock(t *testing.T) {
	r := mustRig(t)
	low := soda
	low.Stock, low.LowStock = 2, 5
	r.must(r.store.Put(r.ctx, low))
	r.signIn("ola") // a clerk may receive
	v := r.until(func(v kiosk.View) bool { s := staffStock(v); return s != nil && s.Status != nil }, "the stock status")
	if st := v.Staff.Stock.Status; len(st.Low) != 1 || st.Low[0].GTIN != soda.GTIN {
		t.Errorf("low stock = %+v, want the soda", st.Low)
	}
	r.must(r.co.StaffReceiving(true))
	r.co.Scan("7039990000113")
	v = r.until(func(v kiosk.View) bool { s := staffStock(v); return s != nil && s.Scanned != nil }, "the scanned product")
	if v.Staff.Stock.Scanned.GTIN != soda.GTIN || v.State != kiosk.Idle || v.Count != 0 || v.Staff.Phase != kiosk.StaffSignedIn {
		t.Fatalf("after the scan: state %v, %d items, staff %+v", v.State, v.Count, v.Staff)
	}
	r.must(r.co.ReceiveStock(soda.GTIN, 24))
	v = r.co.View()
	if s := staffStock(v); s == nil || s.Scanned != nil || s.Received == nil || s.Received.Stock != 26 || s.Qty != 24 || !s.Receiving {
		t.Fatalf("after receiving: %+v", s)
	}
	if p, _ := r.store.Lookup(r.ctx, soda.GTIN); p.Stock != 26 {
		t.Errorf("stock %d, want 26", p.Stock)
	}
	recs := r.journaled(kiosk.SubStockReceipt)
	if len(recs) != 1 || recs[0].Data["staff"] != "ola" || recs[0].Data["qty"] != "24" || recs[0].Kiosk != "K1" {
		t.Errorf("journal: %+v", recs)
	}
	// The status is read again: the soda is no longer low.
	r.until(func(v kiosk.View) bool {
		s := staffStock(v)
		return s != nil && s.Status != nil && len(s.Status.Low) == 0
	}, "the status without the soda low")
	// Closed: a scan is the customer's again and ends the session.
	r.must(r.co.StaffReceiving(false))
	r.co.Scan("7039990000113")
	v = r.until(func(v kiosk.View) bool { return v.Staff == nil && v.Count == 1 }, "the customer's sale")
}

// A code that is no product, scanned while receiving, is the receiving
// step's to report (it was the customer's notice "unknown code, ask a
// staff member", beside the staff screen), still journaled; a garbled
// scan the same; a product scanned after it is the one received.
func TestStaffReceivingUnknownCode(t *testing.T) {
	r := mustRig(t)
	r.signIn("ola")
	r.must(r.co.StaffReceiving(true))
	for _, c := range []struct{ code, sub string }{{"7039990000991", kiosk.SubLookupMiss}, {"12345", kiosk.SubScanError}} {
		r.co.Scan(c.code)
		v := r.until(func(v kiosk.View) bool { s := staffStock(v); return s != nil && s.Unknown == c.code }, "the unknown code "+c.code)
		if v.Notice != kiosk.NoticeNone || v.Staff.Stock.Scanned != nil || v.Staff.Phase != kiosk.StaffSignedIn || v.Count != 0 {
			t.Errorf("after %s: notice %v, scanned %v, staff %v, %d items; want only the receiving step's word", c.code, v.Notice, v.Staff.Stock.Scanned, v.Staff.Phase, v.Count)
		}
		if len(r.journaled(c.sub)) == 0 {
			t.Errorf("%s not journaled as %s", c.code, c.sub)
		}
	}
	r.co.Scan("7039990000113")
	v := r.until(func(v kiosk.View) bool { s := staffStock(v); return s != nil && s.Scanned != nil }, "the scanned product")
	if v.Staff.Stock.Unknown != "" || v.Staff.Stock.Scanned.GTIN != soda.GTIN {
		t.Errorf("after the soda: unknown %q, scanned %v", v.Staff.Stock.Unknown, v.Staff.Stock.Scanned)
	}
	// Closing receiving forgets the code too: opened again, it asks anew.
	r.co.Scan("7039990000991")
	r.until(func(v kiosk.View) bool { s := staffStock(v); return s != nil && s.Unknown != "" }, "the unknown code again")
	r.must(r.co.StaffReceiving(false))
	r.must(r.co.StaffReceiving(true))
	if s := staffStock(r.co.View()); s == nil || s.Unknown != "" || s.Scanned != nil {
		t.Errorf("receiving opened again: %+v; want nothing scanned", s)
	}
}

func TestStaffReceivingRefused(t *testing.T) {
	t.Run("technician", func(t *testing.T) {
		r := mustRig(t)
		r.signIn("tor")
		if err := r.co.StaffReceiving(true); !errors.Is(err, kiosk.ErrNotPermitted) {
			t.Errorf("StaffReceiving by a technician = %v", err)
		}
		if err := r.co.ReceiveStock(soda.GTIN, 1); !errors.Is(err, kiosk.ErrNotPermitted) {
			t.Errorf("ReceiveStock by a technician = %v", err)
		}
		if len(r.journaled(kiosk.SubStockReceipt)) != 0 {
			t.Error("journaled")
		}
	})
	t.Run("no session", func(t *testing.T) {
		r := mustRig(t)
		if err := r.co.StaffReceiving(true); !errors.Is(err, kiosk.ErrNoSession) {
			t.Errorf("StaffReceiving = %v", err)
		}
		if err := r.co.ReceiveStock(soda.GTIN, 1); !errors.Is(err, kiosk.ErrNoSession) {
			t.Errorf("ReceiveStock = %v", err)
		}
	})
	t.Run("a sale under way", func(t *testing.T) {
		r := mustRig(t)
		r.must(r.co.Add(soda.GTIN))
		r.signIn("kari")
		if err := r.co.StaffReceiving(true); !errors.Is(err, kiosk.ErrNotNow) {
			t.Errorf("StaffReceiving = %v", err)
		}
		if err := r.co.ReceiveStock(soda.GTIN, 1); !errors.Is(err, kiosk.ErrNotNow) {
			t.Errorf("ReceiveStock = %v", err)
		}
	})
	t.Run("bad quantity, unknown product", func(t *testing.T) {
		r := mustRig(t)
		r.signIn("kari")
		if err := r.co.ReceiveStock(soda.GTIN, 0); !errors.Is(err, kiosk.ErrBadStockQty) {
			t.Errorf("ReceiveStock 0 = %v", err)
		}
		if err := r.co.ReceiveStock(kiosk.MustGTIN("1234567890128"), 1); !errors.Is(err, kiosk.ErrNotFound) {
			t.Errorf("ReceiveStock of an unknown product = %v", err)
		}
		if v := r.co.View(); v.Staff == nil || v.Staff.Error != kiosk.StaffErrFailed {
			t.Errorf("the failure is not shown: %+v", v.Staff)
		}
	})
}

// A shelf product the kiosk believes is sold out still sells and is
// flagged for a recount; a cabinet product at 0 cannot be added.
func TestSoldOutShelfAndCabinet(t *testing.T) {
	r := mustRig(t)
	none, gone := soda, snus
	none.Stock, gone.Stock = 0, 0
	r.must(r.store.Put(r.ctx, none))
	r.must(r.store.Put(r.ctx, gone))
	if err := r.co.Add(snus.GTIN); !errors.Is(err, kiosk.ErrOutOfStock) {
		t.Errorf("adding a cabinet product at 0 = %v", err)
	}
	r.co.Scan("7039990000113")
	v := r.until(func(v kiosk.View) bool { return v.Count == 1 }, "the soda in the basket")
	if v.Notice == kiosk.NoticeOutOfStock {
		t.Error("the shelf product was refused")
	}
	r.must(r.co.Pay())
	r.payApproved()
	r.wait(kiosk.Receipt)
	if p, _ := r.store.Lookup(r.ctx, soda.GTIN); p.Stock != -1 || !p.Recount {
		t.Errorf("soda after the sale: stock %d, recount %v; want -1, true", p.Stock, p.Recount)
	}
}
