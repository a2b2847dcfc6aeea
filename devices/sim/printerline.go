package sim

import (
	"image"
	"os"
	"sync"
	"time"

	"selvkasse/devices/escpos"
	"selvkasse/kiosk"
)

// Printed is a receipt as it came out of the simulated printer.
type Printed struct {
	Text  string         // the paper as text, codes as [QR …] and [BARCODE …]
	Page  kiosk.Document // line by line, with styles
	Image *image.RGBA    // a picture of the paper; nil if it could not be drawn
	At    time.Time
}

// PrinterLine is an ESC/POS receipt printer on a simulated serial line. It
// decodes what the driver sends (escpos.Decoder), answers the real-time
// status requests DLE EOT 1–4 from its state as an Epson TM printer does,
// and keeps the last receipt as text and as a picture. Paper out and an
// open cover take it offline: it still answers DLE EOT, but what it is
// sent to print is lost, as on a real printer that has discarded its
// buffer. Make one with NewPrinterLine; it is safe for concurrent use.
type PrinterLine struct {
	w    *wire
	cols int
	clk  kiosk.Clock

	mu      sync.Mutex
	paper   PaperLevel
	cover   bool // open
	last    *Printed
	printed int
	lost    int
	texts   []string // the last maxTexts receipts, oldest first
	hooks   []hook
	hookID  int
	readers sync.WaitGroup
	plugMu  sync.Mutex // one Unplug or Replug at a time
}

// maxTexts bounds the receipts a PrinterLine remembers.
const maxTexts = 100

// NewPrinterLine plugs a printer in at link, with paper cols characters
// wide (escpos.Columns42 …); clk stamps receipts (nil: system clock).
func NewPrinterLine(link string, cols int, clk kiosk.Clock) (*PrinterLine, error) {
	if clk == nil {
		clk = kiosk.SystemClock{}
	}
	w, err := newWire(link)
	if err != nil {
		return nil, err
	}
	p := &PrinterLine{w: w, cols: cols, clk: clk, paper: PaperFull}
	p.readers.Add(1)
	go p.serve(w.end())
	return p, nil
}

// Path is where the driver opens the printer.
func (p *PrinterLine) Path() string { return p.w.link }

func (p *PrinterLine) serve(m *os.File) {
	defer p.readers.Done()
	dec := escpos.Decoder{
		OnStatus: func(n byte) { _, _ = m.Write([]byte{p.status(n)}) },
		OnPage:   p.page,
	}
	buf := make([]byte, 4096)
	for {
		n, err := m.Read(buf)
		dec.Write(buf[:n])
		if err != nil {
			return // closed: unplugged for good
		}
	}
}

// Bits of the DLE EOT replies (Epson ESC/POS reference, DLE EOT n = 1–4;
// see devices/escpos/status.go for the reading side). Every reply has the
// fixed bits 1 and 4 set.
const (
	stFixed        = 0x12
	stOffline      = 0x08 // n=1 bit 3
	stCoverOpen    = 0x04 // n=2 bit 2
	stPaperStopped = 0x20 // n=2 bit 5: printing stopped by paper end
	stNearEnd      = 0x0C // n=4 bits 2, 3
	stPaperEnd     = 0x60 // n=4 bits 5, 6
)

func (p *PrinterLine) status(n byte) byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.paper == PaperOut
	offline := out || p.cover
	b := byte(stFixed)
	switch n {
	case 1:
		if offline {
			b |= stOffline
		}
	case 2:
		if p.cover {
			b |= stCoverOpen
		}
		if out {
			b |= stPaperStopped
		}
	case 4:
		if p.paper == PaperLow {
			b |= stNearEnd
		}
		if out {
			b |= stPaperEnd
		}
	}
	return b
}

func (p *PrinterLine) page(page kiosk.Document) {
	p.mu.Lock()
	if p.paper == PaperOut || p.cover { // offline: the page is lost
		p.lost++
		p.mu.Unlock()
		p.changed()
		return
	}
	p.mu.Unlock()
	text := escpos.PageText(page)
	img, err := ReceiptImage(page, p.cols)
	if err != nil {
		img = nil // the text is still there
	}
	p.mu.Lock()
	p.printed++
	p.texts = append(p.texts, text)
	if len(p.texts) > maxTexts {
		p.texts = p.texts[len(p.texts)-maxTexts:]
	}
	p.last = &Printed{Text: text, Page: page, Image: img, At: p.clk.Now()}
	p.mu.Unlock()
	p.changed()
}

// SetPaper changes the paper roll.
func (p *PrinterLine) SetPaper(l PaperLevel) {
	p.mu.Lock()
	p.paper = l
	p.mu.Unlock()
	p.changed()
}

// SetCover opens or closes the paper cover.
func (p *PrinterLine) SetCover(open bool) {
	p.mu.Lock()
	p.cover = open
	p.mu.Unlock()
	p.changed()
}

// PrinterState is what a person sees at the simulated printer.
type PrinterState struct {
	Paper     PaperLevel
	CoverOpen bool
	Printed   int // receipts cut
	Lost      int // receipts sent while it could not print
}

// State describes the printer.
func (p *PrinterLine) State() PrinterState {
	p.mu.Lock()
	defer p.mu.Unlock()
	return PrinterState{Paper: p.paper, CoverOpen: p.cover, Printed: p.printed, Lost: p.lost}
}

// LastReceipt is the last receipt printed; ok is false when none was.
func (p *PrinterLine) LastReceipt() (r Printed, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.last == nil {
		return Printed{}, false
	}
	return *p.last, true
}

// OnChange calls f after every change (a receipt, paper, cover), from the
// goroutine that made it. f must not call back into the printer's
// setters.
func (p *PrinterLine) OnChange(f func()) (cancel func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.hookID++
	id := p.hookID
	p.hooks = append(p.hooks, hook{id, f})
	return func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		for i, h := range p.hooks {
			if h.id == id {
				p.hooks = append(p.hooks[:i:i], p.hooks[i+1:]...)
				return
			}
		}
	}
}

func (p *PrinterLine) changed() {
	p.mu.Lock()
	hooks := append([]hook(nil), p.hooks...)
	p.mu.Unlock()
	for _, h := range hooks {
		h.f()
	}
}

// Receipts is the text of the receipts printed, oldest first (the last
// 100).
func (p *PrinterLine) Receipts() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.texts...)
}

// Unplug pulls the printer's cable: it answers nothing until Replug.
func (p *PrinterLine) Unplug() {
	p.plugMu.Lock()
	defer p.plugMu.Unlock()
	p.w.unplug()
	p.readers.Wait()
	p.changed()
}

// Replug puts the cable back.
func (p *PrinterLine) Replug() error {
	p.plugMu.Lock()
	defer p.plugMu.Unlock()
	if p.w.end() != nil {
		return nil
	}
	m, err := p.w.plug()
	if err != nil {
		return err
	}
	p.readers.Add(1)
	go p.serve(m)
	p.changed()
	return nil
}

// Plugged reports whether the cable is in.
func (p *PrinterLine) Plugged() bool { return p.w.end() != nil }

// Close unplugs the printer for good and waits for its reader.
func (p *PrinterLine) Close() error {
	p.w.unplug()
	p.readers.Wait()
	return nil
}
