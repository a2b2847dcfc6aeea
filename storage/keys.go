package storage

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"selvkasse/kiosk"
)

// The key layout: every key this package writes, in one place.
//
//	meta/schema                        → schemaVersion as decimal text ("1")
//	meta/head                          → the last journal record, kiosk.Record.Encode
//	meta/anchored                      → the journal head when ANCHOR was first written, 8 B BE (anchor.go)
//	meta/logseq                        → the number of the last COMMITLOG record the store has, 8 B BE (commitlog.go)
//	cat/<GTIN-14>                      → kiosk.Product, JSON
//	sale/<kiosk ID> 0x00 <no, 8 B BE>  → kiosk.Sale, JSON
//	saleid/<sale ID>                   → saleRef (kiosk ID and number), JSON
//	seq/<kiosk ID>                     → the kiosk's last receipt number, 8 B BE
//	pend/<sale ID>                     → pendingValue (order and kiosk.PendingSale), JSON
//	jrnl/<seq, 8 B BE>                 → journal record seq, kiosk.Record.Encode
//	staff/<staff ID>                   → kiosk.Staff (with its PIN hash), JSON
//	badge/<badge id>                   → the staff ID of the active member holding it, raw
//	login/<staff ID>                   → kiosk.LoginState, JSON; absent: the zero state
//	sig/<kiosk ID>                     → the kiosk's last cash transaction's signature, base64 text
//	tot/<kiosk ID>                     → kiosk.Totals, JSON: the X/Z report totals (totals.go)
//	rprt/<kiosk ID> 0x00 <no, 8 B BE>  → kiosk.QueuedReceipt, JSON: a receipt waiting for the printer (receipts.go)
//	copy/<kiosk ID> 0x00 <no, 8 B BE>  → how many copies of the receipt were printed, 8 B BE; absent: none
//	ret/<kiosk ID> 0x00 <no, 8 B BE>   → kiosk.Return, JSON: a return, under its own receipt number (returns.go)
//	retid/<return ID>                  → saleRef (kiosk ID and the return's number), JSON
//	rtd/<kiosk ID> 0x00 <no, 8 B BE>   → map[GTIN]int, JSON: how much of sale no was returned; absent: none
//	mv/<GTIN-14> <seq, 8 B BE> <sub, 2 B BE> → kiosk.StockMovement, JSON: a change of stock (stock.go)
//	meta/movements                     → "1": the opening balances were written (stock.go)
//	bc/<GTIN-14>                       → the GTIN-14 of the product with this extra barcode, raw (catalogimport.go)
//	price/<GTIN-14> 0x00 <from, 8 B BE> → kiosk.PriceVersion, JSON: a price from Unix nanoseconds from (0: since forever) (prices.go)
//	psch/<GTIN-14> 0x00 <from, 8 B BE>  → kiosk.PriceVersion, JSON: a version under price/ set for later, not yet in cat/
//
// Numbers are big-endian so that Badger's byte order is number order: a
// kiosk's sales and the journal iterate in order. A kiosk ID ends at a 0x00
// byte, so kiosk IDs may not contain one; "K1" and "K10" then never share a
// key prefix. The journal head is kept apart from the records so that a
// deleted last record is caught by kiosk.VerifyJournal (ports.go, Journal).
// A badge key exists for active staff only, so disabling a member frees
// the badge. The staff keys came after schema version 1 was first
// written; they only add keys, so a store without them is an empty
// register, not an older schema; the same holds for the reprint and
// copies keys (an empty queue, no copies), and for the return keys (no
// returns), and for the price keys (no history: each product's cat/ price
// since forever). The totals keys came later in
// the same way: a kiosk without one has sold nothing since they came, and
// its grand totals start at 0 then (Skatteetaten's Q&A allows them to
// start with the version that keeps them). The movement keys came later
// too: Open writes an old store's opening balances once (stock.go). No
// prefix is a prefix of another.
const (
	keySchema  = "meta/schema"
	keyHead    = "meta/head"
	keyAnchor  = "meta/anchored"
	keyMoves   = "meta/movements"
	keyLogSeq  = "meta/logseq"
	prefCat    = "cat/"
	prefSale   = "sale/"
	prefSaleID = "saleid/"
	prefSeq    = "seq/"
	prefPend   = "pend/"
	prefJrnl   = "jrnl/"
	prefStaff  = "staff/"
	prefBadge  = "badge/"
	prefLogin  = "login/"
	prefSig    = "sig/"
	prefTot    = "tot/"
	prefQueue  = "rprt/"
	prefCopies = "copy/"
	prefRet    = "ret/"
	prefRetID  = "retid/"
	prefRtd    = "rtd/"
	prefMv     = "mv/"
	prefPrice  = "price/"
	prefSched  = "psch/"
)

// prefBarcode keys a product's extra barcodes (issue 13); a store without
// them has none.
const prefBarcode = "bc/"

// schemaVersion is the layout above. Open writes it into a new store and
// refuses a store written with another.
const schemaVersion = 1

func catKey(g kiosk.GTIN) []byte { return []byte(prefCat + string(g)) }

func barcodeKey(g kiosk.GTIN) []byte { return []byte(prefBarcode + string(g)) }

func saleKey(kioskID string, no uint64) []byte {
	k := make([]byte, 0, len(prefSale)+len(kioskID)+9)
	k = append(k, prefSale...)
	k = append(k, kioskID...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, no)
}

// receiptKey is the key of kiosk kioskID's receipt no under prefix (a
// sale, a queued receipt, its copies).
func receiptKey(prefix, kioskID string, no uint64) []byte {
	k := make([]byte, 0, len(prefix)+len(kioskID)+9)
	k = append(k, prefix...)
	k = append(k, kioskID...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, no)
}

func saleIDKey(id string) []byte { return []byte(prefSaleID + id) }

func seqKey(kioskID string) []byte { return []byte(prefSeq + kioskID) }

func pendKey(id string) []byte { return []byte(prefPend + id) }

func staffKey(id string) []byte { return []byte(prefStaff + id) }

func badgeKey(badge string) []byte { return []byte(prefBadge + badge) }

func loginKey(id string) []byte { return []byte(prefLogin + id) }

func sigKey(kioskID string) []byte { return []byte(prefSig + kioskID) }
func totKey(kioskID string) []byte { return []byte(prefTot + kioskID) }

func jrnlKey(seq uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte(prefJrnl), seq)
}

// jrnlSeq reads the sequence number back from a journal key.
func jrnlSeq(k []byte) (uint64, bool) {
	if len(k) != len(prefJrnl)+8 || !strings.HasPrefix(string(k), prefJrnl) {
		return 0, false
	}
	return binary.BigEndian.Uint64(k[len(prefJrnl):]), true
}

func encodeUint64(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

func decodeUint64(b []byte) (uint64, error) {
	if len(b) != 8 {
		return 0, fmt.Errorf("%w: counter has %d bytes, want 8", ErrCorrupt, len(b))
	}
	return binary.BigEndian.Uint64(b), nil
}

func encodeSchema(v int) []byte { return []byte(strconv.Itoa(v)) }

func decodeSchema(b []byte) (int, error) {
	v, err := strconv.Atoi(string(b))
	if err != nil || v < 1 {
		return 0, fmt.Errorf("%w: schema version %q", ErrCorrupt, b)
	}
	return v, nil
}

// checkKioskID refuses kiosk IDs the sale key cannot hold.
func checkKioskID(id string) error {
	if strings.IndexByte(id, 0) >= 0 {
		return fmt.Errorf("kiosk ID %q contains a NUL byte", id)
	}
	return nil
}
