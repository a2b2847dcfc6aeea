package zvt

import (
	"errors"
	"fmt"
	"strings"

	"selvkasse/kiosk"
)

// BMP numbers used here (ZVT 13.08 ch. 13 "Summary of utilised BMPs").
const (
	BMPTimeout     byte = 0x01 // 1 byte binary: seconds the PT waits for the issue of goods (§2.2.1)
	BMPMaxStatus   byte = 0x02 // 1 byte binary
	BMPServiceByte byte = 0x03 // 1 byte binary
	BMPAmount      byte = 0x04 // 6 byte BCD, minor units
	BMPPump        byte = 0x05
	BMPTLV         byte = 0x06 // TLV container, BER length (ch. 9)
	BMPTrace       byte = 0x0B // 3 byte BCD
	BMPTime        byte = 0x0C // 3 byte BCD HHMMSS
	BMPDate        byte = 0x0D // 2 byte BCD MMDD
	BMPExpiry      byte = 0x0E // 2 byte BCD YYMM
	BMPCardSeq     byte = 0x17 // 2 byte BCD
	BMPPaymentType byte = 0x19 // 1 byte
	BMPPAN         byte = 0x22 // LLVAR BCD, E = masked digit, F = pad
	BMPTrack2      byte = 0x23 // LLVAR: never kept
	BMPTrack3      byte = 0x24 // LLLVAR: never kept
	BMPResult      byte = 0x27 // 1 byte binary
	BMPTerminalID  byte = 0x29 // 4 byte BCD
	BMPVU          byte = 0x2A // 15 byte ASCII
	BMPTrack1      byte = 0x2D // LLVAR: never kept
	BMPChipData    byte = 0x2E // LLLVAR: never kept
	BMPOrigTrace   byte = 0x37 // 3 byte BCD
	BMPAID         byte = 0x3B // 8 byte
	BMPAddText     byte = 0x3C // LLLVAR ASCII
	BMPCurrency    byte = 0x49 // 2 byte BCD, 0578 = NOK
	BMPReceiptNo   byte = 0x87 // 2 byte BCD
	BMPTurnover    byte = 0x88 // 3 byte BCD
	BMPCardType    byte = 0x8A // 1 byte binary, ZVT card-type id (ch. 12)
	BMPCardName    byte = 0x8B // LLVAR ASCII, null-terminated
	BMPCardTypeID  byte = 0x8C // 1 byte binary
	BMPAIDParam    byte = 0xBA // 5 byte binary
)

// bmpFixed is the length of each fixed-length BMP (ZVT 13.08 ch. 13).
var bmpFixed = map[byte]int{
	0x01: 1, 0x02: 1, 0x03: 1, 0x04: 6, 0x05: 1, 0x0B: 3, 0x0C: 3, 0x0D: 2, 0x0E: 2,
	0x17: 2, 0x19: 1, 0x27: 1, 0x29: 4, 0x2A: 15, 0x37: 3, 0x3A: 2, 0x3B: 8, 0x3D: 3,
	0x49: 2, 0x70: 4, 0x71: 4, 0x72: 1, 0x73: 1, 0x74: 1, 0x75: 1, 0x87: 2, 0x88: 3,
	0x8A: 1, 0x8C: 1, 0xA0: 1, 0xAA: 3, 0xBA: 5, 0xD0: 1, 0xD2: 1, 0xD3: 1, 0xE0: 1,
	0xFA: 1, 0xFB: 1, 0xFC: 1, 0xFD: 1,
}

// bmpLL and bmpLLL are the variable-length BMPs (ZVT 13.08 ch. 13;
// PA00P016 §5.2.8): LLVAR starts Fx Fy, LLLVAR Fx Fy Fz.
var (
	bmpLL  = map[byte]bool{0x22: true, 0x23: true, 0x2D: true, 0x4C: true, 0x8B: true, 0xA7: true, 0xD1: true, 0xE1: true, 0xE2: true, 0xE3: true, 0xE4: true, 0xE5: true, 0xE6: true, 0xE7: true}
	bmpLLL = map[byte]bool{0x24: true, 0x2E: true, 0x3C: true, 0x60: true, 0x9A: true, 0xAF: true}
)

// Field is one BMP and its contents, without the LL/LLL or TLV length.
type Field struct {
	BMP  byte
	Data []byte
}

// ErrBMP: a data block whose BMPs cannot be decoded.
var ErrBMP = errors.New("zvt: bad BMP data")

// ParseFields splits a data block into BMP fields. A BMP whose length
// cannot be known (not in the spec's table) stops the decoding with an
// error wrapping ErrBMP, as does a field running past the end.
func ParseFields(b []byte) ([]Field, error) {
	var out []Field
	for i := 0; i < len(b); {
		bmp := b[i]
		i++
		var n int
		switch {
		case bmpFixed[bmp] > 0:
			n = bmpFixed[bmp]
		case bmpLL[bmp], bmpLLL[bmp]:
			digits := 2
			if bmpLLL[bmp] {
				digits = 3
			}
			v, err := varLen(b[i:], digits)
			if err != nil {
				return out, fmt.Errorf("%w: BMP %02X: %v", ErrBMP, bmp, err)
			}
			n, i = v, i+digits
		case bmp == BMPTLV:
			v, w, err := berLen(b[i:])
			if err != nil {
				return out, fmt.Errorf("%w: BMP 06: %v", ErrBMP, err)
			}
			n, i = v, i+w
		default:
			return out, fmt.Errorf("%w: unknown BMP %02X at offset %d", ErrBMP, bmp, i-1)
		}
		if n > len(b)-i {
			return out, fmt.Errorf("%w: BMP %02X needs %d bytes, %d left", ErrBMP, bmp, n, len(b)-i)
		}
		out = append(out, Field{BMP: bmp, Data: b[i : i+n]})
		i += n
	}
	return out, nil
}

// varLen reads an LLVAR (digits 2) or LLLVAR (3) prefix: each byte Fx
// holds one decimal digit (PA00P016 §5.2.8).
func varLen(b []byte, digits int) (int, error) {
	if len(b) < digits {
		return 0, errors.New("length prefix cut short")
	}
	n := 0
	for _, c := range b[:digits] {
		if c&0xF0 != 0xF0 || c&0x0F > 9 {
			return 0, fmt.Errorf("length byte %02X is not F0–F9", c)
		}
		n = n*10 + int(c&0x0F)
	}
	return n, nil
}

// AppendField appends bmp and data with the length prefix the BMP table
// asks for. It returns an error for a fixed-length BMP given the wrong
// length, an unknown BMP or a variable field that is too long.
func AppendField(dst []byte, bmp byte, data []byte) ([]byte, error) {
	switch {
	case bmpFixed[bmp] > 0:
		if len(data) != bmpFixed[bmp] {
			return dst, fmt.Errorf("zvt: BMP %02X is %d bytes, got %d", bmp, bmpFixed[bmp], len(data))
		}
		dst = append(dst, bmp)
	case bmpLL[bmp]:
		if len(data) > 99 {
			return dst, fmt.Errorf("zvt: BMP %02X: %d bytes is too long for LLVAR", bmp, len(data))
		}
		dst = append(dst, bmp, 0xF0|byte(len(data)/10), 0xF0|byte(len(data)%10))
	case bmpLLL[bmp]:
		if len(data) > 999 {
			return dst, fmt.Errorf("zvt: BMP %02X: %d bytes is too long for LLLVAR", bmp, len(data))
		}
		dst = append(dst, bmp, 0xF0|byte(len(data)/100), 0xF0|byte(len(data)/10%10), 0xF0|byte(len(data)%10))
	case bmp == BMPTLV:
		dst = appendBERLen(append(dst, bmp), len(data))
	default:
		return dst, fmt.Errorf("zvt: unknown BMP %02X", bmp)
	}
	return append(dst, data...), nil
}

// BCD encodes the decimal number v in n bytes of packed BCD.
func BCD(v uint64, n int) []byte {
	out := make([]byte, n)
	for i := n - 1; i >= 0; i-- {
		out[i] = byte(v%10) | byte(v/10%10)<<4
		v /= 100
	}
	return out
}

// ParseBCD decodes packed BCD. A nibble above 9 is an error.
func ParseBCD(b []byte) (uint64, error) {
	var v uint64
	for _, c := range b {
		hi, lo := c>>4, c&0x0F
		if hi > 9 || lo > 9 {
			return 0, fmt.Errorf("zvt: %02X is not BCD", c)
		}
		v = v*100 + uint64(hi)*10 + uint64(lo)
	}
	return v, nil
}

// bcdDigits is b's packed digits as text ("0578"), or "" if not BCD.
func bcdDigits(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		if c>>4 > 9 || c&0x0F > 9 {
			return ""
		}
		s.WriteByte('0' + c>>4)
		s.WriteByte('0' + c&0x0F)
	}
	return s.String()
}

// AmountBCD is BMP 04's contents for m: 6 bytes BCD in øre (ZVT 13.08
// ch. 13). Negative or too large amounts are an error.
func AmountBCD(m kiosk.Money) ([]byte, error) {
	if m < 0 || m > 999999999999 {
		return nil, fmt.Errorf("zvt: amount %d øre cannot be sent", int64(m))
	}
	return BCD(uint64(m), 6), nil
}

// CurrencyNOK is ISO 4217 578, the Norwegian krone, as BMP 49 sends it:
// 2 bytes BCD (ZVT 13.08 §1.4, ch. 13).
var CurrencyNOK = []byte{0x05, 0x78}
