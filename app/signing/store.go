package signing

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"selvkasse/kiosk"
)

// KeysDir is the keys' directory inside the data dir.
const KeysDir = "keys"

// Errors of Load, Create and Rotate (wrapped, with the file and the
// reason). Each also matches kiosk.ErrSignerUnavailable: the kiosk goes out
// of order on it and sells nothing unsigned.
var (
	// ErrNoKeys: the data dir has no signing key yet (no public key
	// file). On a new data dir Create makes the first; on one whose
	// journal holds signed records the keys were deleted.
	ErrNoKeys error = keyError("signing: no signing keys")
	// ErrKeyMissing: the private key of the newest version is gone
	// while its public part is there: the key in use was lost. Rotate
	// makes a new one; old signatures still verify.
	ErrKeyMissing error = keyError("signing: signing key missing")
	// ErrKeyUnreadable: a key file or the keys dir cannot be read.
	ErrKeyUnreadable error = keyError("signing: signing key unreadable")
	// ErrKeyPermissions: the private key or the keys dir may be read or
	// written by others than its owner (it must be 0600, the dir 0700),
	// or is not a plain file or directory.
	ErrKeyPermissions error = keyError("signing: signing key permissions wrong")
	// ErrKeyCorrupt: a key file is damaged (ErrBadKeyFile), the
	// versions have a gap, or the private key is not the one of its
	// public file.
	ErrKeyCorrupt error = keyError("signing: signing key corrupt")
	// ErrKeysExist: Create found keys already.
	ErrKeysExist = errors.New("signing: signing keys exist already")
)

// keyError is a sentinel that also matches kiosk.ErrSignerUnavailable.
type keyError string

func (e keyError) Error() string { return string(e) }
func (e keyError) Unwrap() error { return kiosk.ErrSignerUnavailable }

// Keys is the kiosk's signing keys: the private key of the newest version,
// which signs, and the public part of every version, which verify. It
// implements kiosk.Signer and kiosk.SignatureVerifier and is safe for
// concurrent use.
type Keys struct {
	signer *RSASigner
	public *PublicKeys
}

var (
	_ kiosk.Signer            = (*Keys)(nil)
	_ kiosk.SignatureVerifier = (*Keys)(nil)
)

// Sign implements kiosk.Signer with the newest key.
func (k *Keys) Sign(data string) (string, kiosk.KeyVersion, error) { return k.signer.Sign(data) }

// Verify implements kiosk.SignatureVerifier with every version's public key.
func (k *Keys) Verify(data, signature string, v kiosk.KeyVersion) error {
	return k.public.Verify(data, signature, v)
}

// Version is the version of the key that signs.
func (k *Keys) Version() kiosk.KeyVersion { return k.signer.version }

// Public is the public part of every version.
func (k *Keys) Public() *PublicKeys { return k.public }

func publicName(v kiosk.KeyVersion) string  { return "public-" + v.String() + ".pem" }
func privateName(v kiosk.KeyVersion) string { return "private-" + v.String() + ".pem" }

// fileVersion reads the version out of a key file's name.
func fileVersion(name, prefix string) (kiosk.KeyVersion, bool) {
	s, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return 0, false
	}
	s, ok = strings.CutSuffix(s, ".pem")
	if !ok {
		return 0, false
	}
	v, err := kiosk.ParseKeyVersion(s)
	return v, err == nil
}

// fileSystem is what the store does to files; osFS in production, a
// failing one in tests (root reads files whatever their mode).
type fileSystem interface {
	Lstat(name string) (fs.FileInfo, error)
	ReadDir(name string) ([]fs.DirEntry, error)
	ReadFile(name string) ([]byte, error)
}

type osFS struct{}

func (osFS) Lstat(name string) (fs.FileInfo, error)     { return os.Lstat(name) }
func (osFS) ReadDir(name string) ([]fs.DirEntry, error) { return os.ReadDir(name) }
func (osFS) ReadFile(name string) ([]byte, error)       { return os.ReadFile(name) }

// keysDir is what is on disk: the public keys, versions 1 to n, and which
// private key files there are.
type keysDir struct {
	dir      string
	public   *PublicKeys // nil: none
	privates []kiosk.KeyVersion
}

// readKeysDir reads the keys dir of dataDir and every public key in it.
// A missing dir, or one without public keys, is ErrNoKeys.
func readKeysDir(fsys fileSystem, dataDir string) (keysDir, error) {
	kd := keysDir{dir: filepath.Join(dataDir, KeysDir)}
	fi, err := fsys.Lstat(kd.dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return kd, fmt.Errorf("%w in %s", ErrNoKeys, kd.dir)
	case err != nil:
		return kd, fmt.Errorf("%w: %v", ErrKeyUnreadable, err)
	case !fi.IsDir():
		return kd, fmt.Errorf("%w: %s is not a directory (%v)", ErrKeyPermissions, kd.dir, fi.Mode().Type())
	}
	if err := checkPrivateMode(fi); err != nil {
		return kd, fmt.Errorf("%w: the keys dir %s: %v", ErrKeyPermissions, kd.dir, err)
	}
	des, err := fsys.ReadDir(kd.dir)
	if err != nil {
		return kd, fmt.Errorf("%w: %v", ErrKeyUnreadable, err)
	}
	var pubs []kiosk.KeyVersion
	for _, de := range des {
		if v, ok := fileVersion(de.Name(), "public-"); ok {
			pubs = append(pubs, v)
		} else if v, ok := fileVersion(de.Name(), "private-"); ok {
			kd.privates = append(kd.privates, v)
		}
	}
	if len(pubs) == 0 {
		return kd, fmt.Errorf("%w in %s", ErrNoKeys, kd.dir)
	}
	slices.Sort(pubs)
	slices.Sort(kd.privates)
	var keys []PublicKey
	for i, v := range pubs {
		if v != kiosk.KeyVersion(i+1) {
			return kd, fmt.Errorf("%w: %s holds the public keys of versions %v: version %d is missing", ErrKeyCorrupt, kd.dir, pubs, i+1)
		}
		path := filepath.Join(kd.dir, publicName(v))
		b, err := readKeyFile(fsys, path, false)
		if err != nil {
			return kd, err
		}
		pk, err := ParsePublicKeys(b)
		if err != nil {
			return kd, fmt.Errorf("%w: %s: %w", ErrKeyCorrupt, path, err)
		}
		all := pk.All()
		if len(all) != 1 || all[0].Version != v {
			return kd, fmt.Errorf("%w: %s holds key versions %v, want %v only", ErrKeyCorrupt, path, pk.versions(), v)
		}
		keys = append(keys, all[0])
	}
	pk, err := NewPublicKeys(keys...)
	if err != nil {
		return kd, fmt.Errorf("%w: %v", ErrKeyCorrupt, err)
	}
	kd.public = pk
	return kd, nil
}

// readKeyFile reads a key file, which must be a plain file, and for a
// private key one only its owner may read or write.
func readKeyFile(fsys fileSystem, path string, private bool) ([]byte, error) {
	fi, err := fsys.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && private:
		return nil, fmt.Errorf("%w: %s is gone", ErrKeyMissing, path)
	case err != nil:
		return nil, fmt.Errorf("%w: %v", ErrKeyUnreadable, err)
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("%w: %s is not a plain file (%v)", ErrKeyPermissions, path, fi.Mode().Type())
	}
	if private {
		if err := checkPrivateMode(fi); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrKeyPermissions, path, err)
		}
	}
	b, err := fsys.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKeyUnreadable, err)
	}
	return b, nil
}

// Load reads the signing keys in dataDir: the private key of the newest
// version and every public key. Errors (wrapped, each also matching
// kiosk.ErrSignerUnavailable): ErrNoKeys, ErrKeyMissing,
// ErrKeyUnreadable, ErrKeyPermissions, ErrKeyCorrupt. Load writes nothing.
func Load(dataDir string) (*Keys, error) { return load(osFS{}, dataDir) }

func load(fsys fileSystem, dataDir string) (*Keys, error) {
	kd, err := readKeysDir(fsys, dataDir)
	if err != nil {
		return nil, err
	}
	v := kd.public.Latest()
	path := filepath.Join(kd.dir, privateName(v))
	b, err := readKeyFile(fsys, path, true)
	if errors.Is(err, ErrKeyMissing) {
		return nil, fmt.Errorf("%w: the private key of version %v, the one in use, %s is gone; "+
			"`selvkasse keys rotate` makes a new one (the old signatures still verify)", ErrKeyMissing, v, path)
	}
	if err != nil {
		return nil, err
	}
	s, err := parsePrivateKey(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrKeyCorrupt, path, err)
	}
	pub, _ := kd.public.Key(v)
	if s.version != v || !s.key.PublicKey.Equal(pub.Key) {
		return nil, fmt.Errorf("%w: %s is not the private key of public key version %v", ErrKeyCorrupt, path, v)
	}
	return &Keys{signer: s, public: kd.public}, nil
}

// Create makes key version 1 in dataDir, whose keys dir must hold no key
// yet (ErrKeysExist otherwise; private files of a create that never
// finished are replaced). now is the key's creation time. The journal
// knows whether a key was ever used: call Create only while it holds no
// signed record, so that deleted keys are not silently replaced.
func Create(dataDir string, now time.Time) (*Keys, error) {
	kd, err := readKeysDir(osFS{}, dataDir)
	switch {
	case err == nil:
		return nil, fmt.Errorf("%w: %s holds versions 1 to %v", ErrKeysExist, kd.dir, kd.public.Latest())
	case !errors.Is(err, ErrNoKeys):
		return nil, err
	}
	if err := os.MkdirAll(kd.dir, 0o700); err != nil {
		return nil, fmt.Errorf("%w: make %s: %v", ErrKeyUnreadable, kd.dir, err)
	}
	// A dir made by someone else must still be private.
	if _, err := readKeysDir(osFS{}, dataDir); err != nil && !errors.Is(err, ErrNoKeys) {
		return nil, err
	}
	s, err := writeNewKey(kd.dir, 1, now)
	if err != nil {
		return nil, err
	}
	pk, err := NewPublicKeys(s.Public())
	if err != nil {
		return nil, err
	}
	return &Keys{signer: s, public: pk}, nil
}

// LoadOrCreate is Load, and on ErrNoKeys Create: for the kiosk's first
// start. created says a key was made. As with Create, call it only while
// the journal holds no signed record; Load after.
func LoadOrCreate(dataDir string, now time.Time) (k *Keys, created bool, err error) {
	k, err = Load(dataDir)
	if !errors.Is(err, ErrNoKeys) {
		return k, false, err
	}
	k, err = Create(dataDir, now)
	return k, err == nil, err
}

// ReadPublicKeys reads the public part of every key version in dataDir,
// for export and for verifying; it needs no private key. Errors: as Load's,
// but never ErrKeyMissing.
func ReadPublicKeys(dataDir string) (*PublicKeys, error) {
	kd, err := readKeysDir(osFS{}, dataDir)
	if err != nil {
		return nil, err
	}
	return kd.public, nil
}

// Rotate makes a new key with the next version and removes the older
// private keys; the public keys stay, so old signatures still verify. The
// private key in use need not be readable (Rotate is how a kiosk whose key
// was lost or exposed gets a new one), but every public key must be: a
// damaged one is ErrKeyCorrupt and nothing changes. No key at all is
// ErrNoKeys. now is the new key's creation time. The caller holds the data
// dir (storage.Open), so no kiosk signs meanwhile. It returns the new key
// version, also when the error is only that an old private key file could
// not be removed.
func Rotate(dataDir string, now time.Time) (kiosk.KeyVersion, error) {
	kd, err := readKeysDir(osFS{}, dataDir)
	if err != nil {
		return 0, err
	}
	v := kd.public.Latest() + 1
	if _, err := writeNewKey(kd.dir, v, now); err != nil {
		return 0, err
	}
	var errs []error
	for _, old := range kd.privates {
		if old < v {
			if err := os.Remove(filepath.Join(kd.dir, privateName(old))); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return v, fmt.Errorf("signing: key version %v made, but an old private key stays: %w", v, err)
	}
	if err := syncDir(kd.dir); err != nil {
		return v, fmt.Errorf("signing: key version %v made; sync %s: %w", v, kd.dir, err)
	}
	return v, nil
}

// writeNewKey makes a key of version v in dir: the private file, then
// the public one, which makes the version exist.
func writeNewKey(dir string, v kiosk.KeyVersion, now time.Time) (*RSASigner, error) {
	k, err := NewRSAKey()
	if err != nil {
		return nil, err
	}
	s, err := NewRSASigner(k, v, now.UTC().Truncate(time.Second))
	if err != nil {
		return nil, err
	}
	if err := writeFileAtomic(filepath.Join(dir, privateName(v)), encodePrivateKey(s)); err != nil {
		return nil, err
	}
	pub, err := encodePublicKey(s.Public())
	if err != nil {
		return nil, err
	}
	if err := writeFileAtomic(filepath.Join(dir, publicName(v)), pub); err != nil {
		return nil, err
	}
	return s, nil
}

// writeFileAtomic writes b to path with mode 0600: to a new temporary
// file in the same dir, synced, renamed over path, and the dir synced.
func writeFileAtomic(path string, b []byte) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("signing: write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	// CreateTemp makes 0600 files; say so, whatever it does later.
	if err := f.Chmod(0o600); err != nil {
		return fmt.Errorf("signing: write %s: %w", path, err)
	}
	if _, err := f.Write(b); err != nil {
		return fmt.Errorf("signing: write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("signing: write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("signing: write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("signing: write %s: %w", path, err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("signing: write %s: sync the dir: %w", path, err)
	}
	return nil
}
