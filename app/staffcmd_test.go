package app

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"selvkasse/app/staffpin"
	"selvkasse/kiosk"
	"selvkasse/storage"
)

// quickPINs hashes test PINs fast; the CLI itself uses the defaults.
var quickPINs = &staffpin.Hasher{Params: staffpin.Params{Time: 1, MemoryKiB: 64, Threads: 1, KeyLen: 32}}

// mustDemoStaff puts the demo's clerk and supervisor into the data dir.
func mustDemoStaff(tb testing.TB, dir string) {
	tb.Helper()
	db, err := storage.Open(dir, storage.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if err := seedStaffIfEmpty(context.Background(), db, quickPINs, time.Now()); err != nil {
		tb.Fatal(err)
	}
}

// mustOpenData opens the data dir for a look after a command ran.
func mustOpenData(tb testing.TB, dir string) *storage.DB {
	tb.Helper()
	db, err := storage.Open(dir, storage.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// staff runs `selvkasse staff ARGS` with stdin as its standard input.
func staff(stdin string, args ...string) (string, error) {
	var out, errOut strings.Builder
	err := staffCmd(args, strings.NewReader(stdin), &out, &errOut)
	return out.String() + errOut.String(), err
}

func mustStaff(tb testing.TB, stdin string, args ...string) string {
	tb.Helper()
	out, err := staff(stdin, args...)
	if err != nil {
		tb.Fatalf("staff %v: %v\n%s", args, err, out)
	}
	return out
}

func TestStaffCommands(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	out := mustStaff(t, "1234\n", "add", "--data", dir, "--id", "ola", "--name", "Ola Nordmann", "--role", "clerk", "--badge", "ola")
	if !strings.Contains(out, "added ola") {
		t.Errorf("add said %q", out)
	}
	mustStaff(t, "2468\r\n", "add", "--data", dir, "--id", "kari", "--name", "Kari Nordmann", "--role", "Supervisor", "--badge", "kari")

	out = mustStaff(t, "", "list", "--data", dir)
	for _, want := range []string{"kari", "supervisor", "Kari Nordmann", "ola", "clerk", "active"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}

	mustStaff(t, "13579\n", "set-pin", "--data", dir, "--id", "ola")
	mustStaff(t, "", "disable", "--data", dir, "--id", "kari")
	out = mustStaff(t, "", "list", "--data", dir)
	if !strings.Contains(out, "disabled") {
		t.Errorf("list does not show kari disabled:\n%s", out)
	}

	db := mustOpenData(t, dir)
	ola, err := db.Staff(ctx, "ola")
	if err != nil {
		t.Fatal(err)
	}
	h := staffpin.New()
	for pin, want := range map[string]bool{"13579": true, "1234": false} {
		if ok, err := h.Verify(pin, ola.PIN); ok != want || err != nil {
			t.Errorf("Verify(%s) = %v, %v; want %v", pin, ok, err, want)
		}
	}
	if ola.PIN.MemoryKiB != staffpin.Default.MemoryKiB {
		t.Errorf("the CLI hashed with %v, want the defaults", ola.PIN)
	}
	if _, err := db.StaffByBadge(ctx, "kari"); !errors.Is(err, kiosk.ErrNotFound) {
		t.Errorf("the disabled supervisor's badge still logs in: %v", err)
	}

	// The journal has each change, and no secret: not the badge, salt,
	// hash, or PIN.
	var subs []string
	err = db.Scan(ctx, 1, func(r kiosk.Record) error {
		subs = append(subs, r.Subtype+" "+r.Data["staff"])
		// What the record says, not its time or the hash it links to
		// (their digits may spell a PIN by chance).
		e := r.Entry
		e.Time = time.Time{}
		b, _ := json.Marshal(e)
		for _, secret := range []string{"13579", "2468", "argon2id", `"badge"`} {
			if strings.Contains(string(b), secret) {
				t.Errorf("journal record %d holds %q: %s", r.Seq, secret, b)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "[staff-added ola staff-added kari staff-pin-set ola staff-disabled kari]"; strings.Join(subs, " ") != strings.Trim(want, "[]") {
		t.Errorf("journal = %v, want %s", subs, want)
	}
}

// TestStaffListShowsNoSecrets: list prints neither hash nor salt.
func TestStaffListShowsNoSecrets(t *testing.T) {
	dir := t.TempDir()
	mustDemoStaff(t, dir)
	db := mustOpenData(t, dir)
	ss, err := db.ListStaff(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	out := mustStaff(t, "", "list", "--data", dir)
	for _, s := range ss {
		for _, b := range [][]byte{s.PIN.Hash, s.PIN.Salt} {
			js, _ := json.Marshal(b)
			if strings.Contains(out, strings.Trim(string(js), `"`)) || strings.Contains(out, string(b)) {
				t.Errorf("list shows PIN material of %s:\n%s", s.ID, out)
			}
		}
	}
	if strings.Contains(out, "argon2") {
		t.Errorf("list shows hash parameters:\n%s", out)
	}
}

func TestStaffCommandErrors(t *testing.T) {
	dir := t.TempDir()
	mustDemoStaff(t, dir)
	mustStaff(t, "", "disable", "--data", dir, "--id", "ola")
	add := func(id, role, badge string) []string {
		return []string{"add", "--data", dir, "--id", id, "--name", "Per Hansen", "--role", role, "--badge", badge}
	}
	tests := []struct {
		name    string
		stdin   string
		args    []string
		want    error  // matched with errors.Is, when not nil
		usage   bool   // a usageError
		message string // in the error text
	}{
		{"no subcommand", "", nil, nil, true, "usage"},
		{"unknown subcommand", "", []string{"fire", "--data", dir}, nil, true, `unknown subcommand "fire"`},
		{"no id", "", []string{"disable", "--data", dir}, nil, true, "--id is required"},
		{"missing fields", "1234\n", []string{"add", "--data", dir, "--id", "per"}, nil, true, "--role and --badge are required"},
		{"unknown role", "1234\n", add("per", "admin", "per"), kiosk.ErrInvalidStaff, false, "unknown role \"admin\" (want clerk, supervisor or technician)"},
		{"bad id", "1234\n", add("per hansen", "clerk", "per"), kiosk.ErrInvalidStaff, false, "id \"per hansen\""},
		{"badge with prefix", "1234\n", add("per", "clerk", "STAFF-per"), kiosk.ErrInvalidStaff, false, "--badge per for the badge STAFF-per"},
		{"short PIN", "123\n", add("per", "clerk", "per"), kiosk.ErrBadPIN, false, "4 to 8 digits"},
		{"long PIN", "123456789\n", add("per", "clerk", "per"), kiosk.ErrBadPIN, false, "4 to 8 digits"},
		{"letters in PIN", "12ab\n", add("per", "clerk", "per"), kiosk.ErrBadPIN, false, "digits only"},
		{"no PIN", "", add("per", "clerk", "per"), nil, false, "no PIN on standard input"},
		{"duplicate badge", "1234\n", add("per", "clerk", "kari"), kiosk.ErrConflict, false, "the badge kari is Kari Nordmann's (kari)"},
		{"taken id", "1234\n", add("kari", "clerk", "per"), kiosk.ErrConflict, false, "the id kari is taken by Kari Nordmann (supervisor, active)"},
		{"id of a disabled member", "1234\n", add("ola", "clerk", "per"), kiosk.ErrConflict, false, "never reused"},
		{"set-pin of disabled staff", "1234\n", []string{"set-pin", "--data", dir, "--id", "ola"}, kiosk.ErrConflict, false, "ola (Ola Nordmann) is disabled"},
		{"set-pin of nobody", "1234\n", []string{"set-pin", "--data", dir, "--id", "nobody"}, kiosk.ErrNotFound, false, "not found"},
		{"set-pin bad PIN", "12\n", []string{"set-pin", "--data", dir, "--id", "kari"}, kiosk.ErrBadPIN, false, "4 to 8 digits"},
		{"disable twice", "", []string{"disable", "--data", dir, "--id", "ola"}, kiosk.ErrConflict, false, "already disabled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := staff(tt.stdin, tt.args...)
			if err == nil {
				t.Fatal("no error")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			if _, isUsage := err.(usageError); isUsage != tt.usage {
				t.Errorf("usage error = %v, want %v: %v", isUsage, tt.usage, err)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("err = %q, want it to say %q", err, tt.message)
			}
			if strings.Contains(err.Error(), strings.TrimSpace(tt.stdin)) && len(strings.TrimSpace(tt.stdin)) >= 3 {
				t.Errorf("the error shows the PIN: %v", err)
			}
		})
	}
	// Nothing of the above changed the register or the journal.
	db := mustOpenData(t, dir)
	ss, err := db.ListStaff(context.Background())
	if err != nil || len(ss) != 2 {
		t.Errorf("register after refused commands: %d staff, %v", len(ss), err)
	}
	sum, err := kiosk.VerifyJournal(context.Background(), db)
	if err != nil || sum.Records != 3 {
		t.Errorf("journal after refused commands: %d records, %v; want 3 (2 added, 1 disabled)", sum.Records, err)
	}
}

// TestStaffCommandDataInUse: with the kiosk running on the data dir the
// command says to stop it.
func TestStaffCommandDataInUse(t *testing.T) {
	dir := t.TempDir()
	mustOpenData(t, dir)
	_, err := staff("", "list", "--data", dir)
	if !errors.Is(err, storage.ErrInUse) || !strings.Contains(err.Error(), "stop it first") {
		t.Errorf("err = %v", err)
	}
}

func TestSeedStaff(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	mustDemoStaff(t, dir)
	mustDemoStaff(t, dir) // a second seed adds nothing
	db := mustOpenData(t, dir)
	ss, err := db.ListStaff(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != len(DemoStaff()) || !kiosk.HasActive(ss, kiosk.RoleSupervisor) || !kiosk.HasActive(ss, kiosk.RoleClerk) {
		t.Fatalf("seeded %+v", ss)
	}
	for _, m := range DemoStaff() {
		s, err := db.StaffByBadge(ctx, m.Staff.Badge)
		if err != nil {
			t.Fatalf("badge %s: %v", m.Staff.Badge, err)
		}
		if ok, err := quickPINs.Verify(m.PIN, s.PIN); !ok || err != nil {
			t.Errorf("%s: the README's PIN %s does not verify: %v", s.ID, m.PIN, err)
		}
	}
}

// TestRunRefusesWithoutSupervisor: run stops before any device is opened
// while the register has no active supervisor, naming the command to run.
func TestRunRefusesWithoutSupervisor(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
	}{
		{"empty register", func(t *testing.T, dir string) {}},
		{"clerk only", func(t *testing.T, dir string) {
			mustStaff(t, "1234\n", "add", "--data", dir, "--id", "ola", "--name", "Ola", "--role", "clerk", "--badge", "ola")
		}},
		{"supervisor disabled", func(t *testing.T, dir string) {
			mustDemoStaff(t, dir)
			mustStaff(t, "", "disable", "--data", dir, "--id", "kari")
		}},
	}
	mustFakeXDisplay(t) // run asks for a display first
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "my data")
			tt.setup(t, dir)
			cfg := Config{KioskID: "K1", Shop: DemoShop, DataDir: dir}
			cfg.Devices.Scanner.Path, cfg.Devices.Printer.Path = "/nonexistent/scanner", "/nonexistent/printer"
			cfg.Devices.Terminal.Addr = "127.0.0.1:1"
			b, _ := json.Marshal(cfg)
			var out strings.Builder
			err := runCmd([]string{"--config", mustConfigFile(t, string(b))}, &out, &out)
			if !errors.Is(err, ErrNoSupervisor) {
				t.Fatalf("run = %v, want ErrNoSupervisor", err)
			}
			want := "selvkasse staff add --data '" + dir + "' --id ID --name \"FULL NAME\" --role supervisor --badge BADGE"
			if !strings.Contains(err.Error(), want) {
				t.Errorf("run's message does not name the command %s:\n%v", want, err)
			}
		})
	}
}
