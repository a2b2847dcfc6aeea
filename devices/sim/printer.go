package sim

import "fmt"

// PaperLevel is how much paper the simulated printer (PrinterLine) has.
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
