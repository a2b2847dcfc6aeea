package kiosk_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// loginRig is a staff register with a clerk and a supervisor, the fake
// PIN hasher, a journal and a clock; login makes the kiosk's StaffLogin,
// again after a "restart".
type loginRig struct {
	t     *testing.T
	ctx   context.Context
	store *kiosktest.Store
	staff *kiosktest.StaffStore
	pins  *kiosktest.PINHasher
	clock *kiosktest.Clock
	login *kiosk.StaffLogin
}

func mustLoginRig(t *testing.T) *loginRig {
	t.Helper()
	r := &loginRig{t: t, ctx: context.Background(), store: kiosktest.NewStore(), pins: &kiosktest.PINHasher{},
		clock: kiosktest.NewClock(time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC))}
	r.staff = kiosktest.NewStaffStore(r.store)
	for _, m := range []struct {
		id   string
		role kiosk.Role
		pin  string
	}{{"ola", kiosk.RoleClerk, "1234"}, {"kari", kiosk.RoleSupervisor, "2468"}} {
		h, err := r.pins.Hash(m.pin)
		if err != nil {
			t.Fatal(err)
		}
		s := kiosk.Staff{ID: m.id, Name: m.id, Role: m.role, Badge: m.id, PIN: h, Active: true}
		if err := r.staff.AddStaff(r.ctx, s, kiosk.StaffEntry(kiosk.SubStaffAdded, s, r.clock.Now(), "test")); err != nil {
			t.Fatal(err)
		}
	}
	r.restart()
	return r
}

func (r *loginRig) restart() {
	r.login = kiosk.NewStaffLogin("K1", r.staff, r.pins, r.store, r.clock, kiosk.LoginConfig{})
}

func (r *loginRig) journaled(code kiosk.Code, sub string) int {
	n := 0
	for _, rec := range r.store.Records() {
		if rec.Code == code && rec.Subtype == sub {
			n++
		}
	}
	return n
}

func TestStaffLogIn(t *testing.T) {
	r := mustLoginRig(t)
	s, err := r.login.Badge(r.ctx, "ola")
	if err != nil || s.ID != "ola" || len(s.PIN.Hash) != 0 {
		t.Fatalf("Badge = %+v, %v; want ola without the PIN hash", s, err)
	}
	sess, err := r.login.PIN(r.ctx, "ola", "1234")
	if err != nil || sess.Staff.ID != "ola" {
		t.Fatalf("PIN = %+v, %v", sess, err)
	}
	if r.journaled(kiosk.CodeEmployeeLogIn, "") != 1 {
		t.Error("log-in not journaled as 13003")
	}
	if _, err := r.login.Authorize(r.ctx, kiosk.ActAgeCheck); err != nil {
		t.Errorf("a clerk approving an age: %v", err)
	}
	if _, err := r.login.Authorize(r.ctx, kiosk.ActManageStaff); !errors.Is(err, kiosk.ErrNotPermitted) {
		t.Errorf("a clerk managing staff: %v, want ErrNotPermitted", err)
	}
	r.login.Logout(r.ctx, "logged out")
	if _, err := r.login.Authorize(r.ctx, kiosk.ActAgeCheck); !errors.Is(err, kiosk.ErrNoSession) {
		t.Errorf("after log-out: %v, want ErrNoSession", err)
	}
	if r.journaled(kiosk.CodeEmployeeLogOut, "") != 1 {
		t.Error("log-out not journaled as 13004")
	}
	for _, rec := range r.store.Records() {
		for _, v := range append([]string{rec.Text}, mapValues(rec.Data)...) {
			if v == "1234" || v == "2468" {
				t.Errorf("a PIN in the journal: %+v", rec)
			}
		}
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func TestStaffLogInBadInput(t *testing.T) {
	r := mustLoginRig(t)
	if _, err := r.login.Badge(r.ctx, "nobody"); !errors.Is(err, kiosk.ErrUnknownBadge) {
		t.Errorf("unknown badge: %v", err)
	}
	s, _ := r.staff.Staff(r.ctx, "ola")
	if err := r.staff.DisableStaff(r.ctx, "ola", kiosk.StaffEntry(kiosk.SubStaffDisabled, s, r.clock.Now(), "test")); err != nil {
		t.Fatal(err)
	}
	if _, err := r.login.Badge(r.ctx, "ola"); !errors.Is(err, kiosk.ErrUnknownBadge) {
		t.Errorf("disabled staff's badge: %v", err)
	}
	if _, err := r.login.PIN(r.ctx, "ola", "1234"); !errors.Is(err, kiosk.ErrUnknownBadge) {
		t.Errorf("disabled staff's PIN: %v", err)
	}
	if r.journaled(kiosk.CodeOther, kiosk.SubLoginFailed) < 2 {
		t.Error("failed log-ins not journaled")
	}
}

// Five wrong PINs lock the badge for five minutes, and a restart does
// not reset it; a right PIN before that clears the count.
func TestStaffLockOutSurvivesRestart(t *testing.T) {
	r := mustLoginRig(t)
	for i := 1; i <= 4; i++ {
		_, err := r.login.PIN(r.ctx, "kari", "0000")
		if !errors.Is(err, kiosk.ErrWrongPIN) {
			t.Fatalf("wrong PIN %d: %v", i, err)
		}
	}
	r.restart() // the count is in the store, not in the process
	if _, err := r.login.PIN(r.ctx, "kari", "0000"); !errors.Is(err, kiosk.ErrBadgeLocked) {
		t.Fatalf("5th wrong PIN across a restart: %v, want ErrBadgeLocked", err)
	}
	if r.journaled(kiosk.CodeOther, kiosk.SubLoginLocked) != 1 {
		t.Error("lock-out not journaled")
	}
	r.restart()
	if _, err := r.login.Badge(r.ctx, "kari"); !errors.Is(err, kiosk.ErrBadgeLocked) {
		t.Errorf("badge after a restart while locked: %v", err)
	}
	if _, err := r.login.PIN(r.ctx, "kari", "2468"); !errors.Is(err, kiosk.ErrBadgeLocked) {
		t.Errorf("right PIN while locked: %v, want ErrBadgeLocked", err)
	}
	r.clock.Advance(5*time.Minute + time.Second)
	if _, err := r.login.PIN(r.ctx, "kari", "2468"); err != nil {
		t.Fatalf("right PIN after the lock-out: %v", err)
	}
	// The count starts again from zero.
	r.login.Logout(r.ctx, "test")
	for i := 1; i <= 4; i++ {
		if _, err := r.login.PIN(r.ctx, "kari", "0000"); !errors.Is(err, kiosk.ErrWrongPIN) {
			t.Fatalf("wrong PIN %d after a good log-in: %v", i, err)
		}
	}
}

// A session without a staff action ends after the idle time, journaled.
func TestStaffSessionIdles(t *testing.T) {
	r := mustLoginRig(t)
	if _, err := r.login.PIN(r.ctx, "ola", "1234"); err != nil {
		t.Fatal(err)
	}
	r.clock.Advance(50 * time.Second)
	if _, err := r.login.Authorize(r.ctx, kiosk.ActAssist); err != nil {
		t.Fatalf("50 s in: %v", err)
	}
	r.clock.Advance(50 * time.Second) // 50 s after the last action
	if _, ok := r.login.Current(r.ctx); !ok {
		t.Fatal("the action did not count as activity")
	}
	r.clock.Advance(11 * time.Second)
	if _, err := r.login.Authorize(r.ctx, kiosk.ActAssist); !errors.Is(err, kiosk.ErrNoSession) {
		t.Fatalf("61 s idle: %v, want ErrNoSession", err)
	}
	if r.journaled(kiosk.CodeEmployeeLogOut, "") != 1 {
		t.Error("idle log-out not journaled")
	}
}
