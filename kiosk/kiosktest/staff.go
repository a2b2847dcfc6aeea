package kiosktest

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"selvkasse/kiosk"
)

// AgeState is how an age-check request to the fake staff ended.
type AgeState uint8

const (
	AgeWaiting     AgeState = 1 // shown to staff, not decided yet
	AgeApproved    AgeState = 2 // staff approved
	AgeRefused     AgeState = 3 // staff refused
	AgeWithdrawn   AgeState = 4 // the caller's ctx ended first
	AgeUnavailable AgeState = 5 // no staff channel: never shown
)

func (s AgeState) String() string {
	switch s {
	case AgeWaiting:
		return "waiting"
	case AgeApproved:
		return "approved"
	case AgeRefused:
		return "refused"
	case AgeWithdrawn:
		return "withdrawn"
	case AgeUnavailable:
		return "unavailable"
	}
	return fmt.Sprintf("AgeState(%d)", uint8(s))
}

// AgeRequest is one RequestAgeCheck call the fake staff saw.
type AgeRequest struct {
	Check    kiosk.AgeCheck
	State    AgeState
	Approval kiosk.Approval // staff's answer (Approved and Refused)
}

// FakeStaffMethod is the Approval.Method of answers given with Approve and
// Refuse.
const FakeStaffMethod = "test"

// StaffApproval is a fake kiosk.StaffApproval. RequestAgeCheck shows the
// request to staff and waits until the test answers it (Approve, Refuse,
// Answer) or the caller's ctx ends, which withdraws it. WaitRequest tells
// the test when a request is shown. SetUnavailable takes the staff channel
// away. Requests records every request and how it ended. Make one with
// NewStaffApproval.
type StaffApproval struct {
	mu          sync.Mutex
	reqs        []AgeRequest
	waiting     []*ageWaiter // shown and undecided, oldest first
	shown       []int        // indexes into reqs of the requests shown, in order
	given       int          // how many of shown WaitRequest returned
	unavailable bool
	wake        chan struct{}
}

var _ kiosk.StaffApproval = (*StaffApproval)(nil)

type ageWaiter struct {
	i  int // index into reqs
	ch chan kiosk.Approval
}

// NewStaffApproval returns staff ready to answer.
func NewStaffApproval() *StaffApproval {
	return &StaffApproval{wake: make(chan struct{})}
}

func (s *StaffApproval) changedLocked() {
	close(s.wake)
	s.wake = make(chan struct{})
}

func cloneCheck(c kiosk.AgeCheck) kiosk.AgeCheck {
	c.Items = append([]string(nil), c.Items...)
	return c
}

// Approve approves the oldest waiting request as staff. It returns an error
// when no request is waiting.
func (s *StaffApproval) Approve(staff string) error {
	return s.Answer(kiosk.Approval{Approved: true, Staff: staff, Method: FakeStaffMethod})
}

// Refuse refuses the oldest waiting request as staff.
func (s *StaffApproval) Refuse(staff string) error {
	return s.Answer(kiosk.Approval{Approved: false, Staff: staff, Method: FakeStaffMethod})
}

// Answer ends the oldest waiting request with a.
func (s *StaffApproval) Answer(a kiosk.Approval) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.waiting) == 0 {
		return errors.New("kiosktest: staff answer: no age check is waiting")
	}
	w := s.waiting[0]
	s.waiting = s.waiting[1:]
	st := AgeRefused
	if a.Approved {
		st = AgeApproved
	}
	s.reqs[w.i].State, s.reqs[w.i].Approval = st, a
	w.ch <- a
	s.changedLocked()
	return nil
}

// SetUnavailable takes the staff channel away (true) or brings it back.
// While it is away RequestAgeCheck returns an error wrapping
// kiosk.ErrDeviceUnavailable at once; requests already waiting keep
// waiting.
func (s *StaffApproval) SetUnavailable(off bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unavailable = off
}

// Requests returns every request so far and how it ended, oldest first.
func (s *StaffApproval) Requests() []AgeRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]AgeRequest, len(s.reqs))
	for i, r := range s.reqs {
		r.Check = cloneCheck(r.Check)
		out[i] = r
	}
	return out
}

// Waiting returns the requests staff is shown now, oldest first.
func (s *StaffApproval) Waiting() []kiosk.AgeCheck {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]kiosk.AgeCheck, len(s.waiting))
	for i, w := range s.waiting {
		out[i] = cloneCheck(s.reqs[w.i].Check)
	}
	return out
}

// WaitRequest returns the next request shown to staff that no earlier
// WaitRequest returned, waiting for it if need be. It may have been
// withdrawn since.
func (s *StaffApproval) WaitRequest(ctx context.Context) (kiosk.AgeCheck, error) {
	for {
		s.mu.Lock()
		if s.given < len(s.shown) {
			c := cloneCheck(s.reqs[s.shown[s.given]].Check)
			s.given++
			s.mu.Unlock()
			return c, nil
		}
		wake := s.wake
		s.mu.Unlock()
		select {
		case <-ctx.Done():
			return kiosk.AgeCheck{}, ctx.Err()
		case <-wake:
		}
	}
}

// RequestAgeCheck implements kiosk.StaffApproval.
func (s *StaffApproval) RequestAgeCheck(ctx context.Context, req kiosk.AgeCheck) (kiosk.Approval, error) {
	s.mu.Lock()
	i := len(s.reqs)
	s.reqs = append(s.reqs, AgeRequest{Check: cloneCheck(req)})
	switch {
	case ctx.Err() != nil:
		s.reqs[i].State = AgeWithdrawn
		s.mu.Unlock()
		return kiosk.Approval{}, ctx.Err()
	case s.unavailable:
		s.reqs[i].State = AgeUnavailable
		s.mu.Unlock()
		return kiosk.Approval{}, fmt.Errorf("kiosktest: age check: no staff: %w", kiosk.ErrDeviceUnavailable)
	}
	s.reqs[i].State = AgeWaiting
	w := &ageWaiter{i: i, ch: make(chan kiosk.Approval, 1)}
	s.waiting = append(s.waiting, w)
	s.shown = append(s.shown, i)
	s.changedLocked()
	s.mu.Unlock()

	select {
	case a := <-w.ch:
		return a, nil
	case <-ctx.Done():
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for j, x := range s.waiting {
		if x == w {
			s.waiting = append(s.waiting[:j], s.waiting[j+1:]...)
			s.reqs[i].State = AgeWithdrawn
			s.changedLocked()
			return kiosk.Approval{}, ctx.Err()
		}
	}
	return <-w.ch, nil // staff answered just as ctx ended
}
