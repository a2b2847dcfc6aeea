package storage

import (
	"testing"

	"selvkasse/kiosk/kiosktest"
)

func TestReceiptStoreConformance(t *testing.T) {
	kiosktest.TestReceiptStore(t, func(t *testing.T) kiosktest.ReceiptUnderTest {
		dir := t.TempDir()
		var open func(t *testing.T) kiosktest.ReceiptUnderTest
		open = func(t *testing.T) kiosktest.ReceiptUnderTest {
			d := mustOpen(t, dir)
			u := kiosktest.ReceiptUnderTest{Sales: d, Journal: d, Receipts: d}
			u.Reopen = func(t *testing.T) kiosktest.ReceiptUnderTest {
				if err := d.Close(); err != nil {
					t.Fatal(err)
				}
				return open(t)
			}
			return u
		}
		return open(t)
	})
}

func TestReturnStoreConformance(t *testing.T) {
	kiosktest.TestReturnStore(t, func(t *testing.T) kiosktest.ReturnUnderTest {
		d := mustOpen(t, t.TempDir())
		return kiosktest.ReturnUnderTest{Catalog: d, Sales: d, Journal: d, Returns: d, Reports: d}
	})
}
