package kiosktest

import (
	"encoding/base64"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// TestSigner runs the kiosk.Signer and kiosk.SignatureVerifier
// conformance suite: v must verify what s signs. Each sentence of the
// contract in kiosk/signature.go has a subtest.
func TestSigner(t *testing.T, s kiosk.Signer, v kiosk.SignatureVerifier) {
	mustSign := func(t *testing.T, data string) (string, kiosk.KeyVersion) {
		t.Helper()
		sig, ver, err := s.Sign(data)
		if err != nil {
			t.Fatalf("Sign(%q): %v", data, err)
		}
		return sig, ver
	}
	const example = "0;2016-11-24;10:39:00;2;1.00;0.96" // the guideline's

	t.Run("signs in base64 with a key version, and verifies", func(t *testing.T) {
		for _, data := range []string{example, "0;2020-01-01;14:00:00;1003;-16.40;-14.26", "x"} {
			sig, ver := mustSign(t, data)
			if ver == 0 {
				t.Errorf("Sign(%q): key version 0", data)
			}
			if b, err := base64.StdEncoding.Strict().DecodeString(sig); err != nil || len(b) < 16 {
				t.Errorf("Sign(%q) = %q: not standard base64 of at least 16 bytes (%v)", data, sig, err)
			}
			if err := v.Verify(data, sig, ver); err != nil {
				t.Errorf("Verify(%q, its signature, %v) = %v", data, ver, err)
			}
		}
	})

	t.Run("changed data does not verify", func(t *testing.T) {
		sig, ver := mustSign(t, example)
		for _, other := range []string{
			"0;2016-11-24;10:39:00;2;1.00;0.97", "0;2016-11-24;10:39:01;2;1.00;0.96",
			"0;2016-11-24;10:39:00;3;1.00;0.96", "0;2016-11-24;10:39:00;2;-1.00;-0.96",
			example + " ", example[:len(example)-1], "", "1" + example[1:],
		} {
			if err := v.Verify(other, sig, ver); !errors.Is(err, kiosk.ErrBadSignature) {
				t.Errorf("Verify(%q) with the signature of %q = %v; want ErrBadSignature", other, example, err)
			}
		}
	})

	t.Run("changed signature does not verify", func(t *testing.T) {
		sig, ver := mustSign(t, example)
		raw, err := base64.StdEncoding.DecodeString(sig)
		if err != nil {
			t.Fatal(err)
		}
		flip := func(i int) string {
			b := append([]byte(nil), raw...)
			b[i] ^= 0x01
			return base64.StdEncoding.EncodeToString(b)
		}
		for name, bad := range map[string]string{
			"first byte flipped": flip(0),
			"last byte flipped":  flip(len(raw) - 1),
			"middle byte":        flip(len(raw) / 2),
			"a byte short":       base64.StdEncoding.EncodeToString(raw[:len(raw)-1]),
			"a byte more":        base64.StdEncoding.EncodeToString(append(append([]byte(nil), raw...), 0)),
			"empty":              "",
			"not base64":         "!" + sig[1:],
			"URL base64":         base64.URLEncoding.EncodeToString(raw) + "-_",
		} {
			if err := v.Verify(example, bad, ver); !errors.Is(err, kiosk.ErrBadSignature) {
				t.Errorf("%s: Verify = %v; want ErrBadSignature", name, err)
			}
		}
	})

	t.Run("unknown key version", func(t *testing.T) {
		sig, ver := mustSign(t, example)
		for _, other := range []kiosk.KeyVersion{0, ver + 1000} {
			if err := v.Verify(example, sig, other); !errors.Is(err, kiosk.ErrUnknownKeyVersion) {
				t.Errorf("Verify with key version %v (signed with %v) = %v; want ErrUnknownKeyVersion", other, ver, err)
			}
		}
	})

	t.Run("a chain of signatures", func(t *testing.T) {
		oslo := time.FixedZone("CET", 3600)
		prev := ""
		at := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
		type signed struct {
			data, sig string
			ver       kiosk.KeyVersion
		}
		var chain []signed
		for i := 1; i <= 3; i++ {
			data, err := kiosk.SignatureInput{Previous: prev, Time: at.Add(time.Duration(i) * time.Minute),
				Nr: fmt.Sprint(i), AmountIn: kiosk.Money(i * 1250), AmountEx: kiosk.Money(i * 1000)}.Data(oslo)
			if err != nil {
				t.Fatal(err)
			}
			sig, ver := mustSign(t, data)
			chain = append(chain, signed{data, sig, ver})
			prev = sig
		}
		for _, c := range chain {
			if err := v.Verify(c.data, c.sig, c.ver); err != nil {
				t.Errorf("Verify(%q) = %v", c.data, err)
			}
		}
	})

	t.Run("safe for concurrent use", func(t *testing.T) {
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 8; i++ {
					data := fmt.Sprintf("0;2026-12-03;10:00:00;%d;1.00;0.80", g*100+i)
					sig, ver, err := s.Sign(data)
					if err == nil {
						err = v.Verify(data, sig, ver)
					}
					if err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	})
}
