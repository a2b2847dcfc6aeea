package gpiocab

import (
	"errors"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
)

func TestValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatalf("DefaultConfig().Validate() = %v", err)
	}
	c1 := func(c *Config) *Compartment { return &c.Compartments[0] }
	for _, tc := range []struct {
		name string
		mod  func(*Config)
		want string // in the message; "" for a valid config
	}{
		{"Minimal", func(c *Config) {
			c1(c).Feedback, c.Key, c.Refuse, c.Lamp, c.Staff = nil, nil, nil, nil, ""
			c.Green, c.Yellow, c.Red, c.Buzzer = nil, nil, nil, nil
		}, ""},
		{"ThreeCompartments", func(c *Config) { c.Compartments = ReferenceCompartments() }, ""},
		{"TowerWithoutBuzzer", func(c *Config) { c.Buzzer, c.Yellow = nil, nil }, ""},
		{"NoDebounce", func(c *Config) { c.Debounce = 0 }, ""},
		{"ChipPath", func(c *Config) { c.Chip = "/dev/gpiochip4" }, ""},
		{"LineZero", func(c *Config) { c1(c).Lock.Offset = 0 }, ""},
		{"NoChip", func(c *Config) { c.Chip = "" }, "no chip"},
		{"NoCompartment", func(c *Config) { c.Compartments = nil }, "no compartment"},
		{"TooManyCompartments", func(c *Config) {
			c.Compartments = make([]Compartment, kiosk.MaxCompartment+1)
		}, "at most 99"},
		{"NegativeOffset", func(c *Config) { c1(c).Door.Offset = -1 }, "compartment 1 door line offset -1"},
		{"SameLine", func(c *Config) { c.Key.Offset = c1(c).Door.Offset }, "compartment 1 door and key both on line 27"},
		{"CompartmentsShareALine", func(c *Config) {
			c.Compartments = ReferenceCompartments()
			c.Compartments[2].Door.Offset = c.Compartments[1].Lock.Offset
		}, "compartment 2 lock and compartment 3 door both on line 12"},
		{"TowerOnALockLine", func(c *Config) { c.Red.Offset = c1(c).Lock.Offset }, "compartment 1 lock and red both on line 17"},
		{"OptionalSameLine", func(c *Config) { c.Lamp.Offset = c.Refuse.Offset }, "refuse and lamp both on line 23"},
		{"PullUpOnLock", func(c *Config) { c1(c).Lock.PullUp = true }, "compartment 1 lock line 17 is an output"},
		{"PullUpOnLamp", func(c *Config) { c.Lamp.PullUp = true }, "lamp line 24 is an output"},
		{"PullUpOnBuzzer", func(c *Config) { c.Buzzer.PullUp = true }, "buzzer line 19 is an output"},
		{"NegativeDebounce", func(c *Config) { c.Debounce = -time.Millisecond }, "debounce"},
		{"LongDebounce", func(c *Config) { c.Debounce = 2 * time.Second }, "debounce"},
		{"NoFeedbackTimeout", func(c *Config) { c.FeedbackTimeout = 0 }, "feedback timeout"},
		{"FeedbackTimeoutWithinDebounce", func(c *Config) { c.FeedbackTimeout = c.Debounce }, "feedback timeout"},
		{"NoTimeoutNeededWithoutFeedback", func(c *Config) { c1(c).Feedback, c.FeedbackTimeout = nil, 0 }, ""},
		{"TimeoutNeededForAnyFeedback", func(c *Config) {
			c.Compartments = ReferenceCompartments()
			c.Compartments[0].Feedback, c.Compartments[1].Feedback, c.FeedbackTimeout = nil, nil, 0
		}, "feedback timeout"},
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
