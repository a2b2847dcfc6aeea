package staffpin

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"

	"golang.org/x/crypto/argon2"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// small keeps the suite quick; the production parameters are checked by
// TestDefaultParams and measured by the benchmark.
var small = Params{Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: 32}

func TestHasherConformance(t *testing.T) {
	kiosktest.TestPINHasher(t, &Hasher{Params: small})
}

// TestDefaultParams: the zero Hasher and New hash with Default, and such
// a hash verifies.
func TestDefaultParams(t *testing.T) {
	for name, h := range map[string]*Hasher{"zero": {}, "New": New()} {
		ph, err := h.Hash("2468")
		if err != nil {
			t.Fatal(err)
		}
		got := Params{Time: ph.Time, MemoryKiB: ph.MemoryKiB, Threads: ph.Threads, KeyLen: ph.KeyLen}
		if got != Default || ph.Algorithm != Algorithm || len(ph.Salt) != SaltLen || len(ph.Hash) != int(Default.KeyLen) {
			t.Errorf("%s: hash made with %+v (%s, salt %d B), want %+v", name, got, ph.Algorithm, len(ph.Salt), Default)
		}
		if ok, err := h.Verify("2468", ph); !ok || err != nil {
			t.Errorf("%s: Verify = %v, %v", name, ok, err)
		}
	}
}

// TestVerifyUsesRecordedParams: a hash made with other parameters (older
// defaults) still verifies, and is the argon2id of RFC 9106 computed
// with them.
func TestVerifyUsesRecordedParams(t *testing.T) {
	old := &Hasher{Params: Params{Time: 3, MemoryKiB: 256, Threads: 4, KeyLen: 16}}
	ph, err := old.Hash("13579")
	if err != nil {
		t.Fatal(err)
	}
	if want := argon2.IDKey([]byte("13579"), ph.Salt, 3, 256, 4, 16); hex.EncodeToString(want) != hex.EncodeToString(ph.Hash) {
		t.Fatal("the stored hash is not argon2id of the PIN with the recorded parameters")
	}
	if ok, err := (&Hasher{Params: small}).Verify("13579", ph); !ok || err != nil {
		t.Errorf("Verify with other current parameters = %v, %v", ok, err)
	}
}

// TestVerifyRefusesWildParams: parameters out of bounds are refused before
// any work is done.
func TestVerifyRefusesWildParams(t *testing.T) {
	h := &Hasher{Params: small}
	good, err := h.Hash("1234")
	if err != nil {
		t.Fatal(err)
	}
	edit := func(f func(*kiosk.PINHash)) kiosk.PINHash { c := good; f(&c); return c }
	tests := []struct {
		name string
		ph   kiosk.PINHash
	}{
		{"argon2i", edit(func(p *kiosk.PINHash) { p.Algorithm = "argon2i" })},
		{"no passes", edit(func(p *kiosk.PINHash) { p.Time = 0 })},
		{"too many passes", edit(func(p *kiosk.PINHash) { p.Time = 1000 })},
		{"4 GiB", edit(func(p *kiosk.PINHash) { p.MemoryKiB = 4 << 20 })},
		{"less memory than lanes need", edit(func(p *kiosk.PINHash) { p.MemoryKiB, p.Threads = 8, 4 })},
		{"no lanes", edit(func(p *kiosk.PINHash) { p.Threads = 0 })},
		{"short key", edit(func(p *kiosk.PINHash) { p.KeyLen = 4 })},
		{"huge key", edit(func(p *kiosk.PINHash) { p.KeyLen = 1 << 20 })},
		{"short salt", edit(func(p *kiosk.PINHash) { p.Salt = p.Salt[:4] })},
		{"no hash", edit(func(p *kiosk.PINHash) { p.Hash = nil })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := h.Verify("1234", tt.ph)
			if ok || !errors.Is(err, kiosk.ErrUnsupportedPINHash) {
				t.Errorf("Verify = %v, %v; want false, ErrUnsupportedPINHash", ok, err)
			}
		})
	}
}

// TestHashRefusesBadParams: a Hasher set up with parameters Verify would
// refuse does not make hashes.
func TestHashRefusesBadParams(t *testing.T) {
	if _, err := (&Hasher{Params: Params{Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: 8}}).Hash("1234"); err == nil {
		t.Error("Hash with an 8-byte key succeeded")
	}
}

// BenchmarkVerifyPIN is one PIN check with the Default parameters: what a
// staff member waits for after the last digit.
func BenchmarkVerifyPIN(b *testing.B) {
	h := New()
	ph, err := h.Hash("2468")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if ok, err := h.Verify("2468", ph); !ok || err != nil {
			b.Fatalf("Verify = %v, %v", ok, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/verify")
}

// BenchmarkSHA256PIN is the baseline: one SHA-256 of the same input (salt
// and PIN), what an unsalted-cost scheme would spend.
func BenchmarkSHA256PIN(b *testing.B) {
	ph, err := New().Hash("2468")
	if err != nil {
		b.Fatal(err)
	}
	in := append(append([]byte{}, ph.Salt...), "2468"...)
	var sink [32]byte
	b.ReportAllocs()
	for b.Loop() {
		sink = sha256.Sum256(in)
	}
	_ = sink
}
