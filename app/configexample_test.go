package app

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"selvkasse/devices/escpos"
	"selvkasse/devices/sound"
	"selvkasse/devices/speech"
	"selvkasse/devices/zvt"
	"selvkasse/kiosk"
)

// exampleConfig is the example configuration that ships with the source.
const exampleConfig = "config.example.json"

// exampleNoDefault are the keys with no default: the kiosk refuses a
// config without them (LoadConfig), or cannot open the device. The
// example holds a value to replace.
var exampleNoDefault = []string{
	"kiosk_id", "shop.name", "shop.org_no", "shop.address", "data_dir",
	"devices.scanner.path", "devices.printer.path", "devices.terminal.path",
}

// exampleLeftOut are keys of the Config struct the example leaves out,
// and why.
var exampleLeftOut = map[string]string{
	"devices.scanner.addr": "SerialConfig's addr is read for the terminal only",
	"devices.printer.addr": "SerialConfig's addr is read for the terminal only",
	// The default is no in-store codes, an empty list; README's devices
	// section shows a layout (TestConfigDevices reads it).
	"devices.scanner.in_store[].prefix": "empty by default", "devices.scanner.in_store[].item_digits": "empty by default",
	"devices.scanner.in_store[].value_check": "empty by default", "devices.scanner.in_store[].value_digits": "empty by default",
	"devices.scanner.in_store[].value": "empty by default",
}

// configKeys lists the JSON keys of t, depth first, as dotted paths; the
// fields of an untagged embedded struct are its parent's, and a slice of
// structs adds "[]" and its element's keys.
func configKeys(t reflect.Type, prefix string) []string {
	var keys []string
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		ft := f.Type
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			keys = append(keys, configKeys(ft, prefix)...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		path := prefix + name
		keys = append(keys, path)
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case ft.Kind() == reflect.Struct:
			keys = append(keys, configKeys(ft, path+".")...)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			keys = append(keys, configKeys(ft.Elem(), path+"[].")...)
		}
	}
	return keys
}

// jsonHas reports whether the decoded JSON v has the key path: "[]" looks
// in every element of a list, which must have one.
func jsonHas(v any, path string) bool {
	if path == "" {
		return true
	}
	name, rest, _ := strings.Cut(path, ".")
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	if list, ok := strings.CutSuffix(name, "[]"); ok {
		els, _ := m[list].([]any)
		if len(els) == 0 {
			return false
		}
		for _, e := range els {
			if !jsonHas(e, rest) {
				return false
			}
		}
		return true
	}
	e, ok := m[name]
	return ok && jsonHas(e, rest)
}

// TestConfigExampleHasEveryKey: app/config.example.json names every key of
// Config (found by reflection over the json tags, so a new key fails
// here until the example has it) and nothing else.
func TestConfigExampleHasEveryKey(t *testing.T) {
	b, err := os.ReadFile(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	keys := configKeys(reflect.TypeFor[Config](), "")
	if len(keys) < 40 {
		t.Fatalf("only %d keys found in Config: %v", len(keys), keys)
	}
	for _, k := range keys {
		if _, ok := exampleLeftOut[k]; ok {
			continue
		}
		if !jsonHas(doc, k) {
			t.Errorf("%s lacks %s", exampleConfig, k)
		}
	}
	for k := range exampleLeftOut {
		if !slices.Contains(keys, k) {
			t.Errorf("exampleLeftOut names %s, which Config does not have", k)
		}
	}
	// Nothing the kiosk would not read.
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var c Config
	if err := dec.Decode(&c); err != nil {
		t.Errorf("%s: %v", exampleConfig, err)
	}
}

// TestConfigExampleIsTheDefaults: every key of the example that has a
// default holds it: the example as loaded gives the kiosk the same
// settings as a config with only the keys that have none.
func TestConfigExampleIsTheDefaults(t *testing.T) {
	ex, err := LoadConfig(exampleConfig)
	if err != nil {
		t.Fatalf("the example does not load: %v", err)
	}
	var doc map[string]any
	b, _ := os.ReadFile(exampleConfig)
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	// The keys without a default, copied from the example, and nothing
	// else.
	minimal := map[string]any{}
	for _, k := range exampleNoDefault {
		src, dst := any(doc), minimal
		parts := strings.Split(k, ".")
		for _, p := range parts[:len(parts)-1] {
			src = src.(map[string]any)[p]
			if dst[p] == nil {
				dst[p] = map[string]any{}
			}
			dst = dst[p].(map[string]any)
		}
		dst[parts[len(parts)-1]] = src.(map[string]any)[parts[len(parts)-1]]
	}
	mb, _ := json.Marshal(minimal)
	def, err := LoadConfig(mustConfigFile(t, string(mb)))
	if err != nil {
		t.Fatalf("a config with only the keys without default: %v", err)
	}

	same := func(what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the example gives %+v, the default is %+v", what, got, want)
		}
	}
	same("health", ex.Health, def.Health)
	same("health", ex.Health, DefaultHealthAddr)
	same("lang (run: empty is nb)", ex.Lang, "nb")
	same("lang left out", def.Lang, "")
	// kiosk.Config's defaults (kiosk/service.go): an unset timer is 60 s
	// and 30 s; the config's zero passes them on.
	var exk, defk kiosk.Config
	ex.checkout(&exk)
	def.checkout(&defk)
	same("idle_warn", exk.IdleWarn, 60*time.Second)
	same("idle_timeout", exk.IdleTimeout, 30*time.Second)
	same("idle_warn left out", defk.IdleWarn, time.Duration(0))
	same("idle_timeout left out", defk.IdleTimeout, time.Duration(0))
	same("catalog map", len(ex.Catalog.Map), len(def.Catalog.Map))
	same("catalog encoding (detected)", ex.Catalog.Encoding, def.Catalog.Encoding)
	same("catalog format (by the content)", ex.Catalog.Format, def.Catalog.Format)
	same("keypad keys (the default table, speechkeys.go)", len(ex.Keypad.Keys), len(def.Keypad.Keys))
	// The panel: the example's width is ui.DefaultPanel's, rounded to
	// a tenth of a millimetre.
	exp, defp := ex.Screen.Panel(true), def.Screen.Panel(true)
	same("screen panel width (0.1 mm)", math.Round(exp.WidthMM*10), math.Round(defp.WidthMM*10))
	exp.WidthMM = defp.WidthMM
	same("screen panel", exp, defp)
	same("screen large text", ex.Screen.LargeText, def.Screen.LargeText)
	same("stock outlook", exk.Outlook, kiosk.DefaultOutlook)
	same("stock outlook left out", defk.Outlook, kiosk.DefaultOutlook)

	for _, d := range []struct {
		name     string
		ex, def  SerialConfig
		baud     int
		defaults func(*SerialConfig)
	}{
		{"scanner", ex.Devices.Scanner.SerialConfig, def.Devices.Scanner.SerialConfig, DefaultScannerBaud, nil},
		{"printer", ex.Devices.Printer.SerialConfig, def.Devices.Printer.SerialConfig, DefaultPrinterBaud, nil},
		// openTerminal: a terminal's line is 8N2 unless the mode is given.
		{"terminal", ex.Devices.Terminal, def.Devices.Terminal, zvt.LineBaud, func(c *SerialConfig) { c.Mode = "8N2" }},
	} {
		if d.defaults != nil {
			d.defaults(&d.def)
		}
		exs, err1 := d.ex.serial(d.baud)
		defs, err2 := d.def.serial(d.baud)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v, %v", d.name, err1, err2)
		}
		same(d.name+" line", exs.String(), defs.String())
	}
	same("terminal addr", ex.Devices.Terminal.Addr, "")
	exsc, exgap, err1 := ex.Devices.Scanner.driver()
	defsc, defgap, err2 := def.Devices.Scanner.driver()
	if err1 != nil || err2 != nil {
		t.Fatalf("scanner driver: %v, %v", err1, err2)
	}
	same("scanner staff_prefix", exsc.StaffPrefix, defsc.StaffPrefix)
	same("scanner in_store", len(exsc.InStore), len(defsc.InStore))
	same("scanner gap", exgap, defgap)
	// escpos: 0 columns is 42.
	same("printer columns", ex.Devices.Printer.Columns, escpos.Columns42)
	same("printer columns left out", def.Devices.Printer.Columns, 0)
	exg, err1 := ex.Devices.Cabinet.gpiocab()
	defg, err2 := def.Devices.Cabinet.gpiocab()
	if err1 != nil || err2 != nil {
		t.Fatalf("cabinet: %v, %v", err1, err2)
	}
	same("cabinet wiring", exg, defg)
	// Speech and sound: left out, the drivers' defaults apply.
	same("speech off", ex.Speech.Off, def.Speech.Off)
	same("speech program", ex.Speech.Program, speech.DefaultProgram)
	same("speech program left out", def.Speech.Program, "")
	same("speech rate", ex.Speech.Rate, speech.DefaultRate)
	same("speech rate left out", def.Speech.Rate, 0)
	same("speech volume", volumeOr(ex.Speech.Volume, -1), volumeOr(def.Speech.Volume, DefaultSpeechVolume))
	same("speech jack", ex.Speech.Jack, def.Speech.Jack)
	same("sound volume", volumeOr(ex.Sound.Volume, -1), volumeOr(def.Sound.Volume, DefaultSoundVolume))
	same("sound command", ex.Sound.Command, sound.DefaultCommand)
	same("sound command left out", len(def.Sound.Command), 0)
}

// TestConfigCheckoutTimers: idle_warn and idle_timeout reach the
// checkout's configuration (run read them and passed them nowhere).
func TestConfigCheckoutTimers(t *testing.T) {
	c, err := LoadConfig(mustConfigFile(t, `{"kiosk_id": "K1", "data_dir": "/d", "shop": {"name": "S", "org_no": "1"},
		"idle_warn": "90s", "idle_timeout": "45s"}`))
	if err != nil {
		t.Fatal(err)
	}
	var k kiosk.Config
	c.checkout(&k)
	if k.IdleWarn != 90*time.Second || k.IdleTimeout != 45*time.Second {
		t.Errorf("checkout timers %v, %v; want 1m30s, 45s", k.IdleWarn, k.IdleTimeout)
	}
}
