package kiosktest

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"sync"

	"selvkasse/kiosk"
)

var (
	_ kiosk.Signer            = (*Signer)(nil)
	_ kiosk.SignatureVerifier = (*Signer)(nil)
)

// Signer is a fake kiosk.Signer and kiosk.SignatureVerifier: HMAC-SHA1
// (one of the two methods of Skatteetaten's signature guideline) under a
// fixed 16-byte key per key version, so signatures are the same in every
// run and golden files can hold them. It records every data string it
// signed; Fail makes Sign fail, as a lost key does; Rotate moves to a new
// key version and keeps verifying the old ones. It is safe for concurrent
// use; the zero value is ready and signs with key version 1.
type Signer struct {
	mu      sync.Mutex
	version kiosk.KeyVersion // 0: 1
	signed  []string
	fail    error
}

// FakeSigningKey is the fake Signer's HMAC key of version v: 16 bytes
// (versions 1000 apart share one).
func FakeSigningKey(v kiosk.KeyVersion) []byte {
	return fmt.Appendf(nil, "kiosktest-key%03d", v%1000)
}

func (s *Signer) currentLocked() kiosk.KeyVersion {
	if s.version == 0 {
		return 1
	}
	return s.version
}

// Sign implements kiosk.Signer. While Fail is in force it returns that
// error (wrapping kiosk.ErrSignerUnavailable) and records nothing.
func (s *Signer) Sign(data string) (string, kiosk.KeyVersion, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return "", 0, s.fail
	}
	v := s.currentLocked()
	s.signed = append(s.signed, data)
	return fakeHMAC(v, data), v, nil
}

// Verify implements kiosk.SignatureVerifier: every version from 1 to the
// current one is known.
func (s *Signer) Verify(data, signature string, v kiosk.KeyVersion) error {
	s.mu.Lock()
	cur := s.currentLocked()
	s.mu.Unlock()
	if v == 0 || v > cur {
		return fmt.Errorf("kiosktest: verify: %w: %v (the fake has 1 to %v)", kiosk.ErrUnknownKeyVersion, v, cur)
	}
	got, err := base64.StdEncoding.Strict().DecodeString(signature)
	want, _ := base64.StdEncoding.DecodeString(fakeHMAC(v, data))
	if err != nil || !hmac.Equal(got, want) {
		return fmt.Errorf("kiosktest: verify: %w", kiosk.ErrBadSignature)
	}
	return nil
}

func fakeHMAC(v kiosk.KeyVersion, data string) string {
	m := hmac.New(sha1.New, FakeSigningKey(v))
	m.Write([]byte(data))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// Signed returns the data strings signed, oldest first.
func (s *Signer) Signed() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.signed...)
}

// Fail makes every Sign from now on return err, wrapped so that it
// matches kiosk.ErrSignerUnavailable; nil signs again.
func (s *Signer) Fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case err == nil:
		s.fail = nil
	case errors.Is(err, kiosk.ErrSignerUnavailable):
		s.fail = err
	default:
		s.fail = fmt.Errorf("kiosktest: sign: %w: %w", kiosk.ErrSignerUnavailable, err)
	}
}

// Rotate moves to the next key version and returns it.
func (s *Signer) Rotate() kiosk.KeyVersion {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.version = s.currentLocked() + 1
	return s.version
}
