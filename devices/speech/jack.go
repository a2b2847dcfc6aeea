package speech

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"

	"selvkasse/kiosk"
)

// Linux input event codes (include/uapi/linux/input-event-codes.h).
const (
	evSW                 = 0x05 // EV_SW: a switch
	swHeadphoneInsert    = 0x02 // SW_HEADPHONE_INSERT
	swLineoutInsert      = 0x06 // SW_LINEOUT_INSERT
	swJackPhysicalInsert = 0x07 // SW_JACK_PHYSICAL_INSERT
)

// EventSize is a struct input_event on this platform: a struct timeval
// (two longs), type and code (u16 each) and value (s32): 24 bytes on a
// 64-bit kernel, 16 on a 32-bit one.
var EventSize = 2*strconv.IntSize/8 + 8

// JackEvent is what one input event says about the headset: Known when
// it is a headset switch event, then Plugged.
type JackEvent struct {
	Known   bool
	Plugged bool
}

// ParseJackEvent decodes one input_event of size EventSize (little
// endian, as the kernel writes it on x86 and arm). Errors: a buffer of
// another size.
func ParseJackEvent(b []byte) (JackEvent, error) {
	if len(b) != EventSize {
		return JackEvent{}, fmt.Errorf("speech: input event of %d bytes, want %d", len(b), EventSize)
	}
	ts := EventSize - 8
	typ := binary.LittleEndian.Uint16(b[ts:])
	code := binary.LittleEndian.Uint16(b[ts+2:])
	val := int32(binary.LittleEndian.Uint32(b[ts+4:]))
	if typ != evSW {
		return JackEvent{}, nil
	}
	switch code {
	case swHeadphoneInsert, swLineoutInsert, swJackPhysicalInsert:
		return JackEvent{Known: true, Plugged: val != 0}, nil
	}
	return JackEvent{}, nil
}

// InputJack is the kiosk.Jack of a Linux input device's headset switch.
// Make one with NewInputJack (or OpenJack, on Linux).
type InputJack struct {
	r       io.Reader
	once    sync.Once
	states  chan bool  // each change, from the reading goroutine
	failed  chan error // the read error that ended the goroutine
	first   bool       // the state at start, reported first
	started bool
	last    bool
	mu      sync.Mutex
}

var _ kiosk.Jack = (*InputJack)(nil)

// NewInputJack reads input events from r; plugged is the state at start
// (the kernel's EVIOCGSW, or false when it cannot tell).
func NewInputJack(r io.Reader, plugged bool) *InputJack {
	return &InputJack{r: r, first: plugged, states: make(chan bool, 16), failed: make(chan error, 1)}
}

func (j *InputJack) read() {
	buf := make([]byte, EventSize)
	for {
		if _, err := io.ReadFull(j.r, buf); err != nil {
			j.failed <- err
			return
		}
		if ev, _ := ParseJackEvent(buf); ev.Known {
			j.states <- ev.Plugged
		}
	}
}

// ReadJack implements kiosk.Jack. Errors: ctx.Err(); kiosk.ErrDeviceUnavailable
// (wrapped) when the device can no longer be read (unplugged, closed).
func (j *InputJack) ReadJack(ctx context.Context) (bool, error) {
	j.once.Do(func() { go j.read() })
	j.mu.Lock()
	defer j.mu.Unlock()
	if !j.started {
		j.started, j.last = true, j.first
		return j.first, nil
	}
	for {
		select {
		case p := <-j.states:
			if p != j.last {
				j.last = p
				return p, nil
			}
		case err := <-j.failed:
			j.failed <- err // every later call fails too
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				err = fmt.Errorf("end of events: %w", err)
			}
			return j.last, fmt.Errorf("speech: jack: %w: %w", kiosk.ErrDeviceUnavailable, err)
		case <-ctx.Done():
			return j.last, ctx.Err()
		}
	}
}
