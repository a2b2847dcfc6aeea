package kiosktest_test

import (
	"testing"

	"selvkasse/kiosk/kiosktest"
)

func TestFakeTerminalRefund(t *testing.T) {
	kiosktest.TestTerminalRefund(t, func(t *testing.T) kiosktest.RefundUnderTest {
		p := kiosktest.NewPaymentTerminal(kiosktest.NewClock(devT0))
		return kiosktest.RefundUnderTest{Terminal: p,
			Decline: func() { p.ScriptRefund(kiosktest.PayDeclined("card refused")) },
			Offline: func() { p.SetOffline(true) }}
	})
}
