// Package storage keeps the kiosk's catalog, sales and electronic journal in
// a Badger key-value store (github.com/dgraph-io/badger/v4) on the kiosk's
// own disk, and the staff register with each member's log-in state. *DB
// implements kiosk.Catalog, kiosk.SaleStore, kiosk.Journal and
// kiosk.StaffStore and passes the conformance suites in kiosk/kiosktest.
//
// Every write is one Badger transaction, and it is on disk when the call
// returns: its writes are in the commit log (COMMITLOG, commitlog.go),
// fdatasynced, before Badger commits it in the background with
// SyncWrites, and Open applies a record Badger does not have. A completed
// sale, its stock changes and its journal record are stored together or
// not at all (so are a change to the staff register and its journal
// record), as kassasystemforskrifta § 2-7 (1) wants of the journal. The
// key layout is in keys.go, in one place.
//
// Open refuses a data dir it cannot trust with a clear error: ErrCorrupt
// for damaged files (it checks the tables listed in the MANIFEST before
// Badger opens them, because Badger panics in its own goroutines on some
// damaged tables and silently drops others), ErrUnavailable for a dir it
// cannot use (not a dir, no permission, disk full), ErrInUse for a dir
// another process has open, and ErrRolledBack (with ErrCorrupt) for a store
// whose journal is behind the anchor kept beside it in the file ANCHOR
// (anchor.go): records that were acknowledged as stored are gone.
//
// *DB also implements kiosk.Disk (disk.go): the free space of the data
// dir's file system, for the checkout's guard, which keeps DiskReserve
// free for Badger's own files.
//
// A table is read in full once; a clean Close
// remembers it (verified.go), and later Opens check only what Badger reads
// of it, so start-up does not grow with the number of sales (check.go).
// The rest of each remembered table is read in full after Open, in the
// background and before any scan of its keys (scrub.go), because Badger's
// iterators pass over a damaged block without an error: a damaged table
// makes the store damaged (Damage, Damaged), never a short scan.
//
// The catalog is held in memory (catalog.go): Open loads it once, Put and
// CompleteSale update the products they wrote, and Lookup, List and
// Cabinet never read Badger.
// ImportCatalog loads a wholesaler's catalog in bulk (catalogimport.go):
// unchanged products write nothing, every change is journaled, and the
// rarely set catalog fields (extra barcodes, English name, deposit) are
// kept beside the compact index, not in it (catinfo.go).
//
// Every change of stock writes a kiosk.StockMovement in the transaction
// that makes it (stock.go): a product's stock is the sum of its
// movements. *DB implements kiosk.StockStore: goods received and counts,
// journaled, thresholds, and the stock status for the staff screen.
//
// It may import the standard library, selvkasse/kiosk, and Badger with its
// own dependency ristretto (for the table check).
package storage
