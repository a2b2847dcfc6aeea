package kiosktest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"

	"selvkasse/kiosk"
)

var _ kiosk.StaffStore = (*StaffStore)(nil)

// StaffStore is an in-memory kiosk.StaffStore that journals into a Store,
// under the Store's lock: a register change and its journal entry happen
// together or not at all, as in the real store.
//
// Like Store it keeps values in their JSON form, and it records the write
// calls (Calls) and fails the next ones on demand (FailNext). It is safe
// for concurrent use. Make one with NewStaffStore.
type StaffStore struct {
	j *Store // the journal; j.mu guards the fields below too

	staff  map[string][]byte // id → kiosk.Staff
	badges map[string]string // badge of an active staff member → id
	login  map[string][]byte // id → kiosk.LoginState

	fails []error
	calls []string
}

// NewStaffStore returns an empty register journaling into journal, or
// into a new Store when journal is nil.
func NewStaffStore(journal *Store) *StaffStore {
	if journal == nil {
		journal = NewStore()
	}
	return &StaffStore{j: journal, staff: map[string][]byte{}, badges: map[string]string{}, login: map[string][]byte{}}
}

// Journal is the Store the register journals into.
func (s *StaffStore) Journal() *Store { return s.j }

// FailNext makes the next write (AddStaff, SetPIN, DisableStaff or
// SetLoginState) return err and change nothing. Calls queue.
func (s *StaffStore) FailNext(err error) {
	s.j.mu.Lock()
	defer s.j.mu.Unlock()
	s.fails = append(s.fails, err)
}

// Calls lists the write methods called so far, in order, failed ones
// included.
func (s *StaffStore) Calls() []string {
	s.j.mu.Lock()
	defer s.j.mu.Unlock()
	return slices.Clone(s.calls)
}

// write records a write call and takes the failure queued, if any. s.j.mu
// is held.
func (s *StaffStore) write(ctx context.Context, method string) error {
	s.calls = append(s.calls, method)
	if len(s.fails) > 0 {
		err := s.fails[0]
		s.fails = s.fails[1:]
		return err
	}
	return ctx.Err()
}

// journalLocked seals es after the journal's head and commits them. s.j.mu
// is held; nothing else may fail after it.
func (s *StaffStore) journalLocked(es []kiosk.Entry) error {
	rs, err := s.j.sealAll(es)
	if err != nil {
		return err
	}
	for _, r := range rs {
		s.j.commitRecord(r.b)
	}
	return nil
}

func (s *StaffStore) getLocked(id string) (kiosk.Staff, bool) {
	b, ok := s.staff[id]
	if !ok {
		return kiosk.Staff{}, false
	}
	var st kiosk.Staff
	storeUnmarshal(b, &st)
	return st, true
}

func (s *StaffStore) putLocked(st kiosk.Staff) error {
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("kiosktest: encode staff %s: %w", st.ID, err)
	}
	s.staff[st.ID] = b
	return nil
}

// AddStaff implements kiosk.StaffStore.
func (s *StaffStore) AddStaff(ctx context.Context, st kiosk.Staff, e kiosk.Entry) error {
	s.j.mu.Lock()
	defer s.j.mu.Unlock()
	if err := s.write(ctx, "AddStaff"); err != nil {
		return err
	}
	if err := st.Validate(); err != nil {
		return fmt.Errorf("kiosktest: add staff: %w", err)
	}
	if _, ok := s.staff[st.ID]; ok {
		return fmt.Errorf("kiosktest: add staff: id %s exists: %w", st.ID, kiosk.ErrConflict)
	}
	if holder, ok := s.badges[st.Badge]; ok && st.Active {
		return fmt.Errorf("kiosktest: add staff %s: badge is %s's: %w", st.ID, holder, kiosk.ErrConflict)
	}
	if err := s.journalLocked([]kiosk.Entry{e}); err != nil {
		return err
	}
	if err := s.putLocked(st); err != nil {
		return err
	}
	if st.Active {
		s.badges[st.Badge] = st.ID
	}
	return nil
}

// Staff implements kiosk.StaffStore.
func (s *StaffStore) Staff(ctx context.Context, id string) (kiosk.Staff, error) {
	if err := ctx.Err(); err != nil {
		return kiosk.Staff{}, err
	}
	s.j.mu.Lock()
	defer s.j.mu.Unlock()
	st, ok := s.getLocked(id)
	if !ok {
		return kiosk.Staff{}, fmt.Errorf("kiosktest: staff %q: %w", id, kiosk.ErrNotFound)
	}
	return st, nil
}

// StaffByBadge implements kiosk.StaffStore.
func (s *StaffStore) StaffByBadge(ctx context.Context, badge string) (kiosk.Staff, error) {
	if err := ctx.Err(); err != nil {
		return kiosk.Staff{}, err
	}
	s.j.mu.Lock()
	defer s.j.mu.Unlock()
	id, ok := s.badges[badge]
	if !ok {
		return kiosk.Staff{}, fmt.Errorf("kiosktest: no active staff with that badge: %w", kiosk.ErrNotFound)
	}
	st, _ := s.getLocked(id)
	return st, nil
}

// ListStaff implements kiosk.StaffStore.
func (s *StaffStore) ListStaff(ctx context.Context) ([]kiosk.Staff, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.j.mu.Lock()
	defer s.j.mu.Unlock()
	out := make([]kiosk.Staff, 0, len(s.staff))
	for id := range s.staff {
		st, _ := s.getLocked(id)
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// SetPIN implements kiosk.StaffStore.
func (s *StaffStore) SetPIN(ctx context.Context, id string, h kiosk.PINHash, e kiosk.Entry) error {
	s.j.mu.Lock()
	defer s.j.mu.Unlock()
	if err := s.write(ctx, "SetPIN"); err != nil {
		return err
	}
	if err := kiosk.CheckPINHash(h); err != nil {
		return fmt.Errorf("kiosktest: set PIN of %s: %w", id, err)
	}
	st, ok := s.getLocked(id)
	switch {
	case !ok:
		return fmt.Errorf("kiosktest: set PIN of %q: %w", id, kiosk.ErrNotFound)
	case !st.Active:
		return fmt.Errorf("kiosktest: set PIN of %s: disabled: %w", id, kiosk.ErrConflict)
	}
	st.PIN = h
	if err := s.journalLocked([]kiosk.Entry{e}); err != nil {
		return err
	}
	delete(s.login, id)
	return s.putLocked(st)
}

// DisableStaff implements kiosk.StaffStore.
func (s *StaffStore) DisableStaff(ctx context.Context, id string, e kiosk.Entry) error {
	s.j.mu.Lock()
	defer s.j.mu.Unlock()
	if err := s.write(ctx, "DisableStaff"); err != nil {
		return err
	}
	st, ok := s.getLocked(id)
	switch {
	case !ok:
		return fmt.Errorf("kiosktest: disable %q: %w", id, kiosk.ErrNotFound)
	case !st.Active:
		return fmt.Errorf("kiosktest: disable %s: already disabled: %w", id, kiosk.ErrConflict)
	}
	st.Active = false
	if err := s.journalLocked([]kiosk.Entry{e}); err != nil {
		return err
	}
	delete(s.badges, st.Badge)
	return s.putLocked(st)
}

// LoginState implements kiosk.StaffStore.
func (s *StaffStore) LoginState(ctx context.Context, id string) (kiosk.LoginState, error) {
	if err := ctx.Err(); err != nil {
		return kiosk.LoginState{}, err
	}
	s.j.mu.Lock()
	defer s.j.mu.Unlock()
	if _, ok := s.staff[id]; !ok {
		return kiosk.LoginState{}, fmt.Errorf("kiosktest: login state of %q: %w", id, kiosk.ErrNotFound)
	}
	var st kiosk.LoginState
	if b, ok := s.login[id]; ok {
		storeUnmarshal(b, &st)
	}
	return st, nil
}

// SetLoginState implements kiosk.StaffStore.
func (s *StaffStore) SetLoginState(ctx context.Context, id string, st kiosk.LoginState, es ...kiosk.Entry) error {
	s.j.mu.Lock()
	defer s.j.mu.Unlock()
	if err := s.write(ctx, "SetLoginState"); err != nil {
		return err
	}
	if _, ok := s.staff[id]; !ok {
		return fmt.Errorf("kiosktest: set login state of %q: %w", id, kiosk.ErrNotFound)
	}
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("kiosktest: encode login state of %s: %w", id, err)
	}
	if err := s.journalLocked(es); err != nil {
		return err
	}
	s.login[id] = b
	return nil
}
