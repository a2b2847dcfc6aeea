package kiosktest

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"selvkasse/kiosk"
)

// TestPINHasher runs the kiosk.PINHasher conformance suite against h.
// Each sentence of the contract in kiosk/ports.go has a subtest; it
// hashes a dozen PINs, so a slow hasher takes a few seconds.
func TestPINHasher(t *testing.T, h kiosk.PINHasher) {
	mustHash := func(t *testing.T, pin string) kiosk.PINHash {
		t.Helper()
		ph, err := h.Hash(pin)
		if err != nil {
			t.Fatalf("Hash: %v", err)
		}
		return ph
	}
	verify := func(t *testing.T, pin string, ph kiosk.PINHash) bool {
		t.Helper()
		ok, err := h.Verify(pin, ph)
		if err != nil {
			t.Fatalf("Verify: %v", err)
		}
		return ok
	}

	t.Run("right and wrong PINs", func(t *testing.T) {
		for _, pin := range []string{"1234", "00000000"} {
			ph := mustHash(t, pin)
			if !verify(t, pin, ph) {
				t.Errorf("Verify(the right PIN) = false")
			}
			for _, wrong := range []string{"1235", "4321", pin[:len(pin)-1], pin + "0", "", "abcd", " " + pin, "12345678"} {
				if wrong != pin && verify(t, wrong, ph) {
					t.Errorf("Verify(%q) against the hash of %q = true", wrong, pin)
				}
			}
		}
	})

	t.Run("hash records algorithm, parameters and salt", func(t *testing.T) {
		ph := mustHash(t, "2468")
		if ph.Algorithm == "" || ph.Time == 0 || ph.Threads == 0 || int(ph.KeyLen) != len(ph.Hash) || len(ph.Hash) < 16 {
			t.Errorf("hash = %#v (alg %q, key %d bytes, len %d)", ph, ph.Algorithm, len(ph.Hash), ph.KeyLen)
		}
		if len(ph.Salt) < 16 {
			t.Errorf("salt has %d bytes, want at least 16", len(ph.Salt))
		}
		for _, b := range [][]byte{ph.Salt, ph.Hash} {
			if bytes.Contains(b, []byte("2468")) {
				t.Error("the PIN is in the stored hash")
			}
		}
	})

	t.Run("a fresh salt each time", func(t *testing.T) {
		a, b := mustHash(t, "1234"), mustHash(t, "1234")
		if bytes.Equal(a.Salt, b.Salt) || bytes.Equal(a.Hash, b.Hash) {
			t.Error("two hashes of one PIN share their salt or hash")
		}
		if !verify(t, "1234", a) || !verify(t, "1234", b) {
			t.Error("a hash does not verify")
		}
	})

	t.Run("survives the stored form", func(t *testing.T) {
		b, err := json.Marshal(mustHash(t, "97531"))
		if err != nil {
			t.Fatal(err)
		}
		var back kiosk.PINHash
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if !verify(t, "97531", back) {
			t.Error("a hash read back from JSON does not verify")
		}
	})

	t.Run("Hash refuses bad PINs", func(t *testing.T) {
		for _, pin := range []string{"", "123", "123456789", "12a4", "12 34", "１２３４"} {
			if ph, err := h.Hash(pin); !errors.Is(err, kiosk.ErrBadPIN) || !ph.IsZero() {
				t.Errorf("Hash(%q) = %v, %v; want ErrBadPIN", pin, ph, err)
			} else if pin != "" && strings.Contains(err.Error(), pin) {
				t.Errorf("Hash(%q): the error shows the PIN: %v", pin, err)
			}
		}
	})

	t.Run("tampered hash never verifies", func(t *testing.T) {
		ph := mustHash(t, "1234")
		edit := func(f func(*kiosk.PINHash)) kiosk.PINHash {
			c := ph
			c.Salt, c.Hash = bytes.Clone(ph.Salt), bytes.Clone(ph.Hash)
			f(&c)
			return c
		}
		for name, bad := range map[string]kiosk.PINHash{
			"hash byte":  edit(func(c *kiosk.PINHash) { c.Hash[0] ^= 1 }),
			"salt byte":  edit(func(c *kiosk.PINHash) { c.Salt[0] ^= 1 }),
			"short hash": edit(func(c *kiosk.PINHash) { c.Hash = c.Hash[:len(c.Hash)-1] }),
			"time":       edit(func(c *kiosk.PINHash) { c.Time++ }),
			"memory":     edit(func(c *kiosk.PINHash) { c.MemoryKiB += 8 }),
			"threads":    edit(func(c *kiosk.PINHash) { c.Threads++ }),
			"key length": edit(func(c *kiosk.PINHash) { c.KeyLen++ }),
		} {
			ok, err := h.Verify("1234", bad)
			if ok {
				t.Errorf("%s changed: Verify = true", name)
			}
			if err != nil && !errors.Is(err, kiosk.ErrUnsupportedPINHash) {
				t.Errorf("%s changed: Verify error %v, want none or ErrUnsupportedPINHash", name, err)
			}
		}
	})

	t.Run("unsupported hashes", func(t *testing.T) {
		ph := mustHash(t, "1234")
		other := ph
		other.Algorithm = "md5"
		for name, bad := range map[string]kiosk.PINHash{
			"zero":            {},
			"other algorithm": other,
		} {
			if ok, err := h.Verify("1234", bad); ok || !errors.Is(err, kiosk.ErrUnsupportedPINHash) {
				t.Errorf("%s: Verify = %v, %v; want false, ErrUnsupportedPINHash", name, ok, err)
			}
		}
	})
}
