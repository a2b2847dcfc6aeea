package app

// The running kiosk's admin endpoint: POST /admin/{name} on the loopback
// health server, for the commands that change the store while the kiosk
// holds it (Badger's lock lets one process open it). Each request names
// a staff member and their PIN, checked against the staff register with
// the log-in's rules (kiosk.StaffLogin.VerifyPIN: a wrong PIN counts
// toward the lock-out, a locked member is refused, the role must be
// allowed the operation's action); the operation is then journaled under
// that staff member. The operations are a table, adminOps: a command
// registers one by name.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"time"

	"golang.org/x/term"

	"selvkasse/kiosk"
	"selvkasse/storage"
)

// adminOp is one operation of the admin endpoint.
type adminOp struct {
	// Action is what the staff member's role must be allowed
	// (kiosk.Role.May).
	Action kiosk.Action
	// What names the operation in the journal's log-in record.
	What string
	// Run does it on the kiosk's store with the request's parameters
	// (JSON), for staff member by, and returns its answer (encoded as
	// JSON). Its errors wrapping adminBadRequest are the caller's
	// mistakes (400); others are 409. A non-nil answer with an error is
	// sent too: what was done before it (a count's booked lines).
	Run func(ctx context.Context, env adminEnv, by kiosk.Staff, params json.RawMessage) (any, error)
	// Reload: what the operation changes is on the customer's screen
	// (prices, stock in the cabinet list): after it the checkout reloads
	// the list (kiosk.Checkout.PricesChanged), so the screen shows it at
	// once and sells what it shows.
	Reload bool
}

// adminEnv is what an operation works on: the kiosk's store, its ID and
// clock.
type adminEnv struct {
	DB      *storage.DB
	KioskID string
	Clock   kiosk.Clock
}

// adminOps are the admin endpoint's operations, by the name in
// POST /admin/{name}. To add one: write its Run on the same function as
// the command's stopped-kiosk path, add it here with the action its role
// needs, and run the command through storeTarget.withStore, which calls
// it when the kiosk holds the store (catalogcmd.go, pricecmd.go and
// stockcmd.go show both halves).
//
// The actions (kiosk/staff.go's permissions): what changes prices or
// master data is the supervisor's (ActEditCatalog, as the catalog
// import); receiving and counting goods is the stock work the staff
// screen's OvReceiveStock allows (ActReceiveStock: clerks too); the
// reports read the sales, as the X report does (ActXReport: clerks and
// supervisors, not technicians, who never see the sales).
var adminOps = map[string]adminOp{
	"catalog-import":  {Action: kiosk.ActEditCatalog, What: "catalog import", Run: adminCatalogImport, Reload: true},
	"catalog-export":  {Action: kiosk.ActEditCatalog, What: "catalog export", Run: adminCatalogExport},
	"price-set":       {Action: kiosk.ActEditCatalog, What: "price set", Run: adminPriceSet, Reload: true},
	"price-audit":     {Action: kiosk.ActXReport, What: "price audit", Run: adminPriceAudit},
	"price-labels":    {Action: kiosk.ActXReport, What: "price labels", Run: adminPriceLabels},
	"stock-receive":   {Action: kiosk.ActReceiveStock, What: "stock receive", Run: adminStockReceive, Reload: true},
	"stock-count":     {Action: kiosk.ActReceiveStock, What: "stock count", Run: adminStockCount, Reload: true},
	"stock-threshold": {Action: kiosk.ActEditCatalog, What: "stock threshold", Run: adminStockThreshold},
	"stock-report":    {Action: kiosk.ActXReport, What: "stock report", Run: adminStockReport},
}

// adminBadRequest marks an operation's error as the caller's mistake.
var adminBadRequest = errors.New("bad request")

// adminRefusal is err marked as the caller's mistake (adminBadRequest)
// when it is one of mistakes; else err.
func adminRefusal(err error, mistakes ...error) error {
	for _, m := range mistakes {
		if errors.Is(err, m) {
			return fmt.Errorf("%w: %w", adminBadRequest, err)
		}
	}
	return err
}

// adminDecode reads an operation's parameters into v; an empty body is
// the zero parameters.
func adminDecode(name string, params json.RawMessage, v any) error {
	if len(params) == 0 || string(params) == "null" {
		return nil
	}
	if err := json.Unmarshal(params, v); err != nil {
		return fmt.Errorf("%w: %s: %v", adminBadRequest, name, err)
	}
	return nil
}

// adminText is the answer of an operation whose command prints text:
// the text, as the command prints it with the kiosk stopped.
type adminText struct {
	Text string `json:"text"`
}

// adminRequest is the body of POST /admin/{name}.
type adminRequest struct {
	Staff  string          `json:"staff"`
	PIN    string          `json:"pin"`
	Params json.RawMessage `json:"params,omitempty"`
}

// adminResponse is its answer: the operation's result, or why not (with
// what was done before it, when the operation says). Warning: done, but
// something after it was not (the screen's reload).
type adminResponse struct {
	OK      bool            `json:"ok"`
	Error   string          `json:"error,omitempty"`
	Result  json.RawMessage `json:"result,omitempty"`
	Warning string          `json:"warning,omitempty"`
}

// maxAdminBody bounds a request: a catalog of some 100 000 products.
const maxAdminBody = 256 << 20

// admin serves POST /admin/{name}. Status: 404 unknown operation; 400 a
// request that does not decode, or the operation says so; 401 unknown
// staff or a wrong PIN; 403 a role not allowed; 423 locked out; 503 no
// staff log-in at this kiosk; 409 the operation failed.
func (s *server) admin(w http.ResponseWriter, r *http.Request) {
	fail := func(code int, err error) { writeJSON(w, code, adminResponse{Error: err.Error()}) }
	name := r.PathValue("name")
	op, ok := adminOps[name]
	if !ok {
		fail(http.StatusNotFound, fmt.Errorf("no admin operation %q", name))
		return
	}
	var req adminRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, maxAdminBody)).Decode(&req); err != nil {
		fail(http.StatusBadRequest, fmt.Errorf("admin %s: the request does not decode: %w", name, err))
		return
	}
	login := s.co.StaffLogin()
	if login == nil {
		fail(http.StatusServiceUnavailable, fmt.Errorf("admin %s: this kiosk has no staff log-in", name))
		return
	}
	ctx := r.Context()
	staff, err := login.VerifyPIN(ctx, req.Staff, req.PIN, op.Action, op.What)
	if err != nil {
		code := http.StatusInternalServerError
		switch {
		case errors.Is(err, kiosk.ErrWrongPIN), errors.Is(err, kiosk.ErrUnknownBadge):
			code = http.StatusUnauthorized
		case errors.Is(err, kiosk.ErrBadgeLocked):
			code = http.StatusLocked
		case errors.Is(err, kiosk.ErrNotPermitted):
			code = http.StatusForbidden
		}
		fail(code, fmt.Errorf("admin %s: %w", name, err))
		return
	}
	res, runErr := op.Run(ctx, adminEnv{DB: s.db, KioskID: s.kioskID, Clock: kiosk.SystemClock{}}, staff, req.Params)
	var b json.RawMessage
	if res != nil {
		if b, err = json.Marshal(res); err != nil {
			fail(http.StatusInternalServerError, err)
			return
		}
	}
	resp := adminResponse{OK: runErr == nil, Result: b}
	if op.Reload {
		// Also after an error: a count may have booked lines before it.
		if err := s.co.PricesChanged(ctx); err != nil {
			resp.Warning = fmt.Sprintf("the kiosk's cabinet list was not reloaded (it is after the next sale, or at a restart): %v", err)
		}
	}
	if runErr != nil {
		code := http.StatusConflict
		if errors.Is(runErr, adminBadRequest) {
			code = http.StatusBadRequest
		}
		resp.Error = fmt.Errorf("admin %s: %w", name, runErr).Error()
		writeJSON(w, code, resp)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// Environment variables for scripts: the staff member and PIN a command
// run against the running kiosk authenticates with, instead of --staff
// and asking for the PIN.
const (
	envAdminStaff = "SELVKASSE_STAFF"
	envAdminPIN   = "SELVKASSE_PIN"
)

// adminAuth is who a command authenticates as at the running kiosk.
type adminAuth struct {
	Staff string
	PIN   string
}

// askAdminAuth returns the staff ID (staffFlag, else $SELVKASSE_STAFF)
// and the PIN ($SELVKASSE_PIN, else asked on the terminal without echo,
// else the first line of in).
func askAdminAuth(staffFlag string, in io.Reader, prompt io.Writer) (adminAuth, error) {
	a := adminAuth{Staff: staffFlag}
	if a.Staff == "" {
		a.Staff = os.Getenv(envAdminStaff)
	}
	if a.Staff == "" {
		return a, usageError(fmt.Sprintf("the kiosk runs on the data dir: give --staff ID (or $%s) of a staff member allowed to do it", envAdminStaff))
	}
	if a.PIN = os.Getenv(envAdminPIN); a.PIN != "" {
		return a, nil
	}
	var err error
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		a.PIN, err = readHidden(f, prompt, fmt.Sprintf("PIN for %s: ", a.Staff))
	} else {
		a.PIN, err = readPINLine(in)
	}
	return a, err
}

// storeTarget is where a command does its work: on the data dir itself
// when the kiosk is stopped, else through the running kiosk's admin
// endpoint, authenticated as a staff member. The catalog, price and
// stock commands share it.
type storeTarget struct {
	DataDir string
	Addr    string    // the running kiosk's endpoint (--addr, the config's "health")
	Staff   string    // --staff: who authenticates at the running kiosk
	In      io.Reader // the PIN's line when it is not asked on a terminal
	Stderr  io.Writer // the PIN prompt and the kiosk's warnings
}

// withStore runs local on the data dir opened with opts when the kiosk
// is stopped. While the kiosk holds the dir (storage.ErrInUse) it asks
// who authenticates (askAdminAuth) and runs admin operation op at the
// kiosk's endpoint with params, its result decoded into out (also when
// the kiosk refuses, if it sent what was done before). A data dir that
// does not exist is an error, never a new, empty store.
func (t storeTarget) withStore(ctx context.Context, opts storage.Options, local func(*storage.DB) error, op string, params, out any) error {
	if _, err := os.Stat(t.DataDir); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no data dir %s (start the kiosk once, or make the directory)", t.DataDir)
	}
	db, err := storage.Open(t.DataDir, opts)
	if errors.Is(err, storage.ErrInUse) {
		auth, err := askAdminAuth(t.Staff, t.In, t.Stderr)
		if err != nil {
			return err
		}
		return t.call(ctx, op, auth, params, out)
	}
	if err != nil {
		return err
	}
	defer db.Close()
	return local(db)
}

// call runs admin operation name at the kiosk's endpoint with params,
// and decodes its result into out.
func (t storeTarget) call(ctx context.Context, name string, auth adminAuth, params, out any) error {
	p, err := json.Marshal(params)
	if err != nil {
		return err
	}
	body, err := json.Marshal(adminRequest{Staff: auth.Staff, PIN: auth.PIN, Params: p})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+t.Addr+"/admin/"+name, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 10 * time.Minute}).Do(req)
	if err != nil {
		return fmt.Errorf("the data dir is in use (the kiosk runs on it?) and its endpoint %s does not answer: %w", t.Addr, err)
	}
	defer resp.Body.Close()
	var res adminResponse
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		return fmt.Errorf("the kiosk at %s answered %s: %w", t.Addr, resp.Status, err)
	}
	if out != nil && len(res.Result) > 0 {
		if err := json.Unmarshal(res.Result, out); err != nil && res.OK {
			return fmt.Errorf("the kiosk at %s answered: %w", t.Addr, err)
		}
	}
	if res.Warning != "" && t.Stderr != nil {
		fmt.Fprintf(t.Stderr, "warning: %s\n", res.Warning)
	}
	if !res.OK {
		return fmt.Errorf("the kiosk at %s refused (%s): %s", t.Addr, resp.Status, res.Error)
	}
	return nil
}
