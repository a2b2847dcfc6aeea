package storage

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"

	"selvkasse/kiosk"
)

// Errors Open returns (wrapped, with the reason); callers branch on them.
var (
	// ErrCorrupt: the data dir holds damaged or missing files. Staff must
	// restore it from a backup; the kiosk must not sell without its journal.
	ErrCorrupt = errors.New("storage: data corrupt")
	// ErrUnavailable: the data dir cannot be used (not a directory, no
	// permission, disk full, written by a newer program). The data itself
	// may be fine.
	ErrUnavailable = errors.New("storage: data dir unavailable")
	// ErrInUse: another process (or another DB in this one) has the data
	// dir open. An ErrInUse error is also an ErrUnavailable one.
	ErrInUse = errors.New("storage: data dir in use")
	// ErrClosed: the DB was closed.
	ErrClosed = errors.New("storage: closed")
)

// Options tunes Open. The zero value is the production setting.
type Options struct {
	// Logger receives Badger's own messages, at their level, with
	// component=badger. Nil discards them.
	Logger *slog.Logger
	// OpenRolledBack opens a store that is behind its journal anchor
	// (ErrRolledBack) instead of refusing it, for `journal verify` to
	// report on and AcceptRollback to settle; RolledBack says how far
	// behind. Never for selling.
	OpenRolledBack bool
	// ReadOnly opens the store without writing anything to the data dir:
	// for checking evidence (`journal verify`, exports). Badger shares the
	// directory lock, so it fails while a kiosk holds the store
	// (ErrInUse), and it cannot replay a memtable log left by a crash
	// (ErrNeedsRecovery): open a copy for writing then. The anchor is
	// compared, never written; a store behind it is refused unless
	// OpenRolledBack; every write returns an error.
	ReadOnly bool
	// Clock tells the time of price changes and which scheduled price is
	// in force (prices.go). Nil: the system clock.
	Clock kiosk.Clock
	// ScanWorkers, above 1, has Scan read the journal ahead of its caller
	// and decode it on that many goroutines: for the commands that read
	// the whole journal with the kiosk stopped (journal verify and
	// export, the SAF-T and age check exports), on every core. The kiosk
	// leaves it 0: its checkout keeps the other cores.
	ScanWorkers int

	// scrubHold, in tests, holds the background scrub (scrub.go) until
	// it is closed.
	scrubHold <-chan struct{}
	// shortTop, in tests of the short check, gives remembered tables on
	// levels 0 and 1 the short check too (a small store has no others).
	shortTop bool
}

// ErrNeedsRecovery: a store opened ReadOnly that was not closed cleanly:
// its memtable log must be replayed and truncated, which is a write. Open
// a copy without ReadOnly. An ErrNeedsRecovery error is also an
// ErrUnavailable one.
var ErrNeedsRecovery = errors.New("storage: the store needs recovery (it was not closed cleanly)")

// DB is the kiosk's store. It is safe for concurrent use.
type DB struct {
	mu     sync.RWMutex // held for reading by every call, for writing by Close
	bdb    *badger.DB
	dir    string
	closed bool
	log    *slog.Logger // nil: discard

	// commitMu serializes write transactions, so that the journal
	// anchor's writes follow the order of the commits (anchor.go).
	commitMu   sync.Mutex
	anchor     *anchorFile
	rolledBack string
	clog       *commitLog // nil: read-only (commitlog.go)
	logGap     string     // the commits the log had and the store lacked (Options.OpenRolledBack)
	// failed: a commit acknowledged through the log that Badger did not
	// take (failCommit); every call fails with it until the next Open.
	failed atomic.Pointer[error]
	cat    catIndex    // the catalog in memory (catalog.go)
	pages  pageRelease // releases of table pages (pages.go)
	// check is what Open's table check found; its verified tables are
	// remembered soon after Open and at Close (verified.go).
	check dirFiles
	// vmu orders the writes of the verified list; vdone is closed when
	// the one soon after Open has ended (nil: read-only).
	vmu   sync.Mutex
	vdone chan struct{}
	scrub scrub // the tables Open checked short, read in full (scrub.go)

	readOnly    bool // Options.ReadOnly
	scanWorkers int  // Options.ScanWorkers

	// The signing of cash transactions (sign.go): nil until SetSigner,
	// and CompleteSale refuses.
	signMu sync.RWMutex
	signer kiosk.Signer
	zone   *time.Location
	// The pending sales read at Open, and the writes that may change
	// them (sales.go, readPendingEarly).
	pendEarly atomic.Pointer[earlyPending]
	pendBusy  atomic.Int64
	pendGen   atomic.Uint64
	prices    priceState // the price clock and scheduled prices (prices.go)
}

// badgerOptions is Badger set up for a kiosk: a small single-board
// computer with little memory (a Raspberry Pi class board with 1–2 GB) and
// an SD card or small SSD, storing small values (products, sales, journal
// records of a few hundred bytes to a few KiB) where every write must
// survive a power cut.
//
// The memory budget this gives, whatever the history's size: one or two
// 4 MiB memtables (Badger's skiplist arenas, about 5 MiB each on the Go
// heap: the second while the first is flushed), their write-ahead logs
// (memory-mapped files; only the pages written are resident), table
// builders while Badger flushes or compacts (2 MiB each, see
// TableSizeMultiplier; 10–20 MiB while the store is written) and the
// block cache's bookkeeping: about 20–30 MiB of Badger's own, plus the
// in-memory catalog (catalog.go). Table files are memory-mapped: the
// pages Badger reads of them are released when no longer needed
// (pages.go). The appliance caps the Go heap with GOMEMLIMIT in its
// systemd unit (README, Memory).
func badgerOptions(dir string, logger *slog.Logger) badger.Options {
	o := badger.DefaultOptions(dir)
	// Durability: every commit waits for the sync of Badger's memtable
	// log. DB.update's commits are durable before that, in the commit log
	// (commitlog.go), so a sale is on disk when CompleteSale returns
	// (kassasystemforskrifta § 2-7 (1): the journal must not lose
	// events); Badger's sync, in the background, is what lets the log's
	// slots be written over.
	o.SyncWrites = true
	// Memtables: 4 MiB instead of 64, and two instead of five. A kiosk
	// writes a few KiB per sale; small memtables bound memory (each is
	// also a memory-mapped WAL file of twice its size) and make flushes
	// short.
	o.MemTableSize = 4 << 20
	o.NumMemtables = 2
	// Level 0 flushes into level 1 after two tables and stalls writes at
	// six: with small memtables L0 stays small and reads stay cheap.
	o.NumLevelZeroTables = 2
	o.NumLevelZeroTablesStall = 6
	// Smaller tables and levels (defaults 2 MiB and 10 MiB): compactions
	// rewrite less at a time.
	o.BaseTableSize = 1 << 20
	o.BaseLevelSize = 4 << 20
	// Tables of 1 MiB on every level (by default each level below the
	// base doubles them: 4 MiB two levels down). Badger builds a table in
	// memory, in a buffer of twice the table's size, runs up to five
	// builders at once in a compaction, and keeps up to eight buffers in
	// a pool afterwards: with 4 MiB tables a compaction into the last
	// level held 40–60 MiB of Go heap, under a 120 MiB GOMEMLIMIT. At
	// 1 MiB a compaction holds at most about 10 MiB, the pool 16 MiB. The
	// price is more table files (about 3 300 for 1 000 000 sales), each
	// opened and checked at start (about 30 µs each here), so start-up
	// grows with the history. Measured the other way round (2026-12-04,
	// 1 000 000 seeded sales): with tables doubling per level (8 MiB on
	// the last level, 750 tables) the cold start was flat (460 ms, 448
	// with 100 000 sales; 484 and 392 with these options), but 20 000
	// sales committed back to back under the 120 MiB GOMEMLIMIT took 28 s
	// instead of 17 (commit p50 810 µs against 525): the bigger builders
	// took the Go heap to 168–212 MiB (109–119 with these options), past
	// the limit, and the collector ran without pause (without a limit the
	// sales ran as fast as here, and the heap peaked at 322 MiB, against
	// 228 with these options).
	o.TableSizeMultiplier = 1
	// Block cache: 8 MiB (default 256 MiB). Tables are neither compressed
	// nor encrypted, so a cached block is a slice of the table's mapping,
	// not a copy: the cache costs its bookkeeping (under 1 MiB of heap) and
	// spares re-reading a hot block and checking its checksum again.
	o.BlockCacheSize = 8 << 20
	// No index cache (the default): Badger reads the index and bloom
	// filter of an unencrypted table from its mapping whatever this is
	// (table.fetchIndex uses the cache for encrypted tables only); the
	// pages Open read of them are released (pages.go).
	o.IndexCacheSize = 0
	// Two compactors is Badger's minimum when compaction runs at all (the
	// default is four); the device has few cores and the checkout must
	// keep its share.
	o.NumCompactors = 2
	// Stream goroutines (backups): two, not eight.
	o.NumGoroutines = 2
	// Keep every value inside the LSM tree: our values are far below 256
	// KiB, so the value log stays empty and never needs garbage
	// collection. The limit must stay below 15 % of MemTableSize, which is
	// Badger's largest batch.
	o.ValueThreshold = 256 << 10
	// Value log files of 16 MiB (default 1 GiB); they are created sparse
	// and memory-mapped, so a small size keeps the address space small.
	o.ValueLogFileSize = 16 << 20
	// No compression: values are small JSON, the CPU is small, and the
	// table check in Open reads tables without a decompressor.
	o.Compression = options.None
	// Verify each table block's checksum when it is read, and value
	// checksums too: a flipped bit on the SD card becomes an error, not a
	// wrong price or a wrong journal record.
	o.ChecksumVerificationMode = options.OnBlockRead
	o.VerifyValueChecksum = true
	// One version per key: history lives in the journal, not in Badger.
	o.NumVersionsToKeep = 1
	// No expvar metrics: nothing reads them on a kiosk.
	o.MetricsEnabled = false
	// Conflict detection stays on (the default): concurrent writers retry.
	o.DetectConflicts = true
	// Badger's default logger writes to stderr; send it to the caller's
	// logger or nowhere.
	o.Logger = nil
	if logger != nil {
		o.Logger = badgerLogger{logger}
	}
	return o
}

// Open opens or creates the store in dir. Errors wrap ErrUnavailable,
// ErrInUse (with ErrUnavailable) or ErrCorrupt.
func Open(dir string, opts Options) (_ *DB, err error) {
	fail := func(sentinel error, format string, args ...any) error {
		return fmt.Errorf("storage: open %s: %w: %s", dir, sentinel, fmt.Sprintf(format, args...))
	}
	if dir == "" {
		return nil, fmt.Errorf("storage: open: %w: no data dir given", ErrUnavailable)
	}
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist) && opts.ReadOnly:
		return nil, fail(ErrUnavailable, "no such directory")
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fail(ErrUnavailable, "%v", err)
		}
	case err != nil:
		return nil, fail(ErrUnavailable, "%v", err)
	case !fi.IsDir():
		return nil, fail(ErrUnavailable, "not a directory")
	}
	if err := checkAccess(dir); err != nil && !opts.ReadOnly {
		return nil, fail(ErrUnavailable, "%v", err)
	}
	if held, err := lockHeld(dir); err != nil {
		return nil, fail(ErrUnavailable, "%v", err)
	} else if held {
		return nil, fail(errInUse, "another process has it open")
	}
	found, err := checkFiles(dir, opts.shortTop)
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", dir, err)
	}
	bo := badgerOptions(dir, opts.Logger)
	bo.ReadOnly = opts.ReadOnly
	bdb, err := openBadger(bo)
	// (Badger flattens the errors it wraps into text.)
	if err != nil && opts.ReadOnly && strings.Contains(err.Error(), badger.ErrTruncateNeeded.Error()) {
		return nil, fmt.Errorf("storage: open %s: %w (%w): %v", dir, ErrNeedsRecovery, ErrUnavailable, err)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", dir, classify(dir, err))
	}
	d := &DB{bdb: bdb, dir: dir, log: opts.Logger, check: found, readOnly: opts.ReadOnly, scanWorkers: opts.ScanWorkers}
	// Before anything scans: the scans check the tables they read first.
	d.startScrub(found, opts.scrubHold)
	// Before anything reads: what was acknowledged and Badger lacks.
	if err := d.openCommitLog(opts.OpenRolledBack); err != nil {
		d.stopScrub()
		_ = bdb.Close()
		return nil, fmt.Errorf("storage: open %s: %w", dir, err)
	}
	if err := d.checkSchema(found); err != nil {
		d.closeCommitLog()
		d.stopScrub()
		_ = bdb.Close()
		return nil, fmt.Errorf("storage: open %s: %w", dir, err)
	}
	if err := d.openAnchor(opts.OpenRolledBack); err != nil {
		d.closeCommitLog()
		d.stopScrub()
		_ = bdb.Close()
		return nil, fmt.Errorf("storage: open %s: %w", dir, err)
	}
	if err := d.openPrices(opts.Clock); err != nil {
		d.closeAnchor()
		d.closeCommitLog()
		d.stopScrub()
		_ = bdb.Close()
		return nil, fmt.Errorf("storage: open %s: %w", dir, err)
	}
	if err := d.migrateMovements(); err != nil {
		d.closeAnchor()
		d.closeCommitLog()
		d.stopScrub()
		_ = bdb.Close()
		return nil, fmt.Errorf("storage: open %s: %w", dir, err)
	}
	// The catalog index, once. A product that does not decode is not
	// Open's to refuse: the catalog calls report it, as before. The
	// pending sales, which the checkout asks for next, are read
	// meanwhile.
	d.readPendingEarly()
	_ = d.loadCatalogEarly(context.Background())
	d.scrub.kick()
	// Badger has read every table's index, and the catalog its tables:
	// pages the kiosk does not need resident (pages.go).
	d.initPageRelease()
	d.releaseSoon()
	if !opts.ReadOnly {
		d.vdone = make(chan struct{})
		go d.rememberAtOpen()
	}
	return d, nil
}

// Checked says how many tables the store had at Open and how many of them
// Open read in full (check.go): the others it had checked before
// (verified.go) and gave the short check.
func (d *DB) Checked() (tables, readInFull int) { return len(d.check.verified), d.check.read }

// rememberAtOpen writes the list of the tables Open checked (verified.go)
// right after Open, so that a power cut or a kill from then on costs the
// next Open a full read of only the tables written since.
func (d *DB) rememberAtOpen() {
	defer close(d.vdone)
	d.vmu.Lock()
	defer d.vmu.Unlock()
	if err := rememberVerified(d.dir, d.verifiedNow()); err != nil && d.log != nil {
		d.log.Warn("the tables checked at open are not remembered: a crash would mean reading them in full again", "err", err)
	}
}

// errInUse matches both ErrInUse and ErrUnavailable.
var errInUse = fmt.Errorf("%w (%w)", ErrInUse, ErrUnavailable)

// openBadger is badger.Open, with a panic on damaged files turned into an
// error. (Badger's panics in its own goroutines cannot be caught here;
// checkFiles runs first so that they do not happen.)
func openBadger(o badger.Options) (db *badger.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, fmt.Errorf("%w: badger panicked: %v", ErrCorrupt, firstLine(r))
		}
	}()
	return badger.Open(o)
}

// classify turns an error from badger.Open into ours. Badger flattens the
// errors it wraps into text, so after the checks Open makes first, what is
// left is told apart by the operating system's messages.
func classify(dir string, err error) error {
	if errors.Is(err, ErrCorrupt) {
		return err
	}
	if held, _ := lockHeld(dir); held {
		return fmt.Errorf("%w: %v", errInUse, err)
	}
	msg := err.Error()
	for _, e := range []syscall.Errno{syscall.EACCES, syscall.EPERM, syscall.ENOSPC, syscall.EROFS,
		syscall.EDQUOT, syscall.EMFILE, syscall.ENFILE, syscall.ENOMEM, syscall.ENOTDIR} {
		if strings.Contains(msg, e.Error()) {
			return fmt.Errorf("%w: %v", ErrUnavailable, err)
		}
	}
	return fmt.Errorf("%w: %v", ErrCorrupt, err)
}

// checkSchema writes the schema version into a new store and checks it in
// an old one. A store that has data, or had tables on disk, but no version
// has lost data: Badger drops (and deletes) tables that its MANIFEST no
// longer lists. An empty store without tables is new, or was opened once
// and cut off before the version was written.
func (d *DB) checkSchema(found dirFiles) error {
	var (
		has     bool
		ver     int
		hasData bool
	)
	err := d.bdb.View(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(keySchema))
		switch {
		case errors.Is(err, badger.ErrKeyNotFound):
			if err := d.verifyKeys(nil, nil); err != nil {
				return err
			}
			it := txn.NewIterator(badger.IteratorOptions{})
			defer it.Close()
			it.Rewind()
			hasData = it.Valid()
			return nil
		case err != nil:
			return err
		}
		has = true
		return item.Value(func(v []byte) error {
			ver, err = decodeSchema(v)
			return err
		})
	})
	switch {
	case err != nil && errors.Is(err, ErrCorrupt):
		return err
	case err != nil:
		return fmt.Errorf("%w: read schema version: %v", ErrCorrupt, err)
	case has && ver > schemaVersion:
		return fmt.Errorf("%w: written with schema version %d; this program knows %d and older", ErrUnavailable, ver, schemaVersion)
	case has && ver < schemaVersion:
		return fmt.Errorf("%w: schema version %d needs a migration to %d", ErrUnavailable, ver, schemaVersion)
	case has:
		return nil
	case hasData:
		return fmt.Errorf("%w: the store has data but no schema version: part of it was lost", ErrCorrupt)
	case found.tables > 0:
		return fmt.Errorf("%w: %d table files on disk but no data: the MANIFEST lost them", ErrCorrupt, found.tables)
	}
	if d.readOnly {
		return fmt.Errorf("%w: no store here yet (read-only: nothing is created)", ErrUnavailable)
	}
	return d.bdb.Update(func(txn *badger.Txn) error {
		return txn.Set([]byte(keySchema), encodeSchema(schemaVersion))
	})
}

// Close closes the store and, when Badger closed cleanly, remembers which
// tables Open checked in full that are still there, so that the next Open
// reads only the tables written since (check.go). Calls after the first
// return nil; calls of other methods after Close return ErrClosed. An
// error from remembering (disk full, say) costs only a full table check
// at the next Open.
func (d *DB) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil
	}
	d.closed = true
	defer d.closeAnchor()
	verified := d.stopScrub()
	if d.vdone != nil {
		<-d.vdone
	}
	d.closeCommitLog()
	if err := d.bdb.Close(); err != nil {
		return fmt.Errorf("storage: close %s: %w", d.dir, err)
	}
	if d.readOnly {
		return nil // nothing written, not even what was checked
	}
	// The tables checked at Open need not be read in full at the next
	// one; a table the scrub found damaged is, and refused.
	d.vmu.Lock()
	defer d.vmu.Unlock()
	if err := rememberVerified(d.dir, verified); err != nil {
		return fmt.Errorf("storage: close %s: %w", d.dir, err)
	}
	return nil
}

// maxAttempts bounds the retries of a write transaction that conflicts with
// a concurrent one. Every round of conflicts lets at least one writer
// through, so only a crowd of writers gets near it; a conflicting attempt
// costs no disk write.
const maxAttempts = 1000

// call runs fn under the read lock, refusing after Close and turning a
// panic from Badger (a damaged block it did not check) into ErrCorrupt.
func (d *DB) call(op string, fn func() error) (err error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.closed {
		return fmt.Errorf("storage: %s: %w", op, ErrClosed)
	}
	if err := d.commitFailed(); err != nil {
		return fmt.Errorf("storage: %s: %w", op, err)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("storage: %s: %w: badger panicked: %v", op, ErrCorrupt, firstLine(r))
		}
	}()
	return fn()
}

// update runs fn in a read-write transaction and commits it durably
// (DB.commit: through the commit log). fn writes through set and del,
// which the commit log records (TestUpdatesWriteThroughSetAndDel). fn's
// own errors are returned as they are; fn may run several times and must
// not keep state between runs. Updates are serialized (commitMu): a kiosk
// writes a few times per sale, and the journal anchor's confirmation,
// written after the commit, must name the head its own commit left
// (anchor.go). No other writer runs beside them at a kiosk (the bulk
// imports hold commitMu or run alone), so they do not conflict; a
// conflict Badger reports all the same (badger.ErrConflict) retries the
// transaction where Badger commits it itself, and stops the store where
// the commit log had acknowledged it (failCommit).
func (d *DB) update(ctx context.Context, op string, fn func(txn *badger.Txn) error) error {
	return d.updateThen(ctx, op, fn, nil)
}

// updateThen is update, and runs committed (when not nil) after fn's
// transaction committed, still under commitMu: no other write can have
// committed since, so committed may put what fn wrote into the in-memory
// catalog index without reading it back (CompleteSale).
func (d *DB) updateThen(ctx context.Context, op string, fn func(txn *badger.Txn) error, committed func()) error {
	d.commitMu.Lock()
	defer d.commitMu.Unlock()
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		txn := d.bdb.NewTransaction(true)
		ops, err := d.build(txn, fn)
		if err != nil {
			txn.Discard()
			return err
		}
		anchored := d.anchorCommit(txn)
		err = d.commit(txn, ops)
		if aerr := anchored(err == nil); aerr != nil && d.log != nil {
			// The commit stands (or failed on its own); an anchor left
			// behind only narrows what a later Open can detect.
			d.log.Error("journal anchor not advanced", "op", op, "err", aerr)
		}
		switch {
		case err == nil:
			// A flush or compaction since the last write has written
			// new tables through their mappings (pages.go).
			d.releaseIfTablesChanged()
			if committed != nil {
				committed()
			}
			return nil
		case !errors.Is(err, badger.ErrConflict):
			return fmt.Errorf("storage: %s: commit: %w", op, err)
		case attempt == maxAttempts:
			return fmt.Errorf("storage: %s: gave up after %d conflicting attempts: %w", op, attempt, err)
		}
		runtime.Gosched()
	}
}

// build runs fn on txn, recording what it writes for the commit log.
func (d *DB) build(txn *badger.Txn, fn func(txn *badger.Txn) error) ([]byte, error) {
	if d.clog == nil {
		return nil, fn(txn)
	}
	d.clog.ops.reset()
	recording.Store(txn, &d.clog.ops)
	defer recording.Delete(txn)
	err := fn(txn)
	return d.clog.ops.p, err
}

// view runs fn in a read-only transaction.
func (d *DB) view(ctx context.Context, fn func(txn *badger.Txn) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return d.bdb.View(fn)
}

// badgerLogger sends Badger's messages to a slog.Logger.
type badgerLogger struct{ l *slog.Logger }

func (b badgerLogger) log(level slog.Level, format string, args []any) {
	b.l.Log(context.Background(), level, strings.TrimSpace(fmt.Sprintf(format, args...)), "component", "badger")
}

func (b badgerLogger) Errorf(f string, a ...any)   { b.log(slog.LevelError, f, a) }
func (b badgerLogger) Warningf(f string, a ...any) { b.log(slog.LevelWarn, f, a) }
func (b badgerLogger) Infof(f string, a ...any)    { b.log(slog.LevelInfo, f, a) }
func (b badgerLogger) Debugf(f string, a ...any)   { b.log(slog.LevelDebug, f, a) }

// firstLine shortens a panic value to its first line: Badger's panics carry
// pages of debug text.
func firstLine(r any) string {
	s := fmt.Sprint(r)
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
