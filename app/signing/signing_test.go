package signing

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Oslo also where the system has no zoneinfo

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// The guideline's example transaction (validator.js in Skatteetaten/saf-t,
// "Digital Signature Validator"): 2016-11-24 10:39:00 Norwegian time,
// transaction 2, 1.00 with VAT, 0.96 without, the first one signed.
var example = kiosk.SignatureInput{Time: time.Date(2016, 11, 24, 9, 39, 0, 0, time.UTC), Nr: "2", AmountIn: 100, AmountEx: 96}

const exampleData = "0;2016-11-24;10:39:00;2;1.00;0.96"

// opensslSignature is the signature of exampleData with
// testdata/test-private.pem, made by OpenSSL, not by Go:
//
//	printf '0;2016-11-24;10:39:00;2;1.00;0.96' | openssl dgst -sha1 -sign KEY | base64 -w0
//
// PKCS#1 v1.5 signatures are deterministic, so RSASigner must make the
// same bytes.
const opensslSignature = "USDisqUSdL3V5SanFlBUKnStyp1rt61yLPRcUuyBMQ23Nx0THY65vA0/I4r8GjYXb0ghyZc+6nxYufDZuvebrfOJ+OyvyaIM6cTkEbcjjZYSik2j0oOeuN0Qy/izYPBO4KmgaNOXymhDr6UoL+D6OB/gald391bIIBqcCPZOUe8="

func mustOslo(tb testing.TB) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

func mustRead(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// mustTestSigner is the OpenSSL-made test key of testdata, version 1.
func mustTestSigner(tb testing.TB) *RSASigner {
	tb.Helper()
	s, err := parsePrivateKey(mustRead(tb, "testdata/test-private.pem"))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func mustNewSigner(tb testing.TB, v kiosk.KeyVersion) *RSASigner {
	tb.Helper()
	k, err := NewRSAKey()
	if err != nil {
		tb.Fatal(err)
	}
	s, err := NewRSASigner(k, v, time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// TestHMACKnownVector: the guideline's own example, from the transaction
// through kiosk.SignatureInput.Data to the signature.
func TestHMACKnownVector(t *testing.T) {
	h, err := NewHMAC([]byte("SkatteetatenSign"), 1)
	if err != nil {
		t.Fatal(err)
	}
	data, err := example.Data(mustOslo(t))
	if err != nil || data != exampleData {
		t.Fatalf("Data = %q, %v; want %q", data, err, exampleData)
	}
	sig, v, err := h.Sign(data)
	if err != nil || sig != "iHh68DWCU3G42eL/7vOGUMSkvMM=" || v != 1 {
		t.Errorf("Sign = %q, %v, %v; want iHh68DWCU3G42eL/7vOGUMSkvMM=, version 1", sig, v, err)
	}
	if err := h.Verify(exampleData, "iHh68DWCU3G42eL/7vOGUMSkvMM=", 1); err != nil {
		t.Errorf("Verify(the guideline's signature) = %v", err)
	}
}

func TestHMACConformance(t *testing.T) {
	h, err := NewHMAC([]byte("SkatteetatenSign"), 3)
	if err != nil {
		t.Fatal(err)
	}
	kiosktest.TestSigner(t, h, h)
}

func TestNewHMACRefuses(t *testing.T) {
	for name, tc := range map[string]struct {
		key []byte
		v   kiosk.KeyVersion
	}{
		"15-byte key": {[]byte("SkatteetatenSig"), 1},
		"17-byte key": {[]byte("SkatteetatenSignX"), 1},
		"no key":      {nil, 1},
		"version 0":   {[]byte("SkatteetatenSign"), 0},
	} {
		if h, err := NewHMAC(tc.key, tc.v); err == nil {
			t.Errorf("%s: NewHMAC = %v, want an error", name, h)
		}
	}
}

// TestRSAKnownVector: RSASigner makes the signature OpenSSL made with the
// same key, and verifies it.
func TestRSAKnownVector(t *testing.T) {
	s := mustTestSigner(t)
	sig, v, err := s.Sign(exampleData)
	if err != nil || sig != opensslSignature || v != 1 {
		t.Errorf("Sign = %q, %v, %v\nwant OpenSSL's %q", sig, v, err, opensslSignature)
	}
	pub, err := ParsePublicKeys(mustRead(t, "testdata/test-public.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if err := pub.Verify(exampleData, opensslSignature, 1); err != nil {
		t.Errorf("Verify(OpenSSL's signature) with the public key file = %v", err)
	}
}

func TestRSAConformance(t *testing.T) {
	s := mustNewSigner(t, 1)
	kiosktest.TestSigner(t, s, s)
	pk, err := NewPublicKeys(s.Public())
	if err != nil {
		t.Fatal(err)
	}
	kiosktest.TestSigner(t, s, pk)
}

// TestRSAExportedPublicKeyOnly: what the inspector gets is enough. A
// signature is 1024 bits; it verifies with only the exported public keys,
// read back from their text; a flipped byte anywhere in it does not.
func TestRSAExportedPublicKeyOnly(t *testing.T) {
	s1, s2 := mustNewSigner(t, 1), mustNewSigner(t, 2)
	pk, err := NewPublicKeys(s1.Public(), s2.Public())
	if err != nil {
		t.Fatal(err)
	}
	export, err := EncodePublicKeys(pk)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(export, []byte("PRIVATE")) {
		t.Fatalf("the export holds a private key:\n%s", export)
	}
	inspector, err := ParsePublicKeys(export)
	if err != nil {
		t.Fatalf("ParsePublicKeys(export): %v\n%s", err, export)
	}
	sig1, v1, err := s1.Sign(exampleData)
	if err != nil {
		t.Fatal(err)
	}
	data2 := "0;2016-11-24;10:40:00;3;-1.00;-0.96"
	sig2, v2, err := s2.Sign(data2)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.StdEncoding.DecodeString(sig1)
	if len(raw) != RSABits/8 {
		t.Errorf("signature of %d bytes, want %d", len(raw), RSABits/8)
	}
	if err := inspector.Verify(exampleData, sig1, v1); err != nil {
		t.Errorf("version 1's signature: %v", err)
	}
	if err := inspector.Verify(data2, sig2, v2); err != nil {
		t.Errorf("version 2's signature: %v", err)
	}
	if err := inspector.Verify(exampleData, sig1, 2); !errors.Is(err, kiosk.ErrBadSignature) {
		t.Errorf("version 1's signature checked with key 2: %v; want ErrBadSignature", err)
	}
	if err := inspector.Verify(exampleData, sig1, 3); !errors.Is(err, kiosk.ErrUnknownKeyVersion) {
		t.Errorf("key version 3: %v; want ErrUnknownKeyVersion", err)
	}
	for i := range raw {
		b := bytes.Clone(raw)
		b[i] ^= 0x80
		if err := inspector.Verify(exampleData, base64.StdEncoding.EncodeToString(b), v1); !errors.Is(err, kiosk.ErrBadSignature) {
			t.Fatalf("byte %d flipped: Verify = %v; want ErrBadSignature", i, err)
		}
	}
}

// TestExportReadByOpenSSL: the exported file is what openssl reads, and
// openssl verifies a signature of ours with it: the inspector needs no
// program of ours.
func TestExportReadByOpenSSL(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("no openssl")
	}
	s := mustNewSigner(t, 1)
	pk, _ := NewPublicKeys(s.Public())
	export, err := EncodePublicKeys(pk)
	if err != nil {
		t.Fatal(err)
	}
	sig, _, err := s.Sign(exampleData)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	raw, _ := base64.StdEncoding.DecodeString(sig)
	for name, b := range map[string][]byte{"keys.pem": export, "sig": raw, "data": []byte(exampleData)} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.Command(openssl, "dgst", "-sha1", "-verify", filepath.Join(dir, "keys.pem"),
		"-signature", filepath.Join(dir, "sig"), filepath.Join(dir, "data")).CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("Verified OK")) {
		t.Errorf("openssl dgst -verify: %v\n%s\nexport:\n%s", err, out, export)
	}
}

func TestNewRSASignerRefuses(t *testing.T) {
	s := mustTestSigner(t)
	if _, err := NewRSASigner(s.key, 0, time.Time{}); err == nil {
		t.Error("version 0 accepted")
	}
	if _, err := NewRSASigner(nil, 1, time.Time{}); err == nil {
		t.Error("no key accepted")
	}
	big := mustRead(t, "testdata/rsa2048.pem")
	blk, _ := pem.Decode(big)
	k, err := x509.ParsePKCS1PrivateKey(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewRSASigner(k, 1, time.Time{}); err == nil {
		t.Error("a 2048-bit key accepted; the guideline says 1024")
	}
	if _, err := NewPublicKeys(PublicKey{Version: 1, Key: &k.PublicKey}); err == nil {
		t.Error("a 2048-bit public key accepted")
	}
	if _, err := NewPublicKeys(s.Public(), s.Public()); err == nil {
		t.Error("two keys of one version accepted")
	}
	if _, err := NewPublicKeys(); err == nil {
		t.Error("no keys accepted")
	}
}
