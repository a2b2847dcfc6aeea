package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/fb"
	"github.com/dgraph-io/badger/v4/options"
	"github.com/dgraph-io/badger/v4/pb"
	"github.com/dgraph-io/badger/v4/table"
	"github.com/dgraph-io/badger/v4/y"
	"github.com/dgraph-io/ristretto/v2/z"
	"google.golang.org/protobuf/proto"
)

// dirFiles is what checkFiles found in the data dir before Badger opened it.
type dirFiles struct {
	manifest bool // a MANIFEST exists: the dir held a store before
	tables   int  // .sst files on disk, listed in the MANIFEST or not
	// verified are the tables the MANIFEST lists, as they were checked:
	// Close remembers those still unchanged (verified.go).
	verified []verifiedTable
	read     int // tables read and checksummed in full by this check
	// short are the tables that got only the short check: the scrub
	// reads them in full after Open (scrub.go).
	short []shortTable
}

// checkFiles looks at the data dir before Badger does, and refuses what
// Badger would mishandle:
//
//   - table files (.sst), value logs (.vlog), memtable logs (.mem) or a key
//     registry without a MANIFEST: Badger would start a new, empty store and
//     delete the tables;
//   - a MANIFEST that does not replay (Badger reports it too, but here it
//     is checked before any table is touched);
//   - a table the MANIFEST lists that is missing, unreadable, or damaged:
//     Badger opens tables in goroutines of its own, where garbled lengths
//     in a table's footer or in the block it reads at open, or a garbled
//     checksum algorithm, panic and crash the process. (An index whose
//     checksum fails Badger v4.9.6 reports as an error: levels.go would
//     leave out such a table only on an error text, "CHECKSUM_MISMATCH:",
//     that nothing in it makes; TestRotInARememberedTableIsRefused pins
//     that.)
//
// A table is read and every block's checksum checked (checkTable) the
// first time it is seen, and at every Open while it is on level 0 or 1
// (a few MiB, at most about 30). The store remembers the tables so
// checked (verified.go: soon after Open, and at a clean Close), and at
// the next Open a remembered table whose stamp (size, modification time,
// inode, status-change time) is unchanged gets only the checks of what
// Badger reads at open and would crash on: its footer and its last block
// (checkTableTail), a few pages whatever the table's size. Its index
// Badger checks itself, against the index checksum, before it reads
// anything the index points to. Start-up thus reads in full only the
// tables written since the last Open and the two top levels, and of the
// others what does not grow with the history (Badger's own reading of the
// indexes, about 1.5 % of the tables' bytes, does), after a clean Close
// as after a power cut or a killed process. The rest of a remembered
// table the scrub reads in full after Open, and before any scan of its
// keys (scrub.go): a block that rotted in place since is caught by its
// checksum, which Badger checks on every read (options.OnBlockRead) but
// which its iterators, and so scans and compactions, pass over without an
// error.
//
// Tables on disk that the MANIFEST does not list are left alone: a power
// cut between writing a table and listing it leaves one, and Badger deletes
// it. Damaged value logs and memtable logs Badger reports itself, with an
// error.
func checkFiles(dir string, shortTop bool) (dirFiles, error) {
	var found dirFiles
	entries, err := os.ReadDir(dir)
	if err != nil {
		return found, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	var others []string
	for _, e := range entries {
		name := e.Name()
		switch {
		case name == badger.ManifestFilename:
			found.manifest = true
		case strings.HasSuffix(name, ".sst"):
			found.tables++
			others = append(others, name)
		case strings.HasSuffix(name, ".vlog"), strings.HasSuffix(name, ".mem"), name == badger.KeyRegistryFileName:
			others = append(others, name)
		}
	}
	known := readVerified(dir)
	if !found.manifest {
		if len(others) > 0 {
			sort.Strings(others)
			return found, fmt.Errorf("%w: no MANIFEST, but store files %s: the MANIFEST was lost", ErrCorrupt, strings.Join(others, ", "))
		}
		return found, nil
	}
	m, err := replayManifest(filepath.Join(dir, badger.ManifestFilename))
	if err != nil {
		return found, err
	}
	ids := make([]uint64, 0, len(m.Tables))
	for id := range m.Tables {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	// Remembered tables get the short check, several at a time (it is
	// mostly waiting for the card); new ones are read in full one at a
	// time (each is read into memory whole). The first error by table id
	// is reported.
	quick := make([]error, len(ids))
	found.verified = make([]verifiedTable, len(ids))
	var wg sync.WaitGroup
	fail := func(err error) (dirFiles, error) {
		wg.Wait()
		return found, err
	}
	sem := make(chan struct{}, quickCheckers)
	for i, id := range ids {
		tm := m.Tables[id]
		if tm.KeyID != 0 {
			return fail(fmt.Errorf("%w: table %d is encrypted; this store never encrypts", ErrCorrupt, id))
		}
		path := table.NewFilename(id, dir)
		st, err := stampTable(id, path)
		if err != nil {
			return fail(err)
		}
		v := &found.verified[i]
		v.tableStamp = st
		// Levels 0 and 1 are read in full whatever is remembered: they
		// are what Badger compacts first, possibly at once, and a
		// compaction passes over a damaged block without an error
		// (scrub.go). They hold a few MiB whatever the history's size.
		if last, ok := known[st]; ok && (tm.Level > 1 || shortTop) {
			found.short = append(found.short, shortTable{id: id, level: int(tm.Level), path: path, comp: tm.Compression})
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				v.Last, quick[i] = checkTableTail(path, tm.Compression, last)
			}()
			continue
		}
		found.read++
		if v.Last, err = checkTable(path, tm.Compression); err != nil {
			return fail(err)
		}
	}
	wg.Wait()
	for _, err := range quick {
		if err != nil {
			return found, err
		}
	}
	return found, nil
}

// quickCheckers is how many remembered tables checkFiles checks at once.
const quickCheckers = 4

func replayManifest(path string) (m badger.Manifest, err error) {
	f, err := os.Open(path)
	if err != nil {
		return m, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	defer f.Close()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: MANIFEST does not replay: %v", ErrCorrupt, firstLine(r))
		}
	}()
	// The options only carry the logger for warnings: none.
	m, _, err = badger.ReplayManifestFile(f, 0, badger.Options{})
	if err != nil {
		return m, fmt.Errorf("%w: MANIFEST does not replay: %v", ErrCorrupt, err)
	}
	return m, nil
}

// checkTable reads the table file at path and checks its index and every
// block with Badger's own table reader, from memory, in this goroutine, so
// that a panic on garbage can be recovered. It returns where the table's
// last block is, for checkTableTail at later starts.
func checkTable(path string, c options.CompressionType) (last lastBlock, err error) {
	var buf []byte
	last, err = checkTableInto(path, c, &buf)
	if errors.Is(err, fs.ErrNotExist) {
		return last, fmt.Errorf("%w: table %s listed in the MANIFEST is missing", ErrCorrupt, filepath.Base(path))
	}
	return last, err
}

// checkTableData is checkTable of the table at path read into data.
func checkTableData(path string, c options.CompressionType, data []byte) (last lastBlock, err error) {
	name := filepath.Base(path)
	switch {
	case len(data) < 8:
		return last, fmt.Errorf("%w: table %s has %d bytes", ErrCorrupt, name, len(data))
	}
	f, err := os.Open(path) // the reader wants the file for its name and size
	if err != nil {
		return last, fmt.Errorf("%w: open table %s: %v", ErrUnavailable, name, err)
	}
	defer f.Close()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: table %s is damaged: reading it panicked: %v", ErrCorrupt, name, firstLine(r))
		}
	}()
	// The data is a plain byte slice, not a mapping: should the reader
	// close it on an error path, unmapping fails harmlessly.
	mf := &z.MmapFile{Data: data, Fd: f}
	t, err := table.OpenTable(mf, table.Options{
		// Check blocks in VerifyChecksum below, not while opening: on
		// that error path OpenTable would close the file itself.
		ChkMode:     options.NoVerification,
		BlockSize:   4 << 10,
		Compression: c,
	})
	if err != nil {
		return last, fmt.Errorf("%w: table %s: %v", ErrCorrupt, name, err)
	}
	if err := t.VerifyChecksum(); err != nil {
		return last, fmt.Errorf("%w: table %s: %v", ErrCorrupt, name, err)
	}
	if c != options.None {
		return last, nil // checkTableTail reads it in full again
	}
	if last, err = tableTail(data); err != nil {
		return last, fmt.Errorf("%w: table %s: %v", ErrCorrupt, name, err)
	}
	return last, nil
}

// lastBlock is where a table's last block is, as its index says: the one
// block Badger reads when it opens the table. Zero: not known.
type lastBlock struct {
	Off uint32 `json:"off"`
	Len uint32 `json:"len"`
}

// checkTableTail checks a remembered table for what would crash the
// process if Badger met it damaged while it opens the table: its footer
// and its last block (to learn the table's biggest key), in this
// goroutine, so that a panic on garbage can be recovered. The index it
// does not read: Badger checks the index checksum before it reads any of
// it, and refuses the store with an error if it fails. The table was read
// and checked in full when it was first seen and has not been rewritten
// since (its stamp is the same): what this is for is rot in place, which
// no stamp shows.
//
// With known, where the last block was when the table was checked, it
// reads the footer and that block, two reads of a few KiB whatever the
// table's size; the footer must still say that the index begins where
// the last block ends. Without it (a list written before it was kept) it
// maps the file and reads the place of the last block from the index. It
// returns where the last block is. A table written with compression
// (never by this store) is read in full.
func checkTableTail(path string, c options.CompressionType, known lastBlock) (last lastBlock, err error) {
	if c != options.None {
		return checkTable(path, c)
	}
	name := filepath.Base(path)
	f, err := os.Open(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return last, fmt.Errorf("%w: table %s listed in the MANIFEST is missing", ErrCorrupt, name)
	case err != nil:
		return last, fmt.Errorf("%w: open table %s: %v", ErrUnavailable, name, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return last, fmt.Errorf("%w: table %s: %v", ErrUnavailable, name, err)
	}
	if fi.Size() < 8 || fi.Size() > math.MaxUint32 {
		return last, fmt.Errorf("%w: table %s has %d bytes", ErrCorrupt, name, fi.Size())
	}
	if known.Len > 0 {
		if err := checkTailAt(f, int(fi.Size()), known); err != nil {
			return last, fmt.Errorf("%w: table %s: %v", ErrCorrupt, name, err)
		}
		return known, nil
	}
	data, err := z.Mmap(f, false, fi.Size())
	if err != nil {
		return last, fmt.Errorf("%w: map table %s: %v", ErrUnavailable, name, err)
	}
	defer z.Munmap(data)
	defer func() {
		if r := recover(); r != nil {
			last, err = lastBlock{}, fmt.Errorf("%w: table %s is damaged: reading it panicked: %v", ErrCorrupt, name, firstLine(r))
		}
	}()
	if last, err = tableTail(data); err != nil {
		return lastBlock{}, fmt.Errorf("%w: table %s: %v", ErrCorrupt, name, err)
	}
	return last, nil
}

// checkTailAt is tableTail for a table of size bytes in f whose last
// block is known to be last: it reads the footer and the block. They
// are read in one piece with the index between them, which Badger reads
// next (table.initIndex, through its mapping): at a start after a boot,
// with nothing in the page cache, that is one read from the card per
// table instead of three (the footer, the block, the index).
func checkTailAt(f *os.File, size int, last lastBlock) error {
	// From the last block on, and at least the last 64 bytes (the footer).
	from := min(int(last.Off), max(0, size-64))
	if size-from > maxTail {
		return fmt.Errorf("the last block is said to be at %d of %d bytes", last.Off, size)
	}
	bp := tailBufs.Get().(*[]byte)
	defer tailBufs.Put(bp)
	if cap(*bp) < size-from {
		*bp = make([]byte, size-from)
	}
	tail := (*bp)[:size-from]
	if _, err := f.ReadAt(tail, int64(from)); err != nil {
		return err
	}
	indexAt, _, err := tableFooter(tail[len(tail)-min(size, 64):], size)
	if err != nil {
		return err
	}
	if indexAt != int(last.Off)+int(last.Len) {
		return fmt.Errorf("the index begins at %d, not at the end of the last block (%d, %d bytes)", indexAt, last.Off, last.Len)
	}
	at := int(last.Off) - from
	if err := checkBlock(tail[at : at+int(last.Len)]); err != nil {
		return fmt.Errorf("last block at %d: %v", last.Off, err)
	}
	return nil
}

// tailBufs holds checkTailAt's buffers (*[]byte): one per checker.
var tailBufs = sync.Pool{New: func() any { return new([]byte) }}

// maxTail bounds what checkTailAt reads: a table's last block, index and
// footer. The indexes of this store's tables have a few dozen KiB (about
// 1.5 % of the table's bytes); Badger's biggest default tables (64 MiB)
// about 1 MiB.
const maxTail = 16 << 20

// tableTail checks in data, a table file's bytes, what Badger v4's table
// reader (table.OpenTable: initIndex, then the last block through
// Table.block) reads without checking it first, and would panic on when
// it is garbage: the footer's lengths and its checksum's algorithm, and
// the last block's trailer; the last block's checksum too. It returns
// where the last block is. The layout, as table.Builder writes it (Done,
// finishBlock), all numbers big-endian uint32:
//
//	table:  block ... block | index | index length | checksum | checksum length
//	block:  entries | entry offsets | entry count | checksum | checksum length
//
// A checksum is a protobuf pb.Checksum; a block's covers the block up to
// its checksum, the table's the index. The index is a flatbuffer
// fb.TableIndex: the last block's place is read from it without checking
// its checksum (a panic there is the caller's to recover). Should the
// index be damaged in a way this misses, Badger's own check of its
// checksum comes first and fails the open, and it reads no block of such
// a table.
func tableTail(data []byte) (lastBlock, error) {
	indexAt, indexEnd, err := tableFooter(data, len(data))
	if err != nil {
		return lastBlock{}, err
	}
	idx := fb.GetRootAsTableIndex(data[indexAt:indexEnd:indexEnd], 0)
	n := idx.OffsetsLength()
	var bo fb.BlockOffset
	if n == 0 || !idx.Offsets(&bo, n-1) {
		return lastBlock{}, errors.New("the index lists no block")
	}
	// Blocks come before the index.
	last := lastBlock{Off: bo.Offset(), Len: bo.Len()}
	off, end := int(last.Off), int(last.Off)+int(last.Len)
	if last.Len == 0 || end > indexAt {
		return lastBlock{}, fmt.Errorf("the last block (%d, %d bytes) is outside the table", last.Off, last.Len)
	}
	if err := checkBlock(data[off:end:end]); err != nil {
		return lastBlock{}, fmt.Errorf("last block at %d: %v", off, err)
	}
	return last, nil
}

// tableFooter checks the footer of a table of size bytes whose last
// len(end) bytes are end (see tableTail), and returns where its index is.
func tableFooter(end []byte, size int) (indexAt, indexEnd int, err error) {
	n, base := len(end), size-len(end) // end[i] is the byte at base+i
	if n < 8 {
		return 0, 0, fmt.Errorf("%d bytes", size)
	}
	sumAt := n - 4 - int(y.BytesToU32(end[n-4:]))
	if sumAt < 4 { // Badger writes a few bytes; end has more room
		return 0, 0, fmt.Errorf("the footer's checksum length %d does not fit", y.BytesToU32(end[n-4:]))
	}
	if _, err := readChecksum(end[sumAt : n-4]); err != nil {
		return 0, 0, fmt.Errorf("the footer's index checksum: %v", err)
	}
	indexEnd = base + sumAt - 4
	indexAt = indexEnd - int(y.BytesToU32(end[sumAt-4:sumAt]))
	if indexAt < 0 {
		return 0, 0, errors.New("the footer's index length is larger than the table")
	}
	return indexAt, indexEnd, nil
}

// checkBlock checks a block's trailer and checksum (see tableTail).
func checkBlock(b []byte) error {
	n := len(b)
	if n < 8 {
		return fmt.Errorf("%d bytes", n)
	}
	sumAt := n - 4 - int(y.BytesToU32(b[n-4:]))
	if sumAt < 4 {
		return errors.New("the checksum length is larger than the block")
	}
	sum, err := readChecksum(b[sumAt : n-4])
	if err != nil {
		return err
	}
	if entries := int(y.BytesToU32(b[sumAt-4 : sumAt])); sumAt-4-4*entries < 0 {
		return fmt.Errorf("%d entries do not fit in the block", entries)
	}
	return y.VerifyChecksum(b[:sumAt], sum)
}

// readChecksum decodes a checksum and refuses an algorithm Badger does
// not know: y.VerifyChecksum panics on one.
func readChecksum(b []byte) (*pb.Checksum, error) {
	var c pb.Checksum
	if err := proto.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("checksum does not decode: %v", err)
	}
	switch c.Algo {
	case pb.Checksum_CRC32C, pb.Checksum_XXHash64:
		return &c, nil
	}
	return nil, fmt.Errorf("checksum algorithm %d unknown", c.Algo)
}
