package kiosk

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Signatures of cash transactions, after Skatteetaten's "Requirements and
// guidelines for implementing digital signatures in Cash Register Systems"
// (the SAF-T Cash Register signature guideline, revision of July 2017) and
// kassasystemforskrifta § 2-7 (1): the electronic journal is secured
// against alteration. Every cash transaction (sale, return, void,
// training) is signed over
//
//	previousSignature;transDate;transTime;nr;transAmntIn;transAmntEx
//
// with RSA-SHA1 (1024-bit key, PKCS#1 v1.5) or HMAC-SHA1 (128-bit key),
// the signature in base64, and the key's version (keyVersion) recorded
// beside it, as the SAF-T cashtransaction elements signature and
// keyVersion hold them. Each signature covers the one before, so the
// signatures form a chain.

// FirstPreviousSignature is previousSignature in the signature data of the
// first transaction signed.
const FirstPreviousSignature = "0"

// Journal subtypes (of CodeOther) for the signing key.
const (
	SubSigningKeyCreated = "signing-key-created" // the first key made, with its keyVersion
	SubSigningKeyRotated = "signing-key-rotated" // a new key made, with the old and new keyVersion
)

// KeyVersion names a signing key: 1 for the first key made, one more for
// each rotation. It is recorded with every signature (SAF-T keyVersion,
// written in decimal). The zero KeyVersion is no key. Persisted.
type KeyVersion uint32

func (v KeyVersion) String() string { return strconv.FormatUint(uint64(v), 10) }

// ParseKeyVersion reads a keyVersion written by String. Errors:
// ErrBadSignatureInput (wrapped) for anything but a decimal from 1 up.
func ParseKeyVersion(s string) (KeyVersion, error) {
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || n == 0 || s[0] == '+' || s[0] == '0' {
		return 0, fmt.Errorf("%w: key version %q is not a number from 1 up", ErrBadSignatureInput, s)
	}
	return KeyVersion(n), nil
}

// Signer signs the signature data of cash transactions (SignatureInput.Data)
// with the kiosk's current signing key.
//
// Sign returns the signature of data in standard base64 (RFC 4648 § 4,
// with padding) and the version of the key that made it. Errors: any error
// means data was not signed, and the transaction must not be recorded as
// done: the kiosk goes out of order and sells nothing unsigned.
// ErrSignerUnavailable (wrapped, with the reason) when the key is missing,
// unreadable or unusable. An implementation is safe for concurrent use.
type Signer interface {
	Sign(data string) (signature string, v KeyVersion, err error)
}

// SignatureVerifier checks signatures with the public part of the signing
// keys (for HMAC, which has none, the secret key itself), every version
// it knows, so old signatures still verify after a rotation.
//
// Verify returns nil when signature is a signature of data made with key
// version v. Errors: ErrBadSignature (wrapped) when it is not, also when
// signature is not base64; ErrUnknownKeyVersion (wrapped) when the
// verifier has no key of version v. An implementation is safe for
// concurrent use.
type SignatureVerifier interface {
	Verify(data, signature string, v KeyVersion) error
}

var (
	// ErrSignerUnavailable: the signing key is missing, unreadable or
	// unusable. The kiosk goes out of order; it never sells unsigned.
	ErrSignerUnavailable = errors.New("kiosk: no usable signing key")
	// ErrBadSignature: a signature does not match its data and key.
	ErrBadSignature = errors.New("kiosk: bad signature")
	// ErrUnknownKeyVersion: no key of a signature's key version is known.
	ErrUnknownKeyVersion = errors.New("kiosk: unknown signing key version")
	// ErrBadSignatureInput: a value cannot go into the signature data.
	ErrBadSignatureInput = errors.New("kiosk: bad signature input")
)

// SignatureInput is what a cash transaction's signature covers.
type SignatureInput struct {
	// Previous is the signature of the transaction signed before this
	// one, in base64; "" (or FirstPreviousSignature) for the first.
	Previous string
	// Time is when the transaction happened; Data writes its date and
	// time in Norwegian local time.
	Time time.Time
	// Nr is the transaction number (SAF-T cashtransaction/nr, 1 to 35
	// characters).
	Nr string
	// AmountIn and AmountEx are the transaction's amount with and
	// without VAT (SAF-T transAmntIn, transAmntEx), negative for a return
	// (as the SAF-T example file's return receipt). They have the same
	// sign, and VAT never makes AmountEx larger than AmountIn.
	AmountIn, AmountEx Money
}

// maxNr is the length of SAF-T's IdentificationString35, the type of
// cashtransaction/nr; the signature validator refuses a longer nr.
const maxNr = 35

// Data is the string the guideline signs:
//
//	previousSignature;transDate;transTime;nr;transAmntIn;transAmntEx
//
// for example "0;2016-11-24;10:39:00;2;1.00;0.96": the date as
// YYYY-MM-DD and the time as HH:MM:SS in loc (Europe/Oslo: local
// Norwegian time, with summer time), amounts with a point and two
// decimals ("-16.40" for a return). Errors: ErrBadSignatureInput
// (wrapped) for a nil loc, a zero Time, a Nr that is empty, longer than 35
// characters or holds ';' or a control character, a Previous that is
// neither "0" nor standard base64, and amounts of opposite signs or an AmountEx larger
// than AmountIn.
func (in SignatureInput) Data(loc *time.Location) (string, error) {
	bad := func(format string, args ...any) (string, error) {
		return "", fmt.Errorf("%w: "+format, append([]any{ErrBadSignatureInput}, args...)...)
	}
	if loc == nil {
		return bad("no time zone given (Europe/Oslo)")
	}
	if in.Time.IsZero() {
		return bad("no transaction time")
	}
	prev := in.Previous
	if prev == "" {
		prev = FirstPreviousSignature
	}
	if prev != FirstPreviousSignature {
		// (DecodeString skips line breaks; the data may hold none.)
		if _, err := base64.StdEncoding.Strict().DecodeString(prev); err != nil || strings.ContainsAny(prev, "\r\n") {
			return bad("previous signature %.24q is not base64 on one line", prev)
		}
	}
	switch {
	case in.Nr == "":
		return bad("no transaction number")
	case utf8.RuneCountInString(in.Nr) > maxNr:
		return bad("transaction number %.40q is longer than %d characters", in.Nr, maxNr)
	case !utf8.ValidString(in.Nr) || strings.ContainsFunc(in.Nr, func(r rune) bool { return r == ';' || r < ' ' || r == 0x7f }):
		return bad("transaction number %q holds ';' or a control character", in.Nr)
	}
	a, e := in.AmountIn, in.AmountEx
	if (a > 0 && e < 0) || (a < 0 && e > 0) {
		return bad("amount with VAT %s and without VAT %s have opposite signs", a.Decimal(), e.Decimal())
	}
	if abs(e) > abs(a) {
		return bad("amount without VAT %s is larger than with VAT %s", e.Decimal(), a.Decimal())
	}
	t := in.Time.In(loc)
	var b strings.Builder
	b.Grow(len(prev) + 48 + len(in.Nr))
	for i, f := range []string{prev, t.Format(time.DateOnly), t.Format(time.TimeOnly), in.Nr, a.Decimal(), e.Decimal()} {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(f)
	}
	return b.String(), nil
}

func abs(m Money) Money {
	if m < 0 {
		return -m
	}
	return m
}
