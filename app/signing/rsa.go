package signing

import (
	"cmp"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"slices"
	"time"

	"selvkasse/kiosk"
)

var (
	_ kiosk.Signer            = (*RSASigner)(nil)
	_ kiosk.SignatureVerifier = (*RSASigner)(nil)
	_ kiosk.SignatureVerifier = (*PublicKeys)(nil)
)

// The guideline's RSA keys: 1024 bits, public exponent 65537 (its
// validator warns about any other).
const (
	RSABits     = 1024
	RSAExponent = 65537
	// Algorithm names the method in key files.
	Algorithm = "RSA-SHA1-1024"
)

// NewRSAKey makes a new RSA key for signing, from crypto/rand.
func NewRSAKey() (*rsa.PrivateKey, error) {
	k, err := rsa.GenerateKey(rand.Reader, RSABits)
	if err != nil {
		return nil, fmt.Errorf("signing: make an RSA key: %w", err)
	}
	return k, nil
}

// checkRSAPublic refuses a key the guideline does not allow.
func checkRSAPublic(k *rsa.PublicKey) error {
	switch {
	case k == nil || k.N == nil:
		return fmt.Errorf("no RSA key")
	case k.N.BitLen() != RSABits:
		return fmt.Errorf("RSA key of %d bits, want %d", k.N.BitLen(), RSABits)
	case k.E != RSAExponent:
		return fmt.Errorf("RSA public exponent %d, want %d", k.E, RSAExponent)
	}
	return nil
}

// RSASigner signs with one RSA private key: PKCS#1 v1.5 over the SHA-1 of
// the data. Its Verify knows its own version only; PublicKeys verifies
// every version. It is safe for concurrent use.
type RSASigner struct {
	key     *rsa.PrivateKey
	version kiosk.KeyVersion
	created time.Time
}

// NewRSASigner returns a signer with key as version v (from 1); created
// is when the key was made (zero: not known). The key must be RSABits
// with exponent RSAExponent, and valid.
func NewRSASigner(key *rsa.PrivateKey, v kiosk.KeyVersion, created time.Time) (*RSASigner, error) {
	if key == nil {
		return nil, fmt.Errorf("signing: no RSA key")
	}
	if err := checkRSAPublic(&key.PublicKey); err != nil {
		return nil, fmt.Errorf("signing: %w", err)
	}
	if err := key.Validate(); err != nil {
		return nil, fmt.Errorf("signing: RSA key: %w", err)
	}
	if v == 0 {
		return nil, fmt.Errorf("signing: RSA key version 0; versions count from 1")
	}
	return &RSASigner{key: key, version: v, created: created}, nil
}

// Sign implements kiosk.Signer.
func (s *RSASigner) Sign(data string) (string, kiosk.KeyVersion, error) {
	d := sha1.Sum([]byte(data))
	sig, err := rsa.SignPKCS1v15(nil, s.key, crypto.SHA1, d[:])
	if err != nil {
		return "", 0, fmt.Errorf("signing: sign with key version %v: %w: %w", s.version, kiosk.ErrSignerUnavailable, err)
	}
	return base64.StdEncoding.EncodeToString(sig), s.version, nil
}

// Verify implements kiosk.SignatureVerifier with the key's public part.
func (s *RSASigner) Verify(data, signature string, v kiosk.KeyVersion) error {
	return s.Public().verify(data, signature, v)
}

// Version is the key's version.
func (s *RSASigner) Version() kiosk.KeyVersion { return s.version }

// Public is the public part of the key.
func (s *RSASigner) Public() PublicKey {
	return PublicKey{Version: s.version, Created: s.created, Key: &s.key.PublicKey}
}

// PublicKey is the public part of one signing key version.
type PublicKey struct {
	Version kiosk.KeyVersion
	Created time.Time // when the key was made; zero when not known
	Key     *rsa.PublicKey
}

func (p PublicKey) verify(data, signature string, v kiosk.KeyVersion) error {
	if v != p.Version {
		return fmt.Errorf("signing: verify: %w: %v (the key is version %v)", kiosk.ErrUnknownKeyVersion, v, p.Version)
	}
	sig, err := decodeSignature(signature)
	if err != nil {
		return err
	}
	d := sha1.Sum([]byte(data))
	if err := rsa.VerifyPKCS1v15(p.Key, crypto.SHA1, d[:], sig); err != nil {
		return fmt.Errorf("signing: verify with key version %v: %w", v, kiosk.ErrBadSignature)
	}
	return nil
}

// PublicKeys verifies signatures with the public part of every key
// version it holds. It is safe for concurrent use (it does not change).
type PublicKeys struct {
	keys []PublicKey // by version
}

// NewPublicKeys holds keys. Each must be a key the guideline allows, with
// a version from 1, no two with the same version; there is at least one.
func NewPublicKeys(keys ...PublicKey) (*PublicKeys, error) {
	if len(keys) == 0 {
		return nil, fmt.Errorf("signing: no public keys")
	}
	ks := slices.Clone(keys)
	slices.SortFunc(ks, func(a, b PublicKey) int { return cmp.Compare(a.Version, b.Version) })
	for i, k := range ks {
		if k.Version == 0 {
			return nil, fmt.Errorf("signing: public key version 0; versions count from 1")
		}
		if i > 0 && ks[i-1].Version == k.Version {
			return nil, fmt.Errorf("signing: two public keys of version %v", k.Version)
		}
		if err := checkRSAPublic(k.Key); err != nil {
			return nil, fmt.Errorf("signing: public key version %v: %w", k.Version, err)
		}
	}
	return &PublicKeys{keys: ks}, nil
}

// Verify implements kiosk.SignatureVerifier.
func (p *PublicKeys) Verify(data, signature string, v kiosk.KeyVersion) error {
	k, ok := p.Key(v)
	if !ok {
		return fmt.Errorf("signing: verify: %w: %v (known: %v)", kiosk.ErrUnknownKeyVersion, v, p.versions())
	}
	return k.verify(data, signature, v)
}

// Key returns the public key of version v.
func (p *PublicKeys) Key(v kiosk.KeyVersion) (PublicKey, bool) {
	i, ok := slices.BinarySearchFunc(p.keys, v, func(k PublicKey, v kiosk.KeyVersion) int {
		return cmp.Compare(k.Version, v)
	})
	if !ok {
		return PublicKey{}, false
	}
	return p.keys[i], true
}

// All returns the keys, oldest version first.
func (p *PublicKeys) All() []PublicKey { return slices.Clone(p.keys) }

// Latest is the newest key version.
func (p *PublicKeys) Latest() kiosk.KeyVersion { return p.keys[len(p.keys)-1].Version }

func (p *PublicKeys) versions() []kiosk.KeyVersion {
	vs := make([]kiosk.KeyVersion, len(p.keys))
	for i, k := range p.keys {
		vs[i] = k.Version
	}
	return vs
}
