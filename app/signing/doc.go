// Package signing signs the journal's cash transactions as Skatteetaten's
// signature guideline for SAF-T Cash Register asks ("Requirements and
// guidelines for implementing digital signatures in Cash Register
// Systems", July 2017; kassasystemforskrifta § 2-7 (1)), and keeps the
// signing keys in the data dir.
//
// Two methods, both of the guideline: RSA-SHA1 (RSASigner, PublicKeys: a
// 1024-bit RSA key with public exponent 65537, PKCS#1 v1.5 signatures over
// the SHA-1 of the data) and HMAC-SHA1 (HMAC: a 128-bit secret key).
// Signatures are standard base64. The data signed is
// kiosk.SignatureInput.Data. All of them implement kiosk.Signer and
// kiosk.SignatureVerifier and pass the conformance suite in kiosk/kiosktest.
// The kiosk uses RSA: its public part can be given to the tax inspector,
// who verifies every signature without being able to make one.
//
// The keys live in <data dir>/keys (store.go), a directory of mode 0700:
//
//	public-<v>.pem    the public part of key version v, for every v from 1
//	private-<v>.pem   the private key of the newest version, mode 0600
//
// A key version exists once its public file does: Create and Rotate write
// the private file first and the public one last, each to a temporary
// file that is synced and renamed, so a crash leaves either the old key in
// use or the new one. Rotate removes the older private keys, and never a
// public one, so old signatures still verify. Load refuses, with an error
// that also matches kiosk.ErrSignerUnavailable (the kiosk goes out of
// order, it never sells unsigned), keys that are missing (ErrKeyMissing,
// ErrNoKeys), unreadable (ErrKeyUnreadable), readable or writable by others
// (ErrKeyPermissions) or damaged (ErrKeyCorrupt).
//
// A key file (pem.go) is PEM (RFC 7468) with the key's version, algorithm
// and creation time as "name: value" lines in the explanatory text before
// each block, not as PEM headers, so openssl and Skatteetaten's signature
// validator read the blocks as they are:
//
//	keyVersion: 1
//	algorithm: RSA-SHA1-1024
//	created: 2026-12-03T09:00:00Z
//	-----BEGIN PUBLIC KEY-----
//	…
//	-----END PUBLIC KEY-----
//
// The public file is a PKIX "PUBLIC KEY", the private one a PKCS#1 "RSA
// PRIVATE KEY", the forms the validator takes. EncodePublicKeys writes all
// versions in one file (`selvkasse keys export`), ParsePublicKeys reads
// it back.
//
// It may import the standard library and selvkasse/kiosk.
package signing
