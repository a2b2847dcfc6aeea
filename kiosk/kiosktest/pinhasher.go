package kiosktest

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"sync"

	"selvkasse/kiosk"
)

var _ kiosk.PINHasher = (*PINHasher)(nil)

// FakePINAlgorithm is the PINHash.Algorithm of the fake PINHasher.
const FakePINAlgorithm = "fake-sha256"

// PINHasher is a fast fake kiosk.PINHasher: one salted SHA-256, so tests
// that hash many PINs stay quick. It follows the port's contract in full
// (a fresh salt per hash, parameters recorded, constant-time compare) and
// counts its calls. It is safe for concurrent use; the zero value is
// ready.
type PINHasher struct {
	mu              sync.Mutex
	hashes, verifys int
}

// Calls returns how many times Hash and Verify were called.
func (p *PINHasher) Calls() (hashes, verifies int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hashes, p.verifys
}

// Hash implements kiosk.PINHasher.
func (p *PINHasher) Hash(pin string) (kiosk.PINHash, error) {
	p.mu.Lock()
	p.hashes++
	p.mu.Unlock()
	if err := kiosk.CheckPIN(pin); err != nil {
		return kiosk.PINHash{}, fmt.Errorf("kiosktest: hash PIN: %w", err)
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return kiosk.PINHash{}, fmt.Errorf("kiosktest: hash PIN: salt: %w", err)
	}
	sum := fakePINSum(salt, pin)
	return kiosk.PINHash{Algorithm: FakePINAlgorithm, Time: 1, MemoryKiB: 0, Threads: 1, KeyLen: uint32(len(sum)), Salt: salt, Hash: sum}, nil
}

// Verify implements kiosk.PINHasher.
func (p *PINHasher) Verify(pin string, h kiosk.PINHash) (bool, error) {
	p.mu.Lock()
	p.verifys++
	p.mu.Unlock()
	if h.Algorithm != FakePINAlgorithm || h.Time != 1 || h.MemoryKiB != 0 || h.Threads != 1 ||
		h.KeyLen != sha256.Size || len(h.Hash) != sha256.Size || len(h.Salt) == 0 {
		return false, fmt.Errorf("kiosktest: verify PIN: %w: %v", kiosk.ErrUnsupportedPINHash, h)
	}
	if kiosk.CheckPIN(pin) != nil {
		return false, nil
	}
	return subtle.ConstantTimeCompare(fakePINSum(h.Salt, pin), h.Hash) == 1, nil
}

func fakePINSum(salt []byte, pin string) []byte {
	s := sha256.New()
	s.Write(salt)
	s.Write([]byte(pin))
	return s.Sum(nil)
}
