package escpos

import (
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// Decoder reads an ESC/POS stream the way a printer does, for simulators
// and tests: text becomes lines on the paper, DLE EOT requests are handed
// to OnStatus, and a cut hands the paper printed since the last cut to
// OnCut. It knows the commands Encoder sends; other ESC and GS commands
// are skipped as well as their shape allows, never panicked on. The zero
// value is ready; it assumes PC858.
type Decoder struct {
	OnStatus func(n byte)      // DLE EOT n
	OnCut    func(text string) // the paper since the last cut, one line per LF

	pending []byte // an incomplete command
	paper   []string
	line    strings.Builder
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
	return strings.Join(append(append([]string(nil), d.paper...), d.line.String()), "\n")
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
		case '@':
			d.line.Reset()
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
				d.write("[QR " + string(b[8:5+size]) + "]")
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
				d.write("[BARCODE " + string(b[3:3+end]) + "]")
				return 4 + end
			}
			if !need(4) || !need(4+int(b[3])) {
				return 0
			}
			data := string(b[4 : 4+int(b[3])])
			if m == 73 {
				data = strings.ReplaceAll(strings.TrimPrefix(strings.TrimPrefix(data, "{B"), "{A"), "{{", "{")
			}
			d.write("[BARCODE " + data + "]")
			return 4 + int(b[3])
		}
		return 2
	}
	if b[0] < 0x20 {
		return 1 // other control bytes are ignored by the printer
	}
	d.line.WriteRune(charmap.CodePage858.DecodeByte(b[0]))
	return 1
}

func (d *Decoder) write(s string) {
	d.line.WriteString(s)
	d.newline()
}

func (d *Decoder) newline() {
	d.paper = append(d.paper, d.line.String())
	d.line.Reset()
}

func (d *Decoder) cut() {
	if d.line.Len() > 0 {
		d.newline()
	}
	text := strings.Join(d.paper, "\n")
	d.paper = nil
	if d.OnCut != nil {
		d.OnCut(text)
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
