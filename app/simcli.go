package app

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultHealthAddr is the demo's loopback endpoint.
const DefaultHealthAddr = "127.0.0.1:8723"

// simCmd drives a running demo through its loopback endpoint.
func simCmd(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	addr := fs.String("addr", DefaultHealthAddr, "the demo's health address")
	timeout := fs.Duration("timeout", 10*time.Second, "how long `wait` waits")
	screen := fs.Bool("screen", false, "`wait` also waits for the screen to show the state")
	fs.SetOutput(io.Discard)
	// Flags may come before or after the command words.
	var words []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return usageError("sim: " + err.Error())
		}
		args = fs.Args()
		if len(args) > 0 {
			words = append(words, args[0])
			args = args[1:]
		}
	}
	if len(words) == 0 {
		return usageError("sim: which command? (scan, pick, card, terminal, staff, choose, pin, override, door, tap, printer, scanner, speech, key, state, wait)")
	}
	base := "http://" + *addr
	client := &http.Client{Timeout: 5 * time.Second}
	switch words[0] {
	case "state":
		h, err := getHealth(client, base)
		if err != nil {
			return err
		}
		return json.NewEncoder(stdout).Encode(h)
	case "wait":
		if len(words) != 2 {
			return usageError("sim wait STATE")
		}
		return waitState(client, base, words[1], *screen, *timeout, stdout)
	}
	if len(words) != 2 {
		return usageError(fmt.Sprintf("sim %s takes one argument", words[0]))
	}
	resp, err := client.Post(base+"/sim/"+url.PathEscape(words[0])+"?arg="+url.QueryEscape(words[1]), "", nil)
	if err != nil {
		return fmt.Errorf("sim: is the demo running? %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		var e struct{ Error, State string }
		_ = json.Unmarshal(body, &e)
		if resp.StatusCode == http.StatusBadRequest {
			return usageError("sim: " + e.Error)
		}
		return fmt.Errorf("sim: %s (state %s)", e.Error, e.State)
	}
	_, err = stdout.Write(body)
	return err
}

func getHealth(c *http.Client, base string) (Health, error) {
	var h Health
	resp, err := c.Get(base + "/healthz")
	if err != nil {
		return h, fmt.Errorf("sim: is the demo running? %w", err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		return h, fmt.Errorf("sim: bad health answer: %w", err)
	}
	return h, nil
}

// waitState polls /healthz until the kiosk is in state (its name in any
// case: "idle" is Idle), for scripts. With screen, the kiosk screen must
// have rendered the state too.
func waitState(c *http.Client, base, state string, screen bool, timeout time.Duration, stdout io.Writer) error {
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var last Health
	for {
		h, err := getHealth(c, base)
		if err == nil {
			last = h
			if strings.EqualFold(h.State, state) && (!screen || strings.EqualFold(h.Screen, state)) {
				return json.NewEncoder(stdout).Encode(h)
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("sim: still %s after %v, not %s", last.State, timeout, state)
		}
		<-tick.C
	}
}
