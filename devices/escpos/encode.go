package escpos

import (
	"fmt"
	"strings"

	"golang.org/x/text/encoding/charmap"

	"selvkasse/kiosk"
)

// ESC/POS control bytes.
const (
	esc = 0x1B
	gs  = 0x1D
	lf  = 0x0A
)

// Paper widths in columns of font A (12×24 dots).
const (
	Columns58 = 32 // 58 mm paper, 384 dots
	Columns42 = 42 // 80 mm paper on 72 mm printers
	Columns48 = 48 // 80 mm paper, 576 dots
	Columns56 = 56 // 80 mm paper in font B
)

// codePagePC858 is the ESC t table number of PC858 (Multilingual Latin I
// with the euro sign) on Epson printers.
const codePagePC858 = 19

// Encoder renders documents for one paper width.
type Encoder struct {
	Columns int // characters per line; 0 means 42
}

func (e Encoder) columns() int {
	if e.Columns <= 0 {
		return Columns42
	}
	return e.Columns
}

// Encode renders d: initialise, select PC858, the lines, feed and a
// partial cut.
func (e Encoder) Encode(d kiosk.Document) []byte {
	cols := e.columns()
	var b []byte
	b = append(b, esc, '@')                // ESC @: initialise printer
	b = append(b, esc, 't', codePagePC858) // ESC t n: select character code table
	if cols > Columns48 {
		b = append(b, esc, 'M', 1) // ESC M n: font B (9×12 dots), for 56 columns on 80 mm paper
	}
	for _, l := range d.Lines {
		b = e.line(b, l, cols)
	}
	b = append(b, esc, 'd', 4)    // ESC d n: print and feed n lines (clear the cutter)
	b = append(b, gs, 'V', 66, 0) // GS V m n (m=66): feed n and partial cut
	return b
}

func (e Encoder) line(b []byte, l kiosk.DocLine, cols int) []byte {
	switch l.Kind {
	case kiosk.KindFeed:
		return append(b, lf)
	case kiosk.KindRule:
		return append(append(b, strings.Repeat("-", cols)...), lf)
	case kiosk.KindQR:
		return qr(align(b, kiosk.AlignCenter), l.Text)
	case kiosk.KindBarcode:
		return code128(align(b, kiosk.AlignCenter), l.Text)
	case kiosk.KindEAN13:
		return ean13(align(b, kiosk.AlignCenter), l.Text)
	}
	st := l.Style
	b = align(b, st.Align)
	if st.Bold {
		b = append(b, esc, 'E', 1) // ESC E n: emphasised on
	}
	size := byte(0)
	width := cols
	if st.DoubleWidth {
		size |= 0x10 // GS ! n, bits 4–6: width multiplier − 1
		width = cols / 2
	}
	if st.DoubleHeight {
		size |= 0x01 // GS ! n, bits 0–2: height multiplier − 1
	}
	if size != 0 {
		b = append(b, gs, '!', size)
	}
	text := l.Text
	if l.Right != "" {
		text = pair(l.Text, l.Right, width)
	}
	b = append(b, Text(text)...)
	b = append(b, lf)
	if size != 0 {
		b = append(b, gs, '!', 0)
	}
	if st.Bold {
		b = append(b, esc, 'E', 0) // ESC E n: emphasised off
	}
	if st.Align != kiosk.AlignLeft {
		b = align(b, kiosk.AlignLeft)
	}
	return b
}

// align emits ESC a n: select justification (0 left, 1 centre, 2 right).
func align(b []byte, a kiosk.Align) []byte { return append(b, esc, 'a', byte(a)) }

// pair lays out left and right on one line of width columns, or, when they
// do not fit, left on its own line and right flush right below.
func pair(left, right string, width int) string {
	l, r := []rune(left), []rune(right)
	if gap := width - len(l) - len(r); gap >= 1 {
		return left + strings.Repeat(" ", gap) + right
	}
	pad := width - len(r)
	if pad < 0 {
		pad = 0
	}
	return left + "\n" + strings.Repeat(" ", pad) + right
}

// qr emits the GS ( k QR Code functions: model 2 (fn 165), module size 6
// (fn 167), error correction M (fn 169), store the data (fn 180), print
// (fn 181). Data longer than the command's 16-bit length is cut.
func qr(b []byte, data string) []byte {
	d := []byte(data)
	if len(d) > 7089 {
		d = d[:7089] // the largest QR Code version 40 numeric capacity
	}
	b = append(b, gs, '(', 'k', 4, 0, 49, 65, 50, 0) // fn 165: model 2
	b = append(b, gs, '(', 'k', 3, 0, 49, 67, 6)     // fn 167: module size
	b = append(b, gs, '(', 'k', 3, 0, 49, 69, 49)    // fn 169: error correction M
	n := len(d) + 3
	b = append(b, gs, '(', 'k', byte(n), byte(n>>8), 49, 80, 48) // fn 180: store
	b = append(b, d...)
	b = append(b, gs, '(', 'k', 3, 0, 49, 81, 48) // fn 181: print
	return append(b, lf)
}

// code128 emits GS k m=73 (CODE128) with code set B, after GS H 2 (human
// readable text below), GS h 80 (height in dots) and GS w 2 (module
// width). Characters outside code set B's printable ASCII are replaced by
// '?'; at most 253 bytes fit the command.
func code128(b []byte, data string) []byte {
	d := []byte{'{', 'B'}
	for _, r := range data {
		if r < 0x20 || r > 0x7E {
			r = '?'
		}
		if r == '{' {
			d = append(d, '{') // "{{" encodes a literal brace
		}
		d = append(d, byte(r))
	}
	if len(d) > 255 {
		d = d[:255]
	}
	b = append(b, gs, 'H', 2, gs, 'h', 80, gs, 'w', 2)
	b = append(b, gs, 'k', 73, byte(len(d)))
	b = append(b, d...)
	return append(b, lf)
}

// ean13 emits GS k m=67 (JAN13/EAN13) n d1…dn with 12 digits (the
// printer computes the check digit) after the same HRI, height and width
// settings as code128. Anything but a valid 12- or 13-digit code is
// printed as Code 128 instead, so the receipt never loses it.
func ean13(b []byte, data string) []byte {
	if (len(data) != 12 && len(data) != 13) || strings.Trim(data, "0123456789") != "" ||
		(len(data) == 13 && kiosk.CheckDigit(data[:12]) != data[12]) {
		return code128(b, data)
	}
	b = append(b, gs, 'H', 2, gs, 'h', 80, gs, 'w', 2)
	b = append(b, gs, 'k', 67, 12)
	b = append(b, data[:12]...)
	return append(b, lf)
}

// fallback spells characters PC858 lacks with ones it has.
var fallback = map[rune]string{
	'–': "-", '—': "-", '‘': "'", '’': "'", '‚': ",", '“': "\"", '”': "\"", '„': "\"",
	'…': "...", '•': "*", '\u00a0': " ", '\u2009': " ", '\u202f': " ",
	'Š': "S", 'š': "s", 'Ž': "Z", 'ž': "z", 'Ł': "L", 'ł': "l", 'Č': "C", 'č': "c",
	'✓': "v", '™': "(TM)",
}

// Text encodes s in PC858 for ESC t 19. Characters the code page lacks are
// spelled with near equivalents, or '?' — never the 0x1A SUB byte a
// generic encoder would send. Control characters other than LF become
// spaces, so text can never smuggle in a command.
func Text(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r == '\n' {
			out = append(out, lf)
			continue
		}
		if r < 0x20 || r == 0x7F {
			out = append(out, ' ')
			continue
		}
		if c, ok := charmap.CodePage858.EncodeRune(r); ok && c != 0x1A {
			out = append(out, c)
			continue
		}
		if f, ok := fallback[r]; ok {
			out = append(out, Text(f)...)
			continue
		}
		out = append(out, '?')
	}
	return out
}

// String describes an encoder for logs.
func (e Encoder) String() string { return fmt.Sprintf("escpos(%d columns)", e.columns()) }
