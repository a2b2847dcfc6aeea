package signing

import (
	"strings"
	"testing"
)

// FuzzParsePublicKeys: a public key file or export from outside (an
// inspector's copy, a damaged disk) never panics, and what is read back
// encodes to a file that reads back the same.
func FuzzParsePublicKeys(f *testing.F) {
	pub := string(mustRead(f, "testdata/test-public.pem"))
	f.Add(pub)
	f.Add(exportHeader + "\n" + pub + "\n" + strings.Replace(pub, "keyVersion: 1", "keyVersion: 2", 1))
	f.Add(strings.ReplaceAll(pub, "\n", "\r\n"))
	f.Add(pub[:len(pub)/2])
	f.Add("keyVersion: 1\nalgorithm: RSA-SHA1-1024\n-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n")
	f.Add(string(mustRead(f, "testdata/test-private.pem")))
	f.Fuzz(func(t *testing.T, text string) {
		k, err := ParsePublicKeys([]byte(text))
		if err != nil {
			return
		}
		b, err := EncodePublicKeys(k)
		if err != nil {
			t.Fatalf("read, but does not encode: %v", err)
		}
		back, err := ParsePublicKeys(b)
		if err != nil {
			t.Fatalf("its encoding does not read back: %v\n%s", err, b)
		}
		a, z := k.All(), back.All()
		if len(a) != len(z) {
			t.Fatalf("%d keys, %d read back", len(a), len(z))
		}
		for i := range a {
			if a[i].Version != z[i].Version || !a[i].Created.Equal(z[i].Created) || !a[i].Key.Equal(z[i].Key) || a[i].Key.N.BitLen() != RSABits {
				t.Fatalf("key %d: version %v read back as %v", i, a[i].Version, z[i].Version)
			}
		}
	})
}

// FuzzParsePrivateKey: the same for the private key file.
func FuzzParsePrivateKey(f *testing.F) {
	priv := string(mustRead(f, "testdata/test-private.pem"))
	f.Add(priv)
	f.Add(priv[:len(priv)-40])
	f.Add(strings.Replace(priv, "keyVersion: 1", "keyVersion: 7", 1))
	f.Add(string(mustRead(f, "testdata/test-public.pem")))
	f.Fuzz(func(t *testing.T, text string) {
		s, err := parsePrivateKey([]byte(text))
		if err != nil {
			return
		}
		if s.version == 0 || s.key.N.BitLen() != RSABits {
			t.Fatalf("read a key of version %v, %d bits", s.version, s.key.N.BitLen())
		}
		back, err := parsePrivateKey(encodePrivateKey(s))
		if err != nil || back.version != s.version || !back.key.Equal(s.key) || !back.created.Equal(s.created) {
			t.Fatalf("does not read back: %v", err)
		}
	})
}
