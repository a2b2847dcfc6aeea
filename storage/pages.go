package storage

import (
	"bytes"
	"cmp"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

// Badger memory-maps every table file (.sst) and reads it through that
// mapping (it has no other way to read a table); it also writes each new
// table, from a memtable flush or a compaction, through a mapping. Every
// page of a table the process has read or written then stays in its
// resident set until the kernel needs the memory, although most are of
// no further use to it:
//
//   - Open: Badger reads the whole index and bloom filter of every table
//     (about 35 MiB for 100 000 products and 1 000 000 sales) to check
//     their checksums, and the catalog is read in full into memory
//     (catalog.go; about 35 MiB of table pages);
//   - a scan of the journal (the day's counts at start, an export, a
//     verify) reads the tables it covers;
//   - a flush or a compaction writes whole new tables.
//
// So the store tells the kernel it no longer needs its table pages
// (madvise MADV_DONTNEED on Badger's table mappings) at the end of Open,
// after a scan of more than one batch, after a reload of the catalog, and
// after a write once Badger's tables have changed since the last release
// (in the background, off the write's path). The mappings are shared file
// mappings (MAP_SHARED), so their pages stay in the page cache (a dirty
// page of a table being written stays dirty there and is written back as
// before), and the next read of one maps it again from the cache, a minor
// fault, without I/O. What a kiosk keeps
// resident is then what it reads between releases: the index pages of the
// few tables a sale's keys fall in.
//
// Releasing the wrong address range would destroy memory (MADV_DONTNEED on
// anonymous memory zeroes it), so a range is released only while it is
// certainly still the table's mapping: the release holds a Badger iterator
// over every table, which keeps the tables it covers open (and mapped),
// and releases only tables that Badger listed both before and after the
// iterator was made: a table is added to Badger's levels once and removed
// once (Badger never moves a table between levels, levels.go: "Table
// should never be moved directly between levels"), so such a table was
// listed when the iterator was made and is held by it. A table file
// mapped more than once in the process (by the start-up check, say) is
// left alone: which mapping is Badger's is not known.

// pageRelease is the state of the releases of a DB's table pages.
type pageRelease struct {
	mu sync.Mutex
	// dir is the data dir as the kernel names it in /proc/self/maps:
	// absolute, links resolved; "" when it could not be resolved (nothing
	// is released).
	dir string
	// levels is what Badger's levels held at the last release; a write
	// that finds them changed releases again.
	levels []levelSize
	// done counts the releases, and bytes the size of the mappings they
	// covered (resident or not).
	done, bytes int
	// running is set while a release in the background (releaseSoon) is
	// on its way, and again when one was asked for meanwhile; background
	// waits for those (tests).
	running, again atomic.Bool
	background     sync.WaitGroup
}

// levelSize is one Badger level as Levels reports it: a flush or a
// compaction changes the number of tables or the size of a level.
type levelSize struct {
	tables int
	size   int64
}

// initPageRelease resolves the data dir for matching mappings.
func (d *DB) initPageRelease() {
	dir, err := filepath.Abs(d.dir)
	if err == nil {
		dir, err = filepath.EvalSymlinks(dir)
	}
	if err != nil {
		dir = ""
	}
	d.pages.dir = dir
}

// releaseTablePages releases the resident pages of Badger's table mappings
// (see above). It returns at once when another release is running. The
// caller holds d.mu for reading (d.call) or has the DB to itself (Open).
// Nothing here can fail in a way that matters to the caller: a release
// that did not happen costs memory, not data.
func (d *DB) releaseTablePages() {
	r := &d.pages
	if !releasesPages || r.dir == "" || !r.mu.TryLock() {
		return
	}
	defer r.mu.Unlock()
	t0 := time.Now()
	// Whatever comes of it, this is the state released: a release that
	// fails is not retried at every write.
	r.levels = badgerLevels(d.bdb)
	before := tableIDs(d.bdb)
	txn := d.bdb.NewTransaction(false)
	defer txn.Discard()
	// An iterator with no prefix takes a reference to every table in the
	// levels, so none of them is closed and unmapped until it is closed.
	it := txn.NewIterator(badger.IteratorOptions{})
	defer it.Close()
	after := tableIDs(d.bdb)
	held := make(map[uint64]bool, len(before))
	for id := range before {
		if after[id] {
			held[id] = true
		}
	}
	maps, err := readMaps()
	if err != nil {
		if d.log != nil {
			d.log.Debug("table pages not released", "err", err)
		}
		return
	}
	n := 0
	for _, s := range spans(tableMappings(maps, r.dir, held)) {
		if err := dontNeed(s.start, s.end-s.start); err != nil {
			if d.log != nil {
				d.log.Debug("table pages not released", "err", err)
			}
			return
		}
		n += int(s.end - s.start)
	}
	r.done, r.bytes = r.done+1, r.bytes+n
	if d.log != nil {
		d.log.Debug("table pages released", "tables", len(held), "mapped_bytes", n, "took", time.Since(t0))
	}
}

// releaseTablePagesNow is releaseTablePages for a caller that does not hold
// d.mu; after Close it does nothing.
func (d *DB) releaseTablePagesNow() {
	_ = d.call("release table pages", func() error {
		d.releaseTablePages()
		return nil
	})
}

// releaseIfTablesChanged releases the table pages when Badger's tables
// changed since the last release: a flush or a compaction wrote new ones
// through their mappings. The check costs a look at Badger's level sizes;
// the release (about 8 µs a table, most of it listing Badger's tables)
// runs in a goroutine of its own, off the caller's commit. The caller
// holds d.mu for reading.
func (d *DB) releaseIfTablesChanged() {
	r := &d.pages
	if !releasesPages || r.dir == "" || !r.mu.TryLock() {
		return
	}
	same := slices.Equal(r.levels, badgerLevels(d.bdb))
	r.mu.Unlock()
	if !same {
		d.releaseSoon()
	}
}

// releaseSoon releases the table pages in a goroutine of its own, off the
// caller's path: after a write that changed the tables, at the end of
// Open and of a scan. At a million sales a release takes about 25 ms
// (3 300 tables: Badger lists them twice, 10 ms each; one madvise per
// span of them, 1 ms), and start-up made two of them before the screen
// showed. A call while a release runs makes it run once more.
func (d *DB) releaseSoon() {
	r := &d.pages
	if !releasesPages || r.dir == "" {
		return
	}
	r.again.Store(true)
	if !r.running.CompareAndSwap(false, true) {
		return
	}
	r.background.Add(1)
	go func() {
		defer r.background.Done()
		for {
			r.again.Store(false)
			d.releaseTablePagesNow()
			r.running.Store(false)
			if !r.again.Load() || !r.running.CompareAndSwap(false, true) {
				return
			}
		}
	}()
}

func badgerLevels(db *badger.DB) []levelSize {
	ls := db.Levels()
	out := make([]levelSize, len(ls))
	for i, l := range ls {
		out[i] = levelSize{l.NumTables, l.Size}
	}
	return out
}

func tableIDs(db *badger.DB) map[uint64]bool {
	ts := db.Tables()
	ids := make(map[uint64]bool, len(ts))
	for _, t := range ts {
		ids[t.ID] = true
	}
	return ids
}

// mapping is one line of /proc/self/maps: an address range and what is
// mapped there.
type mapping struct {
	start, end uint64
	shared     bool   // MAP_SHARED ('s'), not private ('p')
	offset     uint64 // in the file
	path       string // "" for anonymous memory
}

// parseMapping reads one line of /proc/<pid>/maps (proc(5)):
//
//	address           perms offset  dev   inode   pathname
//	00400000-00452000 r-xp 00000000 08:02 173521  /usr/bin/dbus-daemon
//
// ok is false for a line it cannot read.
func parseMapping(line string) (m mapping, ok bool) {
	var f [5]string
	rest := line
	for i := range f {
		rest = strings.TrimLeft(rest, " ")
		var found bool
		f[i], rest, found = strings.Cut(rest, " ")
		if f[i] == "" || (!found && i < 4) {
			return m, false
		}
	}
	lo, hi, found := strings.Cut(f[0], "-")
	if !found {
		return m, false
	}
	var err1, err2, err3 error
	m.start, err1 = strconv.ParseUint(lo, 16, 64)
	m.end, err2 = strconv.ParseUint(hi, 16, 64)
	m.offset, err3 = strconv.ParseUint(f[2], 16, 64)
	if err1 != nil || err2 != nil || err3 != nil || m.end <= m.start || len(f[1]) != 4 {
		return m, false
	}
	m.shared = f[1][3] == 's'
	m.path = strings.TrimLeft(rest, " ")
	return m, true
}

// tableMappings picks from the text of /proc/self/maps the mappings of
// the tables held in dir that may be released: shared mappings of a whole
// table file, the only mapping of that file in the process.
func tableMappings(maps []byte, dir string, held map[uint64]bool) []mapping {
	byID := map[uint64][]mapping{}
	for len(maps) > 0 {
		var line []byte
		line, maps, _ = bytes.Cut(maps, []byte{'\n'})
		m, ok := parseMapping(string(line))
		if !ok || filepath.Dir(m.path) != dir {
			continue
		}
		id, ok := tableFileID(filepath.Base(m.path))
		if !ok {
			continue // another file, or a deleted table ("… (deleted)")
		}
		byID[id] = append(byID[id], m)
	}
	var out []mapping
	for id, ms := range byID {
		if len(ms) == 1 && held[id] && ms[0].shared && ms[0].offset == 0 {
			out = append(out, ms[0])
		}
	}
	return out
}

// span is a range of addresses, start to end.
type span struct{ start, end uint64 }

// spans joins mappings that follow one another in the address space into
// one span each, in address order. The kernel places a process's new
// mappings next to its last ones, so the 3 300 table mappings of a million
// sales lie in a handful of runs, and one madvise per run costs a small
// part of one per table (1 ms against 14 ms for 3 300 tables here): the
// call's own cost, not the pages, is what a release spends its time on.
// Every byte of such a span is the mapping of a table that may be
// released, so it is as safe to release at once as its tables one by one.
func spans(ms []mapping) []span {
	ms = slices.Clone(ms)
	slices.SortFunc(ms, func(a, b mapping) int { return cmp.Compare(a.start, b.start) })
	var out []span
	for _, m := range ms {
		if n := len(out); n > 0 && out[n-1].end == m.start {
			out[n-1].end = m.end
			continue
		}
		out = append(out, span{m.start, m.end})
	}
	return out
}

// tableFileID reads a table's id from its file name: digits, ".sst".
func tableFileID(name string) (uint64, bool) {
	digits, ok := strings.CutSuffix(name, ".sst")
	if !ok || digits == "" {
		return 0, false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	id, err := strconv.ParseUint(digits, 10, 64)
	return id, err == nil
}
