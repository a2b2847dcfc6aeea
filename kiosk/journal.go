package kiosk

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Code is a journal event code from the SAF-T Cash Register code list
// PredefinedBasicID-13 (../shared/saft). The numbers are the official codes
// and are persisted.
type Code uint16

const (
	CodePOSStart       Code = 13001
	CodePOSStop        Code = 13002
	CodeEmployeeLogIn  Code = 13003
	CodeEmployeeLogOut Code = 13004
	CodeXReport        Code = 13008
	CodeZReport        Code = 13009
	CodeSalesReceipt   Code = 13012
	CodeCopyReceipt    Code = 13014
	CodePriceLookup    Code = 13022
	CodeVoidReceipt    Code = 13028
	CodeNoReceipt      Code = 13030 // concluded sale without receipt printed
	CodeOther          Code = 13999 // with a Subtype below
)

var codeNames = map[Code]string{
	CodePOSStart: "POS application start", CodePOSStop: "POS application shut down",
	CodeEmployeeLogIn: "Employee log in", CodeEmployeeLogOut: "Employee log out", CodeXReport: "X report", CodeZReport: "Z report",
	CodeSalesReceipt: "Sales receipt printed", CodeCopyReceipt: "Copy receipt",
	CodePriceLookup: "Price look-up", CodeVoidReceipt: "Void receipt",
	CodeNoReceipt: "Concluded sale without receipt printed", CodeOther: "Other",
	CodePriceChange: "Price change",
}

func (c Code) String() string {
	if n, ok := codeNames[c]; ok {
		return fmt.Sprintf("%d %s", uint16(c), n)
	}
	return fmt.Sprintf("%d", uint16(c))
}

// Subtypes of CodeOther (13999), and of other codes where the code alone is
// too coarse. They are persisted.
const (
	SubAgeApproved      = "age-approved"
	SubAgeRefused       = "age-refused"
	SubPaymentIntent    = "payment-intent"
	SubPaymentApproved  = "payment-approved"
	SubPaymentDeclined  = "payment-declined"
	SubPaymentUnknown   = "payment-unknown"
	SubCabinetUnlock    = "cabinet-unlock"
	SubCabinetDoor      = "cabinet-door"
	SubCabinetLock      = "cabinet-lock"
	SubSaleCancelled    = "sale-cancelled"
	SubAssistance       = "assistance"
	SubDeviceFault      = "device-fault"
	SubRecovery         = "recovery"
	SubScanError        = "scan-error"
	SubLookupMiss       = "lookup-miss"         // with CodePriceLookup
	SubTerminalEndOfDay = "terminal-end-of-day" // the card terminal's totals
	SubStaffAdded       = "staff-added"         // the staff register: StaffEntry
	SubStaffPINSet      = "staff-pin-set"
	SubStaffDisabled    = "staff-disabled"
	SubLoginFailed      = "login-failed"     // unknown badge or wrong PIN (StaffLogin)
	SubLoginLocked      = "login-locked"     // a badge locked out after too many wrong PINs
	SubOverride         = "override"         // a staff override: staff, role, override, reason
	SubOverrideRefused  = "override-refused" // an override the role may not do
	SubLineVoided       = "line-voided"      // a basket line staff took out
	SubLineReduced      = "line-reduced"     // a basket line reduced or taken out on the customer's screen before paying
	SubDoorForced       = "door-forced"      // a compartment opened that the kiosk did not unlock
	SubDoorLeftOpen     = "door-left-open"   // a compartment stayed open too long
	// SubRollbackAccepted: a technician accepted that the store lost
	// records behind its journal anchor (storage.ErrRolledBack).
	SubRollbackAccepted = "rollback-accepted"
	// SubSystemIDCreated: the cash register system's unique id was made
	// (Data "system_id"), once, at the first start: the id the SAF-T
	// export's header names (issue 12 item 7, product declaration).
	SubSystemIDCreated = "system-id-created"
)

// Entry is what the kiosk asks the journal to record.
type Entry struct {
	Code      Code              `json:"code"`
	Subtype   string            `json:"sub,omitempty"`
	Time      time.Time         `json:"time"`
	Kiosk     string            `json:"kiosk,omitempty"`
	SaleID    string            `json:"sale,omitempty"`
	ReceiptNo uint64            `json:"receipt,omitempty"`
	Amount    Money             `json:"amount,omitempty"`
	Text      string            `json:"text,omitempty"`
	Data      map[string]string `json:"data,omitempty"`
	// Tx is the cash transaction of a CodeCashSale or CodeReturnPayment
	// record, in full and signed (cashtx.go); nil for events.
	Tx *CashTx `json:"tx,omitempty"`
}

// Hash is a SHA-256 digest linking journal records.
type Hash [32]byte

func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// MarshalText encodes h as hex.
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText decodes hex.
func (h *Hash) UnmarshalText(b []byte) error {
	if len(b) != 64 {
		return fmt.Errorf("kiosk: hash has %d hex digits, want 64", len(b))
	}
	_, err := hex.Decode(h[:], b)
	return err
}

// Record is a sealed journal entry: numbered from 1 without gaps, and
// carrying the hash of the record before it (zero for the first), so that
// an edited, inserted or deleted record breaks the chain.
type Record struct {
	Seq  uint64 `json:"seq"`
	Prev Hash   `json:"prev"`
	Entry
	Hash Hash `json:"-"`
}

// body is the canonical bytes that are hashed: the record's JSON without
// its own hash. Field order is fixed by the struct; map keys are sorted by
// encoding/json, so the encoding is deterministic.
func (r Record) body() ([]byte, error) {
	e := r
	e.Time = e.Time.UTC()
	return json.Marshal(e)
}

// Seal numbers e after prev and computes its hash. prev is the zero Record
// for the first entry.
func Seal(prev Record, e Entry) (Record, error) {
	r, _, err := SealEncoded(prev, e)
	return r, err
}

// SealEncoded is Seal, and the record's stored form (Encode) made from
// the same body: a store writes it without encoding the record twice.
func SealEncoded(prev Record, e Entry) (Record, []byte, error) {
	r := Record{Seq: prev.Seq + 1, Prev: prev.Hash, Entry: e}
	r.Time = r.Time.UTC()
	b, err := r.body()
	if err != nil {
		return Record{}, nil, fmt.Errorf("kiosk: seal journal record: %w", err)
	}
	r.Hash = sha256.Sum256(b)
	enc, err := json.Marshal(wireRecord{Body: b, Hash: r.Hash})
	if err != nil {
		return Record{}, nil, fmt.Errorf("kiosk: seal journal record: %w", err)
	}
	return r, enc, nil
}

type wireRecord struct {
	Body json.RawMessage `json:"body"`
	Hash Hash            `json:"hash"`
}

// Encode is the record's stored form: its canonical body and its hash.
func (r Record) Encode() ([]byte, error) {
	b, err := r.body()
	if err != nil {
		return nil, err
	}
	return json.Marshal(wireRecord{Body: b, Hash: r.Hash})
}

// ErrCorruptRecord is returned for stored bytes that are not a record.
var ErrCorruptRecord = errors.New("kiosk: corrupt journal record")

// DecodeRecord reads a stored record. It does not check the hash: that is
// VerifyChain's job, so that a tampered record can be reported by number.
//
// A record in the form Encode writes, {"body":BODY,"hash":"HEX"}, has its
// body decoded without first parsing the whole record as JSON (a full
// scan of the journal, for a verify or an export, spent half its time
// decoding, and that parse a third of it); anything else, or a body that
// does not decode so, is parsed as JSON, with the same result and the
// same error as without the short cut.
func DecodeRecord(b []byte) (Record, error) {
	if body, h, ok := splitWire(b); ok {
		if r, err := decodeBody(body); err == nil {
			r.Hash = h
			return r, nil
		}
	}
	r, err := decodeRecordJSON(b)
	if err != nil {
		return Record{}, fmt.Errorf("%w: %v", ErrCorruptRecord, err)
	}
	return r, nil
}

// decodeRecordJSON is DecodeRecord without its short cut: the whole
// record parsed as JSON, then its body (FuzzDecodeRecord checks that
// both give the same).
func decodeRecordJSON(b []byte) (Record, error) {
	var w wireRecord
	if err := json.Unmarshal(b, &w); err != nil {
		return Record{}, err
	}
	r, err := decodeBody(w.Body)
	if err != nil {
		return Record{}, err
	}
	r.Hash = w.Hash
	return r, nil
}

// The stored form's fixed parts around the body (wireRecord, encoded).
const (
	wireHead = `{"body":`
	wireTail = `,"hash":"` // then 64 hex digits and `"}`
)

// splitWire returns the body and the hash of b when b has the exact
// shape Encode writes; ok is false otherwise. The body is not checked.
func splitWire(b []byte) (body []byte, h Hash, ok bool) {
	tail := len(wireTail) + 2*len(h) + len(`"}`)
	if len(b) < len(wireHead)+tail || string(b[:len(wireHead)]) != wireHead ||
		string(b[len(b)-tail:len(b)-tail+len(wireTail)]) != wireTail || string(b[len(b)-2:]) != `"}` {
		return nil, Hash{}, false
	}
	if err := h.UnmarshalText(b[len(b)-tail+len(wireTail) : len(b)-2]); err != nil {
		return nil, Hash{}, false
	}
	return b[len(wireHead) : len(b)-tail], h, true
}

// decodeBody decodes one JSON object, and nothing but white space after
// it, into a Record, refusing fields a Record does not have.
func decodeBody(body []byte) (Record, error) {
	var r Record
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return Record{}, err
	}
	for _, c := range body[dec.InputOffset():] {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' { // JSON's white space (RFC 8259 § 2)
			return Record{}, errors.New("more after the record's body")
		}
	}
	return r, nil
}

// ErrChainBroken is returned by a ChainVerifier when a record does not
// follow from the one before it.
var ErrChainBroken = errors.New("kiosk: journal chain broken")

// ChainVerifier checks records fed to it in order.
type ChainVerifier struct {
	last  Record
	Count uint64
}

// Add checks r against the record before it: the next number, the previous
// hash, and its own hash recomputed from its content.
func (v *ChainVerifier) Add(r Record) error {
	if r.Seq != v.last.Seq+1 {
		return fmt.Errorf("%w: record %d follows record %d", ErrChainBroken, r.Seq, v.last.Seq)
	}
	if r.Prev != v.last.Hash {
		return fmt.Errorf("%w: record %d does not link to record %d", ErrChainBroken, r.Seq, v.last.Seq)
	}
	b, err := r.body()
	if err != nil {
		return fmt.Errorf("%w: record %d: %v", ErrChainBroken, r.Seq, err)
	}
	if sha256.Sum256(b) != r.Hash {
		return fmt.Errorf("%w: record %d was altered (hash mismatch)", ErrChainBroken, r.Seq)
	}
	v.last = r
	v.Count++
	return nil
}

// Last is the last record accepted.
func (v *ChainVerifier) Last() Record { return v.last }
