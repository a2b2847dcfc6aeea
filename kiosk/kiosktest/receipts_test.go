package kiosktest_test

import (
	"testing"
	"time"

	"selvkasse/kiosk/kiosktest"
)

func TestReceiptStoreFake(t *testing.T) {
	kiosktest.TestReceiptStore(t, func(t *testing.T) kiosktest.ReceiptUnderTest {
		s := kiosktest.NewStore()
		u := kiosktest.ReceiptUnderTest{Sales: s, Journal: s, Receipts: s}
		u.Reopen = func(t *testing.T) kiosktest.ReceiptUnderTest { return u }
		return u
	})
}

func TestReturnStoreConformance(t *testing.T) {
	kiosktest.TestReturnStore(t, func(t *testing.T) kiosktest.ReturnUnderTest {
		s := kiosktest.NewStore()
		return kiosktest.ReturnUnderTest{Catalog: s, Sales: s, Journal: s, Returns: s, Reports: s}
	})
}

func TestStockStoreConformance(t *testing.T) {
	kiosktest.TestStockStore(t, func(t *testing.T) kiosktest.StockUnderTest {
		s := kiosktest.NewStore()
		s.SetSigner(&kiosktest.Signer{}, time.UTC)
		return kiosktest.StockUnderTest{Catalog: s, Sales: s, Journal: s, Stock: s}
	})
}
