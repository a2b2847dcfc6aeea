package zvt

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// TestRefundAPDU is the wire layout of Refund 06 31 (ZVT 13.08 §2.15):
// <password> 04<amount> 49<CC> [19<payment-type>].
func TestRefundAPDU(t *testing.T) {
	pt := byte(0x40)
	for _, tc := range []struct {
		name string
		r    RefundRequest
		want string
	}{
		{"amount", RefundRequest{Password: 123456, Amount: 8950}, "0631 0D 123456 04 000000008950 49 0578"},
		{"zero password", RefundRequest{Amount: 1}, "0631 0D 000000 04 000000000001 49 0578"},
		{"payment type", RefundRequest{Password: 1, Amount: 100, PaymentType: &pt}, "0631 0F 000001 04 000000000100 49 0578 19 40"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := RefundAPDU(tc.r)
			if err != nil {
				t.Fatal(err)
			}
			b, err := a.Marshal()
			if err != nil || !bytes.Equal(b, mustHex(t, tc.want)) {
				t.Fatalf("% X, %v; want %s", b, err, tc.want)
			}
			back, err := ParseRefund(a.Data)
			if err != nil || back.Amount != tc.r.Amount || back.Password != tc.r.Password || (back.PaymentType == nil) != (tc.r.PaymentType == nil) {
				t.Fatalf("ParseRefund = %+v, %v", back, err)
			}
		})
	}
	for _, m := range []kiosk.Money{0, -100, 1_000_000_000_000} {
		if _, err := RefundAPDU(RefundRequest{Amount: m}); err == nil {
			t.Errorf("RefundAPDU(%d øre) = nil error", m)
		}
	}
}

func TestParseRefundBad(t *testing.T) {
	for _, h := range []string{"", "1234", "123456", "12345A 04 000000000100", "123456 04 0000000001", "123456 04 000000000100 49 0978", "123456 04 000000000000"} {
		if r, err := ParseRefund(mustHex(t, h)); err == nil {
			t.Errorf("ParseRefund(%s) = %+v, want an error", h, r)
		}
	}
}

func TestParseRefundAnswers(t *testing.T) {
	for _, tc := range []struct {
		name string
		hex  string
		out  RefundOutcome
		code byte
	}{
		{"approved", "040F 02 27 00 060F 00", RefundApproved, 0},
		{"declined", "040F 02 27 05 060F 00", RefundDeclined, 0x05},
		{"abort", "061E 01 6C", RefundDeclined, 0x6C},
		{"abort without code", "061E 00", RefundDeclined, ResultSystemError},
		{"approved then abort", "040F 02 27 00 061E 01 6C", RefundUnknown, ResultSystemError},
		{"nothing", "04FF 01 0A", RefundUnknown, ResultSystemError},
		{"reversal", "040F 06 27 00 37 000012 060F 00", RefundUnknown, ResultSystemError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			as, err := ParseAPDUs(mustHex(t, tc.hex))
			if err != nil {
				t.Fatal(err)
			}
			out, code := ParseRefundAnswers(as)
			if out != tc.out || code != tc.code {
				t.Fatalf("= %v, %02X; want %v, %02X", out, code, tc.out, tc.code)
			}
		})
	}
}

func FuzzRefund(f *testing.F) {
	f.Add(mustHex(f, "040F 02 27 00 060F 00"))
	f.Add(mustHex(f, "061E 01 6C"))
	f.Add(mustHex(f, "0631 0D 123456 04 000000008950 49 0578"))
	f.Fuzz(func(t *testing.T, b []byte) {
		as, _ := ParseAPDUs(b)
		out, _ := ParseRefundAnswers(as)
		if out < RefundUnknown || out > RefundDeclined {
			t.Fatalf("outcome %d", out)
		}
		for _, a := range as {
			r, err := ParseRefund(a.Data)
			if err == nil && r.Amount <= 0 {
				t.Fatalf("refund of %d accepted", r.Amount)
			}
		}
		_, _ = ParseRefund(b)
	})
}

// refundScript runs Refund against a scripted PT and returns its answer.
func refundScript(t *testing.T, opt Options, steps []step) (kiosk.PaymentResult, error) {
	t.Helper()
	term, w := newScripted(t, opt)
	done := make(chan struct{})
	go func() {
		defer close(done)
		play(t, w, steps)
	}()
	res, err := term.Refund(context.Background(), kiosk.RefundRequest{ReturnID: "R1", Amount: 8950})
	<-done
	return res, err
}

func TestRefund(t *testing.T) {
	const cmd = "0631 0D 000000 04 000000008950 49 0578"
	t.Run("approved", func(t *testing.T) {
		res, err := refundScript(t, Options{}, []step{
			{want: cmd, reply: "8000 00 04FF 01 0A"},
			{want: "8000 00", reply: "040F 1C 27 00 04 000000008950 0B 000043 87 0012 29 52523535 0D 0405 0C 101112"},
			{want: "8000 00", reply: "06D1 0C 81 52657475722038392C3530"},
			{want: "8000 00", reply: "060F 00"},
			{want: "8000 00"},
		})
		if err != nil || !res.Approved || res.Amount != 8950 || res.Trace != "000043" || res.ReceiptNo != "0012" || res.TerminalID != "52523535" {
			t.Fatalf("Refund = %+v, %v; want approved", res, err)
		}
		if len(res.Lines) != 1 || res.Lines[0] != "Retur 89,50" {
			t.Errorf("Lines = %q", res.Lines)
		}
	})
	t.Run("refused command", func(t *testing.T) {
		res, err := refundScript(t, Options{}, []step{{want: cmd, reply: "8483 00"}})
		if err != nil || res.Approved || res.Code != "83" {
			t.Fatalf("Refund = %+v, %v; want a refusal", res, err)
		}
	})
	t.Run("wrong currency", func(t *testing.T) {
		_, err := refundScript(t, Options{}, []step{{want: cmd, reply: "841E 01 6F"}})
		if !errors.Is(err, kiosk.ErrMisconfigured) || !errors.Is(err, kiosk.ErrDeviceUnavailable) {
			t.Fatalf("Refund = %v; want ErrMisconfigured", err)
		}
	})
	t.Run("declined by card", func(t *testing.T) {
		res, err := refundScript(t, Options{}, []step{
			{want: cmd, reply: "8000 00"},
			{reply: "040F 0D 27 05 04 000000008950 0B 000044"},
			{want: "8000 00", reply: "061E 01 05"},
			{want: "8000 00"},
		})
		if err != nil || res.Approved || res.Code != "05" {
			t.Fatalf("Refund = %+v, %v; want declined", res, err)
		}
	})
	t.Run("customer gave up", func(t *testing.T) {
		res, err := refundScript(t, Options{}, []step{
			{want: cmd, reply: "8000 00 061E 01 6C"},
			{want: "8000 00"},
		})
		if err != nil || res.Approved || res.Code != "6C" {
			t.Fatalf("Refund = %+v, %v; want declined", res, err)
		}
	})
	t.Run("no answer", func(t *testing.T) {
		clk := newFakeClock()
		term, w := newScripted(t, Options{Clock: clk, T3: time.Second})
		got := goPay(func() (kiosk.PaymentResult, error) {
			return term.Refund(context.Background(), kiosk.RefundRequest{Amount: 8950})
		})
		w.written(t)
		clk.expire(t, time.Second)
		o := <-got
		if !errors.Is(o.err, kiosk.ErrOutcomeUnknown) {
			t.Fatalf("Refund = %+v, %v; want ErrOutcomeUnknown", o.res, o.err)
		}
	})
	t.Run("T4", func(t *testing.T) {
		clk := newFakeClock()
		term, w := newScripted(t, Options{Clock: clk, T3: time.Second, T4: time.Minute})
		got := goPay(func() (kiosk.PaymentResult, error) {
			return term.Refund(context.Background(), kiosk.RefundRequest{Amount: 8950})
		})
		w.written(t)
		w.in <- mustHex(t, "8000 00")
		clk.expire(t, time.Minute)
		if b := w.written(t); !bytes.Equal(b, mustHex(t, "06B0 00")) {
			t.Fatalf("after T4 the driver wrote % X, want 06 B0 00", b)
		}
		w.in <- mustHex(t, "8000 00 061E 01 6C")
		w.written(t)
		o := <-got
		if o.err != nil || o.res.Approved || o.res.Code != "6C" {
			t.Fatalf("Refund = %+v, %v; want the PT's abort as a refusal", o.res, o.err)
		}
	})
}
