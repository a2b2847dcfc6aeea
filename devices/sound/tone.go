package sound

import (
	"encoding/binary"
	"fmt"
	"math"
	"time"

	"selvkasse/kiosk"
)

// SampleRate of the tones: 16 kHz mono, 16-bit signed PCM.
const SampleRate = 16000

// note is a sine from From to To Hz (a chirp when they differ) for Dur;
// From 0 is silence.
type note struct {
	From, To float64
	Dur      time.Duration
}

// tones: distinct in pitch, rhythm and direction, so that they are told
// apart without the screen too. Accepted: one short high note. Refused:
// two falling low notes. Attention: two rising chirps.
var tones = map[kiosk.Tone][]note{
	kiosk.ToneAccepted:  {{1320, 1320, 120 * time.Millisecond}},
	kiosk.ToneRefused:   {{440, 440, 150 * time.Millisecond}, {0, 0, 40 * time.Millisecond}, {330, 330, 220 * time.Millisecond}},
	kiosk.ToneAttention: {{660, 1320, 250 * time.Millisecond}, {0, 0, 60 * time.Millisecond}, {660, 1320, 250 * time.Millisecond}},
}

// fade is the raised-cosine ramp at each end of a note.
const fade = 5 * time.Millisecond

// PCM is tone t at volume (0..100 percent of 80 % full scale) as
// samples at SampleRate. Errors: an unknown tone; ErrBadVolume.
func PCM(t kiosk.Tone, volume int) ([]int16, error) {
	ns, ok := tones[t]
	if !ok {
		return nil, fmt.Errorf("sound: unknown tone %v", t)
	}
	if volume < 0 || volume > 100 {
		return nil, fmt.Errorf("sound: volume %d: %w", volume, kiosk.ErrBadVolume)
	}
	amp := 0.8 * math.MaxInt16 * float64(volume) / 100
	var out []int16
	for _, n := range ns {
		count := int(n.Dur.Seconds() * SampleRate)
		ramp := int(fade.Seconds() * SampleRate)
		phase := 0.0
		for i := range count {
			if n.From == 0 {
				out = append(out, 0)
				continue
			}
			f := n.From + (n.To-n.From)*float64(i)/float64(count)
			phase += 2 * math.Pi * f / SampleRate
			g := 1.0
			if k := min(i, count-1-i); k < ramp {
				g = 0.5 - 0.5*math.Cos(math.Pi*float64(k)/float64(ramp))
			}
			out = append(out, int16(math.Round(amp*g*math.Sin(phase))))
		}
	}
	return out, nil
}

// WAV is tone t at volume as a RIFF/WAVE file (PCM, mono, 16-bit,
// SampleRate). Errors as PCM.
func WAV(t kiosk.Tone, volume int) ([]byte, error) {
	pcm, err := PCM(t, volume)
	if err != nil {
		return nil, err
	}
	return wavFile(pcm), nil
}

// wavFile wraps pcm in the canonical 44-byte RIFF/WAVE header.
func wavFile(pcm []int16) []byte {
	data := uint32(2 * len(pcm))
	b := make([]byte, 0, 44+data)
	le := binary.LittleEndian
	b = append(b, "RIFF"...)
	b = le.AppendUint32(b, 36+data)
	b = append(b, "WAVEfmt "...)
	b = le.AppendUint32(b, 16)           // fmt chunk size
	b = le.AppendUint16(b, 1)            // PCM
	b = le.AppendUint16(b, 1)            // mono
	b = le.AppendUint32(b, SampleRate)   // sample rate
	b = le.AppendUint32(b, SampleRate*2) // byte rate
	b = le.AppendUint16(b, 2)            // block align
	b = le.AppendUint16(b, 16)           // bits per sample
	b = append(b, "data"...)
	b = le.AppendUint32(b, data)
	for _, s := range pcm {
		b = le.AppendUint16(b, uint16(s))
	}
	return b
}
