package kiosk_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

const testReserve = 32 << 20

// diskRig is the rig with a free-space guard on a fake disk with free
// bytes free, its checkout running (the disk's poll with it).
func diskRig(t *testing.T, free uint64) (*rig, *kiosktest.Disk) {
	t.Helper()
	r := mustRig(t)
	r.kill()
	disk := kiosktest.NewDisk(free)
	var ctx context.Context
	ctx, r.kill = context.WithCancel(r.ctx)
	r.co = kiosk.NewCheckout(kiosk.Config{KioskID: "K1", Shop: kiosk.Shop{Name: "Test", OrgNo: "999999999"}, DiskReserve: testReserve}, kiosk.Deps{
		Catalog: r.store, Sales: r.store, Journal: r.store, Scanner: r.scanner, Terminal: r.term,
		Printer: r.printer, Cabinet: r.cab, Staff: r.staff, Clock: r.clock, Light: r.light, Disk: disk,
		Receipts: r.store,
	})
	changed := r.changed
	r.co.Subscribe(func(kiosk.View) {
		select {
		case changed <- struct{}{}:
		default:
		}
	})
	r.must(r.co.Start(ctx))
	go r.co.Run(ctx)
	return r, disk
}

func (r *rig) diskFault() bool {
	v := r.co.View()
	return v.State == kiosk.OutOfOrder && strings.Contains(v.Fault, kiosk.DevDisk)
}

// TestDiskBelowReserveStartsNoSale: the first scan on a disk below the
// reserve starts no sale; the kiosk is out of order with "disk full",
// journaled once, until space is back.
func TestDiskBelowReserveStartsNoSale(t *testing.T) {
	r, disk := diskRig(t, testReserve+1<<20)
	disk.SetFree(testReserve - 1)
	r.co.Scan(soda.GTIN.String())
	r.until(func(kiosk.View) bool { return r.diskFault() }, "out of order with disk full")
	if v := r.co.View(); v.Count != 0 || v.SaleID != "" {
		t.Errorf("a sale started on a full disk: %+v", v)
	}
	if err := r.co.Add(soda.GTIN); !errors.Is(err, kiosk.ErrNotNow) {
		t.Errorf("Add on a full disk = %v, want ErrNotNow", err)
	}
	n := 0
	for _, rec := range r.store.Records() {
		if rec.Subtype == kiosk.SubDeviceFault && strings.HasPrefix(rec.Text, "disk full") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d disk-full journal records, want 1", n)
	}
	disk.SetFree(testReserve)
	r.co.CheckDisk()
	r.until(func(v kiosk.View) bool { return v.State == kiosk.Idle && v.Fault == "" }, "back in service")
	r.co.Scan(soda.GTIN.String())
	r.wait(kiosk.Shopping)
}

// TestDiskPollTakesIdleKioskOutOfOrder: the disk filling while nobody
// shops is found by the poll.
func TestDiskPollTakesIdleKioskOutOfOrder(t *testing.T) {
	r, disk := diskRig(t, 1<<30)
	disk.SetFree(1 << 20)
	r.co.CheckDisk()
	r.until(func(kiosk.View) bool { return r.diskFault() }, "out of order with disk full")
}

// TestDiskFillsDuringSaleFinishesIt: below the reserve (above half of it)
// after the sale started: the sale is paid and completed, then the kiosk
// goes out of order.
func TestDiskFillsDuringSaleFinishesIt(t *testing.T) {
	r, disk := diskRig(t, 1<<30)
	r.co.Scan(soda.GTIN.String())
	r.wait(kiosk.Shopping)
	disk.SetFree(testReserve * 3 / 4)
	r.must(r.co.Pay())
	r.payApproved()
	v := r.wait(kiosk.Receipt)
	if v.Fault != kiosk.DevDisk || len(r.store.Sales()) != 1 || r.term.Charged() != soda.Price {
		t.Fatalf("fault %q, %d sales, charged %v; want the sale done and the fault marked", v.Fault, len(r.store.Sales()), r.term.Charged())
	}
	r.must(r.co.FinishReceipt())
	r.until(func(kiosk.View) bool { return r.diskFault() }, "out of order after the sale")
}

// TestDiskAlmostFullTakesNoPayment: below half the reserve, no payment
// intent is written and nothing is asked of the terminal.
func TestDiskAlmostFullTakesNoPayment(t *testing.T) {
	r, disk := diskRig(t, 1<<30)
	r.co.Scan(soda.GTIN.String())
	r.wait(kiosk.Shopping)
	disk.SetFree(testReserve/2 - 1)
	r.must(r.co.Pay())
	v := r.wait(kiosk.PaymentDeclined)
	for _, c := range r.term.Calls() {
		if c.Op == kiosktest.CallAuthorize {
			t.Errorf("the terminal was asked for a payment: %+v", c)
		}
	}
	if v.Notice != kiosk.NoticeStorageError || r.has(kiosk.SubPaymentIntent) {
		t.Fatalf("notice %v, terminal calls %v, journal %v; want no payment asked for", v.Notice, r.term.Calls(), r.subtypes())
	}
	r.must(r.co.Cancel())
	r.until(func(kiosk.View) bool { return r.diskFault() }, "out of order after the sale")
}

// TestDiskAlmostFullReversesApproval: the disk drops below half the
// reserve while the terminal holds the payment: the approval cannot be
// recorded, so it is reversed, as for any failed write.
func TestDiskAlmostFullReversesApproval(t *testing.T) {
	r, disk := diskRig(t, 1<<30)
	r.co.Scan(soda.GTIN.String())
	r.wait(kiosk.Shopping)
	r.must(r.co.Pay())
	if _, err := r.term.WaitAuthorize(r.ctx); err != nil {
		t.Fatal(err)
	}
	disk.SetFree(1 << 20)
	r.must(r.term.Respond(kiosktest.PayApproved()))
	v := r.wait(kiosk.PaymentDeclined)
	if v.Notice != kiosk.NoticeStorageError || r.term.Charged() != 0 || len(r.store.Sales()) != 0 {
		t.Fatalf("notice %v, charged %v, %d sales; want the payment reversed", v.Notice, r.term.Charged(), len(r.store.Sales()))
	}
}

// TestDiskUnknownDoesNotStopSales: a disk that cannot tell its free space
// does not stop the kiosk.
func TestDiskUnknownDoesNotStopSales(t *testing.T) {
	r, disk := diskRig(t, 1<<30)
	disk.SetUnavailable(true)
	r.co.Scan(soda.GTIN.String())
	r.wait(kiosk.Shopping)
	r.must(r.co.Pay())
	r.payApproved()
	r.wait(kiosk.Receipt)
	if disk.Calls() == 0 {
		t.Error("the disk was never asked")
	}
}

// TestDataDamagedDuringSaleFinishesIt: damage found in the stored data
// while a customer pays: the sale is completed, then the kiosk goes out
// of order with "stored data", the reason journaled once, and no sale
// starts.
func TestDataDamagedDuringSaleFinishesIt(t *testing.T) {
	r, _ := diskRig(t, 1<<30)
	r.co.Scan(soda.GTIN.String())
	r.wait(kiosk.Shopping)
	r.must(r.co.Pay())
	r.co.DataDamaged("table 000007.sst: block checksum mismatch")
	r.co.DataDamaged("table 000007.sst: block checksum mismatch")
	r.payApproved()
	v := r.wait(kiosk.Receipt)
	if len(r.store.Sales()) != 1 || r.term.Charged() != soda.Price {
		t.Fatalf("%d sales, charged %v; want the sale done", len(r.store.Sales()), r.term.Charged())
	}
	if v.Fault != kiosk.DevData {
		t.Errorf("View.Fault = %q during the receipt, want %q", v.Fault, kiosk.DevData)
	}
	r.must(r.co.FinishReceipt())
	r.until(func(v kiosk.View) bool { return v.State == kiosk.OutOfOrder && v.Fault == kiosk.DevData }, "out of order after the sale")
	n := 0
	for _, rec := range r.store.Records() {
		if rec.Subtype == kiosk.SubDeviceFault && rec.Text == "stored data damaged: table 000007.sst: block checksum mismatch" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d journal records of the damage, want 1", n)
	}
	if err := r.co.Add(soda.GTIN); !errors.Is(err, kiosk.ErrNotNow) {
		t.Errorf("Add with damaged data = %v, want ErrNotNow", err)
	}
}
