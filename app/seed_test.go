package app

import "testing"

func TestDemoCatalogValid(t *testing.T) {
	seen := map[string]bool{}
	var cab, shelf int
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
		} else {
			shelf++
		}
	}
	if cab == 0 || shelf == 0 {
		t.Errorf("demo needs cabinet and shelf goods: %d, %d", cab, shelf)
	}
}
