package kiosktest_test

import (
	"errors"
	"testing"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

type fakeTowerHarness struct{ l *kiosktest.TowerLight }

func (h fakeTowerHarness) Light() kiosk.TowerLight         { return h.l }
func (h fakeTowerHarness) Showing(*testing.T) kiosk.Signal { return h.l.Current() }
func (h fakeTowerHarness) Chimes(*testing.T) int           { return h.l.Chimes() }
func (h fakeTowerHarness) Break() bool                     { h.l.SetFault(errors.New("lamp cable cut")); return true }
func (h fakeTowerHarness) Mend()                           { h.l.SetFault(nil) }

func TestFakeTowerConformance(t *testing.T) {
	kiosktest.TestTowerLight(t, func(t *testing.T) kiosktest.TowerHarness {
		return fakeTowerHarness{kiosktest.NewTowerLight()}
	})
}
