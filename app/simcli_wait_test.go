package app

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestWaitStateAnyCase: `selvkasse sim wait idle` waits for Idle, as
// `wait Idle` does; another state still times out.
func TestWaitStateAnyCase(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(Health{Status: "ok", State: "Idle", Screen: "Idle"})
	}))
	defer srv.Close()
	for _, c := range []struct {
		state string
		ok    bool
	}{{"Idle", true}, {"idle", true}, {"IDLE", true}, {"Paying", false}} {
		var out bytes.Buffer
		err := waitState(srv.Client(), srv.URL, c.state, true, 200*time.Millisecond, &out)
		if (err == nil) != c.ok {
			t.Errorf("wait %q: %v; want ok %v", c.state, err, c.ok)
		}
	}
}
