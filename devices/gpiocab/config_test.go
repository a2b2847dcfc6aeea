package gpiocab

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatalf("DefaultConfig().Validate() = %v", err)
	}
	for _, tc := range []struct {
		name string
		mod  func(*Config)
		want string // in the message; "" for a valid config
	}{
		{"Minimal", func(c *Config) { c.Feedback, c.Key, c.Refuse, c.Lamp, c.Staff = nil, nil, nil, nil, "" }, ""},
		{"NoDebounce", func(c *Config) { c.Debounce = 0 }, ""},
		{"ChipPath", func(c *Config) { c.Chip = "/dev/gpiochip4" }, ""},
		{"LineZero", func(c *Config) { c.Lock.Offset = 0 }, ""},
		{"NoChip", func(c *Config) { c.Chip = "" }, "no chip"},
		{"NegativeOffset", func(c *Config) { c.Door.Offset = -1 }, "door line offset -1"},
		{"SameLine", func(c *Config) { c.Key.Offset = c.Door.Offset }, "door and key both on line 27"},
		{"OptionalSameLine", func(c *Config) { c.Lamp.Offset = c.Refuse.Offset }, "refuse and lamp both on line 23"},
		{"PullUpOnLock", func(c *Config) { c.Lock.PullUp = true }, "lock line 17 is an output"},
		{"PullUpOnLamp", func(c *Config) { c.Lamp.PullUp = true }, "lamp line 24 is an output"},
		{"NegativeDebounce", func(c *Config) { c.Debounce = -time.Millisecond }, "debounce"},
		{"LongDebounce", func(c *Config) { c.Debounce = 2 * time.Second }, "debounce"},
		{"NoFeedbackTimeout", func(c *Config) { c.FeedbackTimeout = 0 }, "feedback timeout"},
		{"FeedbackTimeoutWithinDebounce", func(c *Config) { c.FeedbackTimeout = c.Debounce }, "feedback timeout"},
		{"NoTimeoutNeededWithoutFeedback", func(c *Config) { c.Feedback, c.FeedbackTimeout = nil, 0 }, ""},
		{"RefuseWithoutKey", func(c *Config) { c.Key = nil }, "refuse line needs a key line"},
		{"KeyWithoutStaff", func(c *Config) { c.Staff = "" }, "staff name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tc.mod(&cfg)
			err := cfg.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Validate = %v, want nil", err)
			case tc.want != "" && (!errors.Is(err, ErrBadConfig) || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("Validate = %v, want ErrBadConfig saying %q", err, tc.want)
			}
		})
	}
}
