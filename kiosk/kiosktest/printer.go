package kiosktest

import (
	"context"
	"fmt"
	"sync"

	"selvkasse/kiosk"
)

// Printer is a fake kiosk.Printer. It reports the status the test sets,
// keeps every document it printed, and refuses to print (an error wrapping
// kiosk.ErrDeviceUnavailable) when its status is not Ready or it is
// unplugged. Make one with NewPrinter.
type Printer struct {
	mu        sync.Mutex
	status    kiosk.PrinterStatus
	unplugged bool
	printed   []kiosk.Document
	attempts  []PrintAttempt
}

var _ kiosk.Printer = (*Printer)(nil)

// PrintAttempt is one Print call and its outcome.
type PrintAttempt struct {
	Doc kiosk.Document
	Err error
}

// NewPrinter returns a ready printer with a full roll.
func NewPrinter() *Printer {
	return &Printer{status: kiosk.PrinterStatus{Ready: true}}
}

// SetStatus sets what Status reports and whether Print works (st.Ready).
func (p *Printer) SetStatus(st kiosk.PrinterStatus) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.status = st
}

// Unplug makes the printer stop answering: Status and Print return an
// error wrapping kiosk.ErrDeviceUnavailable until Replug.
func (p *Printer) Unplug() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.unplugged = true
}

// Replug plugs the printer in again.
func (p *Printer) Replug() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.unplugged = false
}

// Printed returns the documents printed so far, oldest first.
func (p *Printer) Printed() []kiosk.Document {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]kiosk.Document, len(p.printed))
	for i, d := range p.printed {
		out[i] = cloneDoc(d)
	}
	return out
}

// Last returns the last document printed; ok is false when there is none.
func (p *Printer) Last() (d kiosk.Document, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.printed) == 0 {
		return kiosk.Document{}, false
	}
	return cloneDoc(p.printed[len(p.printed)-1]), true
}

// Attempts returns every Print call, failed ones included, oldest first.
func (p *Printer) Attempts() []PrintAttempt {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]PrintAttempt, len(p.attempts))
	for i, a := range p.attempts {
		out[i] = PrintAttempt{Doc: cloneDoc(a.Doc), Err: a.Err}
	}
	return out
}

func cloneDoc(d kiosk.Document) kiosk.Document {
	return kiosk.Document{Lines: append([]kiosk.DocLine(nil), d.Lines...)}
}

// Status implements kiosk.Printer.
func (p *Printer) Status(ctx context.Context) (kiosk.PrinterStatus, error) {
	if err := ctx.Err(); err != nil {
		return kiosk.PrinterStatus{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.unplugged {
		return kiosk.PrinterStatus{}, fmt.Errorf("kiosktest: printer status: unplugged: %w", kiosk.ErrDeviceUnavailable)
	}
	return p.status, nil
}

// Print implements kiosk.Printer.
func (p *Printer) Print(ctx context.Context, d kiosk.Document) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	d = cloneDoc(d)
	var err error
	switch {
	case ctx.Err() != nil:
		err = ctx.Err()
	case p.unplugged:
		err = fmt.Errorf("kiosktest: print: unplugged: %w", kiosk.ErrDeviceUnavailable)
	case !p.status.Ready:
		why := p.status.Problem
		if why == "" {
			why = "not ready"
		}
		err = fmt.Errorf("kiosktest: print: %s: %w", why, kiosk.ErrDeviceUnavailable)
	default:
		p.printed = append(p.printed, d)
	}
	p.attempts = append(p.attempts, PrintAttempt{Doc: d, Err: err})
	return err
}
