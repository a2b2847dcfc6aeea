package kiosk

// Checkout: calling staff, staff logging in at the kiosk, and the one-shot
// overrides a logged-in staff member makes (issue 10 items 2, 3 and 5).

import (
	"fmt"
)

// Help calls staff: the call goes into the assistance queue, the
// intervention light blinks yellow and chimes, and the customer's timers
// pause until staff logs in or the customer withdraws the call. The
// customer's screen stays as it is (an age check waiting goes on
// waiting: the two are separate calls). Errors: ErrNotNow while the
// terminal has the sale, on the assistance screen (staff is called
// already) and out of order.
func (c *Checkout) Help() error {
	return fmt.Errorf("%w: help", ErrNotNow)
}

// WithdrawHelp ends the customer's call for help. Errors: ErrNotNow when
// there is none.
func (c *Checkout) WithdrawHelp() error {
	return fmt.Errorf("%w: no call for help", ErrNotNow)
}

// StaffBadge handles a staff badge read by the scanner: it opens the PIN
// pad for its holder (View.Staff, phase StaffPIN), or shows why not
// (NoticeBadgeUnknown, NoticeBadgeLocked, NoticeStaffNotNow while the
// terminal or the cabinet has the sale), journaled either way. The
// customer's sale is not touched.
func (c *Checkout) StaffBadge(badge string) {}

// StaffPIN checks the PIN typed on the PIN pad. A right one signs the
// staff member in (View.Staff, phase StaffSignedIn: the staff screen),
// which answers the customer's call for help. Errors: ErrNotNow when no
// PIN pad is open; ErrWrongPIN (the pad stays, View.Staff.Error says the
// tries left); ErrBadgeLocked (the pad closes); ErrUnknownBadge.
func (c *Checkout) StaffPIN(pin string) error {
	return fmt.Errorf("%w: no PIN pad", ErrNotNow)
}

// StaffCancelLogin closes the PIN pad without signing in.
func (c *Checkout) StaffCancelLogin() {}

// StaffLogout ends the staff session (journaled 13004); the customer
// screen returns.
func (c *Checkout) StaffLogout() {}

// Override does one override for the signed-in staff member, journaled
// with the kiosk, staff id, role, override, reason, sale and time; the
// session then ends and the customer screen returns. It may ask the
// payment terminal and take seconds. Errors: ErrNoSession; ErrNotPermitted
// (the role may not; View.Staff.Error says so and the session stays);
// ErrNotNow (it does not apply now, or the reason is not one of the
// override's); ErrLater for entries later work fills; a device or store
// error (the session stays).
func (c *Checkout) Override(o Override) error {
	return fmt.Errorf("%w: override", ErrNoSession)
}
