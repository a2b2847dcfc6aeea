package zvt

import (
	"errors"
	"fmt"
)

// Cmd is an APDU's control field: CLASS<<8 | INSTR for a command, or
// CCRC<<8 | APRC for a response (PA00P016 §5.2.2, §5.2.3).
type Cmd uint16

// Commands and responses this package knows (ZVT 13.08 ch. 14).
const (
	CmdRegistration  Cmd = 0x0600 // ZVT 13.08 §2.1
	CmdAuthorization Cmd = 0x0601 // §2.2
	CmdLogOff        Cmd = 0x0602 // §2.24
	CmdRepeatReceipt Cmd = 0x0620 // §2.20
	CmdReversal      Cmd = 0x0630 // §2.9
	CmdRefund        Cmd = 0x0631 // §2.15
	CmdEndOfDay      Cmd = 0x0650 // §2.16
	CmdAbort         Cmd = 0x06B0 // §2.23, ECR → PT
	CmdStatusEnquiry Cmd = 0x0501 // §2.56
	CmdStatusInfo    Cmd = 0x040F // §3.1, PT → ECR
	CmdIntermediate  Cmd = 0x04FF // §3.7
	CmdCompletion    Cmd = 0x060F // §3.2
	CmdPTAbort       Cmd = 0x061E // §3.3, PT → ECR
	CmdPrintLine     Cmd = 0x06D1 // §3.5
	CmdPrintText     Cmd = 0x06D3 // §3.6
	CmdSetTimeECR    Cmd = 0x0401 // §3.4
	RespOK           Cmd = 0x8000 // positive completion (PA00P016 §5.2.3)
)

// Class and Instr split c.
func (c Cmd) Class() byte { return byte(c >> 8) }
func (c Cmd) Instr() byte { return byte(c) }

// String is the control field in hex, with the command's name when known.
func (c Cmd) String() string {
	names := map[Cmd]string{
		CmdRegistration: "Registration", CmdAuthorization: "Authorization", CmdLogOff: "Log-Off",
		CmdRepeatReceipt: "Repeat Receipt", CmdReversal: "Reversal", CmdRefund: "Refund", CmdEndOfDay: "End-of-Day",
		CmdAbort: "Abort (ECR)", CmdStatusEnquiry: "Status Enquiry", CmdStatusInfo: "Status-Information",
		CmdIntermediate: "Intermediate Status", CmdCompletion: "Completion", CmdPTAbort: "Abort",
		CmdPrintLine: "Print Line", CmdPrintText: "Print Text-Block", CmdSetTimeECR: "Set Date/Time",
		RespOK: "ACK 80-00",
	}
	if n, ok := names[c]; ok {
		return fmt.Sprintf("%02X %02X %s", c.Class(), c.Instr(), n)
	}
	if c.Class() == 0x84 {
		return fmt.Sprintf("84 %02X NAK", c.Instr())
	}
	return fmt.Sprintf("%02X %02X", c.Class(), c.Instr())
}

// MaxData is the longest data block an APDU can carry: the extended length
// field is two bytes (PA00P016 §5.2.4).
const MaxData = 0xFFFF

// APDU is one application protocol data unit: control field, length and
// data block (PA00P016 §5.2.1).
type APDU struct {
	Cmd  Cmd
	Data []byte
}

// NewAPDU is an APDU with control field c.
func NewAPDU(c Cmd, data ...byte) APDU { return APDU{Cmd: c, Data: data} }

// IsResponse reports whether a is an 80-xx or 84-xx response (§5.2.3).
func (a APDU) IsResponse() bool { return a.Cmd.Class() == 0x80 || a.Cmd.Class() == 0x84 }

// Positive reports whether a is a positive completion: 80-00, or 84-00,
// which the spec counts as positive too (PA00P016 §5.2.3).
func (a APDU) Positive() bool { return a.Cmd == RespOK || a.Cmd == 0x8400 }

func (a APDU) String() string {
	return fmt.Sprintf("%v [% X]", a.Cmd, a.Data)
}

// ErrTooLong: a data block over MaxData bytes.
var ErrTooLong = errors.New("zvt: APDU data longer than 65535 bytes")

// ErrShort: more bytes are needed to complete the APDU.
var ErrShort = errors.New("zvt: APDU incomplete")

// Marshal encodes a. Up to 254 data bytes use the one-byte length; longer
// blocks use FF and a two-byte length, low byte first (PA00P016 §5.2.4).
func (a APDU) Marshal() ([]byte, error) {
	n := len(a.Data)
	if n > MaxData {
		return nil, ErrTooLong
	}
	out := make([]byte, 0, 5+n)
	out = append(out, a.Cmd.Class(), a.Cmd.Instr())
	if n < 0xFF {
		out = append(out, byte(n))
	} else {
		out = append(out, 0xFF, byte(n), byte(n>>8))
	}
	return append(out, a.Data...), nil
}

// ParseAPDU decodes the APDU at the start of b and says how many bytes it
// took. ErrShort means b holds only part of it. Data is a copy.
func ParseAPDU(b []byte) (APDU, int, error) {
	if len(b) < 3 {
		return APDU{}, 0, ErrShort
	}
	c := Cmd(b[0])<<8 | Cmd(b[1])
	n, hdr := int(b[2]), 3
	if b[2] == 0xFF {
		if len(b) < 5 {
			return APDU{}, 0, ErrShort
		}
		n, hdr = int(b[3])|int(b[4])<<8, 5
	}
	if len(b) < hdr+n {
		return APDU{}, 0, ErrShort
	}
	return APDU{Cmd: c, Data: append([]byte{}, b[hdr:hdr+n]...)}, hdr + n, nil
}

// ParseAPDUs decodes a stream of whole APDUs, as in a TCP capture.
func ParseAPDUs(b []byte) ([]APDU, error) {
	var out []APDU
	for len(b) > 0 {
		a, n, err := ParseAPDU(b)
		if err != nil {
			return out, fmt.Errorf("zvt: APDU %d: %w", len(out)+1, err)
		}
		out = append(out, a)
		b = b[n:]
	}
	return out, nil
}
