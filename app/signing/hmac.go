package signing

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"strings"

	"selvkasse/kiosk"
)

var (
	_ kiosk.Signer            = (*HMAC)(nil)
	_ kiosk.SignatureVerifier = (*HMAC)(nil)
)

// HMACKeySize is the HMAC-SHA1 key's size in bytes: 128 bits, as the
// guideline (HMAC-SHA1-128) and its validator want.
const HMACKeySize = 16

// HMAC signs with HMAC-SHA1 under one secret key. Its Verify knows that
// key's version only, and needs the secret: an inspector who can verify
// can also sign, which is why the kiosk uses RSA. It is safe for
// concurrent use.
type HMAC struct {
	key     []byte
	version kiosk.KeyVersion
}

// NewHMAC returns an HMAC signer with key, which must be HMACKeySize
// bytes, as key version v (from 1).
func NewHMAC(key []byte, v kiosk.KeyVersion) (*HMAC, error) {
	if len(key) != HMACKeySize {
		return nil, fmt.Errorf("signing: HMAC key has %d bytes, want %d (128 bits)", len(key), HMACKeySize)
	}
	if v == 0 {
		return nil, fmt.Errorf("signing: HMAC key version 0; versions count from 1")
	}
	return &HMAC{key: append([]byte(nil), key...), version: v}, nil
}

func (h *HMAC) sum(data string) []byte {
	m := hmac.New(sha1.New, h.key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// Sign implements kiosk.Signer.
func (h *HMAC) Sign(data string) (string, kiosk.KeyVersion, error) {
	return base64.StdEncoding.EncodeToString(h.sum(data)), h.version, nil
}

// Verify implements kiosk.SignatureVerifier, comparing in constant time.
func (h *HMAC) Verify(data, signature string, v kiosk.KeyVersion) error {
	if v != h.version {
		return fmt.Errorf("signing: verify: %w: %v (the HMAC key is version %v)", kiosk.ErrUnknownKeyVersion, v, h.version)
	}
	got, err := decodeSignature(signature)
	if err != nil {
		return err
	}
	if !hmac.Equal(got, h.sum(data)) {
		return fmt.Errorf("signing: verify: %w: the HMAC does not match the data", kiosk.ErrBadSignature)
	}
	return nil
}

// decodeSignature reads a signature in standard base64 on one line.
func decodeSignature(s string) ([]byte, error) {
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil || len(b) == 0 || strings.ContainsAny(s, "\r\n") {
		return nil, fmt.Errorf("signing: verify: %w: %.24q is not standard base64 on one line", kiosk.ErrBadSignature, s)
	}
	return b, nil
}
