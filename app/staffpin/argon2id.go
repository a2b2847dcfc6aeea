package staffpin

import (
	"crypto/rand"
	"crypto/subtle"
	"fmt"

	"golang.org/x/crypto/argon2"

	"selvkasse/kiosk"
)

var _ kiosk.PINHasher = (*Hasher)(nil)

// Algorithm is the PINHash.Algorithm of argon2id hashes (version 0x13).
const Algorithm = "argon2id"

// SaltLen is the length of a new salt, bytes (RFC 9106 recommends 16).
const SaltLen = 16

// Bounds on the parameters Verify accepts from a record.
const (
	maxTime      = 16
	maxMemoryKiB = 1 << 20 // 1 GiB
	maxThreads   = 16
	minKeyLen    = 16
	maxKeyLen    = 64
)

// Params are argon2id's cost parameters.
type Params struct {
	Time      uint32 // passes over the memory
	MemoryKiB uint32 // memory, KiB
	Threads   uint8  // lanes
	KeyLen    uint32 // hash length, bytes
}

// Default is what new PINs are hashed with: 64 MiB, 3 passes, 2 lanes,
// a 32-byte hash. On the 2-core development machine one Verify takes
// about 70 ms with its memory warm and about 220 ms when the 64 MiB must
// first come from the kernel (`make bench` measures the warm case); a
// Raspberry Pi 4 takes a few times the warm figure, still within a PIN
// entry's pause. 64 MiB is RFC 9106's second recommended memory size, a
// sixteenth of a 1 GiB kiosk's memory for the moment it takes.
var Default = Params{Time: 3, MemoryKiB: 64 << 10, Threads: 2, KeyLen: 32}

// Hasher is an argon2id kiosk.PINHasher. The zero value hashes with
// Default; set Params for others (tests use small ones). It is safe for
// concurrent use.
type Hasher struct {
	Params Params
}

// New returns a Hasher with the Default parameters.
func New() *Hasher { return &Hasher{Params: Default} }

func (h *Hasher) params() Params {
	if h == nil || h.Params == (Params{}) {
		return Default
	}
	return h.Params
}

// Hash implements kiosk.PINHasher.
func (h *Hasher) Hash(pin string) (kiosk.PINHash, error) {
	if err := kiosk.CheckPIN(pin); err != nil {
		return kiosk.PINHash{}, fmt.Errorf("staffpin: hash: %w", err)
	}
	p := h.params()
	if err := p.check(); err != nil {
		return kiosk.PINHash{}, fmt.Errorf("staffpin: hash: parameters: %w", err)
	}
	salt := make([]byte, SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return kiosk.PINHash{}, fmt.Errorf("staffpin: hash: salt: %w", err)
	}
	return kiosk.PINHash{
		Algorithm: Algorithm, Time: p.Time, MemoryKiB: p.MemoryKiB, Threads: p.Threads, KeyLen: p.KeyLen,
		Salt: salt, Hash: argon2.IDKey([]byte(pin), salt, p.Time, p.MemoryKiB, p.Threads, p.KeyLen),
	}, nil
}

// Verify implements kiosk.PINHasher with the parameters recorded in ph.
func (h *Hasher) Verify(pin string, ph kiosk.PINHash) (bool, error) {
	if ph.Algorithm != Algorithm {
		return false, fmt.Errorf("staffpin: verify: %w: algorithm %q, want %q", kiosk.ErrUnsupportedPINHash, ph.Algorithm, Algorithm)
	}
	p := Params{Time: ph.Time, MemoryKiB: ph.MemoryKiB, Threads: ph.Threads, KeyLen: ph.KeyLen}
	if err := p.check(); err != nil {
		return false, fmt.Errorf("staffpin: verify: %w: %v", kiosk.ErrUnsupportedPINHash, err)
	}
	if len(ph.Salt) < 8 || len(ph.Hash) == 0 {
		return false, fmt.Errorf("staffpin: verify: %w: salt of %d bytes, hash of %d", kiosk.ErrUnsupportedPINHash, len(ph.Salt), len(ph.Hash))
	}
	if kiosk.CheckPIN(pin) != nil {
		return false, nil
	}
	got := argon2.IDKey([]byte(pin), ph.Salt, p.Time, p.MemoryKiB, p.Threads, p.KeyLen)
	// ConstantTimeCompare is 0 for slices of different lengths: a record
	// whose KeyLen and hash disagree never verifies.
	return subtle.ConstantTimeCompare(got, ph.Hash) == 1, nil
}

// check bounds p to what argon2id accepts and a kiosk can afford.
func (p Params) check() error {
	switch {
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("time %d out of 1..%d", p.Time, maxTime)
	case p.Threads < 1 || p.Threads > maxThreads:
		return fmt.Errorf("threads %d out of 1..%d", p.Threads, maxThreads)
	case p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > maxMemoryKiB:
		return fmt.Errorf("memory %d KiB out of %d..%d", p.MemoryKiB, 8*uint32(p.Threads), maxMemoryKiB)
	case p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen:
		return fmt.Errorf("key length %d out of %d..%d", p.KeyLen, minKeyLen, maxKeyLen)
	}
	return nil
}
