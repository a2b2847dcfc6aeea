package storage

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
)

var _ kiosk.Journal = (*DB)(nil)

// Append implements kiosk.Journal: it reads the head, seals e after it and
// writes the record and the new head in one transaction.
func (d *DB) Append(ctx context.Context, e kiosk.Entry) (r kiosk.Record, err error) {
	err = d.call("append", func() error {
		return d.update(ctx, "append", func(txn *badger.Txn) error {
			r, err = appendRecord(txn, e)
			return err
		})
	})
	if err != nil {
		return kiosk.Record{}, err
	}
	return asScanned(r)
}

// appendRecord seals e after the head read in txn and writes the record and
// the head. It returns the sealed record, which shares e's Data map and
// Tx (asScanned copies it).
func appendRecord(txn *badger.Txn, e kiosk.Entry) (kiosk.Record, error) {
	head, err := readHeadMark(txn) // Seal needs its number and hash only
	if err != nil {
		return kiosk.Record{}, err
	}
	r, b, err := kiosk.SealEncoded(head, e)
	if err != nil {
		return kiosk.Record{}, err
	}
	if err := set(txn, jrnlKey(r.Seq), b); err != nil {
		return kiosk.Record{}, err
	}
	if err := set(txn, []byte(keyHead), b); err != nil {
		return kiosk.Record{}, err
	}
	// The one place journal records are counted into the report totals.
	if err := addEntryTotals(txn, e); err != nil {
		return kiosk.Record{}, err
	}
	return r, nil
}

// asScanned is r, sealed by appendRecord, as Scan will read it back: a
// copy that shares nothing with the entry it was sealed from (its Data
// map, its Tx). Only callers that hand the record out need it; the
// commit paths that do not (a sale, a receipt) skip the decode.
func asScanned(r kiosk.Record) (kiosk.Record, error) {
	b, err := r.Encode()
	if err == nil {
		r, err = kiosk.DecodeRecord(b)
	}
	if err != nil {
		return kiosk.Record{}, fmt.Errorf("storage: journal record %d: %w", r.Seq, err)
	}
	return r, nil
}

// readHeadMark reads the journal head's number and hash only (the rest of
// the returned record is zero): what sealing the next record and the
// anchor need, without decoding the head's whole content (a sale's lines,
// a report's text) on every commit. Errors: as readHead's.
func readHeadMark(txn *badger.Txn) (kiosk.Record, error) {
	b, err := getRaw(txn, []byte(keyHead))
	if err != nil || b == nil {
		return kiosk.Record{}, err
	}
	if r, ok := quickMark(b); ok {
		return r, nil
	}
	var w struct {
		Body struct {
			Seq uint64 `json:"seq"`
		} `json:"body"`
		Hash kiosk.Hash `json:"hash"`
	}
	if err := json.Unmarshal(b, &w); err != nil || w.Body.Seq == 0 {
		return kiosk.Record{}, fmt.Errorf("storage: journal head: %w: %v", kiosk.ErrCorruptRecord, err)
	}
	return kiosk.Record{Seq: w.Body.Seq, Hash: w.Hash}, nil
}

// quickMark reads the number and hash of a record in the form
// kiosk.Record.Encode writes, `{"body":{"seq":N,…},"hash":"<64 hex>"}`,
// without scanning the body; ok is false for anything else (readHeadMark
// then decodes it in full).
func quickMark(b []byte) (kiosk.Record, bool) {
	const pre, post = `{"body":{"seq":`, `"}`
	if !bytes.HasPrefix(b, []byte(pre)) || !bytes.HasSuffix(b, []byte(post)) || len(b) < len(pre)+64+len(`},"hash":"`)+len(post) {
		return kiosk.Record{}, false
	}
	tail := b[len(b)-len(post)-64-len(`},"hash":"`) : len(b)-len(post)]
	if !bytes.HasPrefix(tail, []byte(`},"hash":"`)) {
		return kiosk.Record{}, false
	}
	var r kiosk.Record
	if err := r.Hash.UnmarshalText(tail[len(`},"hash":"`):]); err != nil {
		return kiosk.Record{}, false
	}
	n := 0
	for _, c := range b[len(pre):] {
		if c < '0' || c > '9' {
			break
		}
		if n++; n > 19 {
			return kiosk.Record{}, false
		}
		r.Seq = r.Seq*10 + uint64(c-'0')
	}
	if n == 0 || r.Seq == 0 || b[len(pre)+n] != ',' {
		return kiosk.Record{}, false
	}
	return r, true
}

func readHead(txn *badger.Txn) (kiosk.Record, error) {
	b, err := getRaw(txn, []byte(keyHead))
	if err != nil || b == nil {
		return kiosk.Record{}, err
	}
	r, err := kiosk.DecodeRecord(b)
	if err != nil {
		return kiosk.Record{}, fmt.Errorf("storage: journal head: %w", err)
	}
	return r, nil
}

// scanBatch is how many records Scan reads per transaction.
const scanBatch = 256

// scanReleaseEvery is how many records a long Scan reads between releases
// of the table pages: about 40 MiB of tables. A release lists Badger's
// tables twice, and the first listing reads each table's index again
// (the last release dropped it): about 140 ms at a million sales on the
// development VM. Every 16 384 records, releases took 29 % of a scan of
// the whole journal (3.3 million records, 100 s).
const scanReleaseEvery = 256 * scanBatch

// scanReleaseAfter is how many records a Scan reads before it releases
// the table pages at its end: start-up's check of the journal's last 2048
// records leaves its pages (about 2 MiB) to the next release, instead of
// releasing every table again (about 25 ms at a million sales).
const scanReleaseAfter = 16 * scanBatch

// Scan implements kiosk.Journal. It reads the records in batches and calls
// fn outside any lock or transaction, so fn may call the DB (and records it
// appends may be scanned too). With Options.ScanWorkers above 1 the
// records are read ahead and decoded on that many goroutines while fn
// runs (scanAhead).
func (d *DB) Scan(ctx context.Context, from uint64, fn func(kiosk.Record) error) error {
	if from == 0 {
		from = 1
	}
	// A long scan leaves the table pages it read mapped; they are
	// released every scanReleaseEvery records and, in the background,
	// after its end (pages.go), so a scan of the whole journal does not
	// hold it all.
	unreleased := 0
	defer func() {
		if unreleased >= scanReleaseAfter {
			d.releaseSoon()
		}
	}()
	if d.scanWorkers > 1 {
		next, err := d.scanAhead(ctx, from, fn, &unreleased)
		if err != nil {
			return err
		}
		// On from the journal's end as the reading found it: what fn
		// appended meanwhile.
		from = next
	}
	for {
		// On a bad record, the records before it still go to fn first.
		raw, next, readErr := d.readBatch(ctx, from, &unreleased)
		batch, decErr := decodeRaw(raw)
		if err := deliver(ctx, batch, decErr, readErr, fn); err != nil {
			return err
		}
		if len(raw) < scanBatch || next == 0 {
			return nil
		}
		from = next
	}
}

// scanAhead is Scan's reading with workers: one goroutine reads the
// batches of raw records in order, d.scanWorkers goroutines decode them,
// and fn gets them in order on the caller's goroutine. It returns the
// number after the last record the reading found, or the first error,
// after the records before it went to fn. Nothing it started runs on
// after it returns.
func (d *DB) scanAhead(ctx context.Context, from uint64, fn func(kiosk.Record) error, unreleased *int) (uint64, error) {
	type batch struct {
		raw     []storedRecord
		readErr error
		recs    []kiosk.Record
		decErr  error
		done    chan struct{}
	}
	stop := make(chan struct{})
	ordered := make(chan *batch, 2*d.scanWorkers)
	work := make(chan *batch, 2*d.scanWorkers)
	var wg sync.WaitGroup
	wg.Add(1 + d.scanWorkers)
	var end uint64
	go func() {
		defer wg.Done()
		defer close(ordered)
		defer close(work)
		for {
			raw, next, err := d.readBatch(ctx, from, unreleased)
			b := &batch{raw: raw, readErr: err, done: make(chan struct{})}
			select {
			case ordered <- b:
			case <-stop:
				return
			}
			select {
			case work <- b:
			case <-stop:
				return
			}
			if len(raw) > 0 {
				from = next
			}
			if err != nil || len(raw) < scanBatch {
				end = from
				if testHookScanAheadEnd != nil {
					testHookScanAheadEnd()
				}
				return
			}
		}
	}()
	for range d.scanWorkers {
		go func() {
			defer wg.Done()
			for b := range work {
				b.recs, b.decErr = decodeRaw(b.raw)
				close(b.done)
			}
		}()
	}
	finish := func(err error) (uint64, error) {
		close(stop)
		wg.Wait()
		return end, err
	}
	for b := range ordered {
		<-b.done
		if err := deliver(ctx, b.recs, b.decErr, b.readErr, fn); err != nil {
			return finish(err)
		}
	}
	return finish(nil)
}

// deliver hands a batch's records to fn in order, and then its decoding
// error and its reading error, the records before a bad one first; it
// stops at fn's first error or when ctx is done.
func deliver(ctx context.Context, recs []kiosk.Record, decErr, readErr error, fn func(kiosk.Record) error) error {
	for _, r := range recs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if decErr != nil {
		return decErr
	}
	return readErr
}

// readBatch is Scan's next batch (readRaw of scanBatch records from
// from), after releasing the table pages when *unreleased records were
// read since the last release; it counts the batch into *unreleased.
func (d *DB) readBatch(ctx context.Context, from uint64, unreleased *int) ([]storedRecord, uint64, error) {
	if *unreleased >= scanReleaseEvery {
		d.releaseTablePagesNow()
		*unreleased = 0
	}
	raw, next, err := d.readRaw(ctx, from, scanBatch)
	*unreleased += len(raw)
	return raw, next, err
}

// testHookScanAheadEnd, in tests, runs when scanAhead's reading has
// found the journal's end.
var testHookScanAheadEnd func()

// storedRecord is a journal record as stored, not decoded yet.
type storedRecord struct {
	seq uint64
	b   []byte
}

// decodeRaw decodes raw in order; on a bad record it returns the records
// before it and the error.
func decodeRaw(raw []storedRecord) ([]kiosk.Record, error) {
	out := make([]kiosk.Record, 0, len(raw))
	for _, rr := range raw {
		r, err := kiosk.DecodeRecord(rr.b)
		if err != nil {
			return out, fmt.Errorf("storage: scan journal: record %d: %w", rr.seq, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// readRaw reads up to max stored records from key from on, and the key to
// go on from. On an error it returns the records before the bad one too.
// A record whose key and number disagree is returned as it is: the chain
// check reports it.
func (d *DB) readRaw(ctx context.Context, from uint64, max int) (out []storedRecord, next uint64, err error) {
	err = d.call("scan journal", func() error {
		return d.view(ctx, func(txn *badger.Txn) error {
			prefix := []byte(prefJrnl)
			if err := d.verifyKeys(jrnlKey(from), prefixEnd(prefix)); err != nil {
				return err
			}
			it := txn.NewIterator(badger.IteratorOptions{PrefetchValues: true, PrefetchSize: 64, Prefix: prefix})
			defer it.Close()
			for it.Seek(jrnlKey(from)); it.ValidForPrefix(prefix) && len(out) < max; it.Next() {
				item := it.Item()
				seq, ok := jrnlSeq(item.Key())
				if !ok {
					return fmt.Errorf("storage: scan journal: key %q: %w", item.Key(), kiosk.ErrCorruptRecord)
				}
				b, err := item.ValueCopy(nil)
				if err != nil {
					return fmt.Errorf("storage: scan journal: read record %d: %w", seq, err)
				}
				out = append(out, storedRecord{seq: seq, b: b})
				next = seq + 1
			}
			return nil
		})
	})
	return out, next, err
}

// Head implements kiosk.Journal.
func (d *DB) Head(ctx context.Context) (r kiosk.Record, err error) {
	err = d.call("journal head", func() error {
		return d.view(ctx, func(txn *badger.Txn) error {
			r, err = readHead(txn)
			return err
		})
	})
	return r, err
}
