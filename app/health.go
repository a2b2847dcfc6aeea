package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"sync/atomic"
	"time"

	"selvkasse/app/ui"
	"selvkasse/kiosk"
)

// Health is the JSON /healthz answers.
type Health struct {
	Status    string    `json:"status"` // "ok" or "out-of-order"
	State     string    `json:"state"`
	StateCode int       `json:"state_code"`
	Screen    string    `json:"screen,omitempty"` // the state the kiosk screen last rendered
	Sale      string    `json:"sale,omitempty"`
	Items     int       `json:"items"`
	TotalOre  int64     `json:"total_ore"`
	Total     string    `json:"total"`
	Notice    string    `json:"notice,omitempty"`
	ReceiptNo uint64    `json:"receipt_no,omitempty"`
	DoorOpen  bool      `json:"door_open"`
	Fault     string    `json:"fault,omitempty"`
	PaperLow  bool      `json:"paper_low,omitempty"`
	UptimeSec int64     `json:"uptime_s"`
	Sim       *SimState `json:"sim,omitempty"` // the demo's simulated devices
}

func healthOf(v kiosk.View, since time.Time) Health {
	h := Health{
		Status: "ok", State: v.State.String(), StateCode: int(v.State), Sale: v.SaleID,
		Items: v.Count, TotalOre: int64(v.Total), Total: v.Total.String(),
		ReceiptNo: v.ReceiptNo, DoorOpen: v.DoorOpen, Fault: v.Fault, PaperLow: v.PaperLow,
		UptimeSec: int64(time.Since(since) / time.Second),
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
	Door(action string) error // open, close or force
	Printer(cmd ui.PrinterCmd) error
	ScannerCable(plugged bool) error
	Terminal(fault string) error
	State() SimState
}

// server is the loopback HTTP endpoint: /healthz always, /sim/… in the
// demo only.
type server struct {
	co     *kiosk.Checkout
	sim    SimDevices // nil: no /sim endpoints
	start  time.Time
	screen atomic.Uint32 // kiosk.State last rendered; 0 before the first
}

func (s *server) health() Health {
	h := healthOf(s.co.View(), s.start)
	if st := kiosk.State(s.screen.Load()); st != 0 {
		h.Screen = st.String()
	}
	if s.sim != nil {
		st := s.sim.State()
		h.Sim = &st
	}
	return h
}

func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.health())
	})
	if s.sim != nil {
		mux.HandleFunc("POST /sim/{action}", s.simAction)
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
		ok, err := choose("approve", "refuse")
		if err != nil {
			return err
		}
		return s.sim.Staff(ok)
	case "door":
		return s.sim.Door(arg)
	case "tap":
		taps := map[string]func() error{
			"pay": s.co.Pay, "cancel": s.co.Cancel, "help": s.co.Help, "retry": s.co.Retry,
			"done": s.co.FinishReceipt, "resume": s.co.StaffResume, "staff-cancel": s.co.StaffCancel,
			"complete": s.co.StaffComplete, "touch": func() error { s.co.Touch(); return nil },
		}
		f, ok := taps[arg]
		if !ok {
			return usageError("tap takes pay, cancel, help, retry, done, touch, resume, staff-cancel or complete")
		}
		return f()
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
