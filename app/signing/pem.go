package signing

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"

	"selvkasse/kiosk"
)

// ErrBadKeyFile: bytes that are not a key file in this package's format
// (doc.go), or hold a key the guideline does not allow.
var ErrBadKeyFile = errors.New("signing: bad key file")

// PEM block types: the forms Skatteetaten's validator takes.
const (
	publicType  = "PUBLIC KEY"      // PKIX SubjectPublicKeyInfo
	privateType = "RSA PRIVATE KEY" // PKCS#1
)

// The names of the lines before each block.
const (
	fieldVersion   = "keyVersion" // SAF-T's element name
	fieldAlgorithm = "algorithm"
	fieldCreated   = "created"
)

var pemBegin = []byte("-----BEGIN ")

// exportHeader opens a file of EncodePublicKeys.
const exportHeader = `# Selvkasse: the public keys that verify the signatures of the journal's
# cash transactions (SAF-T Cash Register cashtransaction/signature), one per
# keyVersion. RSA-SHA1-1024: PKCS#1 v1.5 signatures over the SHA-1 of
# previousSignature;transDate;transTime;nr;transAmntIn;transAmntEx, in base64.
`

// entry is one key in a file: the lines before its block, and the block.
type entry struct {
	version kiosk.KeyVersion
	created time.Time
	block   *pem.Block
}

func appendEntry(b []byte, v kiosk.KeyVersion, created time.Time, blockType string, der []byte) []byte {
	b = fmt.Appendf(b, "%s: %v\n%s: %s\n", fieldVersion, v, fieldAlgorithm, Algorithm)
	if !created.IsZero() {
		b = fmt.Appendf(b, "%s: %s\n", fieldCreated, created.UTC().Format(time.RFC3339))
	}
	return append(b, pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der})...)
}

// EncodePublicKeys writes the public keys, oldest version first, in one
// file that ParsePublicKeys reads back: what `selvkasse keys export`
// prints and an inspector verifies with.
func EncodePublicKeys(keys *PublicKeys) ([]byte, error) {
	b := []byte(exportHeader)
	for _, k := range keys.keys {
		der, err := x509.MarshalPKIXPublicKey(k.Key)
		if err != nil {
			return nil, fmt.Errorf("signing: encode public key version %v: %w", k.Version, err)
		}
		b = append(b, '\n')
		b = appendEntry(b, k.Version, k.Created, publicType, der)
	}
	return b, nil
}

func encodePublicKey(k PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(k.Key)
	if err != nil {
		return nil, fmt.Errorf("signing: encode public key version %v: %w", k.Version, err)
	}
	return appendEntry(nil, k.Version, k.Created, publicType, der), nil
}

func encodePrivateKey(s *RSASigner) []byte {
	return appendEntry(nil, s.version, s.created, privateType, x509.MarshalPKCS1PrivateKey(s.key))
}

// ParsePublicKeys reads public keys written by EncodePublicKeys (or one
// public key file of the keys dir). Errors: ErrBadKeyFile (wrapped,
// naming the key and what is wrong) for anything else: no key, text that
// is neither a field line, a comment ('#') nor a key, a block that is not
// a PKIX RSA public key of RSABits with exponent RSAExponent, a missing
// or repeated field, another algorithm, versions out of order or twice.
func ParsePublicKeys(b []byte) (*PublicKeys, error) {
	es, err := parseEntries(b, publicType)
	if err != nil {
		return nil, err
	}
	keys := make([]PublicKey, 0, len(es))
	for i, e := range es {
		if i > 0 && e.version <= es[i-1].version {
			return nil, fmt.Errorf("%w: key version %v follows version %v", ErrBadKeyFile, e.version, es[i-1].version)
		}
		pub, err := x509.ParsePKIXPublicKey(e.block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: key version %v: %v", ErrBadKeyFile, e.version, err)
		}
		rk, ok := pub.(*rsa.PublicKey)
		if !ok {
			return nil, fmt.Errorf("%w: key version %v is a %T, not an RSA key", ErrBadKeyFile, e.version, pub)
		}
		if err := checkRSAPublic(rk); err != nil {
			return nil, fmt.Errorf("%w: key version %v: %v", ErrBadKeyFile, e.version, err)
		}
		keys = append(keys, PublicKey{Version: e.version, Created: e.created, Key: rk})
	}
	return NewPublicKeys(keys...)
}

// parsePrivateKey reads a private key file: one PKCS#1 RSA key of RSABits
// with exponent RSAExponent. Errors: ErrBadKeyFile (wrapped).
func parsePrivateKey(b []byte) (*RSASigner, error) {
	es, err := parseEntries(b, privateType)
	if err != nil {
		return nil, err
	}
	if len(es) != 1 {
		return nil, fmt.Errorf("%w: %d private keys in one file", ErrBadKeyFile, len(es))
	}
	e := es[0]
	k, err := x509.ParsePKCS1PrivateKey(e.block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: private key version %v: %v", ErrBadKeyFile, e.version, err)
	}
	s, err := NewRSASigner(k, e.version, e.created)
	if err != nil {
		return nil, fmt.Errorf("%w: private key version %v: %v", ErrBadKeyFile, e.version, err)
	}
	return s, nil
}

// parseEntries splits b into its keys, each a PEM block of blockType with
// no PEM headers, after its field lines.
func parseEntries(b []byte, blockType string) ([]entry, error) {
	var out []entry
	rest := b
	for n := 1; ; n++ {
		i := bytes.Index(rest, pemBegin)
		if i < 0 {
			if _, err := parseFields(rest, false); err != nil {
				return nil, fmt.Errorf("%w: after the last key: %v (the file is cut short?)", ErrBadKeyFile, err)
			}
			break
		}
		f, err := parseFields(rest[:i], true)
		if err != nil {
			return nil, fmt.Errorf("%w: key %d: %v", ErrBadKeyFile, n, err)
		}
		block, after := pem.Decode(rest[i:])
		// pem.Decode skips a block it cannot read and returns the next
		// one: that must not hide a damaged key.
		if block == nil || bytes.Count(rest[i:len(rest)-len(after)], pemBegin) != 1 {
			return nil, fmt.Errorf("%w: key %d (version %v): the PEM block does not decode (cut short or damaged)", ErrBadKeyFile, n, f.version)
		}
		if block.Type != blockType {
			return nil, fmt.Errorf("%w: key %d (version %v) is a %q, want %q", ErrBadKeyFile, n, f.version, block.Type, blockType)
		}
		if len(block.Headers) > 0 {
			return nil, fmt.Errorf("%w: key %d (version %v) has PEM headers; the fields go before the block", ErrBadKeyFile, n, f.version)
		}
		out = append(out, entry{version: f.version, created: f.created, block: block})
		rest = after
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no %s in it", ErrBadKeyFile, blockType)
	}
	return out, nil
}

type fields struct {
	version kiosk.KeyVersion
	created time.Time
}

// parseFields reads the text before a block: blank lines, comments
// ('#'), and each field once as "name: value". With want false it is the
// text after the last block, where no field may be.
func parseFields(text []byte, want bool) (fields, error) {
	var f fields
	seen := map[string]bool{}
	for line := range strings.Lines(string(text)) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || !want {
			return f, fmt.Errorf("%.40q is neither a field, a comment nor a key", line)
		}
		if seen[name] {
			return f, fmt.Errorf("%s given twice", name)
		}
		seen[name] = true
		switch name {
		case fieldVersion:
			v, err := kiosk.ParseKeyVersion(value)
			if err != nil {
				return f, fmt.Errorf("%s %.20q is not a number from 1 up", fieldVersion, value)
			}
			f.version = v
		case fieldAlgorithm:
			if value != Algorithm {
				return f, fmt.Errorf("%s %.30q, want %s", fieldAlgorithm, value, Algorithm)
			}
		case fieldCreated:
			t, err := time.Parse(time.RFC3339, value)
			if err != nil {
				return f, fmt.Errorf("%s %.40q is not an RFC 3339 time", fieldCreated, value)
			}
			f.created = t
		default:
			return f, fmt.Errorf("unknown field %.40q", name)
		}
	}
	if want && f.version == 0 {
		return f, fmt.Errorf("no %s line before the key", fieldVersion)
	}
	if want && !seen[fieldAlgorithm] {
		return f, fmt.Errorf("no %s line before the key", fieldAlgorithm)
	}
	return f, nil
}
