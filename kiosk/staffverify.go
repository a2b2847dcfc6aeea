package kiosk

import (
	"context"
	"fmt"
)

// VerifyPIN checks pin for active staff member id under the log-in's rules
// (wrong PINs counted and journaled, the MaxFailures-th locking the member
// out for Lockout, a locked member refused) and that their role may do a,
// without starting the kiosk's session: a command run against the running
// kiosk (selvkasse catalog import through its loopback endpoint) is
// authenticated so. A right PIN clears the failures and is journaled as a
// log-in (13003) naming what: the command's own entries follow it.
// Errors: ErrWrongPIN with the tries left; ErrBadgeLocked; ErrUnknownBadge
// for an unknown or disabled id; ErrNotPermitted (journaled as a failed
// log-in) when the role may not do a; a store error.
func (l *StaffLogin) VerifyPIN(ctx context.Context, id, pin string, a Action, what string) (Staff, error) {
	l.attempt.Lock()
	defer l.attempt.Unlock()
	s, err := l.verify(ctx, id, pin)
	if err != nil {
		return Staff{}, err
	}
	if !s.Role.May(a) {
		e := l.entry(CodeOther, SubLoginFailed, s, fmt.Sprintf("a %v may not %v: %s refused", s.Role, a, what))
		if err := l.store.SetLoginState(ctx, id, LoginState{}, e); err != nil {
			return Staff{}, fmt.Errorf("kiosk: record a refused command: %w", err)
		}
		return Staff{}, fmt.Errorf("%w: a %v may not %v", ErrNotPermitted, s.Role, a)
	}
	e := l.entry(CodeEmployeeLogIn, "", s, "staff authenticated for "+what)
	if err := l.store.SetLoginState(ctx, id, LoginState{}, e); err != nil {
		return Staff{}, fmt.Errorf("kiosk: record a log-in: %w", err)
	}
	return s, nil
}

// StaffLogin is the checkout's staff log-in (Deps.Login), nil when staff
// cannot log in: the running kiosk's admin endpoint authenticates with it.
func (c *Checkout) StaffLogin() *StaffLogin { return c.d.Login }
