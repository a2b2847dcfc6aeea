package app

import "testing"

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
