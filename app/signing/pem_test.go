package signing

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// TestKeyFileRoundTrip: what the encoders write, the parsers read back,
// fields and keys alike, also with Windows line ends.
func TestKeyFileRoundTrip(t *testing.T) {
	s1, s2 := mustNewSigner(t, 1), mustNewSigner(t, 2)
	pk, err := NewPublicKeys(s2.Public(), s1.Public())
	if err != nil {
		t.Fatal(err)
	}
	export, err := EncodePublicKeys(pk)
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"LF": export, "CRLF": bytes.ReplaceAll(export, []byte("\n"), []byte("\r\n"))} {
		back, err := ParsePublicKeys(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got := back.All()
		if len(got) != 2 {
			t.Fatalf("%s: %d keys read back, want 2", name, len(got))
		}
		for i, s := range []*RSASigner{s1, s2} {
			want := s.Public()
			if got[i].Version != want.Version || !got[i].Created.Equal(want.Created) || !got[i].Key.Equal(want.Key) {
				t.Errorf("%s: key %d read back as version %v, created %v", name, i, got[i].Version, got[i].Created)
			}
		}
	}
	priv := encodePrivateKey(s2)
	back, err := parsePrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	if back.version != 2 || !back.created.Equal(s2.created) || !back.key.Equal(s2.key) {
		t.Errorf("private key read back as version %v, created %v", back.version, back.created)
	}
	if !strings.HasPrefix(string(priv), "keyVersion: 2\nalgorithm: RSA-SHA1-1024\ncreated: 2026-12-03T09:00:00Z\n-----BEGIN RSA PRIVATE KEY-----\n") {
		t.Errorf("private key file begins\n%s", priv[:120])
	}
}

// TestParseKeyFileRefuses: each way a key file can be wrong is
// ErrBadKeyFile, naming what is wrong.
func TestParseKeyFileRefuses(t *testing.T) {
	pub := string(mustRead(t, "testdata/test-public.pem"))
	priv := string(mustRead(t, "testdata/test-private.pem"))
	block := pub[strings.Index(pub, "-----BEGIN"):]
	body := strings.TrimPrefix(block, "-----BEGIN PUBLIC KEY-----\n")
	two := pub + strings.Replace(pub, "keyVersion: 1", "keyVersion: 2", 1)
	for _, tc := range []struct {
		name, text, says string
	}{
		{"empty", "", "no PUBLIC KEY"},
		{"only a comment", "# nothing\n", "no PUBLIC KEY"},
		{"no keyVersion", strings.Replace(pub, "keyVersion: 1\n", "", 1), "no keyVersion"},
		{"keyVersion 0", strings.Replace(pub, "keyVersion: 1", "keyVersion: 0", 1), "not a number"},
		{"keyVersion not a number", strings.Replace(pub, "keyVersion: 1", "keyVersion: one", 1), "not a number"},
		{"keyVersion twice", "keyVersion: 1\n" + pub, "twice"},
		{"no algorithm", strings.Replace(pub, "algorithm: RSA-SHA1-1024\n", "", 1), "no algorithm"},
		{"HMAC algorithm", strings.Replace(pub, "RSA-SHA1-1024", "HMAC-SHA1-128", 1), "want RSA-SHA1-1024"},
		{"bad created", strings.Replace(pub, "2026-12-03T09:00:00Z", "yesterday", 1), "RFC 3339"},
		{"unknown field", "owner: me\n" + pub, "unknown field"},
		{"a line that is nothing", "hello\n" + pub, "neither a field"},
		{"PEM headers in the block", strings.Replace(pub, "-----BEGIN PUBLIC KEY-----\n", "-----BEGIN PUBLIC KEY-----\nkeyVersion: 1\n\n", 1), "PEM headers"},
		{"a private key in a public file", priv, `want "PUBLIC KEY"`},
		{"a byte flipped in the key", strings.Replace(pub, "MIGfMA0G", "MIGfMA0H", 1), "key version 1"},
		{"base64 broken", strings.Replace(pub, "MIGfMA0G", "MIGf!A0G", 1), "does not decode"},
		{"cut before END", pub[:strings.Index(pub, "-----END")], "does not decode"},
		{"cut inside END", pub[:len(pub)-8], "does not decode"},
		{"cut in the body", pub[:len(pub)-len(body)/2], "does not decode"},
		{"fields without their key", pub + "keyVersion: 2\nalgorithm: RSA-SHA1-1024\n", "after the last key"},
		{"versions out of order", strings.Replace(pub, "keyVersion: 1", "keyVersion: 3", 1) + strings.Replace(pub, "keyVersion: 1", "keyVersion: 2", 1), "follows version 3"},
		{"one version twice", pub + pub, "follows version 1"},
		{"a damaged block hidden before a good one", strings.Replace(two, "MIGfMA0G", "MIGf!A0G", 1), "does not decode"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, err := ParsePublicKeys([]byte(tc.text))
			if !errors.Is(err, ErrBadKeyFile) || k != nil {
				t.Fatalf("ParsePublicKeys = %v, %v; want ErrBadKeyFile", k, err)
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("the error does not say %q: %v", tc.says, err)
			}
		})
	}
	if k, err := ParsePublicKeys([]byte(two)); err != nil || len(k.All()) != 2 {
		t.Errorf("two good keys: %v", err)
	}
	if k, err := ParsePublicKeys([]byte("# a comment\n\n" + pub + "\n# the end\n")); err != nil || len(k.All()) != 1 {
		t.Errorf("comments around a key: %v", err)
	}
}

func TestParsePrivateKeyRefuses(t *testing.T) {
	priv := string(mustRead(t, "testdata/test-private.pem"))
	pub := string(mustRead(t, "testdata/test-public.pem"))
	for _, tc := range []struct {
		name, text, says string
	}{
		{"a public key", pub, `want "RSA PRIVATE KEY"`},
		{"two keys", priv + priv, "2 private keys"},
		{"2048 bits", "keyVersion: 1\nalgorithm: RSA-SHA1-1024\n" + string(mustRead(t, "testdata/rsa2048.pem")), "2048 bits"},
		{"cut short", priv[:len(priv)/2], "does not decode"},
		{"a byte changed", strings.Replace(priv, "\nMIIC", "\nMIIB", 1), "private key version 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := parsePrivateKey([]byte(tc.text))
			if !errors.Is(err, ErrBadKeyFile) || s != nil {
				t.Fatalf("parsePrivateKey = %v, %v; want ErrBadKeyFile", s, err)
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("the error does not say %q: %v", tc.says, err)
			}
		})
	}
}

// TestTruncatedKeyFiles: a key file cut anywhere before its END line is
// refused, never read as a shorter key.
func TestTruncatedKeyFiles(t *testing.T) {
	for _, f := range []string{"testdata/test-public.pem", "testdata/test-private.pem"} {
		b := mustRead(t, f)
		end := bytes.LastIndex(b, []byte("-----END"))
		for n := 0; n < end+len("-----END"); n++ {
			var err error
			if strings.Contains(f, "public") {
				_, err = ParsePublicKeys(b[:n])
			} else {
				_, err = parsePrivateKey(b[:n])
			}
			if !errors.Is(err, ErrBadKeyFile) {
				t.Fatalf("%s cut to %d of %d bytes: %v; want ErrBadKeyFile", f, n, len(b), err)
			}
		}
	}
}

func TestExportHeader(t *testing.T) {
	s := mustTestSigner(t)
	pk, _ := NewPublicKeys(s.Public())
	b, err := EncodePublicKeys(pk)
	if err != nil {
		t.Fatal(err)
	}
	want := exportHeader + "\n" + string(mustRead(t, "testdata/test-public.pem"))
	if string(b) != want {
		t.Errorf("export =\n%s\nwant\n%s", b, want)
	}
}
