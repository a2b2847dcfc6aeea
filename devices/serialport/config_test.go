package serialport_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"selvkasse/devices/serialport"
)

func TestConfigValidate(t *testing.T) {
	const dev = "/dev/selvkasse-scanner"
	tests := []struct {
		name string
		cfg  serialport.Config
		want string // part of the error; "" means valid
	}{
		{"defaults", serialport.Config{Path: dev}, ""},
		{"zvt 8N2", serialport.Config{Path: "/dev/selvkasse-terminal", Baud: 9600, DataBits: 8, StopBits: serialport.TwoStopBits}, ""},
		{"7E1 115200", serialport.Config{Path: dev, Baud: 115200, DataBits: 7, Parity: serialport.EvenParity}, ""},
		{"odd parity, 5 bits", serialport.Config{Path: dev, DataBits: 5, Parity: serialport.OddParity}, ""},
		{"read timeout", serialport.Config{Path: dev, ReadTimeout: 50 * time.Millisecond}, ""},
		{"no path", serialport.Config{}, "no device path"},
		{"blank path", serialport.Config{Path: "  "}, "no device path"},
		{"NUL in path", serialport.Config{Path: "/dev/x\x00y"}, "NUL"},
		{"baud typo", serialport.Config{Path: dev, Baud: 96000}, "baud rate 96000"},
		{"negative baud", serialport.Config{Path: dev, Baud: -9600}, "baud rate -9600"},
		{"4 data bits", serialport.Config{Path: dev, DataBits: 4}, "4 data bits"},
		{"9 data bits", serialport.Config{Path: dev, DataBits: 9}, "9 data bits"},
		{"negative data bits", serialport.Config{Path: dev, DataBits: -8}, "-8 data bits"},
		{"unknown parity", serialport.Config{Path: dev, Parity: 3}, "unknown parity 3"},
		{"negative parity", serialport.Config{Path: dev, Parity: -1}, "unknown parity -1"},
		{"3 stop bits", serialport.Config{Path: dev, StopBits: 3}, "3 stop bits"},
		{"negative stop bits", serialport.Config{Path: dev, StopBits: -1}, "-1 stop bits"},
		{"negative timeout", serialport.Config{Path: dev, ReadTimeout: -time.Second}, "negative read timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want an error containing %q", tt.want)
			}
			if !errors.Is(err, serialport.ErrConfig) {
				t.Errorf("Validate() = %v, does not wrap ErrConfig", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %q, want it to contain %q", err, tt.want)
			}
			// Open refuses the same config before touching any device.
			if _, oerr := serialport.Open(tt.cfg); !errors.Is(oerr, serialport.ErrConfig) {
				t.Errorf("Open() error = %v, want ErrConfig", oerr)
			}
		})
	}
}

func TestConfigString(t *testing.T) {
	tests := []struct {
		cfg  serialport.Config
		want string
	}{
		{serialport.Config{Path: "/dev/selvkasse-scanner"}, "/dev/selvkasse-scanner 9600 8N1"},
		{serialport.Config{Path: "/dev/selvkasse-terminal", StopBits: serialport.TwoStopBits}, "/dev/selvkasse-terminal 9600 8N2"},
		{serialport.Config{Path: "/dev/x", Baud: 19200, DataBits: 7, Parity: serialport.OddParity}, "/dev/x 19200 7O1"},
		{serialport.Config{Path: "/dev/x", Parity: serialport.EvenParity}, "/dev/x 9600 8E1"},
	}
	for _, tt := range tests {
		if got := tt.cfg.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.cfg, got, tt.want)
		}
	}
}

func TestEnumStrings(t *testing.T) {
	tests := []struct {
		v    interface{ String() string }
		want string
	}{
		{serialport.NoParity, "N"},
		{serialport.OddParity, "O"},
		{serialport.EvenParity, "E"},
		{serialport.Parity(7), "Parity(7)"},
		{serialport.StopBits(0), "1"},
		{serialport.OneStopBit, "1"},
		{serialport.TwoStopBits, "2"},
		{serialport.EventUnplugged, "unplugged"},
		{serialport.EventReopenFailed, "reopen failed"},
		{serialport.EventReopened, "reopened"},
		{serialport.EventKind(0), "EventKind(0)"},
		{serialport.Event{Kind: serialport.EventReopened, Path: "/dev/selvkasse-scanner", Attempt: 2}, "/dev/selvkasse-scanner: reopened (attempt 2)"},
		{serialport.Event{Kind: serialport.EventUnplugged, Path: "/dev/p", Err: errors.New("read: EIO")}, "/dev/p: unplugged: read: EIO"},
	}
	for _, tt := range tests {
		if got := tt.v.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.v, got, tt.want)
		}
	}
	// The enums' numbers are fixed.
	if serialport.EventUnplugged != 1 || serialport.EventReopenFailed != 2 || serialport.EventReopened != 3 ||
		serialport.NoParity != 0 || serialport.OddParity != 1 || serialport.EvenParity != 2 {
		t.Error("enum numbers changed")
	}
}
