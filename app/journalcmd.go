package app

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"time"

	"selvkasse/app/signing"
	"selvkasse/kiosk"
	"selvkasse/storage"
)

// ErrRolledBack: `journal verify` found the store behind its journal
// anchor: records acknowledged as stored are gone.
var ErrRolledBack = errors.New("journal rolled back")

// ErrNoJournal: `journal verify` was pointed at a directory that holds no
// store.
var ErrNoJournal = errors.New("no journal there")

const journalUsage = "journal: usage: selvkasse journal verify --data DIR | selvkasse journal export --data DIR [--from YYYY-MM-DD] [--to YYYY-MM-DD] | selvkasse journal accept-rollback --data DIR --by NAME"

// journalCmd: `selvkasse journal verify --data DIR` and `selvkasse
// journal accept-rollback --data DIR --by NAME`.
func journalCmd(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return usageError(journalUsage)
	}
	switch args[0] {
	case "verify":
		return journalVerify(args[1:], stdout)
	case "export":
		return journalExport(args[1:], stdout)
	case "accept-rollback":
		return journalAcceptRollback(args[1:], stdout)
	}
	return usageError(journalUsage)
}

// openDataErr is why `run` and `demo` do not start on the data dir: for
// a store behind its anchor, with what the technician does next.
func openDataErr(dir string, err error) error {
	if errors.Is(err, storage.ErrRolledBack) {
		return fmt.Errorf("cannot open the data dir %s: %w\nThe kiosk does not sell on a store that lost sales it had recorded. "+
			"A technician checks it with `selvkasse journal verify --data %s` (README: Disk full and lost records)", dir, err, shellQuote(dir))
	}
	return fmt.Errorf("cannot open the data dir %s: %w", dir, err)
}

// journalVerify checks the chain, every cash transaction's figures and
// signature (with the public keys in the data dir), and every stored sale
// against its journal record; a store behind its anchor (lost records
// whose shorter chain still verifies) is opened anyway, the chain checked,
// and the loss reported as an error wrapping ErrRolledBack. A directory
// without a store is ErrNoJournal: nothing is created there.
func journalVerify(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("journal verify", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	data := fs.String("data", DefaultDataDir(), "data directory")
	addr := fs.String("addr", DefaultHealthAddr, "the running kiosk's loopback endpoint, asked when it holds the data dir")
	if err := fs.Parse(args); err != nil {
		return usageError("journal verify: " + err.Error())
	}
	// A mistyped --data must not become a new, empty store that
	// "verifies".
	if _, err := os.Stat(filepath.Join(*data, "MANIFEST")); err != nil {
		return fmt.Errorf("journal verify: %s holds no journal (no Badger MANIFEST): %w", *data, ErrNoJournal)
	}
	ctx := context.Background()
	// Read-only: checking the evidence writes nothing to it.
	db, err := storage.Open(*data, storage.Options{OpenRolledBack: true, ReadOnly: true, ScanWorkers: journalReaders()})
	switch {
	case errors.Is(err, storage.ErrInUse):
		// The kiosk runs on it: it checks its own store, read-only.
		return verifyThroughKiosk(ctx, *addr, *data, stdout)
	case errors.Is(err, storage.ErrNeedsRecovery):
		// Left by a crash: its memtable log must be replayed, which is
		// a write; that is done on a copy, the original stays as it is.
		copyDir, cerr := copyStore(*data)
		if cerr != nil {
			return fmt.Errorf("journal verify: %w; and a copy to recover could not be made: %w", err, cerr)
		}
		defer os.RemoveAll(copyDir)
		fmt.Fprintf(stdout, "(the store was not closed cleanly: checked on a recovered copy, the data dir is left as it is)\n")
		db, err = storage.Open(copyDir, storage.Options{OpenRolledBack: true, ScanWorkers: journalReaders()})
	}
	if err != nil {
		return err
	}
	defer db.Close()
	return verifyStore(ctx, db, *data, stdout)
}

// journalReaders is how many goroutines decode the journal for the
// commands that read it whole with the kiosk stopped
// (storage.Options.ScanWorkers): every core the process may use.
func journalReaders() int { return runtime.GOMAXPROCS(0) }

// copyStore copies the store's own files in dataDir (not its lock, not the
// keys) into a new temporary directory.
func copyStore(dataDir string) (string, error) {
	entries, err := os.ReadDir(dataDir)
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "selvkasse-verify-")
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || e.Name() == "LOCK" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dataDir, e.Name()))
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, e.Name()), b, 0o600)
		}
		if err != nil {
			os.RemoveAll(dir)
			return "", err
		}
	}
	return dir, nil
}

// verifyStore checks db's journal as `journal verify` does and writes what
// it found to w: the chain, every cash transaction's figures and
// signature (with the public keys in dataDir), every stored sale against
// its record, and whether the store is behind its anchor (ErrRolledBack).
// It only reads, so the running kiosk can do it too (/journal/verify).
func verifyStore(ctx context.Context, db *storage.DB, dataDir string, w io.Writer) error {
	o := kiosk.VerifyOptions{Sale: func(k string, no uint64) (kiosk.Sale, error) { return db.Sale(ctx, k, no) }}
	signed, err := db.Signed(ctx)
	if err != nil {
		return err
	}
	if signed {
		// Every signature, with the public keys alone (the private key
		// is not needed to check, and may be the one that is lost).
		keys, err := signing.ReadPublicKeys(dataDir)
		if err != nil {
			return fmt.Errorf("journal verify: the journal holds signed sales, but their public keys cannot be read: %w", err)
		}
		if o.Zone, err = signingZone(); err != nil {
			return err
		}
		o.Signatures = keys
	}
	sum, err := kiosk.VerifyJournalWith(ctx, db, o)
	if err != nil {
		return fmt.Errorf("journal verify: %d records good, then: %w", sum.Records, err)
	}
	if lost := db.RolledBack(); lost != "" {
		return fmt.Errorf("journal verify: %w: the chain of %d records is intact, but %s. The kiosk does not open on this store. "+
			"Restore the data dir from a copy that holds the lost records, or, when there is none, record the loss and go on:\n"+
			"  selvkasse journal accept-rollback --data %s --by NAME",
			ErrRolledBack, sum.Records, lost, shellQuote(dataDir))
	}
	fmt.Fprintf(w, "journal OK: %d records, chain intact, head %s; %d signatures verified\n", sum.Records, sum.Head, sum.Signed)
	codes := make([]kiosk.Code, 0, len(sum.ByCode))
	for c := range sum.ByCode {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool { return codes[i] < codes[j] })
	for _, c := range codes {
		fmt.Fprintf(w, "  %6d  %v\n", sum.ByCode[c], c)
	}
	return nil
}

// verifyResult is /journal/verify's answer.
type verifyResult struct {
	OK      bool   `json:"ok"`
	DataDir string `json:"data_dir"`
	Text    string `json:"text,omitempty"`
	Error   string `json:"error,omitempty"`
}

// verifyThroughKiosk asks the kiosk running on dataDir, at its loopback
// endpoint addr, to verify its journal, and prints its answer.
func verifyThroughKiosk(ctx context.Context, addr, dataDir string, w io.Writer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/journal/verify", nil)
	if err != nil {
		return err
	}
	resp, err := (&http.Client{Timeout: 30 * time.Minute}).Do(req)
	if err != nil {
		return fmt.Errorf("journal verify: %s is in use (the kiosk runs on it?) and its endpoint %s does not answer: %w", dataDir, addr, err)
	}
	defer resp.Body.Close()
	var res verifyResult
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		return fmt.Errorf("journal verify: the kiosk at %s answered %s: %w", addr, resp.Status, err)
	}
	if res.DataDir != dataDir {
		return fmt.Errorf("journal verify: the kiosk at %s runs on %s, not %s", addr, res.DataDir, dataDir)
	}
	fmt.Fprintf(w, "(checked by the running kiosk)\n%s", res.Text)
	if !res.OK {
		return fmt.Errorf("%s", res.Error)
	}
	return nil
}

// journalAcceptRollback journals a technician's acceptance of the records
// a store lost behind its anchor, naming them, and moves the anchor to it:
// the kiosk opens again. The lost sales must be settled from the card
// terminal's end-of-day and the printed receipts.
func journalAcceptRollback(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("journal accept-rollback", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	data := fs.String("data", DefaultDataDir(), "data directory")
	by := fs.String("by", "", "who accepts the loss (name or staff ID)")
	if err := fs.Parse(args); err != nil {
		return usageError("journal accept-rollback: " + err.Error())
	}
	if *by == "" {
		return usageError("journal accept-rollback: --by NAME is required: the journal says who accepted the loss")
	}
	ctx := context.Background()
	db, err := storage.Open(*data, storage.Options{OpenRolledBack: true})
	if err != nil {
		return err
	}
	defer db.Close()
	lost := db.RolledBack()
	if lost == "" {
		return fmt.Errorf("journal accept-rollback: the store in %s is not behind its anchor; nothing to accept", *data)
	}
	if _, err := kiosk.VerifyJournal(ctx, db); err != nil {
		return fmt.Errorf("journal accept-rollback: the journal that is left does not verify either: %w", err)
	}
	r, err := db.AcceptRollback(ctx, kiosk.Entry{Code: kiosk.CodeOther, Subtype: kiosk.SubRollbackAccepted, Time: time.Now(),
		Text: "records lost from the store accepted by " + *by + ": " + lost, Data: map[string]string{"by": *by}})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "journal: loss accepted and journaled as record %d: %s\n", r.Seq, lost)
	return nil
}
