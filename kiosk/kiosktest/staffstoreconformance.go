package kiosktest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// This file holds the conformance suite of kiosk.StaffStore. Each
// sentence of its contract in kiosk/ports.go has a subtest.

// StaffUnderTest is a kiosk.StaffStore and the journal it writes.
type StaffUnderTest struct {
	Staff   kiosk.StaffStore
	Journal kiosk.Journal
	// Reopen, when not nil, closes the store and opens it again on the
	// same data, as a restart does. The suite then checks that every
	// write survives it.
	Reopen func(t *testing.T) StaffUnderTest
}

// Fixtures: PIN hashes are opaque to the store, so any non-empty bytes do.
var (
	staffHashA = kiosk.PINHash{Algorithm: "test", Time: 1, MemoryKiB: 8, Threads: 1, KeyLen: 4, Salt: []byte("salt-a"), Hash: []byte("hsh1")}
	staffHashB = kiosk.PINHash{Algorithm: "test", Time: 2, MemoryKiB: 16, Threads: 2, KeyLen: 4, Salt: []byte("salt-b"), Hash: []byte("hsh2")}

	staffOla  = kiosk.Staff{ID: "ola", Name: "Ola Nordmann", Role: kiosk.RoleClerk, Badge: "B-ola", PIN: staffHashA, Active: true}
	staffKari = kiosk.Staff{ID: "kari", Name: "Kari Nordmann", Role: kiosk.RoleSupervisor, Badge: "B-kari", PIN: staffHashB, Active: true}
	staffTore = kiosk.Staff{ID: "tore", Name: "Tore Teknikk", Role: kiosk.RoleTechnician, Badge: "B-tore", PIN: staffHashA, Active: true}
)

// TestStaffStore runs the kiosk.StaffStore conformance suite. open
// returns a new, empty store with an empty journal for each subtest.
func TestStaffStore(t *testing.T, open func(t *testing.T) StaffUnderTest) {
	ctx := context.Background()

	t.Run("empty", func(t *testing.T) {
		u := open(t)
		staffWantList(t, u.Staff)
		if _, err := u.Staff.Staff(ctx, "ola"); !errors.Is(err, kiosk.ErrNotFound) {
			t.Errorf("Staff: err = %v, want ErrNotFound", err)
		}
		if _, err := u.Staff.StaffByBadge(ctx, "B-ola"); !errors.Is(err, kiosk.ErrNotFound) {
			t.Errorf("StaffByBadge: err = %v, want ErrNotFound", err)
		}
		if _, err := u.Staff.LoginState(ctx, "ola"); !errors.Is(err, kiosk.ErrNotFound) {
			t.Errorf("LoginState: err = %v, want ErrNotFound", err)
		}
		if err := u.Staff.SetPIN(ctx, "ola", staffHashB, staffEntry(kiosk.SubStaffPINSet, staffOla)); !errors.Is(err, kiosk.ErrNotFound) {
			t.Errorf("SetPIN: err = %v, want ErrNotFound", err)
		}
		if err := u.Staff.DisableStaff(ctx, "ola", staffEntry(kiosk.SubStaffDisabled, staffOla)); !errors.Is(err, kiosk.ErrNotFound) {
			t.Errorf("DisableStaff: err = %v, want ErrNotFound", err)
		}
		if err := u.Staff.SetLoginState(ctx, "ola", kiosk.LoginState{Failures: 1}, staffEntry(kiosk.SubStaffPINSet, staffOla)); !errors.Is(err, kiosk.ErrNotFound) {
			t.Errorf("SetLoginState: err = %v, want ErrNotFound", err)
		}
		staffWantJournal(t, u.Journal)
	})

	t.Run("add then read", func(t *testing.T) {
		u := open(t)
		for _, s := range []kiosk.Staff{staffTore, staffOla, staffKari} {
			staffMustAdd(t, u.Staff, s)
		}
		for _, s := range []kiosk.Staff{staffTore, staffOla, staffKari} {
			storeSameJSON(t, "Staff "+s.ID, staffMustGet(t, u.Staff, s.ID), s)
			got, err := u.Staff.StaffByBadge(ctx, s.Badge)
			if err != nil {
				t.Fatalf("StaffByBadge(%s): %v", s.Badge, err)
			}
			storeSameJSON(t, "StaffByBadge "+s.Badge, got, s)
		}
		staffWantList(t, u.Staff, "kari", "ola", "tore")
		staffWantJournal(t, u.Journal, "staff-added tore", "staff-added ola", "staff-added kari")
		if _, err := u.Staff.StaffByBadge(ctx, "ola"); !errors.Is(err, kiosk.ErrNotFound) {
			t.Errorf("StaffByBadge(an ID, not a badge): err = %v, want ErrNotFound", err)
		}
	})

	t.Run("add refuses invalid staff", func(t *testing.T) {
		edit := func(f func(*kiosk.Staff)) kiosk.Staff { s := staffOla; f(&s); return s }
		tests := []struct {
			name string
			s    kiosk.Staff
		}{
			{"no id", edit(func(s *kiosk.Staff) { s.ID = "" })},
			{"id with a slash", edit(func(s *kiosk.Staff) { s.ID = "a/b" })},
			{"no name", edit(func(s *kiosk.Staff) { s.Name = "" })},
			{"unknown role", edit(func(s *kiosk.Staff) { s.Role = 9 })},
			{"no badge", edit(func(s *kiosk.Staff) { s.Badge = "" })},
			{"no PIN", edit(func(s *kiosk.Staff) { s.PIN = kiosk.PINHash{} })},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				u := open(t)
				if err := u.Staff.AddStaff(ctx, tt.s, staffEntry(kiosk.SubStaffAdded, tt.s)); !errors.Is(err, kiosk.ErrInvalidStaff) {
					t.Fatalf("AddStaff: err = %v, want ErrInvalidStaff", err)
				}
				staffWantList(t, u.Staff)
				staffWantJournal(t, u.Journal)
			})
		}
	})

	t.Run("add conflicts", func(t *testing.T) {
		edit := func(base kiosk.Staff, f func(*kiosk.Staff)) kiosk.Staff { f(&base); return base }
		tests := []struct {
			name string
			s    kiosk.Staff
		}{
			{"same id", edit(staffOla, func(s *kiosk.Staff) { s.Badge, s.Name = "B-other", "Ola Annen" })},
			{"same id, inactive", edit(staffOla, func(s *kiosk.Staff) { s.Badge, s.Active = "B-other", false })},
			{"same id as a disabled one", edit(staffTore, func(s *kiosk.Staff) { s.Badge = "B-new" })},
			{"badge of an active one", edit(staffOla, func(s *kiosk.Staff) { s.ID = "ola2" })},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				u := open(t)
				staffMustAdd(t, u.Staff, staffOla)
				staffMustAdd(t, u.Staff, staffTore)
				staffMustDisable(t, u.Staff, staffTore)
				if err := u.Staff.AddStaff(ctx, tt.s, staffEntry(kiosk.SubStaffAdded, tt.s)); !errors.Is(err, kiosk.ErrConflict) {
					t.Fatalf("AddStaff: err = %v, want ErrConflict", err)
				}
				staffWantList(t, u.Staff, "ola", "tore")
				storeSameJSON(t, "Staff ola", staffMustGet(t, u.Staff, "ola"), staffOla)
				staffWantJournal(t, u.Journal, "staff-added ola", "staff-added tore", "staff-disabled tore")
			})
		}
	})

	t.Run("a disabled member's badge may be given again", func(t *testing.T) {
		u := open(t)
		staffMustAdd(t, u.Staff, staffOla)
		staffMustDisable(t, u.Staff, staffOla)
		next := staffKari
		next.Badge = staffOla.Badge
		staffMustAdd(t, u.Staff, next)
		got, err := u.Staff.StaffByBadge(ctx, staffOla.Badge)
		if err != nil || got.ID != "kari" {
			t.Fatalf("StaffByBadge = %s, %v; want kari", got.ID, err)
		}
	})

	t.Run("an inactive member may be added with a badge in use", func(t *testing.T) {
		u := open(t)
		staffMustAdd(t, u.Staff, staffOla)
		off := staffKari
		off.Badge, off.Active = staffOla.Badge, false
		staffMustAdd(t, u.Staff, off)
		if got, err := u.Staff.StaffByBadge(ctx, staffOla.Badge); err != nil || got.ID != "ola" {
			t.Fatalf("StaffByBadge = %s, %v; want ola", got.ID, err)
		}
	})

	t.Run("set PIN", func(t *testing.T) {
		u := open(t)
		staffMustAdd(t, u.Staff, staffOla)
		staffMustAdd(t, u.Staff, staffKari)
		staffMustSetLogin(t, u.Staff, "ola", kiosk.LoginState{Failures: 5, LockedUntil: suiteT0.Add(5 * time.Minute)})
		staffMustSetLogin(t, u.Staff, "kari", kiosk.LoginState{Failures: 2})
		if err := u.Staff.SetPIN(ctx, "ola", staffHashB, staffEntry(kiosk.SubStaffPINSet, staffOla)); err != nil {
			t.Fatalf("SetPIN: %v", err)
		}
		want := staffOla
		want.PIN = staffHashB
		storeSameJSON(t, "Staff after SetPIN", staffMustGet(t, u.Staff, "ola"), want)
		storeSameJSON(t, "login state after SetPIN", staffMustLogin(t, u.Staff, "ola"), kiosk.LoginState{})
		storeSameJSON(t, "another's login state", staffMustLogin(t, u.Staff, "kari"), kiosk.LoginState{Failures: 2})
		storeSameJSON(t, "another's PIN", staffMustGet(t, u.Staff, "kari"), staffKari)
		staffWantJournal(t, u.Journal, "staff-added ola", "staff-added kari", "staff-pin-set ola")
	})

	t.Run("set PIN refusals", func(t *testing.T) {
		tests := []struct {
			name string
			id   string
			h    kiosk.PINHash
			want error
		}{
			{"zero hash", "ola", kiosk.PINHash{}, kiosk.ErrInvalidStaff},
			{"hash without salt", "ola", kiosk.PINHash{Algorithm: "test", Hash: []byte("x")}, kiosk.ErrInvalidStaff},
			{"unknown staff", "nobody", staffHashB, kiosk.ErrNotFound},
			{"disabled staff", "tore", staffHashB, kiosk.ErrConflict},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				u := open(t)
				staffMustAdd(t, u.Staff, staffOla)
				staffMustAdd(t, u.Staff, staffTore)
				staffMustDisable(t, u.Staff, staffTore)
				if err := u.Staff.SetPIN(ctx, tt.id, tt.h, staffEntry(kiosk.SubStaffPINSet, staffOla)); !errors.Is(err, tt.want) {
					t.Fatalf("SetPIN: err = %v, want %v", err, tt.want)
				}
				storeSameJSON(t, "Staff ola", staffMustGet(t, u.Staff, "ola"), staffOla)
				staffWantJournal(t, u.Journal, "staff-added ola", "staff-added tore", "staff-disabled tore")
			})
		}
	})

	t.Run("disable", func(t *testing.T) {
		u := open(t)
		staffMustAdd(t, u.Staff, staffOla)
		staffMustAdd(t, u.Staff, staffKari)
		staffMustDisable(t, u.Staff, staffOla)
		want := staffOla
		want.Active = false
		storeSameJSON(t, "Staff after DisableStaff", staffMustGet(t, u.Staff, "ola"), want)
		if _, err := u.Staff.StaffByBadge(ctx, staffOla.Badge); !errors.Is(err, kiosk.ErrNotFound) {
			t.Errorf("StaffByBadge of a disabled member: err = %v, want ErrNotFound", err)
		}
		staffWantList(t, u.Staff, "kari", "ola")
		if err := u.Staff.DisableStaff(ctx, "ola", staffEntry(kiosk.SubStaffDisabled, staffOla)); !errors.Is(err, kiosk.ErrConflict) {
			t.Errorf("DisableStaff twice: err = %v, want ErrConflict", err)
		}
		storeSameJSON(t, "the other", staffMustGet(t, u.Staff, "kari"), staffKari)
		staffWantJournal(t, u.Journal, "staff-added ola", "staff-added kari", "staff-disabled ola")
	})

	t.Run("login state", func(t *testing.T) {
		u := open(t)
		staffMustAdd(t, u.Staff, staffOla)
		staffMustAdd(t, u.Staff, staffKari)
		storeSameJSON(t, "login state before any", staffMustLogin(t, u.Staff, "ola"), kiosk.LoginState{})
		locked := kiosk.LoginState{Failures: 5, LockedUntil: suiteT0.Add(5 * time.Minute)}
		e1 := kiosk.Entry{Code: kiosk.CodeEmployeeLogIn, Subtype: "test-failed", Time: suiteT0, Data: map[string]string{"staff": "ola"}}
		e2 := kiosk.Entry{Code: kiosk.CodeOther, Subtype: "test-locked", Time: suiteT0, Data: map[string]string{"staff": "ola"}}
		if err := u.Staff.SetLoginState(ctx, "ola", locked, e1, e2); err != nil {
			t.Fatalf("SetLoginState: %v", err)
		}
		got := staffMustLogin(t, u.Staff, "ola")
		if got.Failures != 5 || !got.LockedUntil.Equal(locked.LockedUntil) || !got.Locked(suiteT0) || got.Locked(suiteT0.Add(5*time.Minute)) {
			t.Errorf("LoginState = %+v, want %+v", got, locked)
		}
		storeSameJSON(t, "another's login state", staffMustLogin(t, u.Staff, "kari"), kiosk.LoginState{})
		staffMustSetLogin(t, u.Staff, "ola", kiosk.LoginState{}) // journals nothing
		storeSameJSON(t, "login state reset", staffMustLogin(t, u.Staff, "ola"), kiosk.LoginState{})
		staffWantJournal(t, u.Journal, "staff-added ola", "staff-added kari", "test-failed ola", "test-locked ola")
		// A disabled member keeps a log-in state: the journal may still ask.
		staffMustDisable(t, u.Staff, staffKari)
		staffMustSetLogin(t, u.Staff, "kari", kiosk.LoginState{Failures: 1})
		storeSameJSON(t, "login state of a disabled member", staffMustLogin(t, u.Staff, "kari"), kiosk.LoginState{Failures: 1})
	})

	t.Run("journal entries are chained with the rest", func(t *testing.T) {
		u := open(t)
		storeMustAppend(t, u.Journal, kiosk.Entry{Code: kiosk.CodePOSStart, Time: suiteT0})
		staffMustAdd(t, u.Staff, staffOla)
		storeMustAppend(t, u.Journal, kiosk.Entry{Code: kiosk.CodePOSStop, Time: suiteT0})
		if sum := storeMustVerify(t, u.Journal); sum.Records != 3 {
			t.Errorf("VerifyJournal: %d records, want 3", sum.Records)
		}
	})

	t.Run("cancelled context writes nothing", func(t *testing.T) {
		u := open(t)
		staffMustAdd(t, u.Staff, staffOla)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := u.Staff.AddStaff(cctx, staffKari, staffEntry(kiosk.SubStaffAdded, staffKari)); err == nil {
			t.Error("AddStaff with a cancelled context succeeded")
		}
		if err := u.Staff.DisableStaff(cctx, "ola", staffEntry(kiosk.SubStaffDisabled, staffOla)); err == nil {
			t.Error("DisableStaff with a cancelled context succeeded")
		}
		staffWantList(t, u.Staff, "ola")
		staffWantJournal(t, u.Journal, "staff-added ola")
	})

	t.Run("concurrent writers", func(t *testing.T) {
		u := open(t)
		const n = 8
		var wg sync.WaitGroup
		errs := make(chan error, 2*n)
		for i := range n {
			s := staffOla
			s.ID, s.Badge = fmt.Sprintf("s%02d", i), fmt.Sprintf("B-%02d", i)
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := u.Staff.AddStaff(ctx, s, staffEntry(kiosk.SubStaffAdded, s)); err != nil {
					errs <- err
					return
				}
				e := kiosk.Entry{Code: kiosk.CodeOther, Subtype: "test-failed", Time: suiteT0, Data: map[string]string{"staff": s.ID}}
				if err := u.Staff.SetLoginState(ctx, s.ID, kiosk.LoginState{Failures: i + 1}, e); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if got := len(staffMustList(t, u.Staff)); got != n {
			t.Errorf("ListStaff: %d members, want %d", got, n)
		}
		for i := range n {
			if st := staffMustLogin(t, u.Staff, fmt.Sprintf("s%02d", i)); st.Failures != i+1 {
				t.Errorf("s%02d: Failures = %d, want %d", i, st.Failures, i+1)
			}
		}
		if sum := storeMustVerify(t, u.Journal); sum.Records != 2*n {
			t.Errorf("VerifyJournal: %d records, want %d", sum.Records, 2*n)
		}
	})

	t.Run("survives a reopen", func(t *testing.T) {
		u := open(t)
		if u.Reopen == nil {
			t.Skip("the store has nothing to reopen")
		}
		staffMustAdd(t, u.Staff, staffOla)
		staffMustAdd(t, u.Staff, staffKari)
		staffMustAdd(t, u.Staff, staffTore)
		if err := u.Staff.SetPIN(ctx, "kari", staffHashA, staffEntry(kiosk.SubStaffPINSet, staffKari)); err != nil {
			t.Fatal(err)
		}
		staffMustDisable(t, u.Staff, staffTore)
		locked := kiosk.LoginState{Failures: 5, LockedUntil: suiteT0.Add(5 * time.Minute)}
		staffMustSetLogin(t, u.Staff, "ola", locked)

		u = u.Reopen(t)
		staffWantList(t, u.Staff, "kari", "ola", "tore")
		kari := staffKari
		kari.PIN = staffHashA
		storeSameJSON(t, "kari after reopen", staffMustGet(t, u.Staff, "kari"), kari)
		if got := staffMustLogin(t, u.Staff, "ola"); !got.Locked(suiteT0) || got.Failures != 5 {
			t.Errorf("ola's lock-out after reopen = %+v, want %+v", got, locked)
		}
		if _, err := u.Staff.StaffByBadge(ctx, staffTore.Badge); !errors.Is(err, kiosk.ErrNotFound) {
			t.Errorf("disabled tore's badge after reopen: err = %v, want ErrNotFound", err)
		}
		if got, err := u.Staff.StaffByBadge(ctx, staffOla.Badge); err != nil || got.ID != "ola" {
			t.Errorf("StaffByBadge after reopen = %s, %v", got.ID, err)
		}
		staffWantJournal(t, u.Journal, "staff-added ola", "staff-added kari", "staff-added tore", "staff-pin-set kari", "staff-disabled tore")
	})
}

// staffEntry is a register change's journal entry at the suite's time.
func staffEntry(sub string, s kiosk.Staff) kiosk.Entry {
	return kiosk.StaffEntry(sub, s, suiteT0, "test")
}

func staffMustAdd(t *testing.T, st kiosk.StaffStore, s kiosk.Staff) {
	t.Helper()
	if err := st.AddStaff(context.Background(), s, staffEntry(kiosk.SubStaffAdded, s)); err != nil {
		t.Fatalf("AddStaff(%s): %v", s.ID, err)
	}
}

func staffMustDisable(t *testing.T, st kiosk.StaffStore, s kiosk.Staff) {
	t.Helper()
	if err := st.DisableStaff(context.Background(), s.ID, staffEntry(kiosk.SubStaffDisabled, s)); err != nil {
		t.Fatalf("DisableStaff(%s): %v", s.ID, err)
	}
}

func staffMustGet(t *testing.T, st kiosk.StaffStore, id string) kiosk.Staff {
	t.Helper()
	s, err := st.Staff(context.Background(), id)
	if err != nil {
		t.Fatalf("Staff(%s): %v", id, err)
	}
	return s
}

func staffMustList(t *testing.T, st kiosk.StaffStore) []kiosk.Staff {
	t.Helper()
	ss, err := st.ListStaff(context.Background())
	if err != nil {
		t.Fatalf("ListStaff: %v", err)
	}
	return ss
}

func staffMustLogin(t *testing.T, st kiosk.StaffStore, id string) kiosk.LoginState {
	t.Helper()
	l, err := st.LoginState(context.Background(), id)
	if err != nil {
		t.Fatalf("LoginState(%s): %v", id, err)
	}
	return l
}

func staffMustSetLogin(t *testing.T, st kiosk.StaffStore, id string, l kiosk.LoginState) {
	t.Helper()
	if err := st.SetLoginState(context.Background(), id, l); err != nil {
		t.Fatalf("SetLoginState(%s): %v", id, err)
	}
}

// staffWantList checks the IDs ListStaff returns, in order.
func staffWantList(t *testing.T, st kiosk.StaffStore, ids ...string) {
	t.Helper()
	ss := staffMustList(t, st)
	got := make([]string, len(ss))
	for i, s := range ss {
		got[i] = s.ID
	}
	if fmt.Sprint(got) != fmt.Sprint(ids) {
		t.Errorf("ListStaff = %v, want %v", got, ids)
	}
}

// staffWantJournal checks the journal holds exactly the entries named
// "subtype staff-id", in order, and that none of them carries a PIN hash.
func staffWantJournal(t *testing.T, j kiosk.Journal, want ...string) {
	t.Helper()
	var got []string
	storeMustScan(t, j, 1, func(r kiosk.Record) {
		got = append(got, r.Subtype+" "+r.Data["staff"])
		b, _ := r.Encode()
		for _, secret := range []string{"salt-a", "salt-b", "c2FsdC1h", "c2FsdC1i", "aHNoMQ", "aHNoMg"} {
			if strings.Contains(string(b), secret) {
				t.Errorf("journal record %d holds PIN hash material: %s", r.Seq, b)
			}
		}
	})
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("journal = %q, want %q", got, want)
	}
}
