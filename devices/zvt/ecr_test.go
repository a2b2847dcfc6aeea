package zvt

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// script plays a PT over a wire in TCP mode: each step waits for the
// driver to write want (nil: anything) and then sends reply.
type step struct {
	want  string // hex, "" to skip the check
	reply string // hex APDUs to send, "" for none
}

func play(t *testing.T, w *wire, steps []step) {
	t.Helper()
	for i, s := range steps {
		if s.want != "" {
			if got := w.written(t); !bytes.Equal(got, mustHex(t, s.want)) {
				t.Errorf("step %d: driver wrote % X, want %s", i, got, s.want)
			}
		}
		if s.reply != "" {
			w.in <- mustHex(t, s.reply)
		}
	}
}

func newScripted(t *testing.T, opt Options) (*Terminal, *wire) {
	w := newWire()
	if opt.Clock == nil {
		opt.Clock = newFakeClock()
	}
	term := New(w, opt)
	t.Cleanup(func() { term.Close(); w.Close() })
	return term, w
}

func TestAuthorizeRefused(t *testing.T) {
	term, w := newScripted(t, Options{})
	r := kiosk.PaymentRequest{SaleID: "S", Attempt: 1, Amount: 8950}
	done := make(chan struct{})
	go func() {
		defer close(done)
		play(t, w, []step{{want: "0601 0A 04 000000008950 49 0578", reply: "8483 00"}})
	}()
	res, err := term.Authorize(context.Background(), r)
	<-done
	if err != nil || res.Approved || res.Code != "83" || res.Message == "" {
		t.Fatalf("Authorize answered 84-83 = %+v, %v; want a decline", res, err)
	}
}

func TestAuthorizeDeclinedWithStatus(t *testing.T) {
	var codes []byte
	term, w := newScripted(t, Options{OnStatus: func(c byte, nb, en string) {
		if nb == "" || en == "" {
			t.Errorf("status %02X without text", c)
		}
		codes = append(codes, c)
	}})
	r := kiosk.PaymentRequest{SaleID: "S", Attempt: 1, Amount: 100}
	done := make(chan struct{})
	go func() {
		defer close(done)
		play(t, w, []step{
			{want: "0601 0A 04 000000000100 49 0578", reply: "8000 00 04FF 01 0A"},
			{want: "8000 00", reply: "04FF 01 7F"}, // a code the table lacks
			{want: "8000 00", reply: "040F 14 27 64 04 000000000100 0B 000042 0D 0405 0C 225558"},
			{want: "8000 00", reply: "061E 01 64"},
			{want: "8000 00"},
		})
	}()
	res, err := term.Authorize(context.Background(), r)
	<-done
	if err != nil || res.Approved || res.Code != "64" || res.Trace != "000042" {
		t.Fatalf("Authorize = %+v, %v", res, err)
	}
	if want := time.Date(2026, 4, 5, 22, 55, 58, 0, time.UTC); !res.Time.Equal(want) {
		t.Errorf("Time = %v, want %v", res.Time, want)
	}
	if !bytes.Equal(codes, []byte{0x0A, 0x7F}) {
		t.Errorf("OnStatus codes % X", codes)
	}
	if err := term.Confirm(context.Background(), r, true); err == nil || errors.Is(err, kiosk.ErrDeviceUnavailable) || errors.Is(err, kiosk.ErrOutcomeUnknown) {
		t.Errorf("Confirm of a decline = %v, want an error matching no sentinel", err)
	}
}

// TestAuthorizeT4 is issue 9 case 6: when T4 runs out after the PT
// accepted 06 01, the driver sends Abort 06 B0 (PA00P016 §5.2.6, ZVT
// 13.08 §2.23) so the PT does not stay busy, and takes the PT's answer to
// it; with no answer the outcome is unknown.
func TestAuthorizeT4(t *testing.T) {
	for _, tc := range []struct {
		name  string
		reply string // the PT's answer to 06 B0
		check func(t *testing.T, res kiosk.PaymentResult, err error)
	}{
		{"abort answered", "8000 00 061E 01 6C", func(t *testing.T, res kiosk.PaymentResult, err error) {
			if err != nil || res.Approved || res.Code != "6C" {
				t.Fatalf("Authorize = %+v, %v; want the PT's abort as a decline", res, err)
			}
		}},
		{"abort unanswered", "", func(t *testing.T, res kiosk.PaymentResult, err error) {
			if !errors.Is(err, kiosk.ErrOutcomeUnknown) {
				t.Fatalf("Authorize = %+v, %v; want ErrOutcomeUnknown", res, err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := newFakeClock()
			term, w := newScripted(t, Options{Clock: clk, T3: time.Second, T4: time.Minute})
			got := goPay(func() (kiosk.PaymentResult, error) {
				return term.Authorize(context.Background(), kiosk.PaymentRequest{Amount: 100})
			})
			w.written(t)
			w.in <- mustHex(t, "8000 00")
			clk.expire(t, time.Minute) // the PT went quiet after accepting 06 01
			if b := w.written(t); !bytes.Equal(b, mustHex(t, "06B0 00")) {
				t.Fatalf("after T4 the driver wrote % X, want 06 B0 00", b)
			}
			if tc.reply != "" {
				w.in <- mustHex(t, tc.reply)
				if b := w.written(t); !bytes.Equal(b, mustHex(t, "8000 00")) {
					t.Fatalf("the PT's abort answered with % X, want 80 00 00", b)
				}
			} else {
				clk.expire(t, time.Second)
			}
			o := <-got
			tc.check(t, o.res, o.err)
		})
	}
}

// payOut is a payment call's result, from the goroutine that made it.
type payOut struct {
	res kiosk.PaymentResult
	err error
}

// goPay makes the call f in a goroutine; its result arrives on the
// channel, while the test plays the terminal's side.
func goPay(f func() (kiosk.PaymentResult, error)) <-chan payOut {
	got := make(chan payOut, 1)
	go func() {
		res, err := f()
		got <- payOut{res, err}
	}()
	return got
}
