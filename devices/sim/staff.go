package sim

import (
	"context"
	"slices"

	"selvkasse/kiosk"
)

// How the simulated staff answers an age check.
const (
	StaffName   = "Ansatt (simulator)"
	StaffMethod = "simulator"
)

type ageWait struct {
	req kiosk.AgeCheck
	ch  chan ageAnswer // buffered 1
}

type ageAnswer struct {
	a   kiosk.Approval
	err error
}

func cloneCheck(c kiosk.AgeCheck) kiosk.AgeCheck {
	c.Items = slices.Clone(c.Items)
	return c
}

type staff struct{ d *Devices }

var _ kiosk.StaffApproval = staff{}

// StaffApproval is the simulated staff's port: RequestAgeCheck shows the
// request (Pending) until staff answers with Staff or the kiosk withdraws
// it.
func (d *Devices) StaffApproval() kiosk.StaffApproval { return staff{d} }

// Staff is staff's answer to the oldest age check shown: approve true
// means the customer is old enough. It reports false, and does nothing,
// when none is shown.
func (d *Devices) Staff(approve bool) bool {
	d.mu.Lock()
	if len(d.ages) == 0 {
		d.mu.Unlock()
		return false
	}
	w := d.ages[0]
	d.ages = d.ages[1:]
	w.ch <- ageAnswer{a: kiosk.Approval{Approved: approve, Staff: StaffName, Method: StaffMethod}}
	d.unlockChanged()
	return true
}

// RequestAgeCheck implements kiosk.StaffApproval.
func (s staff) RequestAgeCheck(ctx context.Context, req kiosk.AgeCheck) (kiosk.Approval, error) {
	d := s.d
	d.mu.Lock()
	if err := ctx.Err(); err != nil {
		d.mu.Unlock()
		return kiosk.Approval{}, err
	}
	if d.offline[DevStaff] {
		d.mu.Unlock()
		return kiosk.Approval{}, offline(DevStaff)
	}
	w := &ageWait{req: cloneCheck(req), ch: make(chan ageAnswer, 1)}
	d.ages = append(d.ages, w)
	d.unlockChanged()

	select {
	case r := <-w.ch:
		return r.a, r.err
	case <-ctx.Done():
	}
	d.mu.Lock()
	i := slices.Index(d.ages, w)
	if i < 0 { // answered just as ctx ended
		d.mu.Unlock()
		r := <-w.ch
		return r.a, r.err
	}
	d.ages = slices.Delete(d.ages, i, i+1)
	d.unlockChanged()
	return kiosk.Approval{}, ctx.Err()
}

var _ kiosk.StaffKey = staff{}

// StaffKey is the simulated staff's key switch as a way to log in:
// WaitKeyTurn reports a KeyTurn made while no age check waits.
func (d *Devices) StaffKey() kiosk.StaffKey { return staff{d} }

// KeyTurn is staff turning the key switch to approve, as the real key
// does: it approves the oldest age check shown, if any, and reports true;
// otherwise it is a log-in, kept for WaitKeyTurn (turns nobody takes in
// between count as one), and it reports false. While the staff device is
// offline the turn is not read: nothing happens and it reports false.
func (d *Devices) KeyTurn() (answered bool) {
	d.mu.Lock()
	if d.offline[DevStaff] {
		d.mu.Unlock()
		return false
	}
	if len(d.ages) > 0 {
		w := d.ages[0]
		d.ages = d.ages[1:]
		w.ch <- ageAnswer{a: kiosk.Approval{Approved: true, Staff: StaffName, Method: StaffMethod}}
		d.unlockChanged()
		return true
	}
	d.keyTurn = true
	d.unlockChanged()
	return false
}

// WaitKeyTurn implements kiosk.StaffKey: it takes the turn KeyTurn kept,
// waiting for one if need be. Errors: ctx.Err() (an ended ctx takes no
// turn); kiosk.ErrDeviceUnavailable (wrapped) while the staff device is
// offline, also while waiting (a turn kept from before stays kept).
func (s staff) WaitKeyTurn(ctx context.Context) error {
	d := s.d
	d.mu.Lock()
	for {
		switch {
		case ctx.Err() != nil:
			d.mu.Unlock()
			return ctx.Err()
		case d.offline[DevStaff]:
			d.mu.Unlock()
			return offline(DevStaff)
		case d.keyTurn:
			d.keyTurn = false
			d.unlockChanged()
			return nil
		}
		wake := d.wake
		d.mu.Unlock()
		select {
		case <-ctx.Done():
		case <-wake:
		}
		d.mu.Lock()
	}
}
