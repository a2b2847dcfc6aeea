package storage

// The commit log: where a write is durable before Badger has it.
//
// A write of DB.update (a sale, a payment intent, a staff change) is
// acknowledged once its writes are in the file COMMITLOG in the data dir
// and fdatasync(2) returned. Badger commits the same transaction right
// after, in the background (Txn.CommitWith), durably too (SyncWrites).
// Badger alone makes two device flushes per commit in a row (it msyncs
// its value log, even when that holds nothing new, and then its memtable
// log) with a hand-over to its write goroutine between; the commit log
// makes one, into blocks written when the file was made, so the file
// system has no metadata to journal either (issue 11: the sale commit
// against one append+fdatasync of the same bytes).
//
// Reads see the write at once: a Badger transaction started after
// CommitWith waits until the commits before its read timestamp are
// written (Badger's oracle.readTs), so every read and the next update see
// it; the next update also waits for its outcome (commitLog.settle). A
// Badger commit that fails after its record was acknowledged (an I/O
// error, a conflict no writer of this package can cause) fails every
// later call with ErrUnavailable, and the next Open applies the record.
//
// The file is logSlots slots of logSlot bytes, zeros written and synced
// when it is made. A record starts at a slot: "SKC1", its number, the
// payload's length, a CRC-32C of those and the payload, and the payload
// is the transaction's writes, each "set key value", "delete key" or
// "set key to the value of an earlier set in this record" (lengths as
// uvarints; the journal record, written under its number and as the
// journal's head, is stored once). Records follow one another at slot boundaries;
// one that does not fit at the end is written at slot 0, and so is the
// first record after Open. Only one record is ever ahead of Badger: each
// write waits for the Badger commit of the one before. Badger keeps the
// number of the last record it has (meta/logseq), written in the same
// transaction as the record's writes.
//
// At Open the log is the records from slot 0 on with consecutive
// numbers. Those above Badger's number are applied, in order, before
// anything reads the store. The first of them must be the number after
// Badger's: a gap is a store that lost writes it had acknowledged (its
// memtable log damaged, a data dir restored from an older copy), refused
// with ErrRolledBack like a journal behind its anchor (anchor.go). A
// record above Badger's number that the chain does not reach lies behind
// a damaged one: ErrCorrupt. The last record, cut short or failing its
// CRC, was being written when the power went; it was never acknowledged
// and is not applied. Records at or below Badger's number are old and
// are written over.
//
// A transaction too large for the log is committed by Badger itself, as
// before the log, after the record before it is in Badger; the next
// record starts the log again at slot 0.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/ristretto/v2/z"
)

// CommitLogFile is the commit log's file name in the data dir.
const CommitLogFile = "COMMITLOG"

const (
	logSlot   = 4096
	logSlots  = 256 // 1 MiB: a sale's record takes one slot
	logSize   = logSlot * logSlots
	logMagic  = "SKC1"
	logHeader = 20 // magic, number (8), payload length (4), CRC-32C (4)

	opSet  byte = 1 // key, value
	opDel  byte = 2 // key
	opCopy byte = 3 // key, the number of an earlier set in the record with the same value
)

// logRecord is a record read back from the log.
type logRecord struct {
	Seq     uint64
	Slot    int
	Payload []byte
}

// payload is a record's payload being built: the writes, and where each
// set's value lies in it, so that a value written twice in one
// transaction (a journal record under its number and as the journal's
// head) is stored once.
type payload struct {
	p    []byte
	n    int      // writes so far
	vals []valRef // the values stored so far
}

type valRef struct{ write, off, len int }

// minCopy is the shortest value worth a reference instead of a copy.
const minCopy = 64

func (b *payload) reset() { b.p, b.n, b.vals = b.p[:0], 0, b.vals[:0] }

// add appends one write.
func (b *payload) add(op byte, key, value []byte) {
	defer func() { b.n++ }()
	if op == opSet && len(value) >= minCopy {
		for _, v := range b.vals {
			if v.len == len(value) && bytes.Equal(b.p[v.off:v.off+v.len], value) {
				b.p = append(b.p, opCopy)
				b.p = binary.AppendUvarint(b.p, uint64(len(key)))
				b.p = append(b.p, key...)
				b.p = binary.AppendUvarint(b.p, uint64(v.write))
				return
			}
		}
	}
	b.p = append(b.p, op)
	b.p = binary.AppendUvarint(b.p, uint64(len(key)))
	b.p = append(b.p, key...)
	if op == opSet {
		b.p = binary.AppendUvarint(b.p, uint64(len(value)))
		if len(value) >= minCopy {
			b.vals = append(b.vals, valRef{write: b.n, off: len(b.p), len: len(value)})
		}
		b.p = append(b.p, value...)
	}
}

// eachOp calls fn for each write in payload p, in order, with opSet for
// a set whose value was stored as a reference (opCopy). The slices are
// p's. A payload that does not decode is an error after fn has seen the
// writes before the bad one: with fn nil, eachOp only checks p.
func eachOp(p []byte, fn func(op byte, key, value []byte) error) error {
	var values [][]byte // by write: a set's value, nil for a delete
	for n := 0; len(p) > 0; n++ {
		op := p[0]
		if op != opSet && op != opDel && op != opCopy {
			return fmt.Errorf("write %d: unknown kind %d", n, op)
		}
		key, rest, ok := cutField(p[1:])
		if !ok || len(key) == 0 {
			return fmt.Errorf("write %d: bad key", n)
		}
		var value []byte
		switch op {
		case opSet:
			if value, rest, ok = cutField(rest); !ok {
				return fmt.Errorf("write %d: bad value", n)
			}
		case opCopy:
			i, w := binary.Uvarint(rest)
			if w <= 0 || i >= uint64(n) || values[i] == nil {
				return fmt.Errorf("write %d: bad reference", n)
			}
			op, value, rest = opSet, values[i], rest[w:]
		}
		values = append(values, value) // a set's is never nil (cutField)
		p = rest
		if fn != nil {
			if err := fn(op, key, value); err != nil {
				return err
			}
		}
	}
	return nil
}

// cutField cuts a uvarint length and that many bytes off the front of p.
func cutField(p []byte) (field, rest []byte, ok bool) {
	n, w := binary.Uvarint(p)
	if w <= 0 || n > uint64(len(p)-w) {
		return nil, nil, false
	}
	return p[w : w+int(n)], p[w+int(n):], true
}

// encodeRecord appends record seq with payload to dst.
func encodeRecord(dst []byte, seq uint64, payload []byte) []byte {
	start := len(dst)
	dst = append(dst, logMagic...)
	dst = binary.BigEndian.AppendUint64(dst, seq)
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(payload)))
	crc := crc32.Update(crc32.Checksum(dst[start:start+16], crcTable), crcTable, payload)
	dst = binary.BigEndian.AppendUint32(dst, crc)
	return append(dst, payload...)
}

// decodeRecord reads the record at the start of b.
func decodeRecord(b []byte) (seq uint64, payload []byte, ok bool) {
	if len(b) < logHeader || string(b[:4]) != logMagic {
		return 0, nil, false
	}
	seq = binary.BigEndian.Uint64(b[4:])
	n := binary.BigEndian.Uint32(b[12:])
	if seq == 0 || uint64(n) > uint64(len(b)-logHeader) {
		return 0, nil, false
	}
	payload = b[logHeader : logHeader+int(n)]
	if crc32.Update(crc32.Checksum(b[:16], crcTable), crcTable, payload) != binary.BigEndian.Uint32(b[16:]) {
		return 0, nil, false
	}
	return seq, payload, true
}

// slotsFor is how many slots a record with n bytes of payload takes.
func slotsFor(n int) int { return (logHeader + n + logSlot - 1) / logSlot }

// parseCommitLog reads log b against applied, the number of the last
// record Badger has. It returns the records to apply, in order; gap says
// which acknowledged records are missing ("" when none are); err is a
// log damaged before a record Badger does not have (ErrCorrupt), or a
// record whose writes do not decode.
func parseCommitLog(b []byte, applied uint64) (apply []logRecord, gap string, err error) {
	var chain []logRecord
	slot := 0
	for slot*logSlot < len(b) {
		seq, p, ok := decodeRecord(b[slot*logSlot:])
		if !ok || len(chain) > 0 && seq != chain[len(chain)-1].Seq+1 {
			break
		}
		chain = append(chain, logRecord{Seq: seq, Slot: slot, Payload: p})
		slot += slotsFor(len(p))
	}
	top := applied
	for _, r := range chain {
		if r.Seq > applied {
			apply = append(apply, r)
		}
		top = max(top, r.Seq)
	}
	for s := slot; s*logSlot < len(b); s++ {
		if seq, _, ok := decodeRecord(b[s*logSlot:]); ok && seq > top {
			return nil, "", fmt.Errorf("%w: %s: record %d at slot %d follows a damaged record", ErrCorrupt, CommitLogFile, seq, s)
		}
	}
	for _, r := range apply {
		if err := eachOp(r.Payload, nil); err != nil {
			return nil, "", fmt.Errorf("%w: %s: record %d: %v", ErrCorrupt, CommitLogFile, r.Seq, err)
		}
	}
	if len(apply) > 0 && apply[0].Seq != applied+1 {
		gap = fmt.Sprintf("the store has the writes up to commit %d, but %s goes on from commit %d: commits %d to %d, acknowledged as stored, are gone",
			applied, CommitLogFile, apply[0].Seq, applied+1, apply[0].Seq-1)
		return nil, gap, nil
	}
	return apply, "", nil
}

// commitLog is a DB's open commit log. Its fields are the commit path's:
// guarded by DB.commitMu.
type commitLog struct {
	f    *os.File
	slot int     // where the next record goes
	seq  uint64  // the number of the last record (in Badger, or on its way)
	buf  []byte  // the record being written
	ops  payload // the payload being recorded (recording)
	// inflight answers once, with the outcome of the Badger commit of
	// the last record (nil: none in flight).
	inflight chan error
}

// recording holds the payload of each update transaction being built,
// by transaction: set and del add their writes to it.
var recording sync.Map // *badger.Txn → *payload

// record adds a write of txn to its payload, if it is being recorded.
func record(txn *badger.Txn, op byte, key, value []byte) {
	if p, ok := recording.Load(txn); ok {
		p.(*payload).add(op, key, value)
	}
}

// settle waits for the Badger commit in flight, if any, and returns its
// error.
func (l *commitLog) settle() error {
	if l.inflight == nil {
		return nil
	}
	err := <-l.inflight
	l.inflight = nil
	return err
}

// write writes record seq with payload p at the next slot that holds it
// and fdatasyncs the log. The records before it must be in Badger
// (settle). On an error nothing moves: the next write goes to the same
// slot with the same number.
func (l *commitLog) write(seq uint64, p []byte) error {
	n := slotsFor(len(p))
	if l.slot+n > logSlots {
		l.slot = 0
	}
	l.buf = encodeRecord(l.buf[:0], seq, p)
	if _, err := l.f.WriteAt(l.buf, int64(l.slot)*logSlot); err != nil {
		return fmt.Errorf("storage: write %s: %w", CommitLogFile, err)
	}
	if err := datasync(l.f); err != nil {
		return fmt.Errorf("storage: sync %s: %w", CommitLogFile, err)
	}
	l.slot += n
	return nil
}

// fits says whether a payload of n bytes fits in the log.
func (l *commitLog) fits(n int) bool { return slotsFor(n) <= logSlots }

// logApplied reads meta/logseq: the number of the last record Badger has
// (0 when none).
func (d *DB) logApplied() (uint64, error) {
	var n uint64
	err := d.bdb.View(func(txn *badger.Txn) error {
		b, err := getRaw(txn, []byte(keyLogSeq))
		if err != nil || b == nil {
			return err
		}
		if len(b) != 8 {
			return fmt.Errorf("%s has %d bytes, want 8", keyLogSeq, len(b))
		}
		n = binary.BigEndian.Uint64(b)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("%w: read %s: %v", ErrCorrupt, keyLogSeq, err)
	}
	return n, nil
}

// openCommitLog is Open's: it applies the records Badger does not have
// and opens the log for the commit path (not in a read-only store, which
// refuses with ErrNeedsRecovery when there are records to apply). With
// allow (Options.OpenRolledBack) a gap is noted for RolledBack instead
// of refused, and the log is cleared.
func (d *DB) openCommitLog(allow bool) error {
	applied, err := d.logApplied()
	if err != nil {
		return err
	}
	path := filepath.Join(d.dir, CommitLogFile)
	b, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: read %s: %v", ErrUnavailable, CommitLogFile, err)
	}
	apply, gap, err := parseCommitLog(b, applied)
	switch {
	case err != nil:
		return err
	case gap != "" && !allow:
		return fmt.Errorf("%w: %s", errRolledBack, gap)
	case d.readOnly && len(apply) > 0:
		return fmt.Errorf("%w (%w): %s holds %d commits the store has not applied", ErrNeedsRecovery, ErrUnavailable, CommitLogFile, len(apply))
	}
	d.logGap = gap
	if d.readOnly {
		return nil
	}
	for _, r := range apply {
		err := d.bdb.Update(func(txn *badger.Txn) error {
			// Its writes decode: parseCommitLog checked them.
			err := eachOp(r.Payload, func(op byte, key, value []byte) error {
				if op == opDel {
					return txn.Delete(key)
				}
				return txn.Set(key, value)
			})
			if err != nil {
				return err
			}
			return txn.Set([]byte(keyLogSeq), encodeUint64(r.Seq))
		})
		if err != nil {
			return fmt.Errorf("%w: apply commit %d from %s: %v", ErrUnavailable, r.Seq, CommitLogFile, err)
		}
		applied = r.Seq
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("%w: open %s: %v", ErrUnavailable, CommitLogFile, err)
	}
	if len(b) != logSize || gap != "" {
		// New, cut short while it was made, or cleared: every block
		// written once, so that a record's write is data only.
		err := func() error {
			if _, err := f.WriteAt(make([]byte, logSize), 0); err != nil {
				return err
			}
			if err := f.Truncate(logSize); err != nil {
				return err
			}
			if err := f.Sync(); err != nil {
				return err
			}
			return z.SyncDir(d.dir)
		}()
		if err != nil {
			_ = f.Close()
			return fmt.Errorf("%w: make %s: %v", ErrUnavailable, CommitLogFile, err)
		}
	}
	d.clog = &commitLog{f: f, seq: applied}
	return nil
}

// commit makes txn durable, its writes recorded in ops: through the
// commit log (acknowledged when the record is synced; Badger's commit
// follows in the background), or, when ops is empty (nothing written
// through set or del) or too large for the log, or the store has no log,
// by Badger's own commit. It discards txn.
func (d *DB) commit(txn *badger.Txn, ops []byte) error {
	l := d.clog
	if l == nil {
		defer txn.Discard()
		return txn.Commit()
	}
	if err := d.settleLog(); err != nil {
		txn.Discard()
		return err
	}
	if len(ops) == 0 {
		defer txn.Discard()
		return txn.Commit()
	}
	seq := l.seq + 1
	if err := txn.Set([]byte(keyLogSeq), encodeUint64(seq)); err != nil {
		txn.Discard()
		return fmt.Errorf("storage: write %s: %w", keyLogSeq, err)
	}
	if !l.fits(len(ops)) {
		defer txn.Discard()
		if err := txn.Commit(); err != nil {
			return err
		}
		// No record has this number: the next one starts the log
		// again at slot 0, where Open looks for it (everything before
		// it is in Badger).
		l.seq, l.slot = seq, 0
		return nil
	}
	if err := l.write(seq, ops); err != nil {
		// Perhaps on the disk, perhaps not: the store stops here, and
		// the next Open decides (as for a Badger commit whose sync
		// failed).
		txn.Discard()
		return d.failCommit(seq, err)
	}
	l.seq = seq
	if testHookLogged != nil {
		testHookLogged()
	}
	done := make(chan error, 1)
	l.inflight = done
	txn.CommitWith(func(err error) {
		if err != nil {
			_ = d.failCommit(seq, err)
		}
		done <- err
	})
	return nil
}

// testHookLogged, in tests, runs after a record is synced in the log and
// before Badger's commit of it starts (TestKillBetweenLogAndBadger).
var testHookLogged func()

// failCommit marks the store failed: commit seq was written to the log
// (or may have been) but Badger does not have it. Every later call fails
// with the returned error, until the store is opened again, and the store
// reports it as damaged (Damage, Damaged).
func (d *DB) failCommit(seq uint64, cause error) error {
	err := fmt.Errorf("%w: commit %d is in %s but not in the store (%v): open the store again to apply it", ErrUnavailable, seq, CommitLogFile, cause)
	if d.failed.CompareAndSwap(nil, &err) {
		// The kiosk goes out of order at once, not at its next write.
		d.markFault(fmt.Errorf("storage: %s: %w", d.dir, err))
	}
	return *d.failed.Load()
}

// commitFailed is failCommit's error, or nil.
func (d *DB) commitFailed() error {
	if p := d.failed.Load(); p != nil {
		return *p
	}
	return nil
}

// settleLog waits for the Badger commit in flight, if any, as a writer
// that commits to Badger itself must (d.commitMu held): its error stops
// the store (failCommit).
func (d *DB) settleLog() error {
	if d.clog == nil {
		return nil
	}
	if err := d.clog.settle(); err != nil {
		return d.failCommit(d.clog.seq, err)
	}
	return nil
}

// settleCommits waits for the Badger commit and the anchor sync in
// flight (what a kiosk's next sale, seconds later, finds done).
func (d *DB) settleCommits() error {
	d.commitMu.Lock()
	defer d.commitMu.Unlock()
	err := d.settleLog()
	if d.anchor != nil {
		err = errors.Join(err, d.anchor.settle())
	}
	return err
}

// closeCommitLog waits for the Badger commit in flight and closes the
// log.
func (d *DB) closeCommitLog() {
	d.commitMu.Lock()
	defer d.commitMu.Unlock()
	if d.clog == nil {
		return
	}
	_ = d.settleLog()
	_ = d.clog.f.Close()
	d.clog = nil
}
