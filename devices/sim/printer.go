package sim

import (
	"context"
	"fmt"

	"selvkasse/kiosk"
)

// PaperLevel is how much paper the simulated printer has.
type PaperLevel uint8

const (
	PaperFull PaperLevel = 1
	PaperLow  PaperLevel = 2 // near end: still prints
	PaperOut  PaperLevel = 3
)

func (p PaperLevel) String() string {
	switch p {
	case PaperFull:
		return "full"
	case PaperLow:
		return "low"
	case PaperOut:
		return "out"
	}
	return fmt.Sprintf("PaperLevel(%d)", uint8(p))
}

type printer struct{ d *Devices }

var _ kiosk.Printer = printer{}

// Printer is the simulated receipt printer's port. It keeps the last
// document it printed (LastReceipt).
func (d *Devices) Printer() kiosk.Printer { return printer{d} }

// SetPaper changes the paper roll.
func (d *Devices) SetPaper(l PaperLevel) {
	d.mu.Lock()
	d.paper = l
	d.unlockChanged()
}

// LastReceipt returns the last document printed; ok is false when none
// was.
func (d *Devices) LastReceipt() (doc kiosk.Document, ok bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.last == nil {
		return kiosk.Document{}, false
	}
	return kiosk.Document{Lines: append([]kiosk.DocLine(nil), d.last.Lines...)}, true
}

// Status implements kiosk.Printer.
func (p printer) Status(ctx context.Context) (kiosk.PrinterStatus, error) {
	d := p.d
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return kiosk.PrinterStatus{}, err
	}
	if d.offline[DevPrinter] {
		return kiosk.PrinterStatus{}, offline(DevPrinter)
	}
	switch d.paper {
	case PaperOut:
		return kiosk.PrinterStatus{Problem: "paper out"}, nil
	case PaperLow:
		return kiosk.PrinterStatus{Ready: true, PaperLow: true}, nil
	}
	return kiosk.PrinterStatus{Ready: true}, nil
}

// Print implements kiosk.Printer.
func (p printer) Print(ctx context.Context, doc kiosk.Document) error {
	d := p.d
	d.mu.Lock()
	switch {
	case ctx.Err() != nil:
		d.mu.Unlock()
		return ctx.Err()
	case d.offline[DevPrinter]:
		d.mu.Unlock()
		return offline(DevPrinter)
	case d.paper == PaperOut:
		d.mu.Unlock()
		return fmt.Errorf("sim: receipt printer: paper out: %w", kiosk.ErrDeviceUnavailable)
	}
	d.last = &kiosk.Document{Lines: append([]kiosk.DocLine(nil), doc.Lines...)}
	d.printed++
	d.unlockChanged()
	return nil
}
