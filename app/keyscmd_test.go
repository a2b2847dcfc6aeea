package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"selvkasse/app/signing"
	"selvkasse/kiosk"
	"selvkasse/storage"
)

// keys runs `selvkasse keys ARGS` as Main does, with its exit code.
func keys(args ...string) (out string, code int) {
	var o, e strings.Builder
	code = Main(append([]string{"keys"}, args...), &o, &e)
	return o.String() + e.String(), code
}

// mustKeyedData is a data dir with a store and signing key version 1, as
// after the kiosk's first start.
func mustKeyedData(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	db, err := storage.Open(dir, storage.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	db.Close()
	if _, err := signing.Create(dir, time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// TestKeysExportRotate: export prints the public keys with their
// versions; rotate makes the next one and journals it; the export then
// verifies the signatures of both versions.
func TestKeysExportRotate(t *testing.T) {
	dir := mustKeyedData(t)
	k1, err := signing.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	sig1, v1, err := k1.Sign("0;2026-12-03;10:00:00;1;29.90;23.92")
	if err != nil {
		t.Fatal(err)
	}

	out, code := keys("export", "--data", dir)
	if code != 0 || !strings.Contains(out, "keyVersion: 1\n") || !strings.Contains(out, "-----BEGIN PUBLIC KEY-----") || strings.Contains(out, "PRIVATE") {
		t.Fatalf("keys export = %d\n%s", code, out)
	}

	out, code = keys("rotate", "--data", dir)
	if code != 0 || !strings.Contains(out, "version 1 replaced by version 2") || !strings.Contains(out, "keys export") {
		t.Fatalf("keys rotate = %d\n%s", code, out)
	}
	db := mustOpenData(t, dir)
	head, err := db.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if head.Code != kiosk.CodeOther || head.Subtype != kiosk.SubSigningKeyRotated || head.Data["keyVersion"] != "2" || head.Data["previousKeyVersion"] != "1" {
		t.Errorf("journal head after rotate: %+v", head)
	}
	if sum, err := kiosk.VerifyJournal(context.Background(), db); err != nil || sum.Records != 1 {
		t.Errorf("journal: %d records, %v", sum.Records, err)
	}
	db.Close()

	file := filepath.Join(t.TempDir(), "keys.pem")
	out, code = keys("export", "--data", dir, "--out", file)
	if code != 0 || !strings.Contains(out, "versions 1 to 2 written to "+file) {
		t.Fatalf("keys export --out = %d\n%s", code, out)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	inspector, err := signing.ParsePublicKeys(b)
	if err != nil {
		t.Fatalf("the export does not read back: %v\n%s", err, b)
	}
	k2, err := signing.Load(dir)
	if err != nil || k2.Version() != 2 {
		t.Fatalf("after rotate: version %v, %v", k2.Version(), err)
	}
	sig2, v2, err := k2.Sign("0;2026-12-03;11:00:00;2;-29.90;-23.92")
	if err != nil {
		t.Fatal(err)
	}
	if err := inspector.Verify("0;2026-12-03;10:00:00;1;29.90;23.92", sig1, v1); err != nil {
		t.Errorf("version 1's signature with the export: %v", err)
	}
	if err := inspector.Verify("0;2026-12-03;11:00:00;2;-29.90;-23.92", sig2, v2); err != nil {
		t.Errorf("version 2's signature with the export: %v", err)
	}
}

// TestKeysRotateKioskRunning: with the kiosk running on the data dir
// rotate says to stop it and makes no key; export still works.
func TestKeysRotateKioskRunning(t *testing.T) {
	dir := mustKeyedData(t)
	mustOpenData(t, dir)
	out, code := keys("rotate", "--data", dir)
	if code != 1 || !strings.Contains(out, "stop it first") {
		t.Errorf("keys rotate while the kiosk runs = %d\n%s", code, out)
	}
	if k, err := signing.Load(dir); err != nil || k.Version() != 1 {
		t.Errorf("after a refused rotate: version %v, %v; want 1", k.Version(), err)
	}
	if out, code := keys("export", "--data", dir); code != 0 {
		t.Errorf("keys export while the kiosk runs = %d\n%s", code, out)
	}
}

// TestKeysRotateLostKey: a lost private key is what rotate repairs; the
// journal says the old one could not be used.
func TestKeysRotateLostKey(t *testing.T) {
	dir := mustKeyedData(t)
	if err := os.Remove(filepath.Join(dir, signing.KeysDir, "private-1.pem")); err != nil {
		t.Fatal(err)
	}
	out, code := keys("rotate", "--data", dir)
	if code != 0 || !strings.Contains(out, "could not be used") || !strings.Contains(out, "version 2 made") {
		t.Fatalf("keys rotate after the key was lost = %d\n%s", code, out)
	}
	head, err := mustOpenData(t, dir).Head(context.Background())
	if err != nil || !strings.Contains(head.Text, "signing key missing") {
		t.Errorf("journal head %q, %v; want it to say the key was missing", head.Text, err)
	}
}

// TestKeysCommandErrors: nothing is made on a mistyped --data, and bad
// usage is exit code 2.
func TestKeysCommandErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-dir")
	empty := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		says string
	}{
		{nil, 2, "keys: usage"},
		{[]string{"show"}, 2, `unknown subcommand "show"`},
		{[]string{"export", "--data", empty, "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"rotate", "--out", "x"}, 2, "flag provided but not defined"},
		{[]string{"export", "--data", missing}, 1, "no signing keys"},
		{[]string{"export", "--data", empty}, 1, "the kiosk's data dir?"},
		{[]string{"rotate", "--data", missing}, 1, "no data dir"},
		{[]string{"rotate", "--data", empty}, 1, "nothing to rotate"},
	} {
		out, code := keys(tc.args...)
		if code != tc.code || !strings.Contains(out, tc.says) {
			t.Errorf("keys %q = %d\n%s\nwant %d saying %q", tc.args, code, out, tc.code, tc.says)
		}
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a mistyped --data was made: %v", err)
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("an empty data dir got %d files", len(entries))
	}

	dir := mustKeyedData(t)
	if err := os.WriteFile(filepath.Join(dir, signing.KeysDir, "public-1.pem"), []byte("damaged"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{"export", "rotate"} {
		if out, code := keys(sub, "--data", dir); code != 1 || !strings.Contains(out, "signing key corrupt") {
			t.Errorf("keys %s with a damaged public key = %d\n%s", sub, code, out)
		}
	}
}
