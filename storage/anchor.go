package storage

// The journal anchor: the head of the journal (sequence number and hash)
// kept outside Badger, in the file ANCHOR in the data dir, so that a store
// that lost acknowledged records (a memtable log with flipped bits that
// Badger replays only up to the damage, a data dir restored from an old
// copy) is refused at Open instead of selling on with a shorter journal
// whose chain still verifies.
//
// The file holds two slots of anchorSlotSize bytes; writes alternate
// between them, each slot is "SKA1", the sequence number (8 bytes, big
// endian), the record's hash (32 bytes) and a CRC-32C of those, and the
// file is fdatasynced after each write. The valid slot with the higher
// sequence number is the anchor.
//
// Crash windows, on the commit path (DB.update, after Badger's commit
// returned, so after its fsync):
//
//   - crash before the anchor write: the anchor is behind the head Badger
//     acknowledged. Open accepts a store ahead of its anchor (checking that
//     the record at the anchor's number still has the anchor's hash) and
//     moves the anchor up to the head.
//   - crash during the write: the slot being written may be torn; its CRC
//     fails and the other slot, an older anchor, counts. Behind again.
//   - crash after the write, before fdatasync: the file's page may or may
//     not have reached the disk; either slot content is a valid anchor that
//     Badger had already made durable. Behind or equal.
//
// The anchor is therefore never ahead of what Badger acknowledged, and a
// store found behind its anchor lost records a caller was told were
// stored. (The head is read in a new transaction: Badger's read timestamp
// waits for every earlier commit's doneCommit, which runs only after the
// write request returned, and with SyncWrites the request syncs the
// memtable log first; badger/v4 txn.go commitAndSend, db.go writeToLSM.
// One exception: a WAL sync that fails with an I/O error leaves its
// entries visible though maybe not durable; that commit returns the
// error, but a later commit may anchor past it. After such an error and a
// power cut the store may be refused as rolled back when it lost only
// unacknowledged records: a false alarm on a failing disk, never a silent
// loss.) Commits run concurrently; anchorMu orders the anchor writes and
// each writes the head read after its own commit, so the anchor only
// moves forward.
//
// A missing ANCHOR file is not an error: a store made before the anchor
// existed has none, and Open writes one. (Deleting the file therefore
// disarms the check once; it is the documented recovery, see README, and
// `selvkasse journal accept-rollback` journals it instead.)

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
)

// ErrRolledBack: the store's journal is behind the anchor kept outside
// Badger: records that were acknowledged as stored are gone (damaged
// memtable log, a data dir restored from an older copy). The kiosk must
// not sell on it; a technician restores the data or accepts the loss with
// `selvkasse journal accept-rollback`. An ErrRolledBack error is also an
// ErrCorrupt one.
var ErrRolledBack = errors.New("storage: journal rolled back behind its anchor")

var errRolledBack = fmt.Errorf("%w (%w)", ErrRolledBack, ErrCorrupt)

// AnchorFile is the anchor's file name in the data dir.
const AnchorFile = "ANCHOR"

const (
	anchorSlotSize = 64
	anchorMagic    = "SKA1"
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// anchor is a journal position: record Seq with hash Hash. Seq 0 is the
// empty journal.
type anchor struct {
	Seq  uint64
	Hash kiosk.Hash
}

func encodeSlot(a anchor) []byte {
	b := make([]byte, anchorSlotSize)
	copy(b, anchorMagic)
	binary.BigEndian.PutUint64(b[4:], a.Seq)
	copy(b[12:44], a.Hash[:])
	binary.BigEndian.PutUint32(b[44:], crc32.Checksum(b[:44], crcTable))
	return b
}

func decodeSlot(b []byte) (anchor, bool) {
	if len(b) < 48 || string(b[:4]) != anchorMagic || binary.BigEndian.Uint32(b[44:]) != crc32.Checksum(b[:44], crcTable) {
		return anchor{}, false
	}
	var a anchor
	a.Seq = binary.BigEndian.Uint64(b[4:])
	copy(a.Hash[:], b[12:44])
	return a, true
}

// anchorFile is the open ANCHOR file of a DB.
type anchorFile struct {
	f    *os.File
	next int64 // the slot the next write goes to: 0 or 1
	last anchor
	// frozen: the store was opened behind its anchor (Options.OpenRolledBack);
	// commits do not move the anchor until AcceptRollback.
	frozen bool
}

// readAnchor reads dir's anchor; ok is false when there is no file, or no
// valid slot in it (a file cut short before its first write completed).
func readAnchor(dir string) (a anchor, ok bool, err error) {
	b, err := os.ReadFile(filepath.Join(dir, AnchorFile))
	if errors.Is(err, fs.ErrNotExist) {
		return anchor{}, false, nil
	}
	if err != nil {
		return anchor{}, false, fmt.Errorf("%w: read %s: %v", ErrUnavailable, AnchorFile, err)
	}
	for i := 0; i+anchorSlotSize <= len(b) && i < 2*anchorSlotSize; i += anchorSlotSize {
		if s, valid := decodeSlot(b[i : i+anchorSlotSize]); valid && (!ok || s.Seq > a.Seq) {
			a, ok = s, true
		}
	}
	return a, ok, nil
}

// openAnchor is Open's hook: it compares the journal head with the anchor
// and opens the anchor file for the commit path. A store behind its anchor
// is refused with ErrRolledBack (and ErrCorrupt) unless allow is set; then
// RolledBack reports it and the anchor stays where it is.
func (d *DB) openAnchor(allow bool) error {
	a, had, err := readAnchor(d.dir)
	if err != nil {
		return err
	}
	head, err := d.Head(context.Background())
	if err != nil {
		return fmt.Errorf("%w: read journal head: %v", ErrCorrupt, err)
	}
	behind := ""
	if had {
		behind, err = d.compareAnchor(a, head)
		if err != nil {
			return err
		}
	}
	if behind != "" && !allow {
		return fmt.Errorf("%w: %s", errRolledBack, behind)
	}
	f, err := os.OpenFile(filepath.Join(d.dir, AnchorFile), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("%w: open %s: %v", ErrUnavailable, AnchorFile, err)
	}
	d.anchor = &anchorFile{f: f, last: a, frozen: behind != ""}
	d.rolledBack = behind
	if behind != "" {
		return nil
	}
	if !had || head.Seq > a.Seq {
		if err := d.anchor.write(anchor{Seq: head.Seq, Hash: head.Hash}); err != nil {
			_ = f.Close()
			return fmt.Errorf("%w: %v", ErrUnavailable, err)
		}
	}
	return nil
}

// compareAnchor says how head falls behind a ("" when it does not): a
// head with a lower number, or a journal whose record a.Seq has another
// hash (a different history).
func (d *DB) compareAnchor(a anchor, head kiosk.Record) (string, error) {
	switch {
	case a.Seq == 0:
		return "", nil
	case head.Seq < a.Seq:
		return fmt.Sprintf("the journal ends at record %d, but record %d (%s) was acknowledged as stored: %d records are gone",
			head.Seq, a.Seq, short(a.Hash), a.Seq-head.Seq), nil
	case head.Seq == a.Seq:
		if head.Hash != a.Hash {
			return fmt.Sprintf("journal record %d has hash %s, the anchor says %s", a.Seq, short(head.Hash), short(a.Hash)), nil
		}
		return "", nil
	}
	var r kiosk.Record
	var found bool
	err := d.bdb.View(func(txn *badger.Txn) error {
		b, err := getRaw(txn, jrnlKey(a.Seq))
		if err != nil || b == nil {
			return err
		}
		found = true
		r, err = kiosk.DecodeRecord(b)
		return err
	})
	switch {
	case err != nil:
		return "", fmt.Errorf("%w: read journal record %d: %v", ErrCorrupt, a.Seq, err)
	case !found:
		return fmt.Sprintf("journal record %d (%s) is missing", a.Seq, short(a.Hash)), nil
	case r.Hash != a.Hash:
		return fmt.Sprintf("journal record %d has hash %s, the anchor says %s", a.Seq, short(r.Hash), short(a.Hash)), nil
	}
	return "", nil
}

func short(h kiosk.Hash) string { return h.String()[:16] }

// write stores a in the next slot and fdatasyncs the file.
func (af *anchorFile) write(a anchor) error {
	if _, err := af.f.WriteAt(encodeSlot(a), af.next*anchorSlotSize); err != nil {
		return fmt.Errorf("storage: write %s: %w", AnchorFile, err)
	}
	if err := datasync(af.f); err != nil {
		return fmt.Errorf("storage: sync %s: %w", AnchorFile, err)
	}
	af.next = 1 - af.next
	af.last = a
	return nil
}

// advanceAnchor moves the anchor to the journal head after a commit: the
// commit path's hook (DB.update). The head read here is at least the
// caller's own commit, and every commit visible to a new transaction has
// been synced by Badger (SyncWrites), so the anchor never gets ahead of
// what Badger acknowledged.
func (d *DB) advanceAnchor() error {
	if d.anchor == nil {
		return nil
	}
	d.anchorMu.Lock()
	defer d.anchorMu.Unlock()
	if d.anchor.frozen {
		return nil
	}
	var head kiosk.Record
	err := d.bdb.View(func(txn *badger.Txn) error {
		var err error
		head, err = readHead(txn)
		return err
	})
	if err != nil {
		return fmt.Errorf("storage: anchor: read journal head: %w", err)
	}
	if head.Seq <= d.anchor.last.Seq {
		return nil
	}
	return d.anchor.write(anchor{Seq: head.Seq, Hash: head.Hash})
}

// closeAnchor closes the anchor file.
func (d *DB) closeAnchor() {
	if d.anchor != nil {
		_ = d.anchor.f.Close()
	}
}

// RolledBack says how the store is behind its anchor ("" when it is not).
// Only a store opened with Options.OpenRolledBack can be: Open refuses
// one otherwise.
func (d *DB) RolledBack() string {
	d.anchorMu.Lock()
	defer d.anchorMu.Unlock()
	return d.rolledBack
}

// AcceptRollback journals e, the technician's acceptance that the records
// after the journal head are lost, and moves the anchor to the new head:
// the store is then opened normally again. e should say who accepted and
// what was lost (RolledBack). Errors: ErrClosed; an error when the store
// is not behind its anchor.
func (d *DB) AcceptRollback(ctx context.Context, e kiosk.Entry) (kiosk.Record, error) {
	if d.RolledBack() == "" {
		return kiosk.Record{}, errors.New("storage: accept rollback: the store is not behind its anchor")
	}
	r, err := d.Append(ctx, e)
	if err != nil {
		return kiosk.Record{}, err
	}
	d.anchorMu.Lock()
	defer d.anchorMu.Unlock()
	// Both slots: the other one still holds the old, higher anchor.
	for range 2 {
		if err := d.anchor.write(anchor{Seq: r.Seq, Hash: r.Hash}); err != nil {
			return kiosk.Record{}, err
		}
	}
	d.anchor.frozen = false
	d.rolledBack = ""
	return r, nil
}
