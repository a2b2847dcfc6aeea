package sim

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"selvkasse/kiosk"
)

// maxCode is the longest code the simulated scanner reads; a longer line
// is a bad scan, as with a real scanner's overlong line.
const maxCode = 100

type queuedScan struct {
	raw string
	at  time.Time
}

type scanner struct{ d *Devices }

var _ kiosk.Scanner = scanner{}

// Scanner is the simulated barcode scanner's port.
func (d *Devices) Scanner() kiosk.Scanner { return scanner{d} }

// Scan reads code as if a barcode was held under the scanner; spaces
// around it are dropped, as a person types them. The kiosk gets it from
// ReadScan; an empty code, one with control characters or one too long is
// a bad scan there. A scanner that is offline reads nothing.
func (d *Devices) Scan(code string) {
	d.mu.Lock()
	if d.offline[DevScanner] {
		d.mu.Unlock()
		return
	}
	d.scanq = append(d.scanq, queuedScan{raw: strings.TrimSpace(code), at: d.clk.Now()})
	d.unlockChanged()
}

// badScan says why raw is not a usable code, or returns nil.
func badScan(raw string) error {
	why := ""
	switch {
	case raw == "":
		why = "empty read"
	case len(raw) > maxCode:
		why = fmt.Sprintf("overlong read (%d bytes)", len(raw))
	case !utf8.ValidString(raw):
		why = "unreadable bytes"
	case strings.ContainsFunc(raw, unicode.IsControl):
		why = "control characters in the read"
	default:
		return nil
	}
	return fmt.Errorf("sim: scanner: %s: %w", why, kiosk.ErrBadScan)
}

// ReadScan implements kiosk.Scanner.
func (s scanner) ReadScan(ctx context.Context) (kiosk.Scan, error) {
	d := s.d
	for {
		d.mu.Lock()
		switch {
		case ctx.Err() != nil:
			d.mu.Unlock()
			return kiosk.Scan{}, ctx.Err()
		case d.offline[DevScanner]:
			d.mu.Unlock()
			return kiosk.Scan{}, offline(DevScanner)
		case len(d.scanq) > 0:
			q := d.scanq[0]
			d.scanq = d.scanq[1:]
			d.unlockChanged()
			if err := badScan(q.raw); err != nil {
				return kiosk.Scan{}, err
			}
			return kiosk.Scan{Code: q.raw, At: q.at}, nil
		}
		wake := d.wake
		d.mu.Unlock()
		select {
		case <-ctx.Done():
		case <-wake:
		}
	}
}
