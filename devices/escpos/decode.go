package escpos

import (
	"strings"

	"golang.org/x/text/encoding/charmap"

	"selvkasse/kiosk"
)

// Decoder reads an ESC/POS stream the way a printer does, for simulators
// and tests: text becomes lines on the paper, DLE EOT requests are handed
// to OnStatus, and a cut hands the paper printed since the last cut to
// OnCut (as text) and OnPage (as a document, with each line's style, QR
// codes and barcodes, for a picture of the receipt). It knows the
// commands Encoder sends; other ESC and GS commands are skipped as well as
// their shape allows, never panicked on. The zero value is ready; it
// assumes PC858.
type Decoder struct {
	OnStatus func(n byte)              // DLE EOT n
	OnCut    func(text string)         // the paper since the last cut, one line per LF
	OnPage   func(page kiosk.Document) // the same paper, line by line with styles

	pending []byte // an incomplete command
	paper   []kiosk.DocLine
	line    strings.Builder
	style   kiosk.Style // the print mode now (ESC E, GS !, ESC !, ESC a)
	lineSt  kiosk.Style // the mode at the line's first character
}

// Write implements io.Writer; it never fails.
func (d *Decoder) Write(p []byte) (int, error) {
	d.pending = append(d.pending, p...)
	for len(d.pending) > 0 {
		n := d.step(d.pending)
		if n == 0 {
			break // wait for more bytes
		}
		d.pending = d.pending[n:]
	}
	if len(d.pending) == 0 {
		d.pending = nil
	}
	return len(p), nil
}

// Paper is what has been printed since the last cut.
func (d *Decoder) Paper() string {
	return strings.Join(append(pageText(d.paper), d.line.String()), "\n")
}

// PageText is a page as OnCut gives it: one line per line of paper, codes
// as [QR data] and [BARCODE data].
func PageText(page kiosk.Document) string { return strings.Join(pageText(page.Lines), "\n") }

// pageText is a page's lines as text: codes as [QR data] and
// [BARCODE data].
func pageText(page []kiosk.DocLine) []string {
	out := make([]string, 0, len(page)+1)
	for _, l := range page {
		switch l.Kind {
		case kiosk.KindQR:
			out = append(out, "[QR "+l.Text+"]")
		case kiosk.KindBarcode, kiosk.KindEAN13:
			out = append(out, "[BARCODE "+l.Text+"]")
		default:
			out = append(out, l.Text)
		}
	}
	return out
}

// step consumes one command or character from b and returns how many
// bytes it took, or 0 when b holds only the start of a command.
func (d *Decoder) step(b []byte) int {
	need := func(n int) bool { return len(b) >= n }
	switch b[0] {
	case lf:
		d.newline()
		return 1
	case '\r':
		return 1
	case dle:
		if !need(3) {
			return 0
		}
		if b[1] == eot && d.OnStatus != nil {
			d.OnStatus(b[2])
		}
		return 3
	case esc:
		if !need(2) {
			return 0
		}
		switch b[1] {
		case '@': // ESC @: initialise; the line buffer and modes are cleared
			d.line.Reset()
			d.style = kiosk.Style{}
			return 2
		case 'd': // ESC d n: print and feed n lines
			if !need(3) {
				return 0
			}
			d.newline()
			for i := 1; i < int(b[2]); i++ {
				d.newline()
			}
			return 3
		case 't', 'E', 'a', '!', '-', 'M', 'G', 'J', 'R', 'U', 'V', '2', '3':
			if b[1] == '2' {
				return 2
			}
			if !need(3) {
				return 0
			}
			switch b[1] {
			case 'E': // ESC E n: emphasised on/off (bit 0)
				d.style.Bold = b[2]&1 != 0
			case 'a': // ESC a n: justification, 0/48 left, 1/49 centre, 2/50 right
				if n := b[2] % 48; n <= 2 {
					d.style.Align = kiosk.Align(n)
				}
			case '!': // ESC ! n: print modes: bit 3 emphasised, 4 double height, 5 double width
				d.style.Bold = b[2]&0x08 != 0
				d.style.DoubleHeight = b[2]&0x10 != 0
				d.style.DoubleWidth = b[2]&0x20 != 0
			}
			return 3
		}
		return 2 // unknown: skip the command byte
	case gs:
		if !need(2) {
			return 0
		}
		switch b[1] {
		case '!', 'H', 'h', 'w', 'f', 'B':
			if !need(3) {
				return 0
			}
			if b[1] == '!' { // GS ! n: character size, bits 4–6 width − 1, 0–2 height − 1
				d.style.DoubleWidth = b[2]&0x70 != 0
				d.style.DoubleHeight = b[2]&0x07 != 0
			}
			return 3
		case 'V': // GS V m [n]: cut
			if !need(3) {
				return 0
			}
			n := 3
			if b[2] == 65 || b[2] == 66 || b[2] == 97 || b[2] == 98 || b[2] == 103 || b[2] == 104 {
				if !need(4) {
					return 0
				}
				n = 4
			}
			d.cut()
			return n
		case '(': // GS ( fn pL pH data
			if !need(5) {
				return 0
			}
			size := int(b[3]) | int(b[4])<<8
			if !need(5 + size) {
				return 0
			}
			if b[2] == 'k' && size >= 3 && b[5] == 49 && b[6] == 80 {
				d.code(kiosk.KindQR, string(b[8:5+size]))
			}
			return 5 + size
		case 'k': // GS k m ...: barcode
			if !need(3) {
				return 0
			}
			m := b[2]
			if m <= 6 { // NUL-terminated data
				end := indexByte(b[3:], 0)
				if end < 0 {
					return 0
				}
				d.code(kiosk.KindBarcode, string(b[3:3+end]))
				return 4 + end
			}
			if !need(4) || !need(4+int(b[3])) {
				return 0
			}
			data := string(b[4 : 4+int(b[3])])
			kind := kiosk.KindBarcode
			switch m {
			case 73: // CODE128: code set selection and escaped braces
				data = strings.ReplaceAll(strings.TrimPrefix(strings.TrimPrefix(data, "{B"), "{A"), "{{", "{")
			case 67: // JAN13/EAN13: the printer adds the check digit
				if len(data) == 12 && strings.Trim(data, "0123456789") == "" {
					kind, data = kiosk.KindEAN13, data+string(kiosk.CheckDigit(data))
				}
			}
			d.code(kind, data)
			return 4 + int(b[3])
		}
		return 2
	}
	if b[0] < 0x20 {
		return 1 // other control bytes are ignored by the printer
	}
	if d.line.Len() == 0 {
		d.lineSt = d.style
	}
	d.line.WriteRune(charmap.CodePage858.DecodeByte(b[0]))
	return 1
}

// code puts a QR code or barcode on the paper, on a line of its own.
func (d *Decoder) code(kind kiosk.LineKind, data string) {
	if d.line.Len() > 0 {
		d.newline()
	}
	d.paper = append(d.paper, kiosk.DocLine{Kind: kind, Text: data, Style: kiosk.Style{Align: d.style.Align}})
}

func (d *Decoder) newline() {
	l := kiosk.DocLine{Text: d.line.String(), Style: d.lineSt}
	if l.Text == "" {
		l = kiosk.DocLine{Kind: kiosk.KindFeed}
	}
	d.paper = append(d.paper, l)
	d.line.Reset()
}

func (d *Decoder) cut() {
	if d.line.Len() > 0 {
		d.newline()
	}
	page := kiosk.Document{Lines: d.paper}
	d.paper = nil
	if d.OnCut != nil {
		d.OnCut(PageText(page))
	}
	if d.OnPage != nil {
		d.OnPage(page)
	}
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}
