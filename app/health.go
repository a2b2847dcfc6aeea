package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"selvkasse/app/ui"
	"selvkasse/kiosk"
	"selvkasse/storage"
)

// Health is the JSON /healthz answers.
type Health struct {
	Status    string `json:"status"` // "ok" or "out-of-order"
	State     string `json:"state"`
	StateCode int    `json:"state_code"`
	Screen    string `json:"screen,omitempty"` // the state the kiosk screen last rendered
	Sale      string `json:"sale,omitempty"`
	Items     int    `json:"items"`
	TotalOre  int64  `json:"total_ore"`
	Total     string `json:"total"`
	Notice    string `json:"notice,omitempty"`
	ReceiptNo uint64 `json:"receipt_no,omitempty"`
	DoorOpen  bool   `json:"door_open"`
	Fault     string `json:"fault,omitempty"`
	PaperLow  bool   `json:"paper_low,omitempty"`
	UptimeSec int64  `json:"uptime_s"`
	// Light is the intervention light: off, green, yellow or red, with
	// "-blink" while a call waits and "-alarm" for a forced door.
	Light string `json:"light"`
	// Calls is the assistance queue, oldest first.
	Calls []HealthCall `json:"calls"`
	// Staff is the staff log-in at the kiosk ("pin" or "signed-in"),
	// empty when nobody logs in; StaffID names who.
	Staff   string `json:"staff,omitempty"`
	StaffID string `json:"staff_id,omitempty"`
	// ScreenStaff is the staff log-in the kiosk screen last rendered
	// ("pin", "signed-in"), for scripts that type on the real window.
	ScreenStaff string `json:"screen_staff,omitempty"`
	// Drawn is the basket revision (kiosk.View.Rev) the kiosk screen
	// last drew and when it first drew it; absent before the basket
	// first changed. The checkout's own revision is Rev.
	Drawn *HealthDrawn `json:"drawn,omitempty"`
	Rev   uint64       `json:"rev"`
	// RSSBytes is the process's resident memory (Linux; absent elsewhere).
	RSSBytes int64     `json:"rss_bytes,omitempty"`
	Sim      *SimState `json:"sim,omitempty"` // the demo's simulated devices
	// Training: the kiosk is in training mode (kassasystemforskrifta
	// § 2-8-7): no sale is real until it is off.
	Training bool `json:"training"`
	// Speech: whether speech is on and what it said (app/speech.go).
	Speech *SpeechHealth `json:"speech,omitempty"`
	// Focus is what the keypad focus is on (the focused button's label)
	// while its ring shows on the kiosk screen (app/keypad.go).
	Focus string `json:"focus,omitempty"`
}

// HealthDrawn is a basket revision as the screen drew it: the screen's
// Render of the view holding it returned at At (the widgets are updated;
// the window paints them in its next frame).
type HealthDrawn struct {
	Rev uint64    `json:"rev"`
	At  time.Time `json:"at"`
}

// HealthCall is one call for staff in /healthz.
type HealthCall struct {
	Kind  string    `json:"kind"` // help, age check, sale needs staff, door forced, door left open, out of order
	Kiosk string    `json:"kiosk"`
	Since time.Time `json:"since"`
	Sale  string    `json:"sale,omitempty"`
	Arg   string    `json:"arg,omitempty"`
}

// staffPhaseText names a staff log-in's phase in /healthz.
var staffPhaseText = map[kiosk.StaffPhase]string{kiosk.StaffPIN: "pin", kiosk.StaffSignedIn: "signed-in"}

// lightText is a signal as /healthz shows it: "yellow-blink".
func lightText(s kiosk.Signal) string {
	t := s.Light.String()
	if s.Blink {
		t += "-blink"
	}
	if s.Alarm {
		t += "-alarm"
	}
	return t
}

func healthOf(v kiosk.View, since time.Time) Health {
	h := Health{
		Status: "ok", State: v.State.String(), StateCode: int(v.State), Sale: v.SaleID,
		Items: v.Count, TotalOre: int64(v.Total), Total: v.Total.String(),
		ReceiptNo: v.ReceiptNo, DoorOpen: v.DoorOpen, Fault: v.Fault, PaperLow: v.PaperLow,
		UptimeSec: int64(time.Since(since) / time.Second),
		Light:     lightText(v.Light), Calls: []HealthCall{}, Rev: v.Rev, Training: v.Training,
	}
	for _, c := range v.Calls {
		h.Calls = append(h.Calls, HealthCall{Kind: c.Kind.String(), Kiosk: c.Kiosk, Since: c.Since, Sale: c.Sale, Arg: c.Arg})
	}
	if v.Staff != nil {
		h.Staff, h.StaffID = staffPhaseText[v.Staff.Phase], v.Staff.ID
	}
	if v.Notice != kiosk.NoticeNone {
		h.Notice = v.Notice.String()
	}
	if v.State == kiosk.OutOfOrder {
		h.Status = "out-of-order"
	}
	return h
}

// SimDevices are the demo's simulated devices as the sim endpoint drives
// them.
type SimDevices interface {
	Scan(code string) error
	Card(action string) error
	Staff(approve bool) error
	StaffKey() error          // staff turns the key switch
	Door(action string) error // open, close or force
	Printer(cmd ui.PrinterCmd) error
	ScannerCable(plugged bool) error
	Terminal(fault string) error
	State() SimState
}

// server is the loopback HTTP endpoint: /healthz always, /sim/… in the
// demo only.
type server struct {
	co          *kiosk.Checkout
	sim         SimDevices // nil: no /sim endpoints
	start       time.Time
	screen      atomic.Uint32 // kiosk.State last rendered; 0 before the first
	screenStaff atomic.Uint32 // kiosk.StaffPhase last rendered; 0: the customer's screen
	drawn       atomic.Pointer[HealthDrawn]
	metrics     *metrics // nil: no /metrics
	// refused: the store was refused at open (refusedStore); there is
	// no checkout, and /healthz says out of order with this error.
	refused error
	// db and dataDir: the kiosk's store, for /journal/verify; nil: none.
	db      *storage.DB
	dataDir string
	speech  *narrator // nil: no speech (tests)
	kioskID string    // for the admin endpoint's journal entries (admin.go)

	// The customer window's keys (keypad.go), nil: none; and what its
	// keypad focus is on.
	keys  *keyInjector
	focus atomic.Pointer[string]
}

// rendered notes that the kiosk screen rendered v at at (its OnRender
// hook, on the Fyne goroutine): a basket revision drawn for the first
// time is kept for /healthz and its delay since the checkout published
// it goes into /metrics.
func (s *server) rendered(v kiosk.View, at time.Time) {
	s.screen.Store(uint32(v.State))
	var phase kiosk.StaffPhase
	if v.Staff != nil {
		phase = v.Staff.Phase
	}
	s.screenStaff.Store(uint32(phase))
	if v.Rev == 0 {
		return
	}
	if d := s.drawn.Load(); d != nil && d.Rev >= v.Rev {
		return // drawn before; views never go back
	}
	s.drawn.Store(&HealthDrawn{Rev: v.Rev, At: at})
	if s.metrics != nil && !at.Before(v.RevAt) {
		s.metrics.drawn.Observe(at.Sub(v.RevAt).Seconds())
	}
}

func (s *server) health() Health {
	if s.refused != nil {
		h := refusedHealth(s.refused, s.start)
		if n, ok := residentBytes(); ok {
			h.RSSBytes = n
		}
		return h
	}
	h := healthOf(s.co.View(), s.start)
	if st := kiosk.State(s.screen.Load()); st != 0 {
		h.Screen = st.String()
	}
	h.ScreenStaff = staffPhaseText[kiosk.StaffPhase(s.screenStaff.Load())]
	h.Drawn = s.drawn.Load()
	if n, ok := residentBytes(); ok {
		h.RSSBytes = n
	}
	if s.sim != nil {
		st := s.sim.State()
		h.Sim = &st
	}
	if s.speech != nil {
		h.Speech = s.speech.health()
	}
	if f := s.focus.Load(); f != nil {
		h.Focus = *f
	}
	return h
}

func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.health())
	})
	if s.metrics != nil {
		mux.Handle("GET /metrics", s.metrics.handler())
	}
	if s.db != nil {
		// `journal verify` while the kiosk holds the store: it only
		// reads, on loopback.
		mux.HandleFunc("GET /journal/verify", func(w http.ResponseWriter, r *http.Request) {
			var out strings.Builder
			res := verifyResult{OK: true, DataDir: s.dataDir}
			if err := verifyStore(r.Context(), s.db, s.dataDir, &out); err != nil {
				res.OK, res.Error = false, err.Error()
			}
			res.Text = out.String()
			writeJSON(w, http.StatusOK, res)
		})
	}
	if s.sim != nil {
		mux.HandleFunc("POST /sim/{action}", s.simAction)
	}
	if s.db != nil && s.co != nil {
		mux.HandleFunc("POST /admin/{name}", s.admin) // authenticated (admin.go)
	}
	return mux
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *server) simAction(w http.ResponseWriter, r *http.Request) {
	arg := r.URL.Query().Get("arg")
	err := s.do(r.PathValue("action"), arg)
	if err != nil {
		code := http.StatusConflict
		if errors.As(err, new(usageError)) {
			code = http.StatusBadRequest
		}
		writeJSON(w, code, map[string]string{"error": err.Error(), "state": s.co.View().State.String()})
		return
	}
	writeJSON(w, http.StatusOK, s.health())
}

// do performs one simulator command.
func (s *server) do(action, arg string) error {
	choose := func(yes, no string) (bool, error) {
		switch arg {
		case yes:
			return true, nil
		case no:
			return false, nil
		}
		return false, usageError(fmt.Sprintf("%s takes %s or %s", action, yes, no))
	}
	switch action {
	case "scan":
		if arg == "" {
			return usageError("scan takes a code")
		}
		return s.sim.Scan(arg)
	case "printer":
		return s.sim.Printer(ui.PrinterCmd(arg))
	case "scanner":
		plugged, err := choose("replug", "unplug")
		if err != nil {
			return err
		}
		return s.sim.ScannerCable(plugged)
	case "pick":
		g, err := kiosk.ParseGTIN(arg)
		if err != nil {
			return usageError(err.Error())
		}
		return s.co.Add(g)
	case "card":
		return s.sim.Card(arg)
	case "terminal":
		return s.sim.Terminal(arg)
	case "staff":
		if arg == "key" {
			return s.sim.StaffKey()
		}
		if arg != "approve" && arg != "refuse" {
			return usageError("staff takes approve, refuse or key")
		}
		return s.sim.Staff(arg == "approve")
	case "door":
		return s.sim.Door(arg)
	case "tap":
		taps := map[string]func() error{
			"pay": s.co.Pay, "cancel": s.co.Cancel, "help": s.co.Help, "withdraw": s.co.WithdrawHelp,
			"retry": s.co.Retry, "done": s.co.FinishReceipt, "touch": func() error { s.co.Touch(); return nil },
			"logout":     func() error { s.co.StaffLogout(); return nil },
			"pin-cancel": func() error { s.co.StaffCancelLogin(); return nil },
		}
		f, ok := taps[arg]
		if !ok {
			f, ok = priceCheckTaps(s.co)[arg] // app/shopper.go
		}
		if !ok {
			return usageError("tap takes pay, cancel, help, withdraw, retry, done, touch, logout, pin-cancel, pricecheck or pricecheck-end")
		}
		return f()
	case "pin":
		// The PIN pad after a badge (`sim scan STAFF-kari`).
		return s.co.StaffPIN(arg)
	case "choose":
		// Who logs in, after the key switch (`sim staff key`).
		return s.co.StaffChoose(arg)
	case "speech":
		// The headset and the accessibility keys (app/speech.go).
		if s.speech == nil {
			return usageError("speech: not in this kiosk")
		}
		return s.speech.do(arg)
	case "key":
		// A key of the keypad, typed into the customer window (keypad.go).
		if s.keys == nil {
			return usageError("key: no customer window in this kiosk")
		}
		_, err := s.keys.press(arg)
		return err
	case "override":
		o, err := parseOverride(arg)
		if err != nil {
			return err
		}
		return s.co.Override(o)
	default:
		return usageError(fmt.Sprintf("unknown simulator command %q", action))
	}
}

// listenLoopback listens on addr, which must be a loopback address: the
// health and simulator endpoint is never exposed to the network.
func listenLoopback(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("health address %q: %w", addr, err)
	}
	if host != "localhost" {
		ip, err := netip.ParseAddr(host)
		if err != nil || !ip.IsLoopback() {
			return nil, fmt.Errorf("health address %q is not a loopback address", addr)
		}
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("health endpoint: %w", err)
	}
	return l, nil
}

// parseOverride reads an override as the sim command names it: the
// override's name with dashes ("cancel-sale", "approve-age"), then
// optionally ":" and its compartment, line or receipt number
// ("open-compartment:2", "void-line:7039990000113", "copy-receipt:17";
// a copy without a number is of the last receipt). The reason is the
// override's usual one.
func parseOverride(arg string) (kiosk.Override, error) {
	name, param, _ := strings.Cut(arg, ":")
	var names []string
	for _, k := range kiosk.OverrideKinds {
		n := strings.ReplaceAll(k.String(), " ", "-")
		names = append(names, n)
		if !strings.EqualFold(n, name) {
			continue
		}
		o := kiosk.Override{Kind: k}
		switch {
		case k == kiosk.OvOpenCompartment && param != "":
			c, err := strconv.Atoi(param)
			if err != nil || c < 1 {
				return o, usageError(fmt.Sprintf("override %s: %q is no compartment number", n, param))
			}
			o.Compartment = c
		case k == kiosk.OvVoidLine && param != "":
			g, err := kiosk.ParseGTIN(param)
			if err != nil {
				return o, usageError(fmt.Sprintf("override %s: %v", n, err))
			}
			o.Line = g
		case k == kiosk.OvCopyReceipt && param != "":
			no, err := strconv.ParseUint(param, 10, 64)
			if err != nil || no < 1 {
				return o, usageError(fmt.Sprintf("override %s: %q is no receipt number", n, param))
			}
			o.Receipt = no
		case param != "":
			return o, usageError(fmt.Sprintf("override %s takes nothing after it", n))
		}
		return o, nil
	}
	return kiosk.Override{}, usageError("override takes one of " + strings.Join(names, ", "))
}
