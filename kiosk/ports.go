package kiosk

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Sentinel errors the ports return and the core branches on.
var (
	// ErrNotFound: the catalog or store has no such item.
	ErrNotFound = errors.New("kiosk: not found")
	// ErrDeviceUnavailable: a device is unplugged, offline or not answering.
	// The caller may retry later; nothing was done.
	ErrDeviceUnavailable = errors.New("kiosk: device unavailable")
	// ErrBadScan: the scanner read something that is not a usable code
	// (noise, an overlong or broken line). The scanner keeps working.
	ErrBadScan = errors.New("kiosk: bad scan")
	// ErrOutcomeUnknown: the payment request may have reached the terminal
	// but no result came back. The payment must be recovered, never re-sent.
	ErrOutcomeUnknown = errors.New("kiosk: payment outcome unknown")
	// ErrLockFault: the cabinet lock did not move.
	ErrLockFault = errors.New("kiosk: cabinet lock fault")
	// ErrConflict: a store write conflicts with one already made (a sale
	// completed twice, a pending sale that is no longer pending).
	ErrConflict = errors.New("kiosk: conflict")
	// ErrMisconfigured: a device refused a request for how it is set up
	// (a payment terminal that does not take the currency, a wrong
	// password). Nothing was done; it comes with ErrDeviceUnavailable,
	// and only a technician can fix it.
	ErrMisconfigured = errors.New("kiosk: device misconfigured")
	// ErrReversed: the payment terminal reversed an approved payment on
	// its own (its vend time-out, an auto-reversal after a restart)
	// before it took the release: no money is kept for the sale.
	ErrReversed = errors.New("kiosk: payment reversed by the terminal")
)

// Scan is one code read by the scanner.
type Scan struct {
	Code      string    // the data, symbology identifier stripped
	Symbology string    // AIM identifier such as "]E0", empty if none was sent
	At        time.Time // when the terminator arrived
	// Staff is set when the code is a staff badge: the staff member's id.
	// A badge is never looked up as a product.
	Staff string
	// InStore is an in-store price or weight code (prefix 20–29) as the
	// scanner decoded it with the shop's layout (instore.go); its Kind is
	// InStoreNone for every other code.
	InStore InStoreValue
}

// Scanner reads barcodes.
//
// ReadScan blocks until a code is read or ctx ends. Errors: ctx.Err() when
// ctx ends; ErrBadScan (wrapped, with the reason) for a garbled read, after
// which the next call reads on; ErrDeviceUnavailable while the scanner is
// unplugged (the caller waits and calls again).
type Scanner interface {
	ReadScan(ctx context.Context) (Scan, error)
}

// PaymentRequest asks for one payment. SaleID and Attempt identify it
// across restarts; the rest is what the kiosk stored about it, so that a
// terminal session that never saw the request can still settle it.
type PaymentRequest struct {
	SaleID  string
	Attempt int
	Amount  Money
	// Before is where the terminal's transaction log stood just before
	// the request was sent (PaymentTerminal.Mark), stored with the intent.
	Before TerminalMark
	// Trace and ReceiptNo are the approval's numbers as the kiosk recorded
	// them; empty until it was approved.
	Trace, ReceiptNo string
	// Training: a training sale's request, which the kiosk answers itself
	// and never sends to a terminal (checkout_training.go).
	Training bool
}

// TerminalMark says where a payment terminal's transaction log stood at
// one moment: the trace number of its newest transaction. A transaction
// made after the mark has another trace number.
type TerminalMark struct {
	// Known: the terminal told. When false, nothing can be proven about
	// a request made after the mark (a recovery is "unknown").
	Known bool `json:"known,omitempty"`
	// Trace of the newest transaction; "" when the terminal has none.
	Trace string `json:"trace,omitempty"`
}

// PaymentTerminal takes card payments. It is two-phase, like a vending
// machine's terminal (ZVT §2.2): after an approval the kiosk releases the
// goods and then confirms, or reverses.
//
// Mark tells where the terminal's transaction log stands now. The kiosk
// calls it before Authorize and stores the mark with the payment intent
// (req.Before), in the same durable write, before the request leaves.
// Errors: ErrDeviceUnavailable when the terminal does not answer (nothing
// was asked for; the kiosk takes no payment).
//
// Authorize asks the terminal to take req.Amount. A decline is a result
// with Approved false and a nil error. Errors: ErrDeviceUnavailable when the
// request surely did not reach the terminal (nothing was charged), with
// ErrMisconfigured too when the terminal refused it for its setup;
// ErrOutcomeUnknown when it may have (the caller must use Recover, and must
// never send the request again; once the terminal has acknowledged the
// request, every failure is this one); ctx.Err() only before sending. If
// ctx ends after the request was sent, Authorize returns the terminal's
// answer to the abort (usually a decline) or ErrOutcomeUnknown.
//
// Confirm ends an approved transaction: released true keeps the payment,
// false makes the terminal reverse it, also in a session that never saw
// the approval (by req.ReceiptNo). Errors: ErrDeviceUnavailable;
// ErrReversed when released is true but the terminal had reversed the
// payment on its own; for a request that was not approved, an error that
// matches no sentinel. A failed
// Confirm may be called again; it never keeps the terminal from taking the
// next payment.
//
// Recover asks the terminal for the outcome of req after a restart or an
// unknown outcome. It accepts only a transaction newer than req.Before
// with req's amount: the terminal's newest transaction still being the
// one of the mark is a result with Approved false ("not charged"). Errors:
// ErrOutcomeUnknown when the terminal cannot prove either (no known mark,
// a newer transaction that is not this one); ErrDeviceUnavailable when it
// does not answer.
type PaymentTerminal interface {
	Mark(ctx context.Context) (TerminalMark, error)
	Authorize(ctx context.Context, req PaymentRequest) (PaymentResult, error)
	Confirm(ctx context.Context, req PaymentRequest, released bool) error
	Recover(ctx context.Context, req PaymentRequest) (PaymentResult, error)
}

// TerminalReceipt is implemented by a PaymentTerminal whose receipt
// text comes after the confirmation, as a vending terminal's does (ZVT
// 13.08 §2.2.7). LastReceipt returns the lines the terminal sent with
// the last Confirm, card numbers masked; the checkout adds them to the
// sales receipt.
type TerminalReceipt interface {
	LastReceipt() []string
}

// RefundRequest asks a payment terminal to pay money back to a card:
// ReturnID names the return it is for (in the terminal's log and the
// kiosk's journal), Amount is what goes back, VAT included, positive.
type RefundRequest struct {
	ReturnID string
	Amount   Money
}

// TerminalRefund is implemented by a PaymentTerminal that can pay money
// back to the customer's card for returned goods (ZVT Refund 06 31, ZVT
// 13.08 §2.15; kassasystemforskrifta § 2-8-5: the return receipt). The
// kiosk type-asserts its PaymentTerminal for it; without it a return is
// refunded at the counter only.
//
// Refund asks the terminal to pay req.Amount back to the card the
// customer presents, and returns when the terminal has finished. An
// approval (Approved true) means the money went back; a refusal (the card
// refused, the customer gave up, the terminal timed out waiting for the
// card, the terminal refused the command) is a result with Approved false
// and a nil error: nothing was refunded. Errors: ctx.Err() only before
// the request was sent; ErrDeviceUnavailable when the request surely did
// not reach the terminal (nothing was refunded), with ErrMisconfigured
// too when the terminal refused it for its setup; ErrOutcomeUnknown when
// it may have and no answer came back: the money may or may not have
// gone back, the kiosk records no return, and staff checks the terminal.
// A refund is never sent again by the terminal on its own.
type TerminalRefund interface {
	Refund(ctx context.Context, req RefundRequest) (PaymentResult, error)
}

// PrinterStatus is the receipt printer's state.
type PrinterStatus struct {
	Ready    bool   // can print a receipt now
	PaperLow bool   // near end: tell staff
	Problem  string // why not ready, in plain words ("paper out", "cover open")
}

// Printer prints documents.
//
// Status reports whether a receipt can be printed. Errors:
// ErrDeviceUnavailable when the printer does not answer.
//
// Print prints d and cuts. Errors: ErrDeviceUnavailable when it cannot
// (offline, paper out): nothing or only part was printed.
type Printer interface {
	Status(ctx context.Context) (PrinterStatus, error)
	Print(ctx context.Context, d Document) error
}

// DoorEvent is a change of one cabinet compartment's door sensor.
type DoorEvent struct {
	Compartment int // numbered from 1
	Open        bool
	At          time.Time
}

// CompartmentState is one cabinet compartment as its lines read now.
type CompartmentState struct {
	No       int  // numbered from 1
	Locked   bool // the lock is driven locked (with a bolt monitor: the bolt is thrown)
	DoorOpen bool
}

// ErrNoCompartment: a compartment number the cabinet does not have.
var ErrNoCompartment = errors.New("kiosk: no such cabinet compartment")

// CabinetLock drives the locked tobacco cabinet: compartments numbered
// from 1, each with its own lock and door sensor, so that a sale opens
// only the compartments holding what was paid for.
//
// Compartments reads every compartment's lock and door, by number.
//
// Unlock releases the locks of the compartments named (at least one);
// Lock engages every compartment's lock. Errors: ErrNoCompartment
// (wrapped; nothing was unlocked) for an empty list or a number the
// cabinet does not have; ErrLockFault when a lock did not move;
// ErrDeviceUnavailable when the lock does not answer. A failed Unlock
// leaves every lock it named locked again, as far as it can.
//
// WaitDoor blocks until a door opens or closes, or ctx ends (ctx.Err()).
// Door changes are delivered once each, in order, including those made
// before the call. DoorOpen reports whether any door is open now.
type CabinetLock interface {
	Compartments(ctx context.Context) ([]CompartmentState, error)
	Unlock(ctx context.Context, compartments []int) error
	Lock(ctx context.Context) error
	DoorOpen(ctx context.Context) (bool, error)
	WaitDoor(ctx context.Context) (DoorEvent, error)
}

// Light is the colour of the intervention light on top of the kiosk. The
// numbers are persisted (health endpoint).
type Light uint8

const (
	LightOff    Light = 0
	LightGreen  Light = 1 // in service, nobody needs staff
	LightYellow Light = 2 // a customer needs staff: help, age check, a payment problem
	LightRed    Light = 3 // out of order, or the cabinet was forced
)

func (l Light) String() string {
	switch l {
	case LightOff:
		return "off"
	case LightGreen:
		return "green"
	case LightYellow:
		return "yellow"
	case LightRed:
		return "red"
	}
	return fmt.Sprintf("Light(%d)", uint8(l))
}

// Signal is what the intervention light shows.
type Signal struct {
	Light Light
	Blink bool // flashing: a call waits for staff
	Alarm bool // the buzzer sounds until the signal changes (a forced door)
}

// TowerLight is the intervention light (a signal tower with a buzzer)
// staff see from across the shop.
//
// Show sets what the light shows until the next Show; blinking and the
// alarm are the driver's to time. Chime sounds the buzzer once, briefly
// (a new call for help). Errors: ErrDeviceUnavailable when the light
// does not answer.
type TowerLight interface {
	Show(ctx context.Context, s Signal) error
	Chime(ctx context.Context) error
}

// AgeCheck asks staff to verify a customer's age.
type AgeCheck struct {
	SaleID string
	MinAge int
	Items  []string // names of the restricted items
}

// Approval is staff's answer.
type Approval struct {
	Approved bool
	Staff    string // who decided (badge id or name)
	Method   string // "key switch", "badge", "screen" …
}

// StaffApproval asks staff to check the customer's age.
//
// RequestAgeCheck blocks until staff decides or ctx ends (ctx.Err(); the
// request is then withdrawn). Errors: ErrDeviceUnavailable when no staff
// channel is available.
type StaffApproval interface {
	RequestAgeCheck(ctx context.Context, req AgeCheck) (Approval, error)
}

// StaffKey is the staff key switch as a way to log in at the kiosk, for
// a shop whose staff have no badges: a turn to the approve position while
// no age check waits for the key opens the log-in (the staff member picks
// their name, then types their PIN).
//
// WaitKeyTurn blocks until such a turn, or ctx ends (ctx.Err()). A turn
// that answers an age check is that check's, never reported here; turns
// nobody waits for are kept, at most one. Errors: ErrDeviceUnavailable
// when the key cannot be read or the device is closed.
type StaffKey interface {
	WaitKeyTurn(ctx context.Context) error
}

// Catalog holds the products.
//
// Lookup finds a product by GTIN in any of its forms (EAN-8, UPC-A,
// EAN-13, GTIN-14): g is canonicalised first; one of a product's extra
// Barcodes finds it too. Errors: ErrNotFound, also for text that is not
// a GTIN, and for an Inactive product (it is not sold).
// Cabinet lists the active products delivered from the cabinet, by name.
// List lists all products, inactive ones too, by name.
// Put adds or replaces a product after Validate. Errors: ErrInvalidProduct;
// ErrConflict when its GTIN or an extra barcode is another product's.
// A store that keeps price history gives each product the price version
// in force when it is looked up (Product.PriceFrom, prices.go): Put's
// new price is a new version from its time.
type Catalog interface {
	Lookup(ctx context.Context, g GTIN) (Product, error)
	Cabinet(ctx context.Context) ([]Product, error)
	List(ctx context.Context) ([]Product, error)
	Put(ctx context.Context, p Product) error
}

// SaleStore keeps pending and completed sales. Every write is durable when
// it returns and, with the journal entry it is given, all or nothing: a
// crash leaves either both or neither.
//
// SavePending stores p (replacing the pending sale with the same ID) and
// journals e, then each of more, in one durable write. Errors: ErrConflict when a sale with p.ID is already
// completed. Pending lists the pending sales by start time, ties in the
// order they were first saved.
//
// CompleteSale assigns s the next receipt number (per kiosk, from 1, no
// gaps), stores it, decrements the stock of its lines, deletes the pending
// sale with its ID and journals e as the sale's cash transaction: code
// CodeCashSale, e.ReceiptNo the number, e.Tx the sale in full
// (NewCashTx) signed after the kiosk's previous signature with the
// store's Signer. It returns s with No set. A paid sale is never refused
// over stock: stock may go below zero, and lines whose product left the
// catalog are skipped. Errors: ErrConflict when a sale with s.ID is
// already completed; ErrSignerUnavailable (wrapped) when there is no
// signing key or it fails: nothing is stored, and the kiosk must not call
// the sale done.
//
// VoidPending deletes the pending sale id and journals e. Errors:
// ErrNotFound when there is no such pending sale; when the sale id was
// completed, the error matches both ErrNotFound and ErrConflict.
//
// Sale returns kiosk kioskID's completed sale with receipt number no
// (receipt numbers are per kiosk, so a number alone does not name a
// sale). Errors: ErrNotFound, also for a kiosk with no sales.
type SaleStore interface {
	SavePending(ctx context.Context, p PendingSale, e Entry, more ...Entry) error
	Pending(ctx context.Context) ([]PendingSale, error)
	CompleteSale(ctx context.Context, s Sale, e Entry) (Sale, error)
	VoidPending(ctx context.Context, id string, e Entry) error
	Sale(ctx context.Context, kioskID string, no uint64) (Sale, error)
}

// Journal is the append-only electronic journal (kassasystemforskrifta
// § 2-7 (1)): every event, each record chained to the one before by SHA-256.
//
// Append seals e after the last record and stores it durably; it returns
// the record. Scan calls fn for each record from number from (1 is the
// first; 0 reads from 1 too) in order, stopping at fn's first error,
// which it returns. A record whose bytes cannot be decoded is reported as
// ErrCorruptRecord.
// Head returns the last record (the zero Record when the journal is
// empty); it is kept apart from the records, so that a deleted last record
// is detected by VerifyJournal.
type Journal interface {
	Append(ctx context.Context, e Entry) (Record, error)
	Scan(ctx context.Context, from uint64, fn func(Record) error) error
	Head(ctx context.Context) (Record, error)
}

// Timer is a stoppable timer from a Clock.
type Timer interface {
	// Stop prevents the timer from firing; it reports whether it did.
	Stop() bool
}

// Clock tells the time and runs functions later. Tests use a fake that
// moves only when told.
type Clock interface {
	Now() time.Time
	AfterFunc(d time.Duration, f func()) Timer
}

// SystemClock is the real Clock.
type SystemClock struct{}

// Now is time.Now.
func (SystemClock) Now() time.Time { return time.Now() }

// AfterFunc is time.AfterFunc.
func (SystemClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// StaffStore keeps the staff register and each staff member's log-in
// state. Every write is durable when it returns and, with the journal
// entries it is given, all or nothing: a crash leaves either both or
// neither. Callers journal register changes with StaffEntry, which never
// holds a badge, a PIN or a hash.
//
// AddStaff stores s and journals e. Errors: ErrInvalidStaff (wrapped,
// with the reason) when s fails Validate; ErrConflict when a staff member
// with s.ID exists, disabled ones included (IDs are never reused: the
// journal names them), or when s is active and s.Badge is the badge of
// another active staff member.
//
// Staff returns the staff member id, also a disabled one. StaffByBadge
// returns the active staff member holding badge. ListStaff lists every
// staff member, disabled ones too, by ID. Errors: ErrNotFound (for
// StaffByBadge also when the badge's holder is disabled).
//
// SetPIN replaces id's PIN hash, clears id's log-in state (a new PIN
// unlocks the badge) and journals e. Errors: ErrInvalidStaff for a hash
// without algorithm, salt or hash; ErrNotFound; ErrConflict when id is
// disabled.
//
// DisableStaff marks id inactive, which frees its badge for another, and
// journals e. Errors: ErrNotFound; ErrConflict when id is already
// disabled.
//
// LoginState returns id's log-in state, the zero LoginState when none was
// stored. SetLoginState stores it and journals each of es, in one
// durable write. Errors: ErrNotFound when there is no staff member id.
type StaffStore interface {
	AddStaff(ctx context.Context, s Staff, e Entry) error
	Staff(ctx context.Context, id string) (Staff, error)
	StaffByBadge(ctx context.Context, badge string) (Staff, error)
	ListStaff(ctx context.Context) ([]Staff, error)
	SetPIN(ctx context.Context, id string, h PINHash, e Entry) error
	DisableStaff(ctx context.Context, id string, e Entry) error
	LoginState(ctx context.Context, id string) (LoginState, error)
	SetLoginState(ctx context.Context, id string, st LoginState, es ...Entry) error
}

// PINHasher makes and checks the stored form of staff PINs: a slow,
// salted hash, so that a copied data dir does not give the PINs away
// quickly.
//
// Hash returns a new PINHash of pin, with a fresh random salt and the
// hasher's current parameters recorded in it. Errors: ErrBadPIN (wrapped)
// for a pin that is not 4 to 8 digits.
//
// Verify reports whether pin is the PIN h was made from, using the
// algorithm and parameters recorded in h, and comparing in constant time.
// A wrong PIN, also one that is not 4 to 8 digits, is false with a nil
// error. Errors: ErrUnsupportedPINHash (wrapped) when h's algorithm or
// parameters are not ones the hasher computes (never true then).
type PINHasher interface {
	Hash(pin string) (PINHash, error)
	Verify(pin string, h PINHash) (bool, error)
}

// ErrUnsupportedPINHash: a stored PIN hash has an algorithm or parameters
// the PINHasher does not compute (a damaged record, or one made by another
// program).
var ErrUnsupportedPINHash = errors.New("kiosk: unsupported PIN hash")

// Disk is the disk the store keeps its data on, for the free-space guard:
// a store that runs out of space mid-write can lose or crash, so the
// checkout starts no sale while less than its reserve is free
// (Config.DiskReserve).
//
// Free returns how many bytes the kiosk may still write there (on a file
// system, what an unprivileged writer may use, not the blocks kept for
// root). Errors: ctx.Err() when ctx has ended; ErrDeviceUnavailable
// (wrapped, with the reason) when the free space cannot be read (the
// directory is gone, a platform that cannot tell): the checkout then
// logs it and sells on without the guard, as it did before it had one.
type Disk interface {
	Free(ctx context.Context) (uint64, error)
}
