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
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
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
	// mistakes (400); others are 409.
	Run func(ctx context.Context, env adminEnv, by kiosk.Staff, params json.RawMessage) (any, error)
}

// adminEnv is what an operation works on: the kiosk's store, its ID and
// clock.
type adminEnv struct {
	DB      *storage.DB
	KioskID string
	Clock   kiosk.Clock
}

// adminOps are the admin endpoint's operations, by the name in
// POST /admin/{name}. To add one (price set, stock receive …): write its
// Run, add it here with the action its role needs, and call it from its
// command with callAdmin when the store is in use (catalogcmd.go shows
// both halves).
var adminOps = map[string]adminOp{
	"catalog-import": {Action: kiosk.ActEditCatalog, What: "catalog import", Run: adminCatalogImport},
	"catalog-export": {Action: kiosk.ActEditCatalog, What: "catalog export", Run: adminCatalogExport},
}

// adminBadRequest marks an operation's error as the caller's mistake.
var adminBadRequest = errors.New("bad request")

// adminRequest is the body of POST /admin/{name}.
type adminRequest struct {
	Staff  string          `json:"staff"`
	PIN    string          `json:"pin"`
	Params json.RawMessage `json:"params,omitempty"`
}

// adminResponse is its answer: the operation's result, or why not.
type adminResponse struct {
	OK     bool            `json:"ok"`
	Error  string          `json:"error,omitempty"`
	Result json.RawMessage `json:"result,omitempty"`
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
	res, err := op.Run(ctx, adminEnv{DB: s.db, KioskID: s.kioskID, Clock: kiosk.SystemClock{}}, staff, req.Params)
	if err != nil {
		code := http.StatusConflict
		if errors.Is(err, adminBadRequest) {
			code = http.StatusBadRequest
		}
		fail(code, fmt.Errorf("admin %s: %w", name, err))
		return
	}
	b, err := json.Marshal(res)
	if err != nil {
		fail(http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, http.StatusOK, adminResponse{OK: true, Result: b})
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

// callAdmin runs admin operation name at the kiosk's endpoint addr with
// params, and decodes its result into out.
func callAdmin(ctx context.Context, addr, name string, auth adminAuth, params, out any) error {
	p, err := json.Marshal(params)
	if err != nil {
		return err
	}
	body, err := json.Marshal(adminRequest{Staff: auth.Staff, PIN: auth.PIN, Params: p})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+"/admin/"+name, strings.NewReader(string(body)))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 10 * time.Minute}).Do(req)
	if err != nil {
		return fmt.Errorf("the data dir is in use (the kiosk runs on it?) and its endpoint %s does not answer: %w", addr, err)
	}
	defer resp.Body.Close()
	var res adminResponse
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		return fmt.Errorf("the kiosk at %s answered %s: %w", addr, resp.Status, err)
	}
	if !res.OK {
		return fmt.Errorf("the kiosk at %s refused (%s): %s", addr, resp.Status, res.Error)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(res.Result, out)
}
