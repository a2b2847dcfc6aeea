package sim

import (
	"strings"
)

// ScannerOptions set up a simulated serial barcode scanner the way a
// technician programs a real one by scanning set-up codes.
type ScannerOptions struct {
	// Terminator ends each code: "\r" (the usual factory setting), "\n",
	// "\r\n", or "" for none, leaving the driver's inter-byte gap timeout
	// to end the code.
	Terminator string
	// AIM prefixes each code with its AIM symbology identifier
	// (ISO/IEC 15424), e.g. "]E0" for EAN-13.
	AIM bool
}

// ScannerLine is a barcode scanner on a simulated serial line: what it
// scans goes down the wire as a real scanner in serial (or USB CDC-ACM)
// mode sends it, and its cable can be pulled and put back. Make one with
// NewScannerLine; it is safe for concurrent use.
type ScannerLine struct {
	w   *wire
	opt ScannerOptions
}

// NewScannerLine plugs a scanner in at link, a path the driver opens
// (the symlink is made, or replaced).
func NewScannerLine(link string, opt ScannerOptions) (*ScannerLine, error) {
	w, err := newWire(link)
	if err != nil {
		return nil, err
	}
	return &ScannerLine{w: w, opt: opt}, nil
}

// Path is where the driver opens the scanner.
func (s *ScannerLine) Path() string { return s.w.link }

// Scan sends code as the scanner would after reading it. Errors:
// ErrUnplugged while the cable is out.
func (s *ScannerLine) Scan(code string) error {
	line := code
	if s.opt.AIM {
		line = aimPrefix(code)
	}
	return s.w.write([]byte(line + s.opt.Terminator))
}

// Send puts raw bytes on the wire: line noise, half codes, a scanner
// misconfigured with another terminator.
func (s *ScannerLine) Send(b []byte) error { return s.w.write(b) }

// Unplug pulls the cable: the driver's port hangs up and the path goes
// away.
func (s *ScannerLine) Unplug() { s.w.unplug() }

// Replug puts the cable back; the path leads to the scanner again.
func (s *ScannerLine) Replug() error {
	_, err := s.w.plug()
	return err
}

// Plugged reports whether the cable is in.
func (s *ScannerLine) Plugged() bool { return s.w.end() != nil }

// Close unplugs the scanner for good.
func (s *ScannerLine) Close() error {
	s.w.unplug()
	return nil
}

// aimPrefix adds the AIM identifier a scanner would send for code:
// EAN-8 "]E4", EAN-13/UPC-A "]E0", GS1-128 "]C1" when the data holds a
// GS separator (FNC1), and Code 128 "]C0" otherwise.
func aimPrefix(code string) string {
	digits := code != "" && strings.Trim(code, "0123456789") == ""
	switch {
	case digits && len(code) == 8:
		return "]E4" + code
	case digits && (len(code) == 12 || len(code) == 13):
		return "]E0" + code
	case strings.Contains(code, "\x1d"):
		return "]C1" + strings.TrimPrefix(code, "\x1d")
	}
	return "]C0" + code
}
