//go:build linux && !wayland

package app

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// The X11 connection setup, as far as a client needs it to learn whether
// the server lets it in: the X Window System Protocol, chapter 8,
// "Connection Setup", and the authority file of Xau (xauth(1)). Fyne's
// GLFW driver, asked for a window by a server that refuses it, panics
// with a C trace after the kiosk has opened its data dir and journaled a
// start; this asks first.

// xAuthEntry is one entry of an X authority file. Every field is
// big-endian: the family as a CARD16, then the address, the display
// number (a decimal string), the protocol name and its data, each a
// CARD16 length and that many bytes.
type xAuthEntry struct {
	family                   uint16
	addr, number, name, data []byte
}

// Families of an authority entry's address (Xauth.h).
const (
	xFamilyLocal = 256   // a host name: the server on this machine
	xFamilyWild  = 65535 // any address
)

// xCookieAuth is the one authorisation protocol this check speaks: a
// shared secret sent as it is (MIT-MAGIC-COOKIE-1, what xauth, Xvfb's -auth,
// display managers and xvfb-run write).
const xCookieAuth = "MIT-MAGIC-COOKIE-1"

// maxXauthority bounds the authority file read: a desktop's holds a few
// entries of a few dozen bytes.
const maxXauthority = 1 << 20

// errXauthority: the authority file does not parse.
var errXauthority = errors.New("x11: authority file damaged")

// parseXauthority reads the entries of an authority file. A file cut in
// the middle of an entry is errXauthority, with the entries before it.
func parseXauthority(b []byte) ([]xAuthEntry, error) {
	var out []xAuthEntry
	for n := 1; len(b) > 0; n++ {
		if len(b) < 2 {
			return out, fmt.Errorf("%w: entry %d is cut short", errXauthority, n)
		}
		e := xAuthEntry{family: binary.BigEndian.Uint16(b)}
		b = b[2:]
		for _, f := range []*[]byte{&e.addr, &e.number, &e.name, &e.data} {
			if len(b) < 2 || len(b)-2 < int(binary.BigEndian.Uint16(b)) {
				return out, fmt.Errorf("%w: entry %d is cut short", errXauthority, n)
			}
			l := int(binary.BigEndian.Uint16(b))
			*f, b = b[2:2+l:2+l], b[2+l:]
		}
		out = append(out, e)
	}
	return out, nil
}

// xAuthFor is the authorisation Xlib would send to display number on
// this machine, whose name is host: of the entries for the display (or
// for every display) of this host (or of any), the first. ok is false
// when one of those entries is of a protocol this check does not speak:
// Xlib may prefer it (libxcb tries XDM-AUTHORIZATION-1 first), and only
// the driver can tell.
func xAuthFor(entries []xAuthEntry, host, number string) (name, data []byte, ok bool) {
	for _, e := range entries {
		if e.family != xFamilyWild && (e.family != xFamilyLocal || string(e.addr) != host) {
			continue
		}
		if len(e.number) > 0 && string(e.number) != number {
			continue
		}
		if string(e.name) != xCookieAuth {
			return nil, nil, false
		}
		if name == nil {
			name, data = e.name, e.data
		}
	}
	return name, data, true // none: the server may let anyone in
}

// xRefused is the server's answer Failed or Authenticate to the
// connection setup: it will not let this client in, and says why.
type xRefused struct{ reason string }

func (e *xRefused) Error() string { return "x11: the server refuses the connection: " + e.reason }

// xSetup sends the connection setup request on c, with the authorisation
// name and data (none: both empty), and reads the server's answer: nil for
// Success, *xRefused for Failed or Authenticate, another error for an
// answer that is not X's or none. The request is little-endian, protocol
// 11.0 (§ 8, "Connection Initiation"); only the answer's first bytes are
// read.
func xSetup(c io.ReadWriter, name, data []byte) error {
	if len(name) > 0xffff || len(data) > 0xffff {
		return errors.New("x11: authorisation too long")
	}
	req := make([]byte, 12, 12+len(name)+len(data)+6)
	req[0] = 'l' // least significant byte first
	binary.LittleEndian.PutUint16(req[2:], 11)
	binary.LittleEndian.PutUint16(req[6:], uint16(len(name)))
	binary.LittleEndian.PutUint16(req[8:], uint16(len(data)))
	req = append(append(req, name...), make([]byte, pad4(len(name)))...)
	req = append(append(req, data...), make([]byte, pad4(len(data)))...)
	if _, err := c.Write(req); err != nil {
		return fmt.Errorf("x11: send the connection setup: %w", err)
	}
	return readXSetupReply(c)
}

// readXSetupReply reads the head of the server's answer to the
// connection setup (§ 8, "Server Response"): a status byte, then for
// Failed the length of the reason, the protocol version and the length of
// what follows in 4-byte units, the reason; for Authenticate five unused
// bytes, the length and the reason.
func readXSetupReply(r io.Reader) error {
	var h [8]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return fmt.Errorf("x11: no answer to the connection setup: %w", err)
	}
	switch h[0] {
	case 1: // Success
		return nil
	case 0, 2: // Failed, Authenticate
	default:
		return fmt.Errorf("x11: the answer to the connection setup begins with %#02x: not an X server", h[0])
	}
	rest := make([]byte, 4*int(binary.LittleEndian.Uint16(h[6:])))
	if _, err := io.ReadFull(r, rest); err != nil {
		return fmt.Errorf("x11: the server's refusal is cut short: %w", err)
	}
	if h[0] == 0 && int(h[1]) < len(rest) {
		rest = rest[:h[1]]
	}
	reason := strings.TrimSpace(strings.TrimRight(string(rest), "\x00"))
	// On one line, without what a terminal would act on.
	reason = strings.Join(strings.FieldsFunc(reason, unicode.IsControl), " ")
	if reason == "" {
		reason = "no reason given"
	}
	return &xRefused{reason: reason}
}

// pad4 is the padding after n bytes to a multiple of four.
func pad4(n int) int { return (4 - n%4) % 4 }
