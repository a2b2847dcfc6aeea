package kiosktest_test

import (
	"errors"
	"slices"
	"testing"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

func TestFakeSignerConformance(t *testing.T) {
	s := &kiosktest.Signer{}
	kiosktest.TestSigner(t, s, s)
	s.Rotate()
	kiosktest.TestSigner(t, s, s)
}

// TestFakeSignerRecords: what was signed, a failing key, and a rotation
// that leaves the old signatures verifiable.
func TestFakeSignerRecords(t *testing.T) {
	s := &kiosktest.Signer{}
	sig1, v1, err := s.Sign("a")
	if err != nil || v1 != 1 {
		t.Fatalf("Sign = %q, %v, %v; want key version 1", sig1, v1, err)
	}
	s.Fail(errors.New("key file gone"))
	if sig, v, err := s.Sign("b"); !errors.Is(err, kiosk.ErrSignerUnavailable) || sig != "" || v != 0 {
		t.Errorf("failing Sign = %q, %v, %v; want ErrSignerUnavailable", sig, v, err)
	}
	s.Fail(nil)
	if v := s.Rotate(); v != 2 {
		t.Errorf("Rotate = %v, want 2", v)
	}
	sig2, v2, err := s.Sign("c")
	if err != nil || v2 != 2 || sig2 == sig1 {
		t.Errorf("Sign after Rotate = %q, %v, %v; want a new signature with key version 2", sig2, v2, err)
	}
	if err := s.Verify("a", sig1, 1); err != nil {
		t.Errorf("the signature of version 1 after a rotation: %v", err)
	}
	if err := s.Verify("a", sig1, 2); !errors.Is(err, kiosk.ErrBadSignature) {
		t.Errorf("version 1's signature checked as version 2: %v; want ErrBadSignature", err)
	}
	if got := s.Signed(); !slices.Equal(got, []string{"a", "c"}) {
		t.Errorf("Signed = %q, want [a c] (the failed one is not signed)", got)
	}
}
