package app

import (
	"encoding/base64"
	"testing"

	"selvkasse/app/staffpin"
)

func TestDemoCatalogValid(t *testing.T) {
	seen := map[string]bool{}
	var cab, shelf int
	used := map[int]bool{}
	for _, p := range DemoCatalog() {
		if err := p.Validate(); err != nil {
			t.Error(err)
		}
		if seen[string(p.GTIN)] {
			t.Errorf("duplicate GTIN %s", p.GTIN)
		}
		seen[string(p.GTIN)] = true
		if p.Cabinet {
			cab++
			used[p.Compartment] = true
			if p.Compartment < 1 || p.Compartment > DemoCompartments {
				t.Errorf("%s in compartment %d, the demo cabinet has 1 to %d", p.Name, p.Compartment, DemoCompartments)
			}
		} else {
			shelf++
		}
	}
	if cab == 0 || shelf == 0 {
		t.Errorf("demo needs cabinet and shelf goods: %d, %d", cab, shelf)
	}
	if len(used) != DemoCompartments {
		t.Errorf("the cabinet goods use compartments %v: spread them over all %d", used, DemoCompartments)
	}
}

// TestDemoStaffHashes: each demo member's precomputed hash is their PIN's
// with today's default parameters (a change of staffpin.Default, or of a
// PIN, needs new ones: the failure prints them), and no other PIN opens it.
func TestDemoStaffHashes(t *testing.T) {
	h := staffpin.New()
	for _, m := range DemoStaff() {
		p := m.Hash
		if got := (staffpin.Params{Time: p.Time, MemoryKiB: p.MemoryKiB, Threads: p.Threads, KeyLen: p.KeyLen}); got != staffpin.Default || p.Algorithm != staffpin.Algorithm {
			t.Errorf("%s: hash %s %+v, want %s %+v", m.Staff.ID, p.Algorithm, got, staffpin.Algorithm, staffpin.Default)
		}
		ok, err := h.Verify(m.PIN, p)
		if err != nil || !ok {
			fresh, _ := h.Hash(m.PIN)
			t.Errorf("%s: PIN %s does not open the stored hash (ok %v, err %v); a fresh one: demoPINHash(%q, %q)",
				m.Staff.ID, m.PIN, ok, err, base64.StdEncoding.EncodeToString(fresh.Salt), base64.StdEncoding.EncodeToString(fresh.Hash))
		}
		if ok, _ := h.Verify("0000", p); ok {
			t.Errorf("%s: PIN 0000 opens the stored hash", m.Staff.ID)
		}
	}
}
