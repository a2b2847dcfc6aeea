package sim

import (
	"bytes"
	"flag"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"selvkasse/devices/escpos"
	"selvkasse/kiosk"
)

// mustPage prints doc through the ESC/POS encoder and decoder, as the
// printer simulator sees it.
func mustPage(tb testing.TB, doc kiosk.Document, cols int) kiosk.Document {
	tb.Helper()
	var pages []kiosk.Document
	dec := escpos.Decoder{OnPage: func(p kiosk.Document) { pages = append(pages, p) }}
	dec.Write(escpos.Encoder{Columns: cols}.Encode(doc))
	if len(pages) != 1 {
		tb.Fatalf("%d pages", len(pages))
	}
	return pages[0]
}

func testReceipt() kiosk.Document {
	var d kiosk.Document
	d.Text("Søstrene Ærlig Tobakk", kiosk.Style{Bold: true, Align: kiosk.AlignCenter})
	d.Pair("Blåbærsaft 0,5 l", "kr 32,90", kiosk.Style{})
	d.Pair("Å TOTAL", "kr 32,90", kiosk.Style{Bold: true, DoubleWidth: true, DoubleHeight: true})
	d.Rule()
	d.QR("https://example.invalid/r/K1-17")
	d.Barcode("K1-17")
	d.EAN13("7039990000113")
	return d
}

// TestReceiptImage checks the picture's geometry and that ink lands
// where the text, the QR code and the barcode are; the PNG goes to
// testdata/receipt.png with -update for a person to look at.
func TestReceiptImage(t *testing.T) {
	page := mustPage(t, testReceipt(), 42)
	img, err := ReceiptImage(page, 42)
	if err != nil {
		t.Fatal(err)
	}
	if w := img.Bounds().Dx(); w != 42*cellW+2*margin {
		t.Errorf("width %d", w)
	}
	// Every line has its rows; the QR code (version 3, 29 modules for
	// this URL at level M) and the barcode make the page tall.
	if h := img.Bounds().Dy(); h < 29*qrModule+2*barHeight+6*cellH {
		t.Errorf("height %d: codes missing?", h)
	}
	inkRows := 0
	for y := 0; y < img.Bounds().Dy(); y++ {
		for x := 0; x < img.Bounds().Dx(); x++ {
			if img.RGBAAt(x, y) == inkColor {
				inkRows++
				break
			}
		}
	}
	if inkRows < 29*qrModule {
		t.Errorf("only %d rows carry ink", inkRows)
	}
	if leftInk(img, margin, margin+cellH) {
		t.Error("a centred title should leave the left edge blank")
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(filepath.Join("testdata", "receipt.png"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// leftInk reports ink in the first two cells of rows y0..y1.
func leftInk(img *image.RGBA, y0, y1 int) bool {
	for y := y0; y < y1; y++ {
		for x := margin; x < margin+2*cellW; x++ {
			if img.RGBAAt(x, y) == inkColor {
				return true
			}
		}
	}
	return false
}

// TestReceiptImageGlyphs: æ, ø and å are drawn as themselves, not as
// the '?' of a missing glyph.
func TestReceiptImageGlyphs(t *testing.T) {
	draw := func(s string) *image.RGBA {
		img, err := ReceiptImage(kiosk.Document{Lines: []kiosk.DocLine{{Text: s}}}, 42)
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	q := draw("?")
	for _, s := range []string{"æ", "ø", "å", "Æ", "Ø", "Å", "€"} {
		if bytes.Equal(draw(s).Pix, q.Pix) {
			t.Errorf("%s is drawn as ?", s)
		}
	}
	if bytes.Equal(draw("a").Pix, draw("å").Pix) {
		t.Error("å is drawn as a")
	}
}

var update = flag.Bool("update", false, "rewrite testdata/receipt.png")
