package kiosktest_test

import (
	"context"
	"errors"
	"testing"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

func TestStaffStoreFake(t *testing.T) {
	kiosktest.TestStaffStore(t, func(t *testing.T) kiosktest.StaffUnderTest {
		s := kiosktest.NewStaffStore(nil)
		u := kiosktest.StaffUnderTest{Staff: s, Journal: s.Journal()}
		u.Reopen = func(t *testing.T) kiosktest.StaffUnderTest { return u }
		return u
	})
}

func TestPINHasherFake(t *testing.T) {
	kiosktest.TestPINHasher(t, &kiosktest.PINHasher{})
}

// TestStaffStoreFakeRecords: the fake records write calls and fails the
// next one on demand, changing nothing.
func TestStaffStoreFakeRecords(t *testing.T) {
	ctx := context.Background()
	s := kiosktest.NewStaffStore(nil)
	boom := errors.New("boom")
	s.FailNext(boom)
	st := kiosk.Staff{ID: "ola", Name: "Ola", Role: kiosk.RoleClerk, Badge: "ola", Active: true,
		PIN: kiosk.PINHash{Algorithm: "x", Salt: []byte("s"), Hash: []byte("h")}}
	if err := s.AddStaff(ctx, st, kiosk.Entry{Code: kiosk.CodeOther}); !errors.Is(err, boom) {
		t.Fatalf("AddStaff = %v, want the queued failure", err)
	}
	if ss, _ := s.ListStaff(ctx); len(ss) != 0 || len(s.Journal().Records()) != 0 {
		t.Fatalf("a failed AddStaff left %d staff, %d records", len(ss), len(s.Journal().Records()))
	}
	if err := s.AddStaff(ctx, st, kiosk.Entry{Code: kiosk.CodeOther}); err != nil {
		t.Fatal(err)
	}
	if err := s.DisableStaff(ctx, "ola", kiosk.Entry{Code: kiosk.CodeOther}); err != nil {
		t.Fatal(err)
	}
	if got, want := s.Calls(), []string{"AddStaff", "AddStaff", "DisableStaff"}; len(got) != len(want) || got[0] != want[0] || got[2] != want[2] {
		t.Errorf("Calls = %v, want %v", got, want)
	}
}
