package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/storage"
)

// rolledBackStore makes the reported case in a new dir: 20 journaled
// events, a kill -9 (the files copied while the store is open) and 16
// flipped bytes in the middle of the memtable log, inside a record, with
// the commit log no longer holding the records Badger then drops.
func rolledBackStore(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := storage.Open(dir, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := 0; i < 20; i++ {
		e := kiosk.Entry{Code: kiosk.CodeSalesReceipt, Time: time.Date(2026, 12, 3, 9, 0, i, 0, time.UTC), Kiosk: "K1",
			SaleID: "s" + string(rune('a'+i)), Amount: 2990, Text: strings.Repeat("line ", 40)}
		if _, err := db.Append(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	image := t.TempDir()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var mem string
	for _, e := range entries {
		if e.Name() == "LOCK" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if errors.Is(err, fs.ErrNotExist) {
			continue // renamed meanwhile (the list of verified tables' temporary file)
		}
		if err != nil {
			t.Fatal(err)
		}
		if e.Name() == storage.CommitLogFile {
			// The commit log would give the lost records back
			// (storage.TestCommitLogRestoresWhatBadgerLost); here it
			// no longer holds them, as after more commits than it
			// has slots.
			b = make([]byte, len(b))
		}
		if strings.HasSuffix(e.Name(), ".mem") {
			mem = e.Name()
			// In the middle of the log, inside a record's text: what
			// Badger replays only up to, without an error. (Flipped
			// bytes in an entry's header it reports as corrupt.)
			end := len(bytes.TrimRight(b, "\x00"))
			at := bytes.Index(b[end/2:], []byte("line line line")) + end/2
			if at < end/2 {
				t.Fatal("no record text in the middle of the memtable log")
			}
			for i := at; i < at+16; i++ {
				b[i] ^= 0xA5
			}
		}
		if err := os.WriteFile(filepath.Join(image, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if mem == "" {
		t.Fatal("no memtable log in the crash image")
	}
	return image
}

// TestJournalVerifyReportsRollback: `journal verify` on the reported case
// says the records are gone (today it said "chain intact"), `demo` does
// not start on it, and `journal accept-rollback` is the documented way
// back, journaled.
func TestJournalVerifyReportsRollback(t *testing.T) {
	image := rolledBackStore(t)
	var out, errOut bytes.Buffer
	if code := Main([]string{"journal", "verify", "--data", image}, &out, &errOut); code != 1 {
		t.Fatalf("journal verify = %d, stdout %q, stderr %q; want 1", code, out.String(), errOut.String())
	}
	for _, want := range []string{"rolled back", "records are gone", "accept-rollback"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("journal verify says %q; want %q in it", errOut.String(), want)
		}
	}
	out.Reset()
	errOut.Reset()
	// `run` and `demo` show it out of order instead of selling
	// (TestDemoUnderXvfb starts the demo on it).
	_, err := storage.Open(image, storage.Options{})
	if !refusedStore(err) {
		t.Fatalf("Open of a rolled-back store = %v; want one the kiosk refuses", err)
	}
	if h := refusedHealth(err, time.Now()); h.Status != "out-of-order" || !strings.Contains(h.Fault, "rolled back") {
		t.Errorf("/healthz of the refused store = %+v; want out-of-order with the reason", h)
	}
	if msg := openDataErr(image, err).Error(); !strings.Contains(msg, "journal verify --data") {
		t.Errorf("the refusal says %q; want the command to check it", msg)
	}
	if code := Main([]string{"journal", "accept-rollback", "--data", image}, &out, &errOut); code != 2 {
		t.Errorf("accept-rollback without --by = %d; want 2", code)
	}
	out.Reset()
	errOut.Reset()
	if code := Main([]string{"journal", "accept-rollback", "--data", image, "--by", "tech-eva"}, &out, &errOut); code != 0 {
		t.Fatalf("accept-rollback = %d, stderr %q", code, errOut.String())
	}
	out.Reset()
	errOut.Reset()
	if code := Main([]string{"journal", "verify", "--data", image}, &out, &errOut); code != 0 || !strings.Contains(out.String(), "chain intact") {
		t.Fatalf("journal verify after accepting = %d, %q %q", code, out.String(), errOut.String())
	}
	db, err := storage.Open(image, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	head, err := db.Head(context.Background())
	if err != nil || head.Subtype != kiosk.SubRollbackAccepted || head.Data["by"] != "tech-eva" {
		t.Errorf("journal head = %+v, %v; want the acceptance by tech-eva", head, err)
	}
}

// TestJournalVerifySigned: the kiosk's first start makes its signing key
// and journals it; sales are signed with it; `journal verify` checks every
// signature with the public keys alone, and says so; without the public
// key it refuses rather than pass the journal unchecked.
func TestJournalVerifySigned(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := storage.Open(dir, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	if err := attachSigner(ctx, db, dir, "K1", now); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		s := kiosk.Sale{ID: "s" + string(rune('a'+i)), Kiosk: "K1", Started: now, Completed: now.Add(time.Minute),
			Lines: []kiosk.Line{{Product: kiosk.Product{GTIN: kiosk.MustGTIN("7039990000113"), Name: "Cola", VAT: kiosk.VAT15, Price: 2990}, Qty: 2}},
			Total: 5980, VAT: kiosk.VATBreakdown(map[kiosk.VATRate]kiosk.Money{kiosk.VAT15: 5980}),
			Payment: kiosk.PaymentResult{Approved: true, Amount: 5980, CardType: "Visa"}}
		if _, err := db.CompleteSale(ctx, s, kiosk.Entry{Time: s.Completed, Kiosk: "K1", SaleID: s.ID, Amount: s.Total}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := Main([]string{"journal", "verify", "--data", dir}, &out, &errOut); code != 0 ||
		!strings.Contains(out.String(), "3 signatures verified") || !strings.Contains(out.String(), "11001 Cash sale") {
		t.Fatalf("journal verify = %d, %q %q; want 3 signatures verified", code, out.String(), errOut.String())
	}
	// A second start loads the key; it does not make one.
	db, err = storage.Open(dir, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := attachSigner(ctx, db, dir, "K1", now); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// The keys gone after sales were signed: the kiosk refuses to sell,
	// and verify refuses to call the journal checked.
	if err := os.RemoveAll(filepath.Join(dir, "keys")); err != nil {
		t.Fatal(err)
	}
	db, err = storage.Open(dir, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = attachSigner(ctx, db, dir, "K1", now)
	db.Close()
	if !errors.Is(err, kiosk.ErrSignerUnavailable) || !refusedStore(err) {
		t.Fatalf("start without the key after signed sales = %v; want ErrSignerUnavailable, shown out of order", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "keys")); err == nil {
		t.Error("a new key was made in place of the lost one")
	}
	out.Reset()
	errOut.Reset()
	if code := Main([]string{"journal", "verify", "--data", dir}, &out, &errOut); code == 0 || !strings.Contains(errOut.String(), "public keys cannot be read") {
		t.Fatalf("journal verify without the public keys = %d, %q %q; want a refusal", code, out.String(), errOut.String())
	}
}

// TestJournalVerifyNoStore: a mistyped --data is no journal; nothing is
// created there (it said "OK: 0 records" of a new, empty store).
func TestJournalVerifyNoStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "typo")
	var out, errOut bytes.Buffer
	if code := Main([]string{"journal", "verify", "--data", dir}, &out, &errOut); code == 0 || !strings.Contains(errOut.String(), "holds no journal") {
		t.Fatalf("journal verify of %s = %d, %q %q; want a refusal", dir, code, out.String(), errOut.String())
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("journal verify created %s", dir)
	}
}

// TestJournalExport: the journal printed readably (§ 2-7): each record with
// its number, Norwegian time, code and fields, a sale with its lines and
// signature; a day's range keeps only that day; bad input is refused.
func TestJournalExport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := storage.Open(dir, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fakeSign(db)
	day1 := time.Date(2026, 12, 2, 22, 30, 0, 0, time.UTC) // 23:30 in Oslo
	day2 := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	if _, err := db.Append(ctx, kiosk.Entry{Code: kiosk.CodePOSStart, Time: day1, Kiosk: "K1", Text: "Selvkasse started"}); err != nil {
		t.Fatal(err)
	}
	s := kiosk.Sale{ID: "s1", Kiosk: "K1", Started: day2, Completed: day2,
		Lines: []kiosk.Line{{Product: kiosk.Product{GTIN: kiosk.MustGTIN("7039990000113"), Name: "Cola 0,5 l", VAT: kiosk.VAT15, Price: 3290}, Qty: 2}},
		Total: 6580, VAT: kiosk.VATBreakdown(map[kiosk.VATRate]kiosk.Money{kiosk.VAT15: 6580}),
		Payment: kiosk.PaymentResult{Approved: true, Amount: 6580, CardType: "Visa", Trace: "000042"}}
	if _, err := db.CompleteSale(ctx, s, kiosk.Entry{Time: day2, Kiosk: "K1", SaleID: "s1", Amount: 6580}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	run := func(args ...string) (string, int) {
		var out, errOut bytes.Buffer
		code := Main(append([]string{"journal", "export", "--data", dir}, args...), &out, &errOut)
		return out.String() + errOut.String(), code
	}
	all, code := run()
	for _, want := range []string{"#1  2026-12-02 23:30:00  13001 POS application start", "#2  2026-12-03 09:00:00  11001 Cash sale",
		"receipt    1", "line       2 x 7039990000113 Cola 0,5 l = kr 65,80", "signature  ", "(key version 1)", "-- 2 records"} {
		if code != 0 || !strings.Contains(all, want) {
			t.Errorf("journal export = %d; want %q in:\n%s", code, want, all)
		}
	}
	if day, code := run("--from", "2026-12-03", "--to", "2026-12-03"); code != 0 || strings.Contains(day, "#1 ") || !strings.Contains(day, "-- 1 records") {
		t.Errorf("journal export of 3 December = %d:\n%s", code, day)
	}
	if _, code := run("--from", "2026-12-04", "--to", "2026-12-03"); code != 2 {
		t.Errorf("--from after --to = %d; want 2", code)
	}
	var out, errOut bytes.Buffer
	if code := Main([]string{"journal", "export", "--data", filepath.Join(t.TempDir(), "typo")}, &out, &errOut); code == 0 || !strings.Contains(errOut.String(), "holds no journal") {
		t.Errorf("journal export of no store = %d, %q", code, errOut.String())
	}
}

// dirState is every file under dir with its size, time and content hash.
func dirState(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		out[path] = fmt.Sprintf("%d %v %x", fi.Size(), fi.ModTime().UnixNano(), sha256.Sum256(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestJournalVerifyWritesNothing: verify opens the store read-only, so the
// evidence is not touched: a cleanly closed store and one left by a crash
// (checked on a recovered copy) are byte for byte, and time for time, as
// they were.
func TestJournalVerifyWritesNothing(t *testing.T) {
	ctx := context.Background()
	clean := t.TempDir()
	db, err := storage.Open(clean, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := attachSigner(ctx, db, clean, "K1", time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Append(ctx, kiosk.Entry{Code: kiosk.CodePOSStart, Time: time.Now(), Kiosk: "K1"}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, c := range []struct {
		name, dir string
		code      int
		says      string
	}{
		{"closed cleanly", clean, 0, "journal OK"},
		{"left by a crash", rolledBackStore(t), 1, "recovered copy"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := dirState(t, c.dir)
			var out, errOut bytes.Buffer
			code := Main([]string{"journal", "verify", "--data", c.dir}, &out, &errOut)
			if code != c.code || !strings.Contains(out.String()+errOut.String(), c.says) {
				t.Fatalf("journal verify = %d, %q %q; want %d saying %q", code, out.String(), errOut.String(), c.code, c.says)
			}
			after := dirState(t, c.dir)
			if fmt.Sprint(before) != fmt.Sprint(after) {
				t.Errorf("journal verify changed the data dir:\nbefore %v\nafter  %v", before, after)
			}
		})
	}
}
