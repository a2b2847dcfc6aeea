package kiosk

// Staff log-in at one kiosk (issue 10 item 2): a badge, then its PIN; too
// many wrong PINs lock the badge for a while, persisted in the StaffStore
// so a restart does not reset it; a session ends on log-out or when idle.
// Each step is journaled: 13003 employee log-in, 13004 log-out, and the
// failures and lock-outs as 13999 with their subtypes (SAF-T Cash
// Register code list PredefinedBasicID-13). No PIN, hash or badge code is
// ever journaled.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// Log-in errors the screens branch on.
var (
	// ErrUnknownBadge: no active staff member holds the badge.
	ErrUnknownBadge = errors.New("kiosk: unknown staff badge")
	// ErrBadgeLocked: too many wrong PINs; the badge opens again later
	// (the error says when).
	ErrBadgeLocked = errors.New("kiosk: staff badge locked")
	// ErrWrongPIN: the PIN does not match (the error says how many tries
	// are left).
	ErrWrongPIN = errors.New("kiosk: wrong PIN")
	// ErrNoSession: the action needs a staff member logged in.
	ErrNoSession = errors.New("kiosk: staff log-in needed")
	// ErrNotPermitted: the logged-in staff member's role may not do it.
	ErrNotPermitted = errors.New("kiosk: not permitted for this role")
)

// lockedError is ErrBadgeLocked with the time the badge opens.
type lockedError struct{ until time.Time }

func (e lockedError) Error() string {
	return ErrBadgeLocked.Error() + " until " + e.until.Format("15:04")
}
func (e lockedError) Is(target error) bool { return target == ErrBadgeLocked }

// LockedUntil is when the badge of an ErrBadgeLocked error opens again.
func LockedUntil(err error) (time.Time, bool) {
	var le lockedError
	if errors.As(err, &le) {
		return le.until, true
	}
	return time.Time{}, false
}

// wrongPINError is ErrWrongPIN with the tries left.
type wrongPINError struct{ left int }

func (e wrongPINError) Error() string {
	return fmt.Sprintf("%v: %d tries left", ErrWrongPIN, e.left)
}
func (e wrongPINError) Is(target error) bool { return target == ErrWrongPIN }

// TriesLeft is how many wrong PINs an ErrWrongPIN error's badge has left
// before it locks.
func TriesLeft(err error) (int, bool) {
	var we wrongPINError
	if errors.As(err, &we) {
		return we.left, true
	}
	return 0, false
}

// LoginConfig tunes StaffLogin. Zero fields take the defaults.
type LoginConfig struct {
	MaxFailures int           // wrong PINs in a row that lock the badge (default 5)
	Lockout     time.Duration // how long a locked badge stays locked (default 5 min)
	Idle        time.Duration // a session without a staff action ends after this (default 60 s)
}

func (c *LoginConfig) defaults() {
	if c.MaxFailures <= 0 {
		c.MaxFailures = 5
	}
	if c.Lockout <= 0 {
		c.Lockout = 5 * time.Minute
	}
	if c.Idle <= 0 {
		c.Idle = 60 * time.Second
	}
}

// Session is a staff member logged in at the kiosk.
type Session struct {
	Staff      Staff // PIN hash cleared
	Started    time.Time
	LastActive time.Time
}

// StaffLogin checks staff log-ins at one kiosk and holds its one session.
// It is safe for concurrent use; PIN checks (deliberately slow) run one
// at a time and never under the session's lock. The Checkout drives it
// (Deps.Login) from the badge, the PIN pad and the staff screen.
type StaffLogin struct {
	kiosk string
	cfg   LoginConfig
	store StaffStore
	pins  PINHasher
	jrnl  Journal
	clock Clock

	// attempt serialises PIN checks: the failure count is read, then
	// written back (StaffStore.SetLoginState replaces it).
	attempt sync.Mutex

	mu      sync.Mutex
	session *Session
}

// NewStaffLogin returns the log-in of kiosk kioskID over the staff
// register, the PIN hasher and the journal (for an unknown badge, which
// has no register entry to journal with).
func NewStaffLogin(kioskID string, store StaffStore, pins PINHasher, j Journal, clk Clock, cfg LoginConfig) *StaffLogin {
	cfg.defaults()
	return &StaffLogin{kiosk: kioskID, cfg: cfg, store: store, pins: pins, jrnl: j, clock: clk}
}

func (l *StaffLogin) entry(code Code, sub string, s Staff, text string) Entry {
	e := Entry{Code: code, Subtype: sub, Time: l.clock.Now(), Kiosk: l.kiosk, Text: text}
	if s.ID != "" {
		e.Data = map[string]string{"staff": s.ID, "role": s.Role.String()}
	}
	return e
}

// IdleTime is how long a session lasts without a staff action.
func (l *StaffLogin) IdleTime() time.Duration { return l.cfg.Idle }

// Badge finds the active staff member holding badge, for the PIN prompt.
// Errors: ErrUnknownBadge (journaled; also for disabled staff, and the
// badge code itself is not journaled); ErrBadgeLocked, with the time it
// opens (journaled); a store error.
func (l *StaffLogin) Badge(ctx context.Context, badge string) (Staff, error) {
	s, err := l.store.StaffByBadge(ctx, badge)
	if errors.Is(err, ErrNotFound) {
		if _, jerr := l.jrnl.Append(ctx, l.entry(CodeOther, SubLoginFailed, Staff{}, "unknown or disabled staff badge")); jerr != nil {
			return Staff{}, fmt.Errorf("kiosk: journal a failed log-in: %w", jerr)
		}
		return Staff{}, fmt.Errorf("%w", ErrUnknownBadge)
	}
	if err != nil {
		return Staff{}, fmt.Errorf("kiosk: look up staff badge: %w", err)
	}
	return l.checkLocked(ctx, s, "badge scanned while locked out")
}

// checkLocked returns s for the PIN prompt, or ErrBadgeLocked (journaled
// with why) while s is locked out.
func (l *StaffLogin) checkLocked(ctx context.Context, s Staff, why string) (Staff, error) {
	st, err := l.store.LoginState(ctx, s.ID)
	if err != nil {
		return Staff{}, fmt.Errorf("kiosk: read log-in state: %w", err)
	}
	if now := l.clock.Now(); st.Locked(now) {
		e := l.entry(CodeOther, SubLoginFailed, s, why)
		if _, jerr := l.jrnl.Append(ctx, e); jerr != nil {
			return Staff{}, fmt.Errorf("kiosk: journal a failed log-in: %w", jerr)
		}
		return Staff{}, lockedError{st.LockedUntil}
	}
	s.PIN = PINHash{}
	return s, nil
}

// ByID finds active staff member id for the PIN prompt, as Badge does
// for a badge (a staff member picked their name after the key switch).
// Errors: ErrUnknownBadge (journaled) for an unknown or disabled id;
// ErrBadgeLocked (journaled), with the time it opens; a store error.
func (l *StaffLogin) ByID(ctx context.Context, id string) (Staff, error) {
	s, err := l.store.Staff(ctx, id)
	if errors.Is(err, ErrNotFound) || err == nil && !s.Active {
		if _, jerr := l.jrnl.Append(ctx, l.entry(CodeOther, SubLoginFailed, Staff{}, "unknown or disabled staff member picked")); jerr != nil {
			return Staff{}, fmt.Errorf("kiosk: journal a failed log-in: %w", jerr)
		}
		return Staff{}, fmt.Errorf("%w", ErrUnknownBadge)
	}
	if err != nil {
		return Staff{}, fmt.Errorf("kiosk: look up staff: %w", err)
	}
	return l.checkLocked(ctx, s, "picked while locked out")
}

// Active lists the active staff members, by ID, PIN hashes cleared: the
// names to pick from after the key switch.
func (l *StaffLogin) Active(ctx context.Context) ([]Staff, error) {
	all, err := l.store.ListStaff(ctx)
	if err != nil {
		return nil, fmt.Errorf("kiosk: list staff: %w", err)
	}
	var out []Staff
	for _, s := range all {
		if s.Active {
			s.PIN = PINHash{}
			out = append(out, s)
		}
	}
	return out, nil
}

// PIN checks pin for staff member id (found by Badge). A right PIN
// starts the kiosk's session (replacing any other, journaled 13003) and
// clears the failures. A wrong one counts, persisted; the MaxFailures-th
// in a row locks the badge for Lockout. Errors: ErrWrongPIN with the
// tries left; ErrBadgeLocked; ErrUnknownBadge when id is gone or
// disabled; a store error.
func (l *StaffLogin) PIN(ctx context.Context, id, pin string) (Session, error) {
	l.attempt.Lock()
	defer l.attempt.Unlock()
	s, err := l.verify(ctx, id, pin)
	if err != nil {
		return Session{}, err
	}
	now := l.clock.Now()
	e := l.entry(CodeEmployeeLogIn, "", s, "staff logged in")
	if err := l.store.SetLoginState(ctx, id, LoginState{}, e); err != nil {
		return Session{}, fmt.Errorf("kiosk: record a log-in: %w", err)
	}
	sess := Session{Staff: s, Started: now, LastActive: now}
	l.mu.Lock()
	prev := l.session
	l.session = &sess
	l.mu.Unlock()
	if prev != nil && prev.Staff.ID != s.ID {
		l.logoutEntry(ctx, *prev, "another staff member logged in")
	}
	return sess, nil
}

// verify checks pin for staff member id as PIN does, counting and
// journaling a wrong one, and returns the member (PIN hash cleared) for
// a right one, whose log-in the caller records. l.attempt must be held.
// Errors: as PIN's.
func (l *StaffLogin) verify(ctx context.Context, id, pin string) (Staff, error) {
	s, err := l.store.Staff(ctx, id)
	if errors.Is(err, ErrNotFound) || err == nil && !s.Active {
		return Staff{}, fmt.Errorf("%w", ErrUnknownBadge)
	}
	if err != nil {
		return Staff{}, fmt.Errorf("kiosk: look up staff: %w", err)
	}
	st, err := l.store.LoginState(ctx, id)
	if err != nil {
		return Staff{}, fmt.Errorf("kiosk: read log-in state: %w", err)
	}
	if st.Locked(l.clock.Now()) {
		return Staff{}, lockedError{st.LockedUntil}
	}
	ok, err := l.pins.Verify(pin, s.PIN)
	if err != nil {
		return Staff{}, fmt.Errorf("kiosk: check PIN: %w", err)
	}
	s.PIN = PINHash{}
	now := l.clock.Now()
	if !ok {
		st.Failures++
		if st.Failures >= l.cfg.MaxFailures {
			st = LoginState{LockedUntil: now.Add(l.cfg.Lockout)}
			e := l.entry(CodeOther, SubLoginLocked, s,
				fmt.Sprintf("%d wrong PINs: badge locked until %s", l.cfg.MaxFailures, st.LockedUntil.Format("15:04")))
			if err := l.store.SetLoginState(ctx, id, st, e); err != nil {
				return Staff{}, fmt.Errorf("kiosk: record a lock-out: %w", err)
			}
			return Staff{}, lockedError{st.LockedUntil}
		}
		e := l.entry(CodeOther, SubLoginFailed, s, "wrong PIN")
		e.Data["failures"] = strconv.Itoa(st.Failures)
		if err := l.store.SetLoginState(ctx, id, st, e); err != nil {
			return Staff{}, fmt.Errorf("kiosk: record a wrong PIN: %w", err)
		}
		return Staff{}, wrongPINError{l.cfg.MaxFailures - st.Failures}
	}
	return s, nil
}

// Current returns the kiosk's session, ending it first (journaled) when
// it has been idle for longer than the configured Idle.
func (l *StaffLogin) Current(ctx context.Context) (Session, bool) {
	l.mu.Lock()
	s := l.session
	if s != nil && l.clock.Now().Sub(s.LastActive) > l.cfg.Idle {
		l.session = nil
		l.mu.Unlock()
		l.logoutEntry(ctx, *s, "idle")
		return Session{}, false
	}
	l.mu.Unlock()
	if s == nil {
		return Session{}, false
	}
	return *s, true
}

// Authorize checks that the session's role may do a, and counts it as
// activity. Errors: ErrNoSession (also after the idle time); ErrNotPermitted.
func (l *StaffLogin) Authorize(ctx context.Context, a Action) (Session, error) {
	s, ok := l.Current(ctx)
	if !ok {
		return Session{}, fmt.Errorf("%w: %v", ErrNoSession, a)
	}
	if !s.Staff.Role.May(a) {
		return Session{}, fmt.Errorf("%w: a %v may not %v", ErrNotPermitted, s.Staff.Role, a)
	}
	l.mu.Lock()
	if l.session != nil && l.session.Staff.ID == s.Staff.ID {
		l.session.LastActive = l.clock.Now()
		s = *l.session
	}
	l.mu.Unlock()
	return s, nil
}

// Touch counts as activity of the session, if there is one: staff is
// using the staff screen.
func (l *StaffLogin) Touch() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.session != nil {
		l.session.LastActive = l.clock.Now()
	}
}

// Logout ends the session, journaled 13004 with why ("logged out", "the
// customer's sale resumed" …). It does nothing without a session.
func (l *StaffLogin) Logout(ctx context.Context, why string) {
	l.mu.Lock()
	s := l.session
	l.session = nil
	l.mu.Unlock()
	if s != nil {
		l.logoutEntry(ctx, *s, why)
	}
}

func (l *StaffLogin) logoutEntry(ctx context.Context, s Session, why string) {
	// A log-out that cannot be journaled still ends the session: staff
	// rights must never outlive it. The journal's own failure shows at
	// its next write.
	_, _ = l.jrnl.Append(ctx, l.entry(CodeEmployeeLogOut, "", s.Staff, "staff logged out: "+why))
}
