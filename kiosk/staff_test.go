package kiosk_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// TestRoleMay is the permission table, role by action, written out in
// full: a change to who may do what must change this test too.
func TestRoleMay(t *testing.T) {
	const (
		C = 1 << iota // clerk
		S             // supervisor
		T             // technician
	)
	want := map[kiosk.Action]int{
		kiosk.ActAgeCheck:       C | S,
		kiosk.ActAssist:         C | S,
		kiosk.ActSettlePayment:  S,
		kiosk.ActRestockCabinet: C | S,
		kiosk.ActXReport:        C | S,
		kiosk.ActZReport:        S,
		kiosk.ActManageStaff:    S,
		kiosk.ActServiceDevices: S | T,
		kiosk.ActCopyReceipt:    C | S,
		kiosk.ActReturns:        S,
		kiosk.ActReceiveStock:   C | S,
		kiosk.ActTrainingMode:   S,
		kiosk.ActEditCatalog:    S,
	}
	bit := map[kiosk.Role]int{kiosk.RoleClerk: C, kiosk.RoleSupervisor: S, kiosk.RoleTechnician: T}
	if len(want) != len(kiosk.Actions) {
		t.Fatalf("the test lists %d actions, kiosk.Actions %d", len(want), len(kiosk.Actions))
	}
	for _, a := range kiosk.Actions {
		for _, r := range kiosk.Roles {
			t.Run(fmt.Sprintf("%v/%v", r, a), func(t *testing.T) {
				if got, w := r.May(a), want[a]&bit[r] != 0; got != w {
					t.Errorf("%v may %v = %v, want %v", r, a, got, w)
				}
			})
		}
	}
	for _, r := range []kiosk.Role{0, 4, 255} {
		for _, a := range append(kiosk.Actions, 0, 99) {
			if r.May(a) {
				t.Errorf("unknown %v may %v", r, a)
			}
		}
	}
	for _, a := range []kiosk.Action{0, 99} {
		for _, r := range kiosk.Roles {
			if r.May(a) {
				t.Errorf("%v may unknown %v", r, a)
			}
		}
	}
}

func TestRoleNames(t *testing.T) {
	tests := []struct {
		in      string
		want    kiosk.Role
		wantErr bool
	}{
		{"clerk", kiosk.RoleClerk, false},
		{"supervisor", kiosk.RoleSupervisor, false},
		{"technician", kiosk.RoleTechnician, false},
		{" Supervisor ", kiosk.RoleSupervisor, false},
		{"admin", 0, true},
		{"", 0, true},
		{"2", 0, true},
	}
	for _, tt := range tests {
		got, err := kiosk.ParseRole(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseRole(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err != nil && (!errors.Is(err, kiosk.ErrInvalidStaff) || !strings.Contains(err.Error(), "clerk, supervisor or technician")) {
			t.Errorf("ParseRole(%q): error %q should be ErrInvalidStaff and name the roles", tt.in, err)
		}
	}
	// The numbers are persisted.
	for r, n := range map[kiosk.Role]uint8{kiosk.RoleClerk: 1, kiosk.RoleSupervisor: 2, kiosk.RoleTechnician: 3} {
		if uint8(r) != n {
			t.Errorf("%v = %d, want %d", r, uint8(r), n)
		}
		if back, err := kiosk.ParseRole(r.String()); err != nil || back != r {
			t.Errorf("ParseRole(%v.String()) = %v, %v", r, back, err)
		}
	}
	if got := kiosk.Role(9).String(); got != "Role(9)" {
		t.Errorf("Role(9).String() = %q", got)
	}
}

func TestCheckPIN(t *testing.T) {
	tests := []struct {
		pin string
		ok  bool
	}{
		{"1234", true},
		{"00000000", true},
		{"123", false},
		{"123456789", false},
		{"", false},
		{"12a4", false},
		{"12 34", false},
		{"１２３４", false}, // full-width digits
		{"-1234", false},
	}
	for _, tt := range tests {
		err := kiosk.CheckPIN(tt.pin)
		if (err == nil) != tt.ok {
			t.Errorf("CheckPIN(%q) = %v, want ok %v", tt.pin, err, tt.ok)
		}
		if err != nil {
			if !errors.Is(err, kiosk.ErrBadPIN) {
				t.Errorf("CheckPIN(%q) = %v, want ErrBadPIN", tt.pin, err)
			}
			if tt.pin != "" && strings.Contains(err.Error(), tt.pin) {
				t.Errorf("CheckPIN(%q): the error %q shows the PIN", tt.pin, err)
			}
		}
	}
}

func validStaff() kiosk.Staff {
	return kiosk.Staff{ID: "ola", Name: "Ola Nordmann", Role: kiosk.RoleClerk, Badge: "ola", Active: true,
		PIN: kiosk.PINHash{Algorithm: "argon2id", Time: 3, MemoryKiB: 65536, Threads: 2, KeyLen: 32, Salt: []byte("0123456789abcdef"), Hash: []byte("hash-bytes")}}
}

func TestStaffValidate(t *testing.T) {
	edit := func(f func(*kiosk.Staff)) kiosk.Staff { s := validStaff(); f(&s); return s }
	tests := []struct {
		name string
		s    kiosk.Staff
		ok   bool
	}{
		{"valid", validStaff(), true},
		{"Norwegian name", edit(func(s *kiosk.Staff) { s.Name = "Kåre Ødegård-Æsøy" }), true},
		{"id with dot and dash", edit(func(s *kiosk.Staff) { s.ID = "k.nordmann-2" }), true},
		{"disabled", edit(func(s *kiosk.Staff) { s.Active = false }), true},
		{"no id", edit(func(s *kiosk.Staff) { s.ID = "" }), false},
		{"id with space", edit(func(s *kiosk.Staff) { s.ID = "ola n" }), false},
		{"id with slash", edit(func(s *kiosk.Staff) { s.ID = "ola/1" }), false},
		{"id non-ASCII", edit(func(s *kiosk.Staff) { s.ID = "åse" }), false},
		{"id too long", edit(func(s *kiosk.Staff) { s.ID = strings.Repeat("a", 33) }), false},
		{"no name", edit(func(s *kiosk.Staff) { s.Name = "" }), false},
		{"blank name", edit(func(s *kiosk.Staff) { s.Name = "   " }), false},
		{"name with newline", edit(func(s *kiosk.Staff) { s.Name = "Ola\nNordmann" }), false},
		{"name too long", edit(func(s *kiosk.Staff) { s.Name = strings.Repeat("å", 81) }), false},
		{"unknown role", edit(func(s *kiosk.Staff) { s.Role = 7 }), false},
		{"no role", edit(func(s *kiosk.Staff) { s.Role = 0 }), false},
		{"no badge", edit(func(s *kiosk.Staff) { s.Badge = "" }), false},
		{"badge with space", edit(func(s *kiosk.Staff) { s.Badge = "ola 1" }), false},
		{"badge non-ASCII", edit(func(s *kiosk.Staff) { s.Badge = "øla" }), false},
		{"no PIN", edit(func(s *kiosk.Staff) { s.PIN = kiosk.PINHash{} }), false},
		{"PIN without salt", edit(func(s *kiosk.Staff) { s.PIN.Salt = nil }), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.s.Validate()
			if (err == nil) != tt.ok {
				t.Fatalf("Validate = %v, want ok %v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, kiosk.ErrInvalidStaff) {
				t.Errorf("Validate = %v, want ErrInvalidStaff", err)
			}
		})
	}
}

// TestStaffSecretsStayOut: neither a printed Staff nor its journal entry
// shows the salt, the hash or the badge.
func TestStaffSecretsStayOut(t *testing.T) {
	s := validStaff()
	s.Badge = "badge-secret-77"
	e := kiosk.StaffEntry(kiosk.SubStaffAdded, s, time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC), "root")
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{
		"%v": fmt.Sprintf("%v", s), "%+v": fmt.Sprintf("%+v", s), "%#v": fmt.Sprintf("%#v", s),
		"PINHash": s.PIN.String(),
	} {
		for _, secret := range []string{"0123456789abcdef", "hash-bytes"} {
			if strings.Contains(text, secret) {
				t.Errorf("%s shows %q: %s", name, secret, text)
			}
		}
	}
	for _, secret := range []string{"0123456789abcdef", "hash-bytes", "MDEyMzQ1Njc4OWFiY2RlZg", "badge-secret-77", "argon2id"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("journal entry shows %q: %s", secret, b)
		}
	}
	if e.Code != kiosk.CodeOther || e.Subtype != kiosk.SubStaffAdded || e.Data["staff"] != "ola" || e.Data["role"] != "clerk" || e.Data["by"] != "root" {
		t.Errorf("entry = %+v", e)
	}
	if got := (kiosk.PINHash{}).String(); got != "no PIN" {
		t.Errorf("zero PINHash = %q", got)
	}
}

func TestLoginStateLocked(t *testing.T) {
	now := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		st   kiosk.LoginState
		want bool
	}{
		{"never locked", kiosk.LoginState{}, false},
		{"failures only", kiosk.LoginState{Failures: 4}, false},
		{"locked", kiosk.LoginState{LockedUntil: now.Add(time.Minute)}, true},
		{"lock ends now", kiosk.LoginState{LockedUntil: now}, false},
		{"lock over", kiosk.LoginState{LockedUntil: now.Add(-time.Second)}, false},
	}
	for _, tt := range tests {
		if got := tt.st.Locked(now); got != tt.want {
			t.Errorf("%s: Locked = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestHasActive(t *testing.T) {
	sup := validStaff()
	sup.Role = kiosk.RoleSupervisor
	off := sup
	off.Active = false
	tests := []struct {
		name  string
		staff []kiosk.Staff
		want  bool
	}{
		{"nobody", nil, false},
		{"clerk only", []kiosk.Staff{validStaff()}, false},
		{"disabled supervisor", []kiosk.Staff{validStaff(), off}, false},
		{"active supervisor", []kiosk.Staff{off, sup}, true},
	}
	for _, tt := range tests {
		if got := kiosk.HasActive(tt.staff, kiosk.RoleSupervisor); got != tt.want {
			t.Errorf("%s: HasActive = %v, want %v", tt.name, got, tt.want)
		}
	}
}
