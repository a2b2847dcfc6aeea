package kiosk

// Align is a document line's alignment.
type Align uint8

const (
	AlignLeft   Align = 0
	AlignCenter Align = 1
	AlignRight  Align = 2
)

// Style is how a document line is printed.
type Style struct {
	Bold         bool
	DoubleWidth  bool
	DoubleHeight bool
	Align        Align
}

// LineKind says what a document line is.
type LineKind uint8

const (
	KindText    LineKind = 0 // Text in Style
	KindRule    LineKind = 1 // a full-width rule
	KindQR      LineKind = 2 // Text as a QR code
	KindBarcode LineKind = 3 // Text as a Code 128 barcode
	KindFeed    LineKind = 4 // an empty line
	KindEAN13   LineKind = 5 // Text (12 or 13 digits) as an EAN-13 barcode
)

// DocLine is one line of a printed document. Left and Right, when Right is
// set, are laid out on one line with Right flush right (an item and its
// price).
type DocLine struct {
	Kind  LineKind
	Text  string
	Right string
	Style Style
}

// Document is a receipt or report as the kiosk composes it. A printer
// driver renders it for its paper width; it adds no content of its own.
type Document struct {
	Lines []DocLine
}

// Text appends a plain line.
func (d *Document) Text(s string, st Style) { d.Lines = append(d.Lines, DocLine{Text: s, Style: st}) }

// Pair appends a line with left and right parts.
func (d *Document) Pair(left, right string, st Style) {
	d.Lines = append(d.Lines, DocLine{Text: left, Right: right, Style: st})
}

// Rule appends a full-width rule.
func (d *Document) Rule() { d.Lines = append(d.Lines, DocLine{Kind: KindRule}) }

// Feed appends an empty line.
func (d *Document) Feed() { d.Lines = append(d.Lines, DocLine{Kind: KindFeed}) }

// QR appends a QR code.
func (d *Document) QR(s string) {
	d.Lines = append(d.Lines, DocLine{Kind: KindQR, Text: s, Style: Style{Align: AlignCenter}})
}

// Barcode appends a Code 128 barcode.
func (d *Document) Barcode(s string) {
	d.Lines = append(d.Lines, DocLine{Kind: KindBarcode, Text: s, Style: Style{Align: AlignCenter}})
}

// EAN13 appends an EAN-13 barcode of a GTIN-13 (or its first 12 digits;
// the printer adds the check digit).
func (d *Document) EAN13(s string) {
	d.Lines = append(d.Lines, DocLine{Kind: KindEAN13, Text: s, Style: Style{Align: AlignCenter}})
}

// PlainText renders d as plain text columns wide, for screens, logs and
// tests.
func (d Document) PlainText(columns int) string {
	var out []rune
	for _, l := range d.Lines {
		var line string
		switch l.Kind {
		case KindRule:
			line = repeat('-', columns)
		case KindFeed:
			line = ""
		case KindQR:
			line = "[QR " + l.Text + "]"
		case KindBarcode, KindEAN13:
			line = "[||| " + l.Text + " |||]"
		default:
			line = l.Text
			if l.Right != "" {
				gap := columns - runeLen(l.Text) - runeLen(l.Right)
				if gap < 1 {
					// Too long for one line: the text, then the right
					// part flush right below it.
					out = append(out, []rune(l.Text)...)
					out = append(out, '\n')
					gap = columns - runeLen(l.Right)
					line = ""
				}
				line += repeat(' ', gap) + l.Right
			}
		}
		if l.Style.Align == AlignCenter && l.Right == "" {
			if pad := (columns - runeLen(line)) / 2; pad > 0 {
				line = repeat(' ', pad) + line
			}
		} else if l.Style.Align == AlignRight && l.Right == "" {
			if pad := columns - runeLen(line); pad > 0 {
				line = repeat(' ', pad) + line
			}
		}
		out = append(out, []rune(line)...)
		out = append(out, '\n')
	}
	return string(out)
}

func runeLen(s string) int { return len([]rune(s)) }

func repeat(r rune, n int) string {
	if n <= 0 {
		return ""
	}
	b := make([]rune, n)
	for i := range b {
		b[i] = r
	}
	return string(b)
}
