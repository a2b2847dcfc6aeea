package sim

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"strings"
	"sync"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/code128"
	"github.com/boombuler/barcode/ean"
	"github.com/boombuler/barcode/qr"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/gomonobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"selvkasse/kiosk"
)

// A thermal receipt printer prints font A in cells of 12×24 dots; the
// picture uses one pixel per dot, so it has the printer's proportions.
const (
	cellW     = 12 // dots per column, font A
	cellH     = 24 // dots per line
	margin    = 16 // unprinted edge of the paper, left and right
	qrModule  = 6  // dots per QR module: GS ( k fn 167, as the encoder sends it
	barModule = 2  // dots per narrow bar: GS w 2
	barHeight = 80 // GS h 80
)

var (
	paperColor = color.RGBA{0xFB, 0xFA, 0xF5, 0xFF}
	inkColor   = color.RGBA{0x1A, 0x1A, 0x1A, 0xFF}
)

// fonts are Go Mono regular and bold: monospaced like a printer's font A,
// and covering æøå, € and the rest of PC858's letters.
var fonts = sync.OnceValues(func() ([2]*opentype.Font, error) {
	var out [2]*opentype.Font
	for i, ttf := range [][]byte{gomono.TTF, gomonobold.TTF} {
		f, err := opentype.Parse(ttf)
		if err != nil {
			return out, err
		}
		out[i] = f
	}
	return out, nil
})

// ReceiptImage draws a page as the printer printed it (see
// escpos.Decoder.OnPage) on paper cols characters wide: text in its
// styles and alignment, QR codes and Code 128 barcodes as real symbols
// that a phone can read off the screen.
func ReceiptImage(page kiosk.Document, cols int) (*image.RGBA, error) {
	if cols <= 0 {
		cols = 42
	}
	fs, err := fonts()
	if err != nil {
		return nil, fmt.Errorf("sim: receipt font: %w", err)
	}
	var faces [2]font.Face
	for i, f := range fs {
		// Go Mono's advance is 0.6 em: 20 px gives the 12-dot cell.
		face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 20, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			return nil, fmt.Errorf("sim: receipt font: %w", err)
		}
		defer face.Close()
		faces[i] = face
	}
	width := cols*cellW + 2*margin
	var blocks []image.Image
	for _, l := range page.Lines {
		b, err := block(l, cols, faces)
		if err != nil {
			return nil, err
		}
		blocks = append(blocks, b)
	}
	height := 2 * margin
	for _, b := range blocks {
		height += b.Bounds().Dy()
	}
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	draw.Draw(img, img.Bounds(), image.NewUniform(paperColor), image.Point{}, draw.Src)
	y := margin
	for i, b := range blocks {
		w := b.Bounds().Dx()
		x := margin
		switch page.Lines[i].Style.Align {
		case kiosk.AlignCenter:
			x = (width - w) / 2
		case kiosk.AlignRight:
			x = width - margin - w
		}
		draw.Draw(img, image.Rect(x, y, x+w, y+b.Bounds().Dy()), b, b.Bounds().Min, draw.Over)
		y += b.Bounds().Dy()
	}
	return img, nil
}

// block draws one line of paper.
func block(l kiosk.DocLine, cols int, faces [2]font.Face) (image.Image, error) {
	switch l.Kind {
	case kiosk.KindFeed:
		return image.NewRGBA(image.Rect(0, 0, 1, cellH)), nil
	case kiosk.KindRule:
		return textLine(strings.Repeat("-", cols), kiosk.Style{}, faces), nil
	case kiosk.KindQR:
		code, err := qr.Encode(l.Text, qr.M, qr.Auto)
		if err != nil {
			return textLine("[QR "+l.Text+"]", kiosk.Style{}, faces), nil
		}
		n := code.Bounds().Dx()
		return ink(scaled(code, n*qrModule, n*qrModule)), nil
	case kiosk.KindBarcode, kiosk.KindEAN13:
		var code barcode.Barcode
		var err error
		if l.Kind == kiosk.KindEAN13 {
			code, err = ean.Encode(l.Text)
		} else {
			code, err = code128.Encode(l.Text)
		}
		if err != nil {
			return textLine("[BARCODE "+l.Text+"]", kiosk.Style{}, faces), nil
		}
		bars := scaled(code, code.Bounds().Dx()*barModule, barHeight)
		hri := textLine(l.Text, kiosk.Style{}, faces) // GS H 2: the text below
		w := max(bars.Bounds().Dx(), hri.Bounds().Dx())
		out := image.NewRGBA(image.Rect(0, 0, w, barHeight+cellH))
		draw.Draw(out, image.Rect((w-bars.Bounds().Dx())/2, 0, w, barHeight), ink(bars), image.Point{}, draw.Over)
		draw.Draw(out, image.Rect((w-hri.Bounds().Dx())/2, barHeight, w, barHeight+cellH), hri, image.Point{}, draw.Over)
		return out, nil
	}
	return textLine(l.Text, l.Style, faces), nil
}

// textLine draws text in font A's cells, doubled as the style says.
func textLine(s string, st kiosk.Style, faces [2]font.Face) image.Image {
	runes := []rune(s)
	face := faces[0]
	if st.Bold {
		face = faces[1]
	}
	img := image.NewRGBA(image.Rect(0, 0, max(1, len(runes)*cellW), cellH))
	d := font.Drawer{Dst: img, Src: image.NewUniform(inkColor), Face: face}
	ascent := face.Metrics().Ascent
	baseline := fixed.I(cellH)/2 + (ascent-face.Metrics().Descent)/2
	for i, r := range runes {
		d.Dot = fixed.Point26_6{X: fixed.I(i * cellW), Y: baseline}
		d.DrawString(string(r))
	}
	sx, sy := 1, 1
	if st.DoubleWidth {
		sx = 2
	}
	if st.DoubleHeight {
		sy = 2
	}
	if sx == 1 && sy == 1 {
		return img
	}
	return scale(img, sx, sy)
}

// scaled resizes a barcode to exactly w×h; boombuler's Scale keeps the
// modules square and sharp.
func scaled(code barcode.Barcode, w, h int) image.Image {
	s, err := barcode.Scale(code, w, h)
	if err != nil {
		return code
	}
	return s
}

// ink turns a black-on-white symbol into ink on a transparent ground, so
// it sits on the paper colour.
func ink(src image.Image) image.Image {
	b := src.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, _, _, _ := src.At(x, y).RGBA(); r < 0x8000 {
				out.SetRGBA(x-b.Min.X, y-b.Min.Y, inkColor)
			}
		}
	}
	return out
}

// scale enlarges by whole factors, pixel for pixel, as a printer doubles
// its dots.
func scale(src *image.RGBA, sx, sy int) *image.RGBA {
	b := src.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx()*sx, b.Dy()*sy))
	for y := 0; y < b.Dy()*sy; y++ {
		for x := 0; x < b.Dx()*sx; x++ {
			out.Set(x, y, src.At(b.Min.X+x/sx, b.Min.Y+y/sy))
		}
	}
	return out
}
