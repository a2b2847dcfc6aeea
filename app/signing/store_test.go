package signing

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

var day = time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)

func mustCreate(tb testing.TB, dataDir string) *Keys {
	tb.Helper()
	k, err := Create(dataDir, day)
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

func mustLoad(tb testing.TB, dataDir string) *Keys {
	tb.Helper()
	k, err := Load(dataDir)
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

func mode(tb testing.TB, path string) fs.FileMode {
	tb.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		tb.Fatal(err)
	}
	return fi.Mode().Perm()
}

// TestCreateLoad: the first start makes key version 1, private to the
// kiosk's user; the next start loads the same key.
func TestCreateLoad(t *testing.T) {
	data := t.TempDir()
	k, created, err := LoadOrCreate(data, day)
	if err != nil || !created || k.Version() != 1 {
		t.Fatalf("LoadOrCreate on a new data dir = %v, created %v, %v; want version 1 made", k, created, err)
	}
	dir := filepath.Join(data, KeysDir)
	if m := mode(t, dir); m != 0o700 {
		t.Errorf("keys dir mode %#o, want 0700", m)
	}
	for _, f := range []string{"private-1.pem", "public-1.pem"} {
		if m := mode(t, filepath.Join(dir, f)); m != 0o600 {
			t.Errorf("%s mode %#o, want 0600", f, m)
		}
	}
	kiosktest.TestSigner(t, k, k)
	sig, v, err := k.Sign(exampleData)
	if err != nil {
		t.Fatal(err)
	}
	again, created, err := LoadOrCreate(data, day.Add(time.Hour))
	if err != nil || created {
		t.Fatalf("second LoadOrCreate: created %v, %v; want the key loaded", created, err)
	}
	if sig2, v2, _ := again.Sign(exampleData); sig2 != sig || v2 != v {
		t.Error("the key loaded is not the key made")
	}
	if pub, _ := again.Public().Key(1); !pub.Created.Equal(day) {
		t.Errorf("created %v, want %v", pub.Created, day)
	}
	if _, err := Create(data, day); !errors.Is(err, ErrKeysExist) {
		t.Errorf("Create over a key: %v; want ErrKeysExist", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("keys dir holds %d files, want 2 (no temporary files left)", len(entries))
	}
}

// TestRotate: a new version signs; the old signatures still verify with
// the keys loaded afterwards and with the public keys alone; the old
// private key is gone.
func TestRotate(t *testing.T) {
	data := t.TempDir()
	old := mustCreate(t, data)
	sig1, v1, err := old.Sign(exampleData)
	if err != nil {
		t.Fatal(err)
	}
	for want := kiosk.KeyVersion(2); want <= 3; want++ {
		v, err := Rotate(data, day.Add(time.Duration(want)*time.Hour))
		if err != nil || v != want {
			t.Fatalf("Rotate = %v, %v; want version %v", v, err, want)
		}
	}
	k := mustLoad(t, data)
	if k.Version() != 3 {
		t.Errorf("loaded version %v, want 3", k.Version())
	}
	sig3, v3, err := k.Sign(exampleData)
	if err != nil || v3 != 3 || sig3 == sig1 {
		t.Errorf("Sign after rotations = %v, %v; want a new signature of version 3", v3, err)
	}
	pub, err := ReadPublicKeys(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []kiosk.SignatureVerifier{k, pub} {
		if err := v.Verify(exampleData, sig1, v1); err != nil {
			t.Errorf("version 1's signature after two rotations: %v", err)
		}
		if err := v.Verify(exampleData, sig3, v3); err != nil {
			t.Errorf("version 3's signature: %v", err)
		}
	}
	dir := filepath.Join(data, KeysDir)
	for _, f := range []string{"private-1.pem", "private-2.pem"} {
		if _, err := os.Lstat(filepath.Join(dir, f)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s after rotation: %v; want it removed", f, err)
		}
	}
	for _, f := range []string{"public-1.pem", "public-2.pem", "public-3.pem", "private-3.pem"} {
		if _, err := os.Lstat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// TestRotateRecovers: Rotate is the way back for a key that was lost or
// exposed; it refuses to go on over damaged public keys, changing nothing.
func TestRotateRecovers(t *testing.T) {
	data := t.TempDir()
	mustCreate(t, data)
	dir := filepath.Join(data, KeysDir)
	if err := os.Remove(filepath.Join(dir, "private-1.pem")); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(data); !errors.Is(err, ErrKeyMissing) {
		t.Fatalf("Load without the private key: %v; want ErrKeyMissing", err)
	}
	if v, err := Rotate(data, day); err != nil || v != 2 {
		t.Fatalf("Rotate after the key was lost = %v, %v; want version 2", v, err)
	}
	mustLoad(t, data)

	if err := os.Chmod(filepath.Join(dir, "private-2.pem"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(data); !errors.Is(err, ErrKeyPermissions) {
		t.Fatalf("Load of an exposed key: %v; want ErrKeyPermissions", err)
	}
	if v, err := Rotate(data, day); err != nil || v != 3 {
		t.Fatalf("Rotate after the key was exposed = %v, %v; want version 3", v, err)
	}
	mustLoad(t, data)

	if err := os.WriteFile(filepath.Join(dir, "public-1.pem"), []byte("damaged"), 0o600); err != nil {
		t.Fatal(err)
	}
	if v, err := Rotate(data, day); !errors.Is(err, ErrKeyCorrupt) || v != 0 {
		t.Errorf("Rotate over a damaged public key = %v, %v; want ErrKeyCorrupt", v, err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "public-4.pem")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a refused Rotate made a key: %v", err)
	}
	if _, err := Rotate(t.TempDir(), day); !errors.Is(err, ErrNoKeys) {
		t.Errorf("Rotate with no keys: %v; want ErrNoKeys", err)
	}
}

// TestInterruptedRotation: a private key written by a rotation that
// never wrote its public key is not a version: the old key signs on, and
// the next rotation takes the number.
func TestInterruptedRotation(t *testing.T) {
	data := t.TempDir()
	k1 := mustCreate(t, data)
	dir := filepath.Join(data, KeysDir)
	stray := mustNewSigner(t, 2)
	if err := os.WriteFile(filepath.Join(dir, "private-2.pem"), encodePrivateKey(stray), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".public-2.pem.123.tmp"), []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	k := mustLoad(t, data)
	if k.Version() != 1 || !k.signer.key.Equal(k1.signer.key) {
		t.Errorf("loaded version %v, want the first key", k.Version())
	}
	if v, err := Rotate(data, day); err != nil || v != 2 {
		t.Fatalf("Rotate = %v, %v", v, err)
	}
	if k := mustLoad(t, data); k.signer.key.Equal(stray.key) {
		t.Error("the rotation took the stray key instead of making one")
	}
}

// TestLoadRefuses: every bad state is its own sentinel, also
// kiosk.ErrSignerUnavailable (the kiosk goes out of order), and names
// the file.
func TestLoadRefuses(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spoil func(t *testing.T, dir string) // dir: the keys dir, with version 1 and 2
		want  error
		says  string
	}{
		{"no keys dir", func(t *testing.T, dir string) { must(t, os.RemoveAll(dir)) }, ErrNoKeys, "keys"},
		{"no public keys", func(t *testing.T, dir string) {
			must(t, os.Remove(filepath.Join(dir, "public-1.pem")))
			must(t, os.Remove(filepath.Join(dir, "public-2.pem")))
		}, ErrNoKeys, "keys"},
		{"private key missing after use", func(t *testing.T, dir string) { must(t, os.Remove(filepath.Join(dir, "private-2.pem"))) },
			ErrKeyMissing, "private-2.pem"},
		{"corrupt PEM", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "private-2.pem")
			b := mustRead(t, p)
			i := strings.Index(string(b), "-----BEGIN")
			b[i+100] ^= 0x20
			b[i+101] = '!'
			must(t, os.WriteFile(p, b, 0o600))
		}, ErrKeyCorrupt, "private-2.pem"},
		{"garbage", func(t *testing.T, dir string) {
			must(t, os.WriteFile(filepath.Join(dir, "private-2.pem"), []byte("\x00\x01garbage"), 0o600))
		}, ErrKeyCorrupt, "private-2.pem"},
		{"truncated private key", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "private-2.pem")
			b := mustRead(t, p)
			must(t, os.WriteFile(p, b[:len(b)*2/3], 0o600))
		}, ErrKeyCorrupt, "private-2.pem"},
		{"empty private key", func(t *testing.T, dir string) { must(t, os.Truncate(filepath.Join(dir, "private-2.pem"), 0)) },
			ErrKeyCorrupt, "private-2.pem"},
		{"truncated public key", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "public-1.pem")
			b := mustRead(t, p)
			must(t, os.WriteFile(p, b[:len(b)/2], 0o600))
		}, ErrKeyCorrupt, "public-1.pem"},
		{"public key of another version", func(t *testing.T, dir string) {
			must(t, os.Rename(filepath.Join(dir, "public-2.pem"), filepath.Join(dir, "public-3.pem")))
		}, ErrKeyCorrupt, "version 2 is missing"},
		{"a version's public key gone", func(t *testing.T, dir string) { must(t, os.Remove(filepath.Join(dir, "public-1.pem"))) },
			ErrKeyCorrupt, "version 1 is missing"},
		{"public file of the wrong version", func(t *testing.T, dir string) {
			b := mustRead(t, filepath.Join(dir, "public-1.pem"))
			must(t, os.WriteFile(filepath.Join(dir, "public-2.pem"), b, 0o600))
		}, ErrKeyCorrupt, "public-2.pem"},
		{"private key of another kiosk", func(t *testing.T, dir string) {
			must(t, os.WriteFile(filepath.Join(dir, "private-2.pem"), encodePrivateKey(mustNewSigner(t, 2)), 0o600))
		}, ErrKeyCorrupt, "not the private key of public key version 2"},
		{"private key of the old version", func(t *testing.T, dir string) {
			must(t, os.WriteFile(filepath.Join(dir, "private-2.pem"), encodePrivateKey(mustNewSigner(t, 1)), 0o600))
		}, ErrKeyCorrupt, "private-2.pem"},
		{"private key readable by all", func(t *testing.T, dir string) { must(t, os.Chmod(filepath.Join(dir, "private-2.pem"), 0o644)) },
			ErrKeyPermissions, "private-2.pem"},
		{"private key readable by the group", func(t *testing.T, dir string) {
			must(t, os.Chmod(filepath.Join(dir, "private-2.pem"), 0o640))
		}, ErrKeyPermissions, "chmod 0600"},
		{"keys dir open to others", func(t *testing.T, dir string) { must(t, os.Chmod(dir, 0o755)) }, ErrKeyPermissions, "chmod 0700"},
		{"private key a symlink", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "private-2.pem")
			must(t, os.Rename(p, filepath.Join(t.TempDir(), "elsewhere.pem")))
			must(t, os.Symlink(filepath.Join(t.TempDir(), "elsewhere.pem"), p))
		}, ErrKeyPermissions, "not a plain file"},
		{"private key a directory", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "private-2.pem")
			must(t, os.Remove(p))
			must(t, os.Mkdir(p, 0o700))
		}, ErrKeyPermissions, "not a plain file"},
		{"keys dir a file", func(t *testing.T, dir string) {
			must(t, os.RemoveAll(dir))
			must(t, os.WriteFile(dir, nil, 0o600))
		}, ErrKeyPermissions, "not a directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := t.TempDir()
			mustCreate(t, data)
			if _, err := Rotate(data, day); err != nil {
				t.Fatal(err)
			}
			tc.spoil(t, filepath.Join(data, KeysDir))
			k, err := Load(data)
			if !errors.Is(err, tc.want) || !errors.Is(err, kiosk.ErrSignerUnavailable) || k != nil {
				t.Fatalf("Load = %v, %v; want %v, also kiosk.ErrSignerUnavailable", k, err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("the error does not say %q: %v", tc.says, err)
			}
			for _, other := range []error{ErrNoKeys, ErrKeyMissing, ErrKeyUnreadable, ErrKeyPermissions, ErrKeyCorrupt} {
				if other != tc.want && errors.Is(err, other) {
					t.Errorf("the error is also %v: %v", other, err)
				}
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestLoadUnreadableDir: a keys dir the kiosk's user may not read. Root
// reads it anyway, so there this runs as the injected case below only.
func TestLoadUnreadableDir(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads any dir; TestLoadUnreadable covers it")
	}
	data := t.TempDir()
	mustCreate(t, data)
	dir := filepath.Join(data, KeysDir)
	must(t, os.Chmod(dir, 0o000))
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	if _, err := Load(data); !errors.Is(err, ErrKeyUnreadable) || !errors.Is(err, kiosk.ErrSignerUnavailable) {
		t.Errorf("Load of an unreadable keys dir: %v; want ErrKeyUnreadable", err)
	}
	must(t, os.Chmod(dir, 0o700))
	must(t, os.Chmod(filepath.Join(dir, "private-1.pem"), 0o000))
	if _, err := Load(data); !errors.Is(err, ErrKeyUnreadable) {
		t.Errorf("Load of an unreadable key: %v; want ErrKeyUnreadable", err)
	}
}

// deniedFS is the OS, but one path cannot be listed or read (its Lstat
// works, as for a file whose dir may be searched but which is 0000).
type deniedFS struct {
	osFS
	path string
}

func (d deniedFS) denied(name, op string) error {
	if name == d.path {
		return &fs.PathError{Op: op, Path: name, Err: syscall.EACCES}
	}
	return nil
}

func (d deniedFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if err := d.denied(name, "open"); err != nil {
		return nil, err
	}
	return d.osFS.ReadDir(name)
}

func (d deniedFS) ReadFile(name string) ([]byte, error) {
	if err := d.denied(name, "open"); err != nil {
		return nil, err
	}
	return d.osFS.ReadFile(name)
}

// TestLoadUnreadable: the permission errors the OS gives a non-root user,
// as ErrKeyUnreadable.
func TestLoadUnreadable(t *testing.T) {
	data := t.TempDir()
	mustCreate(t, data)
	dir := filepath.Join(data, KeysDir)
	for _, path := range []string{dir, filepath.Join(dir, "private-1.pem"), filepath.Join(dir, "public-1.pem")} {
		k, err := load(deniedFS{path: path}, data)
		if !errors.Is(err, ErrKeyUnreadable) || !errors.Is(err, kiosk.ErrSignerUnavailable) || k != nil {
			t.Errorf("%s unreadable: Load = %v, %v; want ErrKeyUnreadable", path, k, err)
		} else if !strings.Contains(err.Error(), "permission denied") || !strings.Contains(err.Error(), path) {
			t.Errorf("the error does not say what and why: %v", err)
		}
	}
	if _, err := load(deniedFS{}, data); err != nil {
		t.Errorf("nothing denied: %v", err)
	}
}
