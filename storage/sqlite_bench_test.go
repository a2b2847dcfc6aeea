//go:build linux && cgo

package storage

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	badger "github.com/dgraph-io/badger/v4"
	_ "github.com/mattn/go-sqlite3" // the baseline: SQLite itself, through cgo

	"selvkasse/kiosk"
)

// The durable sale commit's tail, against its two baselines in the same
// run (issue 11): the floor, one append of the same bytes to a plain file
// with fdatasync(2) after it, and SQLite in WAL mode with
// synchronous=FULL committing the same records in one transaction. Each
// reports the median and the 99th percentile of one commit; `make bench`
// prints the ratios.

// latencies reports p50 and p99 of d in microseconds.
func latencies(b *testing.B, d []time.Duration) {
	b.Helper()
	if len(d) == 0 {
		return
	}
	slices.Sort(d)
	pct := func(p float64) float64 { return float64(d[int(p*float64(len(d)-1))]) / float64(time.Microsecond) }
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
}

// BenchmarkSaleCommitTail is CompleteSale of a three-line sale, timed one
// by one, back to back: the receipt number, the sale, three products'
// stock and the journal record in one transaction, synced in the commit
// log and then committed by Badger.
func BenchmarkSaleCommitTail(b *testing.B) {
	benchCommitTail(b, benchSaleStore(b), false)
}

// BenchmarkSaleCommitTailPaced is BenchmarkSaleCommitTail at a kiosk's
// pace: sales seconds apart, so that what the previous sale left running
// in the background after it was acknowledged, Badger's commit of its
// commit log record (commitlog.go) and its journal anchor sync
// (anchor.go), has ended before the next sale starts. The wait for them
// is not timed; what else the previous sale left (Badger's flushes and
// compactions) is not waited for. Back to back (BenchmarkSaleCommitTail)
// each sale waits for the Badger commit of the one before.
func BenchmarkSaleCommitTailPaced(b *testing.B) {
	benchCommitTail(b, benchSaleStore(b), true)
}

// BenchmarkSaleCommitTailRSA is BenchmarkSaleCommitTailPaced with the
// signature the kiosk makes (RSA-1024 over SHA-1, as app/signing's; the
// other benchmarks sign with kiosktest.Signer, an HMAC): what a sale
// costs the kiosk, of which the signature is no storage's work.
func BenchmarkSaleCommitTailRSA(b *testing.B) {
	d := benchSaleStore(b)
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		b.Fatal(err)
	}
	d.SetSigner(rsaSigner{k}, testZone)
	benchCommitTail(b, d, true)
}

// rsaSigner signs as the kiosk's app/signing.RSASigner does.
type rsaSigner struct{ k *rsa.PrivateKey }

func (s rsaSigner) Sign(data string) (string, kiosk.KeyVersion, error) {
	h := sha1.Sum([]byte(data))
	sig, err := rsa.SignPKCS1v15(nil, s.k, crypto.SHA1, h[:])
	return base64.StdEncoding.EncodeToString(sig), 1, err
}

// benchCommitTail times CompleteSale of three-line sales one by one into
// d, with paced, after each the wait (untimed) for its anchor sync.
func benchCommitTail(b *testing.B, d *DB, paced bool) {
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	i := 0
	for b.Loop() {
		s := threeLineSale(fmt.Sprintf("bench-%d", i), "K1")
		i++
		start := time.Now()
		if _, err := d.CompleteSale(ctx, s, receiptEntry(s)); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		if paced {
			b.StopTimer()
			if err := d.settleCommits(); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
	}
	latencies(b, lat)
}

// BenchmarkSaleCommitTailRaw is the floor: the same number of bytes
// appended to a plain file, fdatasync after each.
func BenchmarkSaleCommitTailRaw(b *testing.B) {
	f, buf := benchAppendFile(b)
	lat := make([]time.Duration, 0, b.N)
	for b.Loop() {
		start := time.Now()
		if _, err := f.Write(buf); err != nil {
			b.Fatal(err)
		}
		if err := syscall.Fdatasync(int(f.Fd())); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	latencies(b, lat)
}

// BenchmarkSaleCommitTailBadger is Badger's own floor: a store opened
// with the kiosk's options (badgerOptions: SyncWrites) committing one key
// whose value has as many bytes as a three-line sale writes, one
// transaction at a time, with nothing read and nothing else written. With
// SyncWrites, Badger v4 (DB.writeRequests) msyncs the current value-log
// file after every batch, even when every value went into the LSM tree
// and the value log holds nothing new (valueLog.write's deferred
// curlf.Sync), and then msyncs the memtable's write-ahead log
// (writeToLSM, memTable.SyncWAL): two syncs per commit, in a row, where
// the raw floor makes one. What CompleteSale costs above this line is the
// store's own work (reads, JSON, signature, anchor).
func BenchmarkSaleCommitTailBadger(b *testing.B) {
	bdb, err := badger.Open(badgerOptions(benchDir(b), nil))
	if err != nil {
		b.Fatal(err)
	}
	defer bdb.Close()
	val := make([]byte, saleWriteBytes(b, threeLineSale("size", "K1")))
	lat := make([]time.Duration, 0, b.N)
	i := 0
	for b.Loop() {
		key := fmt.Appendf(nil, "bench/%d", i)
		i++
		start := time.Now()
		if err := bdb.Update(func(txn *badger.Txn) error { return txn.Set(key, val) }); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	latencies(b, lat)
}

// BenchmarkSaleCommitTailSQLite commits the same records to SQLite (WAL,
// synchronous=FULL, its default automatic checkpoints): the next receipt
// number, the sale's JSON with its ID index, the three products' JSON
// with their new stock, the sealed journal record and the journal's head,
// in one transaction.
func BenchmarkSaleCommitTailSQLite(b *testing.B) {
	dir := benchDir(b)
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "sales.db")+"?_journal_mode=WAL&_synchronous=FULL")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range []string{
		`CREATE TABLE counter (kiosk TEXT PRIMARY KEY, n INTEGER NOT NULL)`,
		`CREATE TABLE sale (kiosk TEXT, no INTEGER, body BLOB NOT NULL, PRIMARY KEY (kiosk, no))`,
		`CREATE TABLE sale_id (id TEXT PRIMARY KEY, kiosk TEXT NOT NULL, no INTEGER NOT NULL)`,
		`CREATE TABLE product (gtin TEXT PRIMARY KEY, body BLOB NOT NULL)`,
		`CREATE TABLE journal (seq INTEGER PRIMARY KEY, body BLOB NOT NULL)`,
		`CREATE TABLE head (id INTEGER PRIMARY KEY CHECK (id = 1), body BLOB NOT NULL)`,
	} {
		if _, err := db.Exec(q); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	var mode string
	if err := db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		b.Fatalf("journal mode %q, %v: want wal", mode, err)
	}
	var sync int
	if err := db.QueryRow(`PRAGMA synchronous`).Scan(&sync); err != nil || sync != 2 {
		b.Fatalf("synchronous %d, %v: want 2 (FULL)", sync, err)
	}
	products := []kiosk.Product{pCigs, pSnus, pWater}
	for i := range products {
		products[i].Stock = 1 << 30
	}
	var prev kiosk.Record
	lat := make([]time.Duration, 0, b.N)
	i := 0
	for b.Loop() {
		s := threeLineSale(fmt.Sprintf("bench-%d", i), "K1")
		i++
		start := time.Now()
		s.No = uint64(i)
		body, err := json.Marshal(s)
		if err != nil {
			b.Fatal(err)
		}
		e := receiptEntry(s)
		e.ReceiptNo = s.No
		r, err := kiosk.Seal(prev, e)
		if err != nil {
			b.Fatal(err)
		}
		rec, err := r.Encode()
		if err != nil {
			b.Fatal(err)
		}
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		exec := func(q string, args ...any) {
			if _, err := tx.Exec(q, args...); err != nil {
				b.Fatalf("%s: %v", q, err)
			}
		}
		exec(`INSERT INTO counter (kiosk, n) VALUES ('K1', ?) ON CONFLICT (kiosk) DO UPDATE SET n = excluded.n`, s.No)
		exec(`INSERT INTO sale (kiosk, no, body) VALUES ('K1', ?, ?)`, s.No, body)
		exec(`INSERT INTO sale_id (id, kiosk, no) VALUES (?, 'K1', ?)`, s.ID, s.No)
		for j, l := range s.Lines {
			products[j].Stock -= l.Qty
			pb, err := json.Marshal(products[j])
			if err != nil {
				b.Fatal(err)
			}
			exec(`INSERT INTO product (gtin, body) VALUES (?, ?) ON CONFLICT (gtin) DO UPDATE SET body = excluded.body`, string(products[j].GTIN), pb)
		}
		exec(`INSERT INTO journal (seq, body) VALUES (?, ?)`, r.Seq, rec)
		exec(`INSERT INTO head (id, body) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body`, rec)
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		prev = r
	}
	latencies(b, lat)
}
