package storage

// The scrub: every table read in full once per Open, the remembered ones
// soon after Open, and before anything scans their keys.
//
// Open checks a remembered table only where Badger reads it at open (its
// footer and last block, check.go). A block elsewhere that rotted in place
// since it was verified is caught by its checksum when Badger reads it
// (options.OnBlockRead), but what Badger does with that error depends on
// the reader:
//
//   - a point read (txn.Get) returns it: ErrCorrupt, a clear error;
//   - an iterator swallows it: Badger v4.9.6's table iterator stops at the
//     block (table.Iterator.next sets its err and turns invalid), the merge
//     goes on without the rest of that table, and badger.Iterator has no
//     error to ask for. A scan comes back short without an error: the
//     catalog loads without the products behind the block, a day's sales
//     or the journal from a number on miss records, an existence check
//     (Signed) says "none";
//   - a compaction iterates the same way (levels.go, subcompact: `for
//     it.Valid()`), writes the table's successor without those keys and
//     deletes the table: a silent loss, for good.
//
// TestRotInARememberedTableIsNeverSilent reproduces the short scan.
//
// So every table is read in full and every block's checksum checked at
// each Open or soon after:
//
//   - at Open (check.go): the tables not remembered, and those on levels
//     0 and 1, which Badger may compact at once (a few MiB);
//   - the others (scrubTable) before a scan: scans go through
//     DB.verifyKeys with the key range they will read, which first checks
//     the tables holding keys in it that are not checked yet and returns
//     ErrCorrupt if one is damaged, so a scan never comes back short
//     without an error. The one exception is the catalog Open loads into
//     memory (loadCatalogEarly): its 40-odd tables (100 000 products)
//     would add a second on an SD card to every start-up, so they are the
//     first the background scrub reads, and a damage found in them fails
//     the catalog calls from then on. Until then (about a second and a
//     half) a product behind a rotten block reads as unknown; nothing is
//     written from that load;
//   - in the background, scrubDelay after Open (the start-up keeps the CPU
//     and the card), the catalog's first, then level by level, one table
//     at a time with a pause between them at least four times as long as
//     the table's check (about 20 s for 3 750 tables of 1 000 000 sales on
//     the development VM). A compaction into a lower
//     level that picks a table the scrub has not reached yet is the window
//     left: Badger offers no hook before it reads.

// A damaged table makes the store damaged (Damage, Damaged): the kiosk
// goes out of order once the sale under way has ended (app wiring), the
// list of verified tables is removed at once and the table left out of it
// at Close, so the next Open reads it in full and refuses the store with
// ErrCorrupt, and a technician restores the data dir from its copy.
//
// Tables Badger writes after Open (flushes, compactions) come from memory
// and are not checked: the scrub is against rot in place of what was
// verified before.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4/options"
	"github.com/dgraph-io/badger/v4/y"
)

// scrubPause is the scrub's least pause after each table, and scrubIdle
// times the table's check its usual one: the scrub takes at most a fifth
// of the CPU and the card, the checkout keeps the rest (a table of 1 MiB
// is read and checked in about a millisecond from the page cache here;
// from an SD card at 40 MB/s in 25 ms, and then 3 750 tables take about
// eight minutes).
const (
	scrubPause = 4 * time.Millisecond
	scrubIdle  = 4
)

// scrubDelay is how long after Open the background scrub starts.
const scrubDelay = time.Second

// shortTable is a table Open gave only the short check.
type shortTable struct {
	id    uint64
	level int
	path  string
	comp  options.CompressionType
}

// scrubTable is a shortTable the scrub has to read in full.
type scrubTable struct {
	shortTable
	// lo and hi are its smallest and biggest key (without Badger's
	// version), from Badger's index, which Badger checked at open.
	lo, hi []byte

	once sync.Once
	err  error // the check's outcome, after once
}

// scrub is the state of the tables still to read in full.
type scrub struct {
	mu      sync.Mutex
	pending []*scrubTable // not yet checked, level 0 first
	// left is len(pending) + len(badTables), read without mu by
	// verifyKeys: 0 once every table is checked and none is damaged.
	left atomic.Int64

	damaged     atomic.Pointer[error] // the first damage found
	damagedOnce sync.Once
	found       chan struct{} // closed at the first damage
	badTables   []*scrubTable // checked and damaged: scans of their keys fail

	stop  chan struct{} // closed by Close
	done  chan struct{} // closed when the background scrub has ended
	start chan struct{} // closed at the end of Open (kick)
	// cat is the catalog's key range, which Open loads unchecked
	// (loadCatalogEarly); catErr is set when a table holding keys in it
	// is found damaged.
	cat    [2][]byte
	catErr atomic.Pointer[error]
	bufs   sync.Pool // *[]byte: table bytes being checked
	log    func(msg string, args ...any)
	hold   <-chan struct{} // tests: the background scrub waits for it
}

// startScrub lists the tables the short check passed (found.short) with
// their key ranges and starts reading them in full in the background.
func (d *DB) startScrub(found dirFiles, hold <-chan struct{}) {
	s := &d.scrub
	s.found = make(chan struct{})
	s.start = make(chan struct{})
	s.stop = make(chan struct{})
	s.done = make(chan struct{})
	s.hold = hold
	s.log = func(string, ...any) {}
	if d.log != nil {
		s.log = d.log.Error
	}
	if len(found.short) == 0 {
		close(s.done)
		return
	}
	short := make(map[uint64]shortTable, len(found.short))
	for _, t := range found.short {
		short[t.id] = t
	}
	for _, ti := range d.bdb.Tables() {
		t, ok := short[ti.ID]
		if !ok {
			continue
		}
		s.pending = append(s.pending, &scrubTable{shortTable: t,
			lo: bytes.Clone(y.ParseKey(ti.Left)), hi: bytes.Clone(y.ParseKey(ti.Right))})
	}
	sort.Slice(s.pending, func(i, j int) bool {
		a, b := s.pending[i], s.pending[j]
		if a.level != b.level {
			return a.level < b.level
		}
		return a.id < b.id
	})
	s.left.Store(int64(len(s.pending)))
	go d.runScrub()
}

// runScrub checks the pending tables one by one until none is left or
// Close stops it.
func (d *DB) runScrub() {
	s := &d.scrub
	defer close(s.done)
	// Not while Open runs, nor in the first moment after it, while the
	// kiosk starts: the start-up has the CPU and the card.
	if !s.wait(s.hold, s.start) {
		return
	}
	if s.hold == nil {
		t := time.NewTimer(scrubDelay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-s.stop:
			return
		}
	}
	t0 := time.Now()
	n := 0
	for {
		s.mu.Lock()
		var t *scrubTable
		if len(s.pending) > 0 {
			t = s.pending[0]
		}
		s.mu.Unlock()
		if t == nil {
			break
		}
		t1 := time.Now()
		d.checkScrubbed(t)
		n++
		select {
		case <-s.stop:
			return
		case <-time.After(max(scrubPause, scrubIdle*time.Since(t1))):
		}
	}
	if d.log != nil {
		d.log.Info("tables read in full after open", "tables", n, "took", time.Since(t0).Round(time.Millisecond))
	}
}

// wait waits for hold (tests) or else start, and says false when Close
// came first.
func (s *scrub) wait(hold, start <-chan struct{}) bool {
	c := start
	if hold != nil {
		c = hold
	}
	select {
	case <-c:
		return true
	case <-s.stop:
		return false
	}
}

// checkScrubbed reads t in full, once, takes it off the pending list and
// marks the store damaged if it is. It returns the check's error.
func (d *DB) checkScrubbed(t *scrubTable) error {
	s := &d.scrub
	t.once.Do(func() {
		bp, _ := s.bufs.Get().(*[]byte)
		if bp == nil {
			bp = new([]byte)
		}
		_, t.err = checkTableInto(t.path, t.comp, bp)
		s.bufs.Put(bp)
		if errors.Is(t.err, fs.ErrNotExist) {
			t.err = nil // compacted away since Open: Badger read it whole
		}
		s.mu.Lock()
		for i, p := range s.pending {
			if p == t {
				s.pending = append(s.pending[:i], s.pending[i+1:]...)
				break
			}
		}
		if t.err != nil {
			s.badTables = append(s.badTables, t)
			if t.overlaps(s.cat[0], s.cat[1]) {
				e := fmt.Errorf("storage: catalog: %w", t.err)
				s.catErr.Store(&e)
			}
		}
		s.left.Store(int64(len(s.pending) + len(s.badTables)))
		s.mu.Unlock()
		if t.err != nil {
			d.markDamaged(t.err)
		}
	})
	return t.err
}

// markDamaged records the first damage found after Open, and forgets
// the list of verified tables, which names the damaged one (verified.go):
// the next Open reads every table in full, finds it and refuses the
// store, even after a power cut.
func (d *DB) markDamaged(err error) {
	if !d.readOnly {
		d.vmu.Lock()
		if ferr := forgetVerified(d.dir); ferr != nil && d.log != nil {
			d.log.Error("the damaged table is still listed as verified", "err", ferr)
		}
		d.vmu.Unlock()
	}
	d.markFault(fmt.Errorf("storage: %s: %w; restore the data dir from its copy", d.dir, err))
}

// markFault records e as the store's first fault after Open (Damage,
// Damaged): a damaged table, or a commit Badger did not take
// (failCommit).
func (d *DB) markFault(e error) {
	s := &d.scrub
	s.damagedOnce.Do(func() {
		s.damaged.Store(&e)
		s.log("stored data damaged", "err", e)
		close(s.found)
	})
}

// verifyKeys checks in full, before a scan, the tables not checked yet
// that hold keys in [lo, hi) (hi nil: no end). Errors: ErrCorrupt when one
// of them is damaged.
func (d *DB) verifyKeys(lo, hi []byte) error {
	s := &d.scrub
	if s.left.Load() == 0 {
		return nil
	}
	s.mu.Lock()
	var todo []*scrubTable
	for _, ts := range [][]*scrubTable{s.badTables, s.pending} {
		for _, t := range ts {
			if t.overlaps(lo, hi) {
				todo = append(todo, t)
			}
		}
	}
	s.mu.Unlock()
	var errs []error
	for _, t := range todo {
		if err := d.checkScrubbed(t); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// overlaps says whether t may hold keys in [lo, hi) (hi nil: no end).
func (t *scrubTable) overlaps(lo, hi []byte) bool {
	return (hi == nil || bytes.Compare(t.lo, hi) < 0) && bytes.Compare(t.hi, lo) >= 0
}

// first puts the pending tables holding keys in [lo, hi) at the head of
// the background scrub and notes the range as the catalog's, which Open
// loads without reading them in full first.
func (s *scrub) first(lo, hi []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cat = [2][]byte{lo, hi}
	sort.SliceStable(s.pending, func(i, j int) bool {
		return s.pending[i].overlaps(lo, hi) && !s.pending[j].overlaps(lo, hi)
	})
}

// kick lets the background scrub begin, scrubDelay later.
func (s *scrub) kick() {
	if s.start != nil {
		close(s.start)
	}
}

// catalogDamage is the damage found in a table holding catalog keys, or
// nil.
func (s *scrub) catalogDamage() error {
	if e := s.catErr.Load(); e != nil {
		return *e
	}
	return nil
}

// verifyPrefix is verifyKeys for the keys beginning with prefix.
func (d *DB) verifyPrefix(prefix []byte) error { return d.verifyKeys(prefix, prefixEnd(prefix)) }

// prefixEnd is the first key after every key beginning with prefix (nil:
// none, prefix is all 0xff).
func prefixEnd(prefix []byte) []byte {
	end := bytes.Clone(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// Damage returns the damage found in the store's tables after Open (an
// ErrCorrupt error naming the table), or a commit acknowledged through the
// commit log that Badger did not take (ErrUnavailable, commitlog.go), or
// nil.
func (d *DB) Damage() error {
	if e := d.scrub.damaged.Load(); e != nil {
		return *e
	}
	return nil
}

// Damaged is closed when the store is found damaged after Open (Damage
// says how).
func (d *DB) Damaged() <-chan struct{} { return d.scrub.found }

// stopScrub ends the background scrub and waits for it, and returns
// what Close remembers (verifiedNow).
func (d *DB) stopScrub() []verifiedTable {
	s := &d.scrub
	if s.stop != nil {
		close(s.stop)
		<-s.done
	}
	return d.verifiedNow()
}

// verifiedNow is the tables Open checked, less those the scrub has found
// damaged since.
func (d *DB) verifiedNow() []verifiedTable {
	s := &d.scrub
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.badTables) == 0 {
		return d.check.verified
	}
	var keep []verifiedTable
	for _, v := range d.check.verified {
		if !slices.ContainsFunc(s.badTables, func(t *scrubTable) bool { return t.id == v.ID }) {
			keep = append(keep, v)
		}
	}
	return keep
}

// checkTableInto is checkTable reading the table into *buf (grown as
// needed) instead of new memory.
func checkTableInto(path string, c options.CompressionType, buf *[]byte) (lastBlock, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return lastBlock{}, err
		}
		return lastBlock{}, fmt.Errorf("%w: open table %s: %v", ErrUnavailable, filepath.Base(path), err)
	}
	fi, err := f.Stat()
	if err == nil {
		if n := int(fi.Size()); cap(*buf) < n {
			*buf = make([]byte, n, n+n/4) // tables differ by a few KiB
		}
		*buf = (*buf)[:fi.Size()]
		_, err = io.ReadFull(f, *buf)
	}
	f.Close()
	if err != nil {
		return lastBlock{}, fmt.Errorf("%w: read table %s: %v", ErrUnavailable, filepath.Base(path), err)
	}
	return checkTableData(path, c, *buf)
}
