package zvt

import (
	"errors"
	"fmt"
)

// TLV is one data object of a TLV container (ZVT 13.08 §9.3). A
// constructed object (bit 6 of the tag's first byte set) has Children and
// no Value.
type TLV struct {
	Tag      uint32 // the tag bytes big-endian, e.g. 0x1F07
	Value    []byte
	Children []TLV
}

// Constructed reports whether the tag is a constructed data object.
func (t TLV) Constructed() bool {
	first := t.Tag
	for first > 0xFF {
		first >>= 8
	}
	return first&0x20 != 0
}

// Find returns the first object with tag, searching depth-first.
func Find(list []TLV, tag uint32) (TLV, bool) {
	for _, t := range list {
		if t.Tag == tag {
			return t, true
		}
		if c, ok := Find(t.Children, tag); ok {
			return c, true
		}
	}
	return TLV{}, false
}

// ErrTLV: a TLV container that cannot be decoded.
var ErrTLV = errors.New("zvt: bad TLV data")

// maxTLVDepth bounds the nesting of constructed objects.
const maxTLVDepth = 16

// ParseTLV decodes the data objects in b (the contents of BMP 06),
// recursing into constructed ones. Values alias b.
func ParseTLV(b []byte) ([]TLV, error) { return parseTLV(b, 0) }

func parseTLV(b []byte, depth int) ([]TLV, error) {
	if depth > maxTLVDepth {
		return nil, fmt.Errorf("%w: nested deeper than %d", ErrTLV, maxTLVDepth)
	}
	var out []TLV
	for i := 0; i < len(b); {
		tag, w, err := readTag(b[i:])
		if err != nil {
			return out, fmt.Errorf("%w: at offset %d: %v", ErrTLV, i, err)
		}
		i += w
		n, w, err := berLen(b[i:])
		if err != nil {
			return out, fmt.Errorf("%w: tag %X: %v", ErrTLV, tag, err)
		}
		i += w
		if n > len(b)-i {
			return out, fmt.Errorf("%w: tag %X needs %d bytes, %d left", ErrTLV, tag, n, len(b)-i)
		}
		t := TLV{Tag: tag}
		if t.Constructed() {
			if t.Children, err = parseTLV(b[i:i+n], depth+1); err != nil {
				return out, err
			}
		} else {
			t.Value = b[i : i+n]
		}
		out = append(out, t)
		i += n
	}
	return out, nil
}

// readTag reads a tag: one byte, or, when its low five bits are all set,
// further bytes while bit 8 is set (§9.3.1). Tags up to 4 bytes.
func readTag(b []byte) (uint32, int, error) {
	if len(b) == 0 {
		return 0, 0, errors.New("tag missing")
	}
	tag := uint32(b[0])
	if b[0]&0x1F != 0x1F {
		return tag, 1, nil
	}
	for i := 1; i < 4; i++ {
		if i >= len(b) {
			return 0, 0, errors.New("tag cut short")
		}
		tag = tag<<8 | uint32(b[i])
		if b[i]&0x80 == 0 {
			return tag, i + 1, nil
		}
	}
	return 0, 0, errors.New("tag longer than 4 bytes")
}

// berLen reads a length: < 80 itself, 81 nn, or 82 hh ll (§9.3.2).
func berLen(b []byte) (n, width int, err error) {
	if len(b) == 0 {
		return 0, 0, errors.New("length missing")
	}
	switch c := b[0]; {
	case c < 0x80:
		return int(c), 1, nil
	case c == 0x81:
		if len(b) < 2 {
			return 0, 0, errors.New("length cut short")
		}
		return int(b[1]), 2, nil
	case c == 0x82:
		if len(b) < 3 {
			return 0, 0, errors.New("length cut short")
		}
		return int(b[1])<<8 | int(b[2]), 3, nil
	default:
		return 0, 0, fmt.Errorf("length byte %02X not supported", c)
	}
}

func appendBERLen(dst []byte, n int) []byte {
	switch {
	case n < 0x80:
		return append(dst, byte(n))
	case n <= 0xFF:
		return append(dst, 0x81, byte(n))
	default:
		return append(dst, 0x82, byte(n>>8), byte(n))
	}
}

func appendTag(dst []byte, tag uint32) []byte {
	switch {
	case tag > 0xFFFFFF:
		return append(dst, byte(tag>>24), byte(tag>>16), byte(tag>>8), byte(tag))
	case tag > 0xFFFF:
		return append(dst, byte(tag>>16), byte(tag>>8), byte(tag))
	case tag > 0xFF:
		return append(dst, byte(tag>>8), byte(tag))
	}
	return append(dst, byte(tag))
}

// AppendTLV encodes objects; constructed ones from their Children. Values
// longer than 65535 bytes cannot be encoded: the caller keeps them short.
func AppendTLV(dst []byte, objects ...TLV) []byte {
	for _, t := range objects {
		v := t.Value
		if t.Constructed() {
			v = AppendTLV(nil, t.Children...)
		}
		dst = appendTag(dst, t.Tag)
		dst = appendBERLen(dst, len(v))
		dst = append(dst, v...)
	}
	return dst
}
