package kiosk

// What the kiosk remembers about printing receipts (issue 12 item 4):
// kassasystemforskrifta § 2-6 fourth paragraph (no sale concluded without
// a sales receipt; at most one copy of it) and § 2-8-6 (the copy marked
// «KOPI»). The journal records a print only after the printer confirmed
// it: 13012 once a sales receipt came out, 13030 when it could not (the
// receipt then waits in the reprint queue for the printer), 13014 for
// the one copy.

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// SubReceiptPrinted is the subtype of the 13012 record the checkout
// writes once the printer confirmed a sales receipt; the record carries
// the receipt number and sale. Its Data[DataPrinted] is PrintedLate for a
// receipt printed from the reprint queue. (The sale's own record, written
// when it completes, is another: it says the sale happened, not that
// paper came out.)
const SubReceiptPrinted = "receipt-printed"

// Data keys of the receipt records.
const (
	DataPrinted = "printed" // 13012: PrintedLate, or absent when printed at the sale
	DataQueued  = "queued"  // 13012 printed late: when it failed to print (RFC 3339)
	DataReason  = "reason"  // 13030: why the receipt did not print
	DataStaff   = "staff"   // 13014: who asked for the copy
)

// PrintedLate is Data[DataPrinted] of a receipt printed from the reprint
// queue.
const PrintedLate = "late"

// QueuedReceipt is a sales receipt that could not be printed at its sale,
// waiting for the printer. The receipt itself is built again from the
// sale (SaleStore.Sale) when it prints.
type QueuedReceipt struct {
	Kiosk  string    `json:"kiosk"`
	No     uint64    `json:"no"`
	SaleID string    `json:"sale"`
	Since  time.Time `json:"since"`  // when it failed to print
	Reason string    `json:"reason"` // why, in the printer's words
}

// ErrCopyMade: the receipt has had the one copy the law allows
// (kassasystemforskrifta § 2-6 fourth paragraph).
var ErrCopyMade = errors.New("kiosk: the receipt's one copy was printed already")

// ErrReceiptQueued: the receipt waits in the reprint queue; it has not
// been printed, so there is nothing to copy yet.
var ErrReceiptQueued = errors.New("kiosk: the receipt waits to be printed")

// ReceiptError is a refused receipt action, naming the receipt: it wraps
// ErrCopyMade, ErrReceiptQueued or ErrNotFound.
type ReceiptError struct {
	No  uint64
	Err error
}

func (e *ReceiptError) Error() string { return fmt.Sprintf("kiosk: receipt %d: %v", e.No, e.Err) }

// Unwrap returns the reason.
func (e *ReceiptError) Unwrap() error { return e.Err }

// ReceiptStore keeps the reprint queue and the count of copies, per kiosk
// and receipt number. Every write is durable when it returns and, with
// the journal entry it is given, all or nothing: a crash leaves either
// both or neither.
//
// QueueReceipt puts q in the reprint queue and journals e (13030).
// Errors: ErrNotFound when kiosk q.Kiosk has no completed sale q.No;
// ErrConflict when that receipt is queued already. Nothing is journaled
// then.
//
// QueuedReceipts lists kioskID's queued receipts by receipt number
// (oldest first); none is an empty list.
//
// ReceiptPrinted takes kioskID's receipt no out of the queue and journals
// e (13012, printed late). Errors: ErrNotFound when it is not queued
// (nothing is journaled).
//
// Copies returns how many copies of kioskID's receipt no were printed: 0
// for none, also for a receipt that does not exist.
//
// CopyPrinted adds one to the copies of kioskID's receipt no and
// journals e (13014); it returns the new count. It counts, it does not
// refuse: the copy is on paper when it is called, and the journal must
// say so. Errors: ErrNotFound when kioskID has no completed sale no
// (nothing is journaled).
//
// LastReceipt returns kioskID's last receipt number, 0 when it has none.
type ReceiptStore interface {
	QueueReceipt(ctx context.Context, q QueuedReceipt, e Entry) error
	QueuedReceipts(ctx context.Context, kioskID string) ([]QueuedReceipt, error)
	ReceiptPrinted(ctx context.Context, kioskID string, no uint64, e Entry) error
	Copies(ctx context.Context, kioskID string, no uint64) (int, error)
	CopyPrinted(ctx context.Context, kioskID string, no uint64, e Entry) (int, error)
	LastReceipt(ctx context.Context, kioskID string) (uint64, error)
}
