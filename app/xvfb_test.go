package app

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/storage"
)

// TestDemoUnderXvfb runs the real binary in a real X server: the kiosk
// window appears, /healthz answers, a soda and a snus are bought with
// `selvkasse sim` while /healthz shows each state, a screenshot is taken,
// the process stops cleanly on SIGTERM; then a payment is killed midway
// and resolved after a restart; the journal verifies and the stock went
// down for the sale only. `make xvfb-test` runs it with SELVKASSE_BIN set.
func TestDemoUnderXvfb(t *testing.T) {
	bin := xvfbBin(t, "import")
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	display := startXvfb(t, ctx)
	data := t.TempDir()
	addr := freeLoopbackAddr(t)

	// systemd's notify socket, as selvkasse.service has it: READY=1 once
	// the screen is up, then WATCHDOG=1 pings from the UI loop.
	notes := mustNotifySocket(t)
	d := startDemo(t, ctx, bin, display, data, addr, "NOTIFY_SOCKET="+notes.path, "WATCHDOG_USEC=1000000")
	h := waitHealth(t, ctx, addr, d.exited)
	if h.State != "Idle" {
		t.Fatalf("started in %s, want Idle", h.State)
	}
	// The window is there.
	win := run(t, ctx, display, "xdotool", "search", "--sync", "--name", "^Selvkasse$")
	if strings.TrimSpace(win) == "" {
		t.Fatal("no kiosk window")
	}
	notes.await(t, ctx, "READY=1")
	notes.await(t, ctx, "WATCHDOG=1")
	// No window manager: put the simulator beside the kiosk.
	run(t, ctx, display, "xdotool", "search", "--sync", "--name", "Simulator", "windowmove", "1290", "0")

	sim := func(args ...string) string {
		t.Helper()
		return run(t, ctx, display, bin, append([]string{"sim", "--addr", addr}, args...)...)
	}
	// A headset plugged in: the kiosk speaks (espeak-ng when the machine
	// has it and a sound card; /healthz lists the phrases either way).
	sim("speech", "plug")
	waitSim(t, ctx, addr, "speech on", func(h Health) bool { return h.Speech != nil && h.Speech.On })
	sim("scan", "1234567890128") // unknown code: a notice, journaled
	sim("scan", "7039990000113") // Cola from the shelf
	sim("wait", "Shopping")
	sim("pick", "7039990000014") // snus from the cabinet list
	sim("tap", "pay")
	sim("wait", "AgeCheckPending")
	// The clerk's badge through the scanner's line opens the PIN pad; the
	// PIN is typed on the real window's keyboard; the age is approved on
	// the staff screen.
	sim("scan", DemoStaffPrefix+"ola")
	waitSim(t, ctx, addr, "PIN pad on the screen", func(h Health) bool { return h.ScreenStaff == "pin" })
	kioskWin := strings.Fields(win)[0]
	run(t, ctx, display, "xdotool", "type", "--window", kioskWin, "--delay", "50", "1234")
	run(t, ctx, display, "xdotool", "key", "--window", kioskWin, "Return")
	waitSim(t, ctx, addr, "staff screen", func(h Health) bool { return h.Staff == "signed-in" && h.StaffID == "ola" })
	staffShot := filepath.Join(t.TempDir(), "selvkasse-staff.png")
	if dir := os.Getenv("SELVKASSE_SHOT_DIR"); dir != "" {
		staffShot = filepath.Join(dir, "selvkasse-xvfb-staff.png")
	}
	screenshotSettled(t, ctx, display, staffShot)
	checkNotBlank(t, staffShot)
	sim("override", "approve-age")
	sim("wait", "Paying")
	if h := waitSim(t, ctx, addr, "session ended", func(h Health) bool { return h.Staff == "" }); h.Light != "green" {
		t.Errorf("light while paying %q, want green", h.Light)
	}
	sim("card", "approve")
	sim("wait", "Releasing")
	sim("door", "open")
	sim("door", "close")
	out := sim("--screen", "wait", "Receipt")
	var got Health
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("health: %v: %s", err, out)
	}
	if got.ReceiptNo != 1 {
		t.Errorf("receipt number %d, want 1", got.ReceiptNo)
	}
	// What was said: the pay instruction, the release with its
	// compartment and the thank-you, in that order (the terminal's
	// prompts come in between).
	spoken := waitSim(t, ctx, addr, "the thank-you spoken", func(h Health) bool { return h.Speech != nil && h.Speech.Last == "Takk for handelen!" })
	if want := []string{
		"Å betale: 161 kroner og 90 øre. Følg instruksjonene på betalingsterminalen.",
		"Skapet er åpent. Ta Nordlys Snus Original Portion 24 g fra rom 1. Lukk døren etterpå.",
		"Takk for handelen!",
	}; !inOrder(spoken.Speech.Said, want) {
		t.Errorf("spoken %q, want %q among them in order", spoken.Speech.Said, want)
	}

	// The receipt came out of the simulated printer, through the real
	// ESC/POS driver; the Simulator window shows it (in the screenshot).
	waitSim(t, ctx, addr, "one receipt printed", func(h Health) bool { return h.Sim.Printed == 1 && h.Sim.LostReceipts == 0 })
	// The journal checked while the kiosk holds the store: through it,
	// the sale's signature with the public key made at the first start.
	if v := run(t, ctx, display, bin, "journal", "verify", "--data", data, "--addr", addr); !strings.Contains(v, "checked by the running kiosk") ||
		!strings.Contains(v, "1 signatures verified") {
		t.Errorf("journal verify while the kiosk runs: %s", v)
	}

	shot := filepath.Join(os.Getenv("SELVKASSE_SHOT_DIR"), "selvkasse-xvfb.png")
	if os.Getenv("SELVKASSE_SHOT_DIR") == "" {
		shot = filepath.Join(t.TempDir(), "selvkasse-xvfb.png")
	}
	screenshotSettled(t, ctx, display, shot)
	checkNotBlank(t, shot)
	t.Logf("screenshot: %s", shot)

	// Help: the intervention light blinks yellow and the call is queued;
	// the customer withdraws it. A compartment forced open: red light and
	// the alarm until staff logs in.
	sim("tap", "done")
	sim("scan", "7039990000113")
	sim("wait", "Shopping")
	sim("tap", "help")
	h = waitSim(t, ctx, addr, "help call", func(h Health) bool { return len(h.Calls) == 1 })
	if h.Calls[0].Kind != "help" || h.Light != "yellow-blink" || h.Sim.Tower.Light != "yellow" || h.Sim.Tower.Chimes != 1 {
		t.Errorf("after help: calls %+v light %q tower %+v", h.Calls, h.Light, h.Sim.Tower)
	}
	sim("tap", "withdraw")
	sim("door", "force")
	h = waitSim(t, ctx, addr, "forced door", func(h Health) bool { return len(h.Calls) == 1 && h.Calls[0].Kind == "door forced" })
	if h.Light != "red-blink-alarm" || !h.Sim.Tower.Alarm {
		t.Errorf("after a forced door: light %q tower %+v", h.Light, h.Sim.Tower)
	}
	sim("door", "close")
	sim("scan", DemoStaffPrefix+"kari")
	waitSim(t, ctx, addr, "PIN pad", func(h Health) bool { return h.Staff == "pin" })
	sim("pin", "2468")
	if h := waitSim(t, ctx, addr, "alarm acknowledged", func(h Health) bool { return len(h.Calls) == 0 }); h.Sim.Tower.Alarm {
		t.Errorf("the alarm sounds after staff logged in: %+v", h.Sim.Tower)
	}
	sim("override", "cancel-sale")
	sim("wait", "Idle")

	// No badge at hand: the key switch opens the log-in, which asks who.
	sim("staff", "key")
	waitSim(t, ctx, addr, "who is logging in", func(h Health) bool { return h.Staff == "pin" && h.StaffID == "" })
	sim("choose", "kari")
	sim("pin", "2468")
	waitSim(t, ctx, addr, "staff screen", func(h Health) bool { return h.Staff == "signed-in" && h.StaffID == "kari" })
	sim("tap", "logout")
	waitSim(t, ctx, addr, "logged out", func(h Health) bool { return h.Staff == "" })

	// Paper out: the printer watch takes the idle kiosk out of order; a
	// new roll brings it back.
	sim("printer", "paper-out")
	sim("--timeout", "30s", "wait", "OutOfOrder")
	if h := waitSim(t, ctx, addr, "printer fault", func(h Health) bool { return h.Fault != "" }); h.Fault != kiosk.DevPrinter {
		t.Errorf("fault %q, want %q", h.Fault, kiosk.DevPrinter)
	}
	sim("printer", "paper-ok")
	sim("--timeout", "30s", "wait", "Idle")

	// The scanner's cable is pulled in the middle of a sale and put back:
	// the sale goes on, each code counts once.
	sim("scan", "7039990000137")
	sim("wait", "Shopping")
	sim("scanner", "unplug")
	waitSim(t, ctx, addr, "scanner fault", func(h Health) bool { return h.Fault == kiosk.DevScanner && h.State == "Shopping" })
	sim("scanner", "replug")
	waitSim(t, ctx, addr, "scanner back", func(h Health) bool { return h.Fault == "" && h.Sim.ScannerPlugged })
	sim("scan", "7039990000137")
	if h := waitSim(t, ctx, addr, "two items", func(h Health) bool { return h.Items == 2 }); h.State != "Shopping" {
		t.Errorf("after the replug: %+v", h)
	}
	sim("tap", "cancel")
	sim("wait", "Idle")

	d.stop(t, ctx)

	// Killed in the middle of a payment: after a restart the payment is
	// resolved (the simulated terminal died with the process, so it
	// cannot tell: staff voids it) and journaled.
	d = startDemo(t, ctx, bin, display, data, addr)
	waitHealth(t, ctx, addr, d.exited)
	sim("scan", "7039990000120")
	sim("wait", "Shopping") // the scan comes down the scanner's line
	sim("tap", "pay")
	sim("wait", "Paying")
	// Killed once the payment is at the terminal (the intent, with the
	// terminal's mark, was stored before it was sent).
	waitSim(t, ctx, addr, "payment at the terminal", func(h Health) bool { return h.Sim != nil && h.Sim.PaymentWaiting })
	d.kill(t)
	d = startDemo(t, ctx, bin, display, data, addr)
	h = waitHealth(t, ctx, addr, d.exited)
	if h.State != "Assistance" || h.Notice != "RecoveryPending" {
		t.Fatalf("after a kill mid-payment: %+v", h)
	}
	// Staff settles it: badge, PIN, and the cancel override.
	sim("scan", DemoStaffPrefix+"kari")
	waitSim(t, ctx, addr, "PIN pad", func(h Health) bool { return h.Staff == "pin" })
	sim("pin", "2468")
	sim("override", "cancel-sale")
	sim("wait", "Idle")
	d.stop(t, ctx)

	v := run(t, ctx, display, bin, "journal", "verify", "--data", data)
	if !strings.Contains(v, "journal OK") {
		t.Fatalf("journal verify: %s", v)
	}
	db, err := storage.Open(data, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if p, err := db.Pending(ctx); err != nil || len(p) != 0 {
		t.Errorf("pending after restart: %+v, %v", p, err)
	}
	if _, err := db.Sale(ctx, "K1", 2); err == nil {
		t.Error("the killed payment became a sale")
	}
	for gtin, want := range map[string]int{"7039990000113": 47, "7039990000014": 39, "7039990000120": 48} {
		p, err := db.Lookup(ctx, kiosk.MustGTIN(gtin))
		if err != nil || p.Stock != want {
			t.Errorf("%s stock = %d, %v; want %d", gtin, p.Stock, err, want)
		}
	}

	// A store that lost sales it had acknowledged (the memtable log
	// damaged after a crash): the demo shows itself out of order with the
	// reason, /healthz says so, nothing sells, and SIGTERM stops it.
	lost := rolledBackStore(t)
	d = startDemo(t, ctx, bin, display, lost, addr, "NOTIFY_SOCKET="+notes.path)
	h = waitHealth(t, ctx, addr, d.exited)
	if h.Status != "out-of-order" || h.State != "OutOfOrder" || !strings.Contains(h.Fault, "rolled back") {
		t.Fatalf("demo on a rolled-back store: %+v; want out of order with the reason", h)
	}
	notes.await(t, ctx, "READY=1")
	if win := run(t, ctx, display, "xdotool", "search", "--sync", "--name", "^Selvkasse$"); strings.TrimSpace(win) == "" {
		t.Fatal("no out-of-order window")
	}
	refusedShot := filepath.Join(t.TempDir(), "selvkasse-refused.png")
	if dir := os.Getenv("SELVKASSE_SHOT_DIR"); dir != "" {
		refusedShot = filepath.Join(dir, "selvkasse-xvfb-refused.png")
	}
	screenshotSettled(t, ctx, display, refusedShot)
	checkNotBlank(t, refusedShot)
	if out, err := exec.CommandContext(ctx, bin, "sim", "--addr", addr, "scan", "7039990000113").CombinedOutput(); err == nil {
		t.Errorf("a scan was taken on a refused store: %s", out)
	}
	d.stop(t, ctx)
}

// demo is a running `selvkasse demo`.
type demo struct {
	cmd    *exec.Cmd
	exited chan error
}

// xvfbBin is the selvkasse binary `make xvfb-test` names (the test is
// skipped without it), after checking Xvfb, xdotool and the tools more
// the test runs are installed.
func xvfbBin(t *testing.T, tools ...string) string {
	t.Helper()
	bin := os.Getenv("SELVKASSE_BIN")
	if bin == "" {
		t.Skip("SELVKASSE_BIN not set; run `make xvfb-test`")
	}
	for _, tool := range append([]string{"Xvfb", "xdotool"}, tools...) {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not installed (make deps installs it): %v", tool, err)
		}
	}
	return bin
}

func startDemo(t *testing.T, ctx context.Context, bin, display, data, addr string, env ...string) *demo {
	t.Helper()
	cmd := exec.CommandContext(ctx, bin, "demo", "--data", data, "--health", addr)
	cmd.Env = append(os.Environ(), "DISPLAY="+display, "LANG=nb_NO.UTF-8", "LIBGL_ALWAYS_SOFTWARE=1",
		"XDG_CACHE_HOME="+t.TempDir(), "XDG_CONFIG_HOME="+t.TempDir(), "XDG_RUNTIME_DIR="+t.TempDir())
	cmd.Env = append(cmd.Env, env...)
	logs := new(bytes.Buffer)
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	d := &demo{cmd: cmd, exited: make(chan error, 1)}
	go func() { d.exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		if t.Failed() {
			t.Logf("demo output:\n%s", logs.String())
		}
	})
	return d
}

// stop sends SIGTERM and expects a clean exit.
func (d *demo) stop(t *testing.T, ctx context.Context) {
	t.Helper()
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-d.exited:
		if err != nil {
			t.Fatalf("demo exited with %v after SIGTERM", err)
		}
	case <-time.After(30 * time.Second):
		// SIGQUIT: the Go runtime prints every goroutine's stack to the
		// demo's output (logged at the end), which shows where it hangs.
		_ = d.cmd.Process.Signal(syscall.SIGQUIT)
		select {
		case <-d.exited:
		case <-ctx.Done():
		}
		t.Fatal("demo did not stop within 30 s of SIGTERM (its goroutines are in the demo output)")
	case <-ctx.Done():
		t.Fatal("demo did not stop on SIGTERM")
	}
}

// kill is a crash: SIGKILL, no chance to clean up.
func (d *demo) kill(t *testing.T) {
	t.Helper()
	if err := d.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-d.exited
}

func startXvfb(t *testing.T, ctx context.Context) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	x := exec.CommandContext(ctx, "Xvfb", "-displayfd", "3", "-screen", "0", "2300x1080x24", "-nolisten", "tcp")
	x.ExtraFiles = []*os.File{w}
	if err := x.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { x.Process.Kill(); x.Wait() })
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		t.Fatalf("Xvfb gave no display: %v", err)
	}
	return ":" + strings.TrimSpace(line)
}

func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// waitHealth waits for /healthz to answer, or for the demo to exit.
func waitHealth(t *testing.T, ctx context.Context, addr string, exited <-chan error) Health {
	t.Helper()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			var h Health
			err = json.NewDecoder(resp.Body).Decode(&h)
			resp.Body.Close()
			if err == nil {
				return h
			}
		}
		select {
		case err := <-exited:
			t.Fatalf("demo exited before /healthz answered: %v", err)
		case <-ctx.Done():
			t.Fatal("/healthz never answered")
		case <-tick.C:
		}
	}
}

// notifySocket is a stand-in for systemd's notify socket.
type notifySocket struct {
	path string
	msgs chan string
}

func mustNotifySocket(t *testing.T) *notifySocket {
	t.Helper()
	path := filepath.Join(t.TempDir(), "notify")
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	n := &notifySocket{path: path, msgs: make(chan string, 64)}
	go func() {
		buf := make([]byte, 4096)
		for {
			k, err := c.Read(buf)
			if err != nil {
				close(n.msgs)
				return
			}
			select {
			case n.msgs <- string(buf[:k]):
			default:
			}
		}
	}()
	return n
}

// await waits for the message want.
func (n *notifySocket) await(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	for {
		select {
		case m, ok := <-n.msgs:
			if !ok {
				t.Fatalf("notify socket closed before %s", want)
			}
			if m == want {
				return
			}
		case <-ctx.Done():
			t.Fatalf("no %s on the notify socket", want)
		}
	}
}

// waitSim polls /healthz of the demo (another process) until ok holds.
func waitSim(t *testing.T, ctx context.Context, addr, what string, ok func(Health) bool) Health {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var h Health
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			h = Health{}
			err = json.NewDecoder(resp.Body).Decode(&h)
			resp.Body.Close()
			if err == nil && h.Sim != nil && ok(h) {
				return h
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("never %s; last %+v", what, h)
		case <-tick.C:
		}
	}
}

func run(t *testing.T, ctx context.Context, display, name string, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display, "LANG=nb_NO.UTF-8")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out, stderr.Bytes())
	}
	return string(out)
}

// screenshotSettled takes screenshots until two in a row are the same, so
// the picture is of a finished frame.
func screenshotSettled(t *testing.T, ctx context.Context, display, path string) {
	t.Helper()
	var prev []byte
	for i := 0; i < 50; i++ {
		run(t, ctx, display, "import", "-window", "root", path)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(b, prev) {
			return
		}
		prev = b
	}
	t.Fatal("the screen never settled")
}

// checkNotBlank fails for a screenshot of one flat colour.
func checkNotBlank(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	colours := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			r, g, bl, a := img.At(x, y).RGBA()
			colours[[4]uint32{r, g, bl, a}] = true
		}
	}
	if len(colours) < 8 {
		t.Fatalf("screenshot %s looks blank (%d colours, %v)", path, len(colours), b)
	}
}

// inOrder reports whether want appears in got in order, other items
// between them allowed.
func inOrder(got, want []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}
