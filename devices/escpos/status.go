package escpos

import (
	"errors"
	"fmt"

	"selvkasse/kiosk"
)

// dle and eot start the real-time status request DLE EOT n.
const (
	dle = 0x10
	eot = 0x04
)

// StatusRequest is DLE EOT n for n = 1 (printer), 2 (offline cause),
// 3 (error cause) and 4 (roll paper sensor). The printer answers each with
// one byte at once, even while its buffer is full or it is offline.
func StatusRequest(n byte) []byte { return []byte{dle, eot, n} }

// Status is the four DLE EOT replies.
type Status struct {
	Printer byte // n = 1
	Offline byte // n = 2
	Error   byte // n = 3
	Paper   byte // n = 4
}

// ErrBadStatus is returned for a byte that is not a DLE EOT reply.
var ErrBadStatus = errors.New("escpos: not a status reply")

// Every DLE EOT reply has bit 0 = 0, bit 1 = 1, bit 4 = 1 and bit 7 = 0
// (ESC/POS reference, DLE EOT: "fixed" bits). Anything else is noise, or
// an answer to something else.
const (
	fixedMask = 0x93
	fixedBits = 0x12
)

// Bits of the replies (ESC/POS reference, DLE EOT, tables for n = 1 to 4).
const (
	bitOffline       = 0x08 // n=1 bit 3: offline
	bitCoverOpen     = 0x04 // n=2 bit 2: cover open
	bitPaperEndStop  = 0x20 // n=2 bit 5: printing stopped by paper end
	bitErrorOccurred = 0x40 // n=2 bit 6: an error occurred
	bitCutter        = 0x08 // n=3 bit 3: autocutter error
	bitUnrecoverable = 0x20 // n=3 bit 5: unrecoverable error
	bitAutoRecover   = 0x40 // n=3 bit 6: auto-recoverable error (e.g. head too hot)
	bitsNearEnd      = 0x0C // n=4 bits 2,3: roll paper near end
	bitsPaperEnd     = 0x60 // n=4 bits 5,6: roll paper end
)

// Valid reports whether every reply has the fixed bits.
func (s Status) Valid() error {
	for i, b := range []byte{s.Printer, s.Offline, s.Error, s.Paper} {
		if b&fixedMask != fixedBits {
			return fmt.Errorf("%w: DLE EOT %d answered %#02x", ErrBadStatus, i+1, b)
		}
	}
	return nil
}

// Kiosk turns the replies into the kiosk's view of the printer: ready,
// paper low for staff, and the problem in plain words (the most urgent
// first).
func (s Status) Kiosk() (kiosk.PrinterStatus, error) {
	if err := s.Valid(); err != nil {
		return kiosk.PrinterStatus{}, err
	}
	st := kiosk.PrinterStatus{PaperLow: s.Paper&bitsNearEnd != 0}
	switch {
	case s.Offline&bitCoverOpen != 0:
		st.Problem = "cover open"
	case s.Paper&bitsPaperEnd != 0 || s.Offline&bitPaperEndStop != 0:
		st.Problem = "paper out"
	case s.Error&bitCutter != 0:
		st.Problem = "cutter error"
	case s.Error&bitUnrecoverable != 0:
		st.Problem = "printer error (needs service)"
	case s.Error&bitAutoRecover != 0:
		st.Problem = "printer error (recovering)"
	case s.Offline&bitErrorOccurred != 0:
		st.Problem = "printer error"
	case s.Printer&bitOffline != 0:
		st.Problem = "offline"
	}
	st.Ready = st.Problem == ""
	return st, nil
}
