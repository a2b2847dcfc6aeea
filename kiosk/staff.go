package kiosk

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Role is what a staff member is employed as. The numbers are persisted.
type Role uint8

const (
	RoleClerk      Role = 1 // serves customers: age checks, help at the kiosk
	RoleSupervisor Role = 2 // the shop's manager: money decisions, staff, day close
	RoleTechnician Role = 3 // services the devices, never the sales
)

// Roles lists every role, in number order.
var Roles = []Role{RoleClerk, RoleSupervisor, RoleTechnician}

func (r Role) String() string {
	switch r {
	case RoleClerk:
		return "clerk"
	case RoleSupervisor:
		return "supervisor"
	case RoleTechnician:
		return "technician"
	}
	return fmt.Sprintf("Role(%d)", uint8(r))
}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return r >= RoleClerk && r <= RoleTechnician }

// ParseRole reads a role by its name ("clerk", "supervisor",
// "technician"), ignoring case. Errors: ErrInvalidStaff naming the roles.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if strings.EqualFold(strings.TrimSpace(s), r.String()) {
			return r, nil
		}
	}
	return 0, fmt.Errorf("%w: unknown role %q (want clerk, supervisor or technician)", ErrInvalidStaff, s)
}

// Action is something only some staff may do at the kiosk.
type Action uint8

const (
	ActAgeCheck       Action = 1  // approve or refuse a customer's age
	ActAssist         Action = 2  // answer a call for help: resume, or cancel a sale before payment
	ActSettlePayment  Action = 3  // cancel or complete a sale whose payment is unknown or on record
	ActRestockCabinet Action = 4  // open the tobacco cabinet to fill it
	ActXReport        Action = 5  // print an X report
	ActZReport        Action = 6  // close the day: Z report, the card terminal's end of day
	ActManageStaff    Action = 7  // add and disable staff, set another's PIN
	ActServiceDevices Action = 8  // device check, test receipt, clear a device fault
	ActCopyReceipt    Action = 9  // print the one copy of a receipt the law allows
	ActReturns        Action = 10 // take goods back and refund
	ActReceiveStock   Action = 11 // book goods received into stock
	ActTrainingMode   Action = 12 // switch training mode on or off
	ActEditCatalog    Action = 13 // import products and change their master data and prices
)

// Actions lists every action, in number order.
var Actions = []Action{ActAgeCheck, ActAssist, ActSettlePayment, ActRestockCabinet, ActXReport, ActZReport, ActManageStaff, ActServiceDevices,
	ActCopyReceipt, ActReturns, ActReceiveStock, ActTrainingMode, ActEditCatalog}

func (a Action) String() string {
	switch a {
	case ActAgeCheck:
		return "age check"
	case ActAssist:
		return "assist"
	case ActSettlePayment:
		return "settle payment"
	case ActRestockCabinet:
		return "restock cabinet"
	case ActXReport:
		return "X report"
	case ActZReport:
		return "Z report"
	case ActManageStaff:
		return "manage staff"
	case ActServiceDevices:
		return "service devices"
	case ActCopyReceipt:
		return "copy receipt"
	case ActReturns:
		return "returns"
	case ActReceiveStock:
		return "receive stock"
	case ActTrainingMode:
		return "training mode"
	case ActEditCatalog:
		return "edit catalog"
	}
	return fmt.Sprintf("Action(%d)", uint8(a))
}

// permissions is who may do what: the one table of it. An action a role
// is not listed for is refused; so is every action of an unknown role.
var permissions = map[Action][]Role{
	ActAgeCheck:       {RoleClerk, RoleSupervisor},
	ActAssist:         {RoleClerk, RoleSupervisor},
	ActSettlePayment:  {RoleSupervisor},
	ActRestockCabinet: {RoleClerk, RoleSupervisor},
	ActXReport:        {RoleClerk, RoleSupervisor},
	ActZReport:        {RoleSupervisor},
	ActManageStaff:    {RoleSupervisor},
	ActServiceDevices: {RoleSupervisor, RoleTechnician},
	ActCopyReceipt:    {RoleClerk, RoleSupervisor},
	ActReturns:        {RoleSupervisor},
	ActReceiveStock:   {RoleClerk, RoleSupervisor},
	ActTrainingMode:   {RoleSupervisor},
	ActEditCatalog:    {RoleSupervisor},
}

// May reports whether a staff member with role r may do a.
func (r Role) May(a Action) bool {
	for _, allowed := range permissions[a] {
		if allowed == r {
			return true
		}
	}
	return false
}

// ErrInvalidStaff: a staff record, role or field is not acceptable.
var ErrInvalidStaff = errors.New("kiosk: invalid staff")

// ErrBadPIN: a PIN is not 4 to 8 digits.
var ErrBadPIN = errors.New("kiosk: a PIN must be 4 to 8 digits")

// PIN lengths, in digits.
const (
	MinPINDigits = 4
	MaxPINDigits = 8
)

// CheckPIN checks that pin is 4 to 8 ASCII digits. Errors: ErrBadPIN
// (wrapped, with the reason; the PIN itself is never in the message).
func CheckPIN(pin string) error {
	if n := len(pin); n < MinPINDigits || n > MaxPINDigits {
		return fmt.Errorf("%w: got %d characters", ErrBadPIN, len([]rune(pin)))
	}
	for i := 0; i < len(pin); i++ {
		if pin[i] < '0' || pin[i] > '9' {
			return fmt.Errorf("%w: it may hold digits only", ErrBadPIN)
		}
	}
	return nil
}

// PINHash is a stored PIN: a slow, salted hash and everything needed to
// compute it again (the algorithm, its parameters, the salt), so that the
// parameters can be raised later without locking out anyone hashed with
// the old ones. Only a PINHasher makes and reads it.
type PINHash struct {
	Algorithm string `json:"alg"`   // "argon2id"
	Time      uint32 `json:"t"`     // passes over the memory
	MemoryKiB uint32 `json:"m_kib"` // memory, KiB
	Threads   uint8  `json:"p"`     // lanes (parallelism)
	KeyLen    uint32 `json:"len"`   // length of Hash, bytes
	Salt      []byte `json:"salt"`  // random, per record
	Hash      []byte `json:"hash"`
}

// IsZero reports whether h holds no hash.
func (h PINHash) IsZero() bool { return h.Algorithm == "" && len(h.Salt) == 0 && len(h.Hash) == 0 }

// String names the algorithm and parameters only, never the salt or the
// hash, so that a logged Staff gives nothing away.
func (h PINHash) String() string {
	if h.IsZero() {
		return "no PIN"
	}
	return fmt.Sprintf("%s(t=%d, m=%d KiB, p=%d)", h.Algorithm, h.Time, h.MemoryKiB, h.Threads)
}

// GoString is String, for %#v.
func (h PINHash) GoString() string { return h.String() }

// Staff is one member of the staff register.
type Staff struct {
	ID     string  `json:"id"`    // the employee's number or short name; never reused
	Name   string  `json:"name"`  // full name, for the journal and the screen
	Role   Role    `json:"role"`  //
	Badge  string  `json:"badge"` // the badge's id as the scanner reports it (Scan.Staff: without the staff prefix)
	PIN    PINHash `json:"pin"`
	Active bool    `json:"active"` // false: disabled; kept for the journal's sake
}

// Field limits of a Staff.
const (
	maxStaffID    = 32
	maxStaffName  = 80
	maxStaffBadge = 64
)

// CheckStaffID checks a staff ID: 1 to 32 letters, digits, '-', '_' or '.'.
// Errors: ErrInvalidStaff.
func CheckStaffID(id string) error {
	if id == "" || len(id) > maxStaffID {
		return fmt.Errorf("%w: id %q must be 1 to %d characters", ErrInvalidStaff, id, maxStaffID)
	}
	for _, c := range id {
		if !(c < unicode.MaxASCII && (unicode.IsLetter(c) || unicode.IsDigit(c)) || c == '-' || c == '_' || c == '.') {
			return fmt.Errorf("%w: id %q may hold letters a-z, digits, '-', '_' and '.' only", ErrInvalidStaff, id)
		}
	}
	return nil
}

// CheckBadge checks a badge id: 1 to 64 printable ASCII characters without
// spaces, as a Code 128 badge carries. Errors: ErrInvalidStaff.
func CheckBadge(b string) error {
	if b == "" || len(b) > maxStaffBadge {
		return fmt.Errorf("%w: badge must be 1 to %d characters", ErrInvalidStaff, maxStaffBadge)
	}
	for i := 0; i < len(b); i++ {
		if b[i] <= ' ' || b[i] > '~' {
			return fmt.Errorf("%w: badge %q may hold printable ASCII without spaces only", ErrInvalidStaff, b)
		}
	}
	return nil
}

// Validate checks s before it is stored. Errors: ErrInvalidStaff, wrapped
// with the reason.
func (s Staff) Validate() error {
	if err := s.ValidateDetails(); err != nil {
		return err
	}
	if err := s.PIN.check(); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrInvalidStaff, s.ID, err)
	}
	return nil
}

// ValidateDetails is Validate without the PIN hash: what can be checked
// before anyone is asked for a PIN.
func (s Staff) ValidateDetails() error {
	if err := CheckStaffID(s.ID); err != nil {
		return err
	}
	name := strings.TrimSpace(s.Name)
	if name == "" || len([]rune(s.Name)) > maxStaffName || name != s.Name {
		return fmt.Errorf("%w: %s: name must be 1 to %d characters, without leading or trailing spaces", ErrInvalidStaff, s.ID, maxStaffName)
	}
	for _, c := range s.Name {
		if unicode.IsControl(c) {
			return fmt.Errorf("%w: %s: name holds a control character", ErrInvalidStaff, s.ID)
		}
	}
	if !s.Role.Valid() {
		return fmt.Errorf("%w: %s: unknown role %v", ErrInvalidStaff, s.ID, s.Role)
	}
	if err := CheckBadge(s.Badge); err != nil {
		return fmt.Errorf("%s: %w", s.ID, err)
	}
	return nil
}

// check says whether h can be a stored hash at all. Whether its algorithm
// and parameters are supported is the PINHasher's business.
func (h PINHash) check() error {
	if h.Algorithm == "" || len(h.Salt) == 0 || len(h.Hash) == 0 {
		return errors.New("no PIN hash (algorithm, salt and hash are needed)")
	}
	return nil
}

// CheckPINHash is the check SetPIN makes of a new hash. Errors:
// ErrInvalidStaff.
func CheckPINHash(h PINHash) error {
	if err := h.check(); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidStaff, err)
	}
	return nil
}

// HasActive reports whether staff holds an active member with role r.
func HasActive(staff []Staff, r Role) bool {
	for _, s := range staff {
		if s.Active && s.Role == r {
			return true
		}
	}
	return false
}

// LoginState is a staff member's log-in record: wrong PINs entered in a
// row, and the badge's lock-out after too many. It is kept durably, so a
// restart does not reset it.
type LoginState struct {
	// Failures counts wrong PINs since the last right one (or the last
	// lock-out).
	Failures int `json:"failures,omitempty"`
	// LockedUntil is when the badge may log in again; zero when it is
	// not locked.
	LockedUntil time.Time `json:"locked_until,omitzero"`
}

// Locked reports whether the badge is locked out at now.
func (l LoginState) Locked(now time.Time) bool { return now.Before(l.LockedUntil) }

// StaffEntry is the journal entry of a change to the staff register
// (sub is SubStaffAdded, SubStaffPINSet or SubStaffDisabled). SAF-T Cash
// Register has no event code for master data, so it is 13999 with the
// subtype. It names the staff member, their role and who made the change;
// never the badge, the PIN or its hash.
func StaffEntry(sub string, s Staff, at time.Time, by string) Entry {
	e := Entry{Code: CodeOther, Subtype: sub, Time: at,
		Text: fmt.Sprintf("staff %s (%s, %s): %s", s.ID, s.Name, s.Role, strings.ReplaceAll(sub, "-", " ")),
		Data: map[string]string{"staff": s.ID, "name": s.Name, "role": s.Role.String()}}
	if by != "" {
		e.Data["by"] = by
	}
	return e
}
