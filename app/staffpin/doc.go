// Package staffpin hashes and checks staff PINs with argon2id
// (golang.org/x/crypto/argon2, RFC 9106): *Hasher implements
// kiosk.PINHasher and passes its conformance suite in kiosk/kiosktest.
//
// Each hash has its own random 16-byte salt, and the record keeps the
// algorithm and its parameters (passes, memory, threads, key length)
// beside the salt and hash, so the defaults can be raised later and old
// records still verify with what they were made with. Hashes are compared
// in constant time. Parameters read from a record are bounded, so a
// damaged or planted record cannot make Verify take gigabytes or minutes.
//
// The defaults (Default) are chosen for PIN entry at the kiosk: slow
// against guessing, quick for staff. `make bench` measures one Verify
// against one SHA-256 of the same input. A PIN has at most 10^8 values,
// so the hash only slows down someone holding a copy of the data dir; at
// the kiosk the lock-out after 5 wrong PINs is what stops guessing.
//
// It may import the standard library, selvkasse/kiosk and
// golang.org/x/crypto/argon2.
package staffpin
