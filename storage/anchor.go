package storage

// The journal anchor: the head of the journal (sequence number and hash)
// kept outside Badger, in the file ANCHOR in the data dir, so that a store
// that lost acknowledged records (a memtable log with flipped bits that
// Badger replays only up to the damage, a data dir restored from an old
// copy) is refused at Open instead of selling on with a shorter journal
// whose chain still verifies.
//
// The file holds two slots of anchorSlotSize bytes. A slot is "SKA2", a
// generation number, the anchor (sequence number and hash of a journal
// record), the anchor acknowledged before it (sequence number and hash)
// and a CRC-32C of those. The valid slot with the higher generation
// counts. (Files written before the generation existed hold "SKA1" slots
// of 64 bytes: sequence number, hash, CRC; they read as generation 0 with
// nothing in flight.)
//
// A commit that moves the journal on (DB.update) writes one slot, after
// the commit went through (its record synced in the commit log,
// commitlog.go, or Badger's own commit returned): the new head,
// acknowledged (Prev equals it), in the slot other than the newest. Its
// fdatasync runs in the background, between this sale and the next:
// before the next commit that moves the journal is acknowledged, it waits
// for that sync. So when a commit is acknowledged, the anchor on disk is
// at least at the head before it, and a moment later (one sync; a kiosk's
// sales are seconds apart) at the commit itself; the anchor costs the
// commit a pwrite of one slot, not a second device flush in a row with
// the commit's.
// Close waits for the last sync.
//
// At Open the store's head must be at the anchor or past it. A store
// ahead of the anchor is accepted when the record at the anchor's number
// still has the anchor's hash (a power cut before the confirmation of the
// last commits reached the disk, or a commit that did not go through
// DB.update), and the anchor moves up. Anything else — a head below the
// anchor, or another record at the anchor's number — is a store that lost
// records a caller was told were stored, and Open refuses it with
// ErrRolledBack.
//
// Crash windows: a torn slot fails its CRC and the other slot, one
// generation older, counts: the commit before, which was on disk before
// the torn one was written. A power cut can take the confirmations not
// yet synced: at most the last acknowledged commit's, since each commit
// waits for the one before. So a loss of exactly the last acknowledged
// sale in the moment before a power cut, with the memtable log damaged in
// the same place, is the one case the anchor cannot tell from a sale
// whose confirmation did not reach the disk. A commit that fails (a WAL
// sync with an I/O error, whose entries may be visible though not
// durable) writes no slot: after a power cut the store is judged against
// what was acknowledged.
//
// Files written before this scheme may hold an intent: a slot written
// before Badger's commit, naming the head the commit would leave, with the
// head acknowledged before it as Prev (Prev differs from the anchor). At
// Open a store that has not reached an intent must meet its Prev: the
// commit in flight was never acknowledged.
//
// Commits that move the journal are serialized by DB.commitMu, and so are
// the confirmations, the waits for their syncs and Close's: a slot always
// names the head its own commit left, in the order of the commits.
//
// A missing ANCHOR file is not an error for a store made before the
// anchor existed: Open writes one, and notes in the store (meta/anchored)
// that it has one. A store with that note and no file lost its anchor (a
// file deleted to get past the check, a data dir copied without it): Open
// refuses it as rolled back, since it can no longer tell, and
// `selvkasse journal accept-rollback` journals the technician's word and
// writes a new one.

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
	anchorSlotSize = 128
	anchorMagic    = "SKA2"
	// The first format: 64-byte slots without generation or intent.
	anchorV1SlotSize = 64
	anchorV1Magic    = "SKA1"
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// anchor is a journal position: record Seq with hash Hash. Seq 0 is the
// empty journal.
type anchor struct {
	Seq  uint64
	Hash kiosk.Hash
}

// slot is one of the file's two slots: the anchor, and Prev, the anchor
// acknowledged before it; Prev equals the anchor once the commit that
// wrote it was acknowledged (a confirmation), and is the head before that
// commit while it is in flight (an intent).
type slot struct {
	anchor
	Prev anchor
	Gen  uint64
}

// intent says whether s is a commit's intent, not yet confirmed.
func (s slot) intent() bool { return s.Prev != s.anchor }

func encodeSlot(s slot) []byte {
	b := make([]byte, anchorSlotSize)
	copy(b, anchorMagic)
	binary.BigEndian.PutUint64(b[4:], s.Gen)
	binary.BigEndian.PutUint64(b[12:], s.Seq)
	copy(b[20:52], s.Hash[:])
	binary.BigEndian.PutUint64(b[52:], s.Prev.Seq)
	copy(b[60:92], s.Prev.Hash[:])
	binary.BigEndian.PutUint32(b[92:], crc32.Checksum(b[:92], crcTable))
	return b
}

// decodeSlot reads a slot at the start of b, in either format, and how
// many bytes it takes.
func decodeSlot(b []byte) (slot, int, bool) {
	switch {
	case len(b) >= 96 && string(b[:4]) == anchorMagic && binary.BigEndian.Uint32(b[92:]) == crc32.Checksum(b[:92], crcTable):
		var s slot
		s.Gen = binary.BigEndian.Uint64(b[4:])
		s.Seq = binary.BigEndian.Uint64(b[12:])
		copy(s.Hash[:], b[20:52])
		s.Prev.Seq = binary.BigEndian.Uint64(b[52:])
		copy(s.Prev.Hash[:], b[60:92])
		return s, anchorSlotSize, true
	case len(b) >= 48 && string(b[:4]) == anchorV1Magic && binary.BigEndian.Uint32(b[44:]) == crc32.Checksum(b[:44], crcTable):
		var s slot
		s.Seq = binary.BigEndian.Uint64(b[4:])
		copy(s.Hash[:], b[12:44])
		s.Prev = s.anchor
		return s, anchorV1SlotSize, true
	}
	return slot{}, 0, false
}

// anchorFile is the open ANCHOR file of a DB.
type anchorFile struct {
	f    *os.File
	next int64 // the slot the next write goes to: 0 or 1
	gen  uint64
	last anchor // the head last acknowledged
	// frozen: the store was opened behind its anchor (Options.OpenRolledBack);
	// commits do not move the anchor until AcceptRollback.
	frozen bool
	// syncing: the last confirmation's fdatasync in flight (nil: none),
	// which answers once; settle waits for it.
	syncing chan error
}

// readAnchor reads dir's anchor: the valid slot of the highest
// generation. ok is false when there is no file, or no valid slot in it
// (a file cut short before its first write completed).
func readAnchor(dir string) (s slot, ok bool, err error) {
	s, _, ok, err = readAnchorAt(dir)
	return s, ok, err
}

// readAnchorAt is readAnchor, and the byte offset of the slot it chose.
func readAnchorAt(dir string) (s slot, at int, ok bool, err error) {
	b, err := os.ReadFile(filepath.Join(dir, AnchorFile))
	if errors.Is(err, fs.ErrNotExist) {
		return slot{}, 0, false, nil
	}
	if err != nil {
		return slot{}, 0, false, fmt.Errorf("%w: read %s: %v", ErrUnavailable, AnchorFile, err)
	}
	// Slots start at multiples of the old format's size: a file of the
	// old format, or one half rewritten in the new.
	for i := 0; i < len(b) && i < 2*anchorSlotSize; i += anchorV1SlotSize {
		if c, _, valid := decodeSlot(b[i:]); valid && (!ok || c.Gen > s.Gen || c.Gen == s.Gen && c.Seq > s.Seq) {
			s, at, ok = c, i, true
		}
	}
	return s, at, ok, nil
}

// openAnchor is Open's hook: it compares the journal head with the anchor
// and opens the anchor file for the commit path. A store behind its anchor
// is refused with ErrRolledBack (and ErrCorrupt) unless allow is set; then
// RolledBack reports it and the anchor stays where it is.
func (d *DB) openAnchor(allow bool) error {
	s, at, had, err := readAnchorAt(d.dir)
	if err != nil {
		return err
	}
	head, err := d.Head(context.Background())
	if err != nil {
		return fmt.Errorf("%w: read journal head: %v", ErrCorrupt, err)
	}
	armed, err := d.anchoredAt()
	if err != nil {
		return err
	}
	behind := ""
	switch {
	case had:
		behind, err = d.checkAnchor(s, head)
		if err != nil {
			return err
		}
	case armed != nil:
		behind = fmt.Sprintf("the anchor file %s is missing, though this store has had one since journal record %d: whether records were lost cannot be told",
			AnchorFile, *armed)
	}
	if behind == "" {
		// Commits the commit log had and the store lacks (only with
		// allow: openCommitLog refuses them otherwise).
		behind = d.logGap
	}
	if behind != "" && !allow {
		return fmt.Errorf("%w: %s", errRolledBack, behind)
	}
	if d.readOnly {
		// Compared, not written: there are no commits to anchor.
		d.rolledBack = behind
		return nil
	}
	f, err := os.OpenFile(filepath.Join(d.dir, AnchorFile), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("%w: open %s: %v", ErrUnavailable, AnchorFile, err)
	}
	// The next write goes to the other slot than the anchor's, so that
	// a torn write leaves the anchor.
	d.anchor = &anchorFile{f: f, next: int64(1 - at/anchorSlotSize), gen: s.Gen, last: s.anchor, frozen: behind != ""}
	d.rolledBack = behind
	if behind != "" {
		return nil
	}
	h := anchor{Seq: head.Seq, Hash: head.Hash}
	if !had || s.anchor != h || s.intent() || at%anchorSlotSize != 0 || s.Gen == 0 {
		// Both slots: the file may be of the old format (generation 0),
		// and a slot left with an intent would tolerate a loss the store
		// has not had.
		for range 2 {
			if err := d.anchor.write(h); err != nil {
				_ = f.Close()
				return fmt.Errorf("%w: %v", ErrUnavailable, err)
			}
		}
	}
	if armed == nil {
		// After the file: a crash between the two leaves a file and no
		// note, which the next Open completes.
		err := d.bdb.Update(func(txn *badger.Txn) error {
			return txn.Set([]byte(keyAnchor), binary.BigEndian.AppendUint64(nil, head.Seq))
		})
		if err != nil {
			_ = f.Close()
			return fmt.Errorf("%w: note the anchor: %v", ErrUnavailable, err)
		}
	}
	return nil
}

// anchoredAt reads meta/anchored: the journal head when the store's
// ANCHOR was first written, nil when it never was.
func (d *DB) anchoredAt() (*uint64, error) {
	var at *uint64
	err := d.bdb.View(func(txn *badger.Txn) error {
		b, err := getRaw(txn, []byte(keyAnchor))
		if err != nil || b == nil {
			return err
		}
		if len(b) != 8 {
			return fmt.Errorf("%w: %s has %d bytes, want 8", ErrCorrupt, keyAnchor, len(b))
		}
		n := binary.BigEndian.Uint64(b)
		at = &n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: read %s: %v", ErrCorrupt, keyAnchor, err)
	}
	return at, nil
}

// checkAnchor says how head falls behind the anchor in s ("" when it does
// not). Where s is an intent and head has not reached it, the commit in
// flight may be missing: head must then meet the anchor acknowledged
// before it.
func (d *DB) checkAnchor(s slot, head kiosk.Record) (string, error) {
	if !s.intent() || head.Seq >= s.Seq {
		return d.compareAnchor(s.anchor, head)
	}
	return d.compareAnchor(s.Prev, head)
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

// put writes a, acknowledged (Prev equals it), with the next generation
// into the next slot, without a sync, and makes it the last anchor.
func (af *anchorFile) put(a anchor) error {
	s := slot{anchor: a, Prev: a, Gen: af.gen + 1}
	if _, err := af.f.WriteAt(encodeSlot(s), af.next*anchorSlotSize); err != nil {
		return fmt.Errorf("storage: write %s: %w", AnchorFile, err)
	}
	af.gen = s.Gen
	af.next = 1 - af.next
	af.last = a
	return nil
}

func (af *anchorFile) sync() error {
	if err := datasync(af.f); err != nil {
		return fmt.Errorf("storage: sync %s: %w", AnchorFile, err)
	}
	return nil
}

// write stores a, acknowledged, after the sync in flight, and
// fdatasyncs the file.
func (af *anchorFile) write(a anchor) error {
	if err := af.settle(); err != nil {
		return err
	}
	if err := af.put(a); err != nil {
		return err
	}
	return af.sync()
}

// anchorCommit is the commit path's hook (DB.update, under commitMu,
// after fn built txn and before txn commits): it notes the journal head
// txn leaves. The returned commit must be called with the outcome of
// the commit (DB.commit); when the commit stood and moved the head past the
// anchor, it waits for the previous confirmation's sync, writes this
// commit's confirmation and starts its sync. Errors of the anchor are
// returned by commit: the Badger commit stands, and an anchor left behind
// only narrows what a later Open can detect.
func (d *DB) anchorCommit(txn *badger.Txn) (commit func(committed bool) error) {
	nothing := func(bool) error { return nil }
	af := d.anchor
	if af == nil || af.frozen {
		return nothing
	}
	head, err := readHeadMark(txn) // the txn's own write, if it appended
	if err != nil {
		return func(bool) error { return fmt.Errorf("storage: anchor: read journal head: %w", err) }
	}
	h := anchor{Seq: head.Seq, Hash: head.Hash}
	if h.Seq <= af.last.Seq {
		return nothing
	}
	return func(committed bool) error {
		if !committed {
			return nil
		}
		// The commit before is on disk before this one is acknowledged.
		err := af.settle()
		if perr := af.put(h); perr != nil {
			return errors.Join(err, perr)
		}
		done := make(chan error, 1)
		af.syncing = done
		go func() { done <- af.sync() }()
		return err
	}
}

// settle waits for the confirmation's sync in flight, if any, and returns
// its error.
func (af *anchorFile) settle() error {
	if af.syncing == nil {
		return nil
	}
	err := <-af.syncing
	af.syncing = nil
	return err
}

// closeAnchor waits for the last confirmation's sync and closes the
// anchor file.
func (d *DB) closeAnchor() {
	d.commitMu.Lock()
	defer d.commitMu.Unlock()
	if d.anchor != nil {
		if err := d.anchor.settle(); err != nil && d.log != nil {
			d.log.Error("journal anchor not synced at close", "err", err)
		}
		_ = d.anchor.f.Close()
	}
}

// RolledBack says how the store is behind its anchor ("" when it is not).
// Only a store opened with Options.OpenRolledBack can be: Open refuses
// one otherwise.
func (d *DB) RolledBack() string {
	d.commitMu.Lock()
	defer d.commitMu.Unlock()
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
	d.commitMu.Lock()
	defer d.commitMu.Unlock()
	// Both slots: the other one still holds the old, higher anchor.
	a := anchor{Seq: r.Seq, Hash: r.Hash}
	for range 2 {
		if err := d.anchor.write(a); err != nil {
			return kiosk.Record{}, err
		}
	}
	d.anchor.frozen = false
	d.rolledBack = ""
	return r, nil
}
