package storage

import (
	"context"
	"fmt"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
)

var _ kiosk.StaffStore = (*DB)(nil)

// AddStaff implements kiosk.StaffStore: the staff record, its badge index
// (active staff only) and the journal record in one transaction.
func (d *DB) AddStaff(ctx context.Context, s kiosk.Staff, e kiosk.Entry) error {
	if err := s.Validate(); err != nil {
		return fmt.Errorf("storage: add staff: %w", err)
	}
	return d.call("add staff", func() error {
		return d.update(ctx, "add staff "+s.ID, func(txn *badger.Txn) error {
			var old kiosk.Staff
			found, err := getJSON(txn, staffKey(s.ID), &old)
			if err != nil {
				return err
			}
			if found {
				return fmt.Errorf("storage: add staff: id %s exists (%s, %s): %w", s.ID, old.Name, activeWord(old.Active), kiosk.ErrConflict)
			}
			if s.Active {
				holder, err := getRaw(txn, badgeKey(s.Badge))
				if err != nil {
					return err
				}
				if holder != nil {
					return fmt.Errorf("storage: add staff %s: the badge is %s's: %w", s.ID, holder, kiosk.ErrConflict)
				}
				if err := set(txn, badgeKey(s.Badge), []byte(s.ID)); err != nil {
					return err
				}
			}
			if _, err := appendRecord(txn, e); err != nil {
				return err
			}
			return setJSON(txn, staffKey(s.ID), s)
		})
	})
}

func activeWord(active bool) string {
	if active {
		return "active"
	}
	return "disabled"
}

// Staff implements kiosk.StaffStore.
func (d *DB) Staff(ctx context.Context, id string) (s kiosk.Staff, err error) {
	err = d.call("staff", func() error {
		return d.view(ctx, func(txn *badger.Txn) error {
			s, err = readStaff(txn, id)
			return err
		})
	})
	return s, err
}

// readStaff reads staff member id. Errors: kiosk.ErrNotFound.
func readStaff(txn *badger.Txn, id string) (kiosk.Staff, error) {
	var s kiosk.Staff
	if kiosk.CheckStaffID(id) != nil {
		return s, fmt.Errorf("storage: staff %q: %w", id, kiosk.ErrNotFound)
	}
	found, err := getJSON(txn, staffKey(id), &s)
	if err == nil && !found {
		err = fmt.Errorf("storage: staff %q: %w", id, kiosk.ErrNotFound)
	}
	return s, err
}

// StaffByBadge implements kiosk.StaffStore with two point reads.
func (d *DB) StaffByBadge(ctx context.Context, badge string) (s kiosk.Staff, err error) {
	err = d.call("staff by badge", func() error {
		return d.view(ctx, func(txn *badger.Txn) error {
			if kiosk.CheckBadge(badge) != nil {
				return fmt.Errorf("storage: staff by badge: no such badge: %w", kiosk.ErrNotFound)
			}
			id, err := getRaw(txn, badgeKey(badge))
			if err != nil {
				return err
			}
			if id == nil {
				return fmt.Errorf("storage: staff by badge: no active staff holds it: %w", kiosk.ErrNotFound)
			}
			s, err = readStaff(txn, string(id))
			switch {
			case err != nil:
				return fmt.Errorf("storage: badge index names %q: %w: %v", id, ErrCorrupt, err)
			case !s.Active || s.Badge != badge:
				return fmt.Errorf("storage: badge index names %s, who does not hold it: %w", id, ErrCorrupt)
			}
			return nil
		})
	})
	return s, err
}

// ListStaff implements kiosk.StaffStore: by ID, which is key order.
func (d *DB) ListStaff(ctx context.Context) (ss []kiosk.Staff, err error) {
	err = d.call("list staff", func() error {
		return d.view(ctx, func(txn *badger.Txn) error {
			return d.scanPrefix(txn, []byte(prefStaff), func(k, v []byte) error {
				var s kiosk.Staff
				if err := unmarshal(k, v, &s); err != nil {
					return err
				}
				ss = append(ss, s)
				return nil
			})
		})
	})
	if err != nil {
		return nil, err
	}
	return ss, nil
}

// SetPIN implements kiosk.StaffStore: the record, the cleared log-in state
// and the journal record in one transaction.
func (d *DB) SetPIN(ctx context.Context, id string, h kiosk.PINHash, e kiosk.Entry) error {
	if err := kiosk.CheckPINHash(h); err != nil {
		return fmt.Errorf("storage: set PIN of %s: %w", id, err)
	}
	return d.call("set PIN", func() error {
		return d.update(ctx, "set PIN of "+id, func(txn *badger.Txn) error {
			s, err := readStaff(txn, id)
			if err != nil {
				return err
			}
			if !s.Active {
				return fmt.Errorf("storage: set PIN of %s: disabled: %w", id, kiosk.ErrConflict)
			}
			s.PIN = h
			if err := del(txn, loginKey(id)); err != nil {
				return err
			}
			if _, err := appendRecord(txn, e); err != nil {
				return err
			}
			return setJSON(txn, staffKey(id), s)
		})
	})
}

// DisableStaff implements kiosk.StaffStore: the record, the freed badge and
// the journal record in one transaction.
func (d *DB) DisableStaff(ctx context.Context, id string, e kiosk.Entry) error {
	return d.call("disable staff", func() error {
		return d.update(ctx, "disable staff "+id, func(txn *badger.Txn) error {
			s, err := readStaff(txn, id)
			if err != nil {
				return err
			}
			if !s.Active {
				return fmt.Errorf("storage: disable %s: already disabled: %w", id, kiosk.ErrConflict)
			}
			s.Active = false
			if err := del(txn, badgeKey(s.Badge)); err != nil {
				return err
			}
			if _, err := appendRecord(txn, e); err != nil {
				return err
			}
			return setJSON(txn, staffKey(id), s)
		})
	})
}

// LoginState implements kiosk.StaffStore.
func (d *DB) LoginState(ctx context.Context, id string) (l kiosk.LoginState, err error) {
	err = d.call("login state", func() error {
		return d.view(ctx, func(txn *badger.Txn) error {
			if _, err := readStaff(txn, id); err != nil {
				return err
			}
			_, err := getJSON(txn, loginKey(id), &l)
			return err
		})
	})
	return l, err
}

// SetLoginState implements kiosk.StaffStore: the state and the journal
// records in one transaction.
func (d *DB) SetLoginState(ctx context.Context, id string, l kiosk.LoginState, es ...kiosk.Entry) error {
	return d.call("set login state", func() error {
		return d.update(ctx, "set login state of "+id, func(txn *badger.Txn) error {
			if _, err := readStaff(txn, id); err != nil {
				return err
			}
			for _, e := range es { // the transaction reads its own head
				if _, err := appendRecord(txn, e); err != nil {
					return err
				}
			}
			return setJSON(txn, loginKey(id), l)
		})
	})
}
