package scanner

import (
	"errors"
	"fmt"
)

// MaxLine is the default longest code: a GS1 DataMatrix with several
// element strings stays well below it.
const MaxLine = 256

// ErrFrame is wrapped by the Framer's errors: the bytes were not a code.
// The kiosk journals it and reads on.
var ErrFrame = errors.New("scanner: bad frame")

// Framer splits a scanner's byte stream into lines. A line ends at CR, LF
// or CRLF (a CR directly followed by LF ends one line, not two). Scanners
// that send no terminator are served by calling Flush after an
// inter-byte gap. A line longer than Max, or holding a NUL or a control
// byte other than GS (FNC1 in GS1 data) and EOT, is rejected as a whole:
// the bytes up to the next terminator are dropped with it, so the next
// code starts clean.
type Framer struct {
	Max int // 0 means MaxLine

	buf     []byte
	bad     error // the line being received is already rejected
	afterCR bool
}

// Feed takes the next byte. When it completes a line, Feed returns it
// (without the terminator) and done; a rejected line comes back as an
// error wrapping ErrFrame instead. Empty lines are skipped.
func (f *Framer) Feed(b byte) (line []byte, done bool, err error) {
	if b == '\n' && f.afterCR {
		f.afterCR = false
		return nil, false, nil
	}
	f.afterCR = b == '\r'
	if b == '\r' || b == '\n' {
		return f.end()
	}
	max := f.Max
	if max <= 0 {
		max = MaxLine
	}
	switch {
	case f.bad != nil:
	case b == 0:
		f.bad = fmt.Errorf("%w: NUL byte", ErrFrame)
	case b < 0x20 && b != 0x1D && b != 0x04, b == 0x7F:
		f.bad = fmt.Errorf("%w: control byte %#02x", ErrFrame, b)
	case len(f.buf) >= max:
		f.bad = fmt.Errorf("%w: longer than %d bytes", ErrFrame, max)
	default:
		f.buf = append(f.buf, b)
	}
	return nil, false, nil
}

// Flush ends the line received so far, as a terminator would: call it when
// no byte came for the inter-byte gap time. It returns nothing when no
// bytes are waiting.
func (f *Framer) Flush() (line []byte, done bool, err error) {
	f.afterCR = false
	return f.end()
}

// Pending reports whether part of a line has been received.
func (f *Framer) Pending() bool { return len(f.buf) > 0 || f.bad != nil }

func (f *Framer) end() ([]byte, bool, error) {
	line, bad := f.buf, f.bad
	f.buf, f.bad = nil, nil
	if bad != nil {
		return nil, false, bad
	}
	if len(line) == 0 {
		return nil, false, nil
	}
	return line, true, nil
}
