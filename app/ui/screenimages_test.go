package ui

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"

	"selvkasse/kiosk"
)

// TestScreenImages is the golden picture of every customer screen in both
// languages (the price check's among them) (issue 14 item 7), as Fyne's software renderer draws it in a
// 1280×800 window: testdata/screens/<lang>_<screen>.png. A screen that
// draws otherwise fails, with the picture it drew written beside the
// master as <name>.got.png (under testdata/failed/, which git ignores);
// `go test ./app/ui -run TestScreenImages -update` rewrites the masters
// after a change meant to show, to be looked at before it is committed.
// The markup goldens (assertMarkup) say what is on a screen; these say how
// it looks.
func TestScreenImages(t *testing.T) {
	d := mustDemo(t)
	snus := d.shopping()
	snus.State = kiosk.PriceCheck
	snus.PriceCheck = &kiosk.PriceInfo{GTIN: d.snus.GTIN, Code: d.snus.GTIN.Short(), Name: d.snus.Name, Group: d.snus.Group,
		Price: d.snus.Price, Amount: d.snus.Price, TextOnly: true}
	priceChecks := []struct {
		name string
		view kiosk.View
	}{
		{"pricecheck", kiosk.View{State: kiosk.PriceCheck}},
		{"pricecheck_tobacco", snus},
	}
	for _, lang := range []string{LangNorwegian, LangEnglish} {
		for _, c := range keyScreens(t) {
			t.Run(lang+"_"+c.name, func(t *testing.T) {
				newTestApp(t)
				s, w := showScreen(t, newFakeKiosk(c.view), lang, size1280)
				if c.setup != nil {
					c.setup(t, s, w)
				}
				settle(w)
				assertImage(t, filepath.Join("screens", lang+"_"+c.name+".png"), w)
			})
		}
		for _, c := range priceChecks {
			t.Run(lang+"_"+c.name, func(t *testing.T) {
				newTestApp(t)
				_, w := showScreen(t, priceFake{newFakeKiosk(c.view)}, lang, size1280)
				settle(w)
				assertImage(t, filepath.Join("screens", lang+"_"+c.name+".png"), w)
			})
		}
	}
}

// assertImage compares the window's picture with testdata/name, pixel by
// pixel, or rewrites it with -update.
func assertImage(t *testing.T, name string, w fyne.Window) {
	t.Helper()
	got := w.Canvas().Capture()
	var enc bytes.Buffer
	if err := png.Encode(&enc, got); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, enc.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no master picture (go test ./app/ui -run TestScreenImages -update makes it): %v", err)
	}
	want, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("master %s: %v", path, err)
	}
	if diff := imageDiff(got, want); diff != "" {
		failed := filepath.Join("testdata", "failed", name[:len(name)-len(".png")]+".got.png")
		if err := os.MkdirAll(filepath.Dir(failed), 0o755); err == nil {
			_ = os.WriteFile(failed, enc.Bytes(), 0o644)
		}
		t.Errorf("%s: %s; drawn: %s", path, diff, failed)
	}
}

// imageDiff says how a and b differ: size, or the number of pixels and
// the first; "" when they are the same.
func imageDiff(a, b image.Image) string {
	if a.Bounds().Size() != b.Bounds().Size() {
		return fmt.Sprintf("size %v, want %v", a.Bounds().Size(), b.Bounds().Size())
	}
	n, first := 0, image.Point{}
	ab, bb := a.Bounds(), b.Bounds()
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			r1, g1, b1, a1 := a.At(ab.Min.X+x, ab.Min.Y+y).RGBA()
			r2, g2, b2, a2 := b.At(bb.Min.X+x, bb.Min.Y+y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				if n == 0 {
					first = image.Pt(x, y)
				}
				n++
			}
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d pixels differ, the first at %v", n, first)
}
