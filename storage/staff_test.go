package storage

import (
	"context"
	"errors"
	"testing"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

func TestStaffStoreConformance(t *testing.T) {
	kiosktest.TestStaffStore(t, func(t *testing.T) kiosktest.StaffUnderTest {
		return staffUnderTest(t, t.TempDir())
	})
}

// staffUnderTest opens the store in dir; its Reopen closes it and opens
// it again, as a restart does.
func staffUnderTest(t *testing.T, dir string) kiosktest.StaffUnderTest {
	d := mustOpen(t, dir)
	return kiosktest.StaffUnderTest{Staff: d, Journal: d, Reopen: func(t *testing.T) kiosktest.StaffUnderTest {
		if err := d.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		return staffUnderTest(t, dir)
	}}
}

// TestStaffBadgeIndexCorrupt: a badge index that names the wrong member
// is reported as ErrCorrupt, never answered with someone else's record.
func TestStaffBadgeIndexCorrupt(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		index string
	}{
		{"names nobody", "ghost"},
		{"names another", "kari"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustOpen(t, t.TempDir())
			for _, s := range []kiosk.Staff{testStaff("ola", "B1"), testStaff("kari", "B2")} {
				if err := d.AddStaff(ctx, s, kiosk.StaffEntry(kiosk.SubStaffAdded, s, t0, "test")); err != nil {
					t.Fatal(err)
				}
			}
			err := d.bdb.Update(func(txn *badger.Txn) error { return txn.Set(badgeKey("B1"), []byte(tt.index)) })
			if err != nil {
				t.Fatal(err)
			}
			if s, err := d.StaffByBadge(ctx, "B1"); !errors.Is(err, ErrCorrupt) {
				t.Errorf("StaffByBadge = %s, %v; want ErrCorrupt", s.ID, err)
			}
		})
	}
}

func testStaff(id, badge string) kiosk.Staff {
	return kiosk.Staff{ID: id, Name: "Test " + id, Role: kiosk.RoleSupervisor, Badge: badge, Active: true,
		PIN: kiosk.PINHash{Algorithm: "test", Salt: []byte("salt"), Hash: []byte("hash")}}
}
