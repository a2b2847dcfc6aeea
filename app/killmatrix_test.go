//go:build linux

package app

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"selvkasse/devices/serialport"
	"selvkasse/devices/sim"
	"selvkasse/devices/sim/zvtsim"
	"selvkasse/devices/zvt"
	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
	"selvkasse/storage"
)

// Issue 9's restart matrix: a real kiosk process, SIGKILLed at each step
// of a card payment, against a ZVT terminal simulator that outlives it and
// carries an earlier sale. The parent test (TestKillMatrix) owns the
// simulator and the data dir; the kiosk is the test binary itself, run as
// TestKillMatrixChild, driven line by line on its stdin and reporting on
// its stdout.

// Environment of the child kiosk.
const (
	kmChildEnv = "SELVKASSE_KILLMATRIX_CHILD" // "1": TestKillMatrixChild runs
	kmDirEnv   = "SELVKASSE_KILLMATRIX_DIR"   // the data dir
	kmModeEnv  = "SELVKASSE_KILLMATRIX_MODE"  // "tcp" or "serial"
	kmAddrEnv  = "SELVKASSE_KILLMATRIX_ADDR"  // the terminal's address, or the pty's path
	kmPrefix   = "KM "                        // before each event line: the test framework writes to stdout too
)

// kmEvent is one line the child writes: a view change ("view"; "ready"
// once Start settled what was pending), a cabinet lock move ("cab"), a
// command done ("ack"), a hold reached ("authorize-held",
// "unlock-arrived"), "register-failed", "fatal" or "stopped".
type kmEvent struct {
	Ev      string      `json:"ev"`
	State   string      `json:"state,omitempty"`
	Notice  string      `json:"notice,omitempty"`
	Arg     string      `json:"arg,omitempty"`
	Sale    string      `json:"sale,omitempty"`
	Total   kiosk.Money `json:"total,omitempty"`
	Door    bool        `json:"door,omitempty"`
	Fault   string      `json:"fault,omitempty"`
	Staff   bool        `json:"staff,omitempty"` // the PIN pad or the staff screen is up
	Pending []kmPending `json:"pending,omitempty"`
	Op      string      `json:"op,omitempty"`
	Cmd     string      `json:"cmd,omitempty"`
	Err     string      `json:"err,omitempty"`
}

// kmPending is a pending sale as the child's store has it.
type kmPending struct {
	ID     string      `json:"id"`
	State  string      `json:"state"`
	Amount kiosk.Money `json:"amount"`
}

func (e kmEvent) isView() bool { return e.Ev == "view" || e.Ev == "ready" }

func (e kmEvent) String() string {
	b, _ := json.Marshal(e)
	return string(b)
}

// kmOut writes the child's events, one line each.
type kmOut struct {
	mu sync.Mutex
	w  io.Writer
}

func (o *kmOut) send(e kmEvent) {
	b, _ := json.Marshal(e)
	o.mu.Lock()
	defer o.mu.Unlock()
	_, _ = o.w.Write(append([]byte(kmPrefix), append(b, '\n')...))
}

// kmTerminal is the real ZVT driver; "hold-authorize" makes its next
// Authorize stop before anything is sent, as a kiosk that dies right after
// it stored the payment intent.
type kmTerminal struct {
	*zvt.Terminal
	out  *kmOut
	hold atomic.Bool
}

func (k *kmTerminal) Authorize(ctx context.Context, req kiosk.PaymentRequest) (kiosk.PaymentResult, error) {
	if k.hold.Load() {
		k.out.send(kmEvent{Ev: "authorize-held", Sale: req.SaleID})
		<-ctx.Done()
		return kiosk.PaymentResult{}, ctx.Err()
	}
	return k.Terminal.Authorize(ctx, req)
}

// kmCabinet is the fake cabinet, reporting each lock move that happened.
type kmCabinet struct {
	*kiosktest.CabinetLock
	out *kmOut
}

func (c *kmCabinet) Unlock(ctx context.Context, comps []int) error {
	err := c.CabinetLock.Unlock(ctx, comps)
	if err == nil {
		c.out.send(kmEvent{Ev: "cab", Op: "unlock"})
	}
	return err
}

func (c *kmCabinet) Lock(ctx context.Context) error {
	err := c.CabinetLock.Lock(ctx)
	if err == nil {
		c.out.send(kmEvent{Ev: "cab", Op: "lock"})
	}
	return err
}

// TestKillMatrixChild is the kiosk process of TestKillMatrix; it does
// nothing unless run by it.
func TestKillMatrixChild(t *testing.T) {
	if os.Getenv(kmChildEnv) != "1" {
		t.Skip("the kiosk process of TestKillMatrix")
	}
	out := &kmOut{w: os.Stdout}
	fatal := func(what string, err error) {
		out.send(kmEvent{Ev: "fatal", Err: what + ": " + err.Error()})
		t.Fatal(what, err)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := mustSeededDB(t, os.Getenv(kmDirEnv))
	defer db.Close()

	var line io.ReadWriteCloser
	opt := zvt.Options{T3: 2 * time.Second, T4: 10 * time.Second, Logger: log}
	switch os.Getenv(kmModeEnv) {
	case "tcp":
		// As `selvkasse run`: a lost connection is dialled again.
		addr := os.Getenv(kmAddrEnv)
		dial := func(ctx context.Context) (io.ReadWriteCloser, error) {
			var d net.Dialer
			return d.DialContext(ctx, "tcp", addr)
		}
		line, opt.Mode = zvt.NewRedialer(ctx, dial, zvt.RedialOptions{MinBackoff: 50 * time.Millisecond}), zvt.TCP
	case "serial":
		p, err := serialport.Open(serialport.Config{
			Path: os.Getenv(kmAddrEnv), Baud: zvt.LineBaud, DataBits: zvt.LineDataBits, StopBits: serialport.TwoStopBits,
		})
		if err != nil {
			fatal("open the terminal's line", err)
		}
		line, opt.Mode = p, zvt.Serial
	default:
		fatal("mode", fmt.Errorf("%q", os.Getenv(kmModeEnv)))
	}
	defer line.Close()
	term := &kmTerminal{Terminal: zvt.New(line, opt), out: out}
	defer term.Close()
	// As `selvkasse run`: the terminal registers before the checkout
	// starts; a terminal that does not is a failed start.
	if err := registerTerminal(ctx, term, kiosk.SystemClock{}, log, 20*time.Second); err != nil {
		out.send(kmEvent{Ev: "register-failed", Err: err.Error()})
		t.Fatal("register:", err)
	}

	printer := kiosktest.NewPrinter()
	printer.SetStatus(kiosk.PrinterStatus{Ready: true})
	cab := &kmCabinet{CabinetLock: kiosktest.NewCabinetLock(nil), out: out}
	staff := kiosktest.NewStaffApproval()
	go func() { // staff checks every customer's age and approves
		for {
			if _, err := staff.WaitRequest(ctx); err != nil {
				return
			}
			_ = staff.Approve("ola")
		}
	}()
	fakeSign(db)
	co := newCheckout("K1", DemoShop, db, Devices{
		Scanner: kiosktest.NewScanner(nil), Terminal: term, Printer: printer, Cabinet: cab, Staff: staff,
	}, kiosk.SystemClock{}, log)
	viewEvent := func(ev string, v kiosk.View) kmEvent {
		e := kmEvent{Ev: ev, State: v.State.String(), Notice: v.Notice.String(), Arg: v.NoticeArg,
			Sale: v.SaleID, Total: v.Total, Door: v.DoorOpen, Fault: v.Fault, Staff: v.Staff != nil}
		pend, err := db.Pending(context.Background())
		if err != nil {
			e.Err = err.Error()
		}
		for _, p := range pend {
			e.Pending = append(e.Pending, kmPending{ID: p.ID, State: p.State.String(), Amount: p.Amount})
		}
		return e
	}
	co.Subscribe(func(v kiosk.View) { out.send(viewEvent("view", v)) })
	if err := co.Start(ctx); err != nil {
		fatal("start", err)
	}
	out.send(viewEvent("ready", co.View()))
	ran := make(chan struct{})
	go func() { defer close(ran); _ = co.Run(ctx) }()

	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		f := strings.Fields(in.Text())
		if len(f) == 0 {
			continue
		}
		if f[0] == "stop" {
			break
		}
		var err error
		switch f[0] {
		case "add":
			if len(f) != 2 {
				err = errors.New("add GTIN")
				break
			}
			var g kiosk.GTIN
			if g, err = kiosk.ParseGTIN(f[1]); err == nil {
				err = co.Add(g)
			}
		case "pay":
			err = co.Pay()
		case "door-open":
			cab.Open()
		case "door-close":
			cab.Close()
		case "finish":
			err = co.FinishReceipt()
		case "staff-cancel":
			err = staffOverride(co, db, kiosk.Override{Kind: kiosk.OvCancelSale})
		case "staff-complete":
			err = staffOverride(co, db, kiosk.Override{Kind: kiosk.OvCompleteSale})
		case "hold-authorize":
			term.hold.Store(true)
		case "hold-unlock":
			arrived, _ := cab.HoldUnlock() // never released: the kiosk dies holding it
			go func() {
				select {
				case <-arrived:
					out.send(kmEvent{Ev: "unlock-arrived"})
				case <-ctx.Done():
				}
			}()
		default:
			err = errors.New("unknown command")
		}
		e := kmEvent{Ev: "ack", Cmd: in.Text()}
		if err != nil {
			e.Err = err.Error()
		}
		out.send(e)
	}
	// "stop", or the parent gone: a clean shutdown.
	if err := co.Stop(context.Background()); err != nil {
		log.Error("stop", "err", err)
	}
	cancel()
	<-ran
	out.send(kmEvent{Ev: "stopped"})
}

// kmWait bounds each wait of the parent for the child or the simulator.
// Generous: a loaded 2-core machine runs the matrix.
const kmWait = 60 * time.Second

// kmProc is one child kiosk process as the parent sees it.
type kmProc struct {
	t       *testing.T
	name    string
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	logPath string
	done    chan struct{} // stdout ended: the process is gone

	mu   sync.Mutex
	evs  []kmEvent
	wake chan struct{}
}

func startKMProc(t *testing.T, name, dir, mode, addr string) *kmProc {
	t.Helper()
	p := &kmProc{t: t, name: name, done: make(chan struct{}), wake: make(chan struct{}),
		logPath: filepath.Join(filepath.Dir(dir), name+".log")}
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillMatrixChild$", "-test.v=false", "-test.count=1")
	cmd.Env = append(os.Environ(), kmChildEnv+"=1", kmDirEnv+"="+dir, kmModeEnv+"="+mode, kmAddrEnv+"="+addr)
	// The kiosk dies with the test; its stdin ending stops it too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	logf, err := os.Create(p.logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close() // the child has its own copy
	cmd.Stderr = logf
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p.cmd = cmd
	go func() {
		defer close(p.done)
		r := bufio.NewScanner(stdout)
		r.Buffer(make([]byte, 64<<10), 1<<20)
		for r.Scan() {
			l, ok := strings.CutPrefix(r.Text(), kmPrefix)
			if !ok {
				continue
			}
			var e kmEvent
			if err := json.Unmarshal([]byte(l), &e); err != nil {
				continue
			}
			p.mu.Lock()
			p.evs = append(p.evs, e)
			close(p.wake)
			p.wake = make(chan struct{})
			p.mu.Unlock()
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	return p
}

// mark is where the events seen so far end: wait from there for what an
// action brings.
func (p *kmProc) mark() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.evs)
}

func (p *kmProc) events() []kmEvent {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.evs)
}

var errKMExited = errors.New("the kiosk process ended")

// wait returns the first event from index from on for which ok holds, and
// its index, waiting for it; errKMExited when the process ended first.
func (p *kmProc) wait(from int, ok func(kmEvent) bool) (kmEvent, int, error) {
	deadline := time.NewTimer(kmWait)
	defer deadline.Stop()
	for {
		p.mu.Lock()
		for i := from; i < len(p.evs); i++ {
			if ok(p.evs[i]) {
				e := p.evs[i]
				p.mu.Unlock()
				return e, i, nil
			}
		}
		from = len(p.evs)
		w := p.wake
		p.mu.Unlock()
		select {
		case <-w:
		case <-p.done:
			select {
			case <-w: // the last events came with the end
			default:
				if p.mark() == from {
					return kmEvent{}, 0, errKMExited
				}
			}
		case <-deadline.C:
			return kmEvent{}, 0, fmt.Errorf("timed out after %v", kmWait)
		}
	}
}

// must waits as wait and fails the test when the event does not come.
func (p *kmProc) must(what string, from int, ok func(kmEvent) bool) (kmEvent, int) {
	p.t.Helper()
	e, i, err := p.wait(from, ok)
	if err != nil {
		p.t.Fatalf("%s: never %s: %v\n%s", p.name, what, err, p.diag())
	}
	return e, i
}

// view waits for a view (from from on) in which ok holds.
func (p *kmProc) view(what string, from int, ok func(kmEvent) bool) (kmEvent, int) {
	p.t.Helper()
	return p.must(what, from, func(e kmEvent) bool { return e.isView() && ok(e) })
}

func (p *kmProc) state(from int, states ...kiosk.State) (kmEvent, int) {
	p.t.Helper()
	var names []string
	for _, s := range states {
		names = append(names, s.String())
	}
	// A view with staff at the kiosk (the PIN pad, the staff screen) is
	// the override under way, not where it leaves the sale.
	return p.view("in "+strings.Join(names, " or "), from, func(e kmEvent) bool { return slices.Contains(names, e.State) && !e.Staff })
}

// do sends a command and waits until the child took it.
func (p *kmProc) do(cmd string) kmEvent {
	p.t.Helper()
	from := p.mark()
	if _, err := io.WriteString(p.stdin, cmd+"\n"); err != nil {
		p.t.Fatalf("%s: %s: %v\n%s", p.name, cmd, err, p.diag())
	}
	e, _ := p.must("took "+cmd, from, func(e kmEvent) bool { return e.Ev == "ack" && e.Cmd == cmd })
	return e
}

// doOK is do for a command that must succeed.
func (p *kmProc) doOK(cmd string) {
	p.t.Helper()
	if e := p.do(cmd); e.Err != "" {
		p.t.Fatalf("%s: %s: %s\n%s", p.name, cmd, e.Err, p.diag())
	}
}

// kill ends the kiosk with SIGKILL: no journal stop, no closing.
func (p *kmProc) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
	_ = p.cmd.Wait()
}

// stop shuts the kiosk down cleanly ("stop"); SIGKILL when it does not.
func (p *kmProc) stop() {
	p.t.Helper()
	from := p.mark()
	_, _ = io.WriteString(p.stdin, "stop\n")
	if _, _, err := p.wait(from, func(e kmEvent) bool { return e.Ev == "stopped" }); err != nil {
		p.t.Errorf("%s: did not stop: %v\n%s", p.name, err, p.diag())
		p.kill()
		return
	}
	_ = p.stdin.Close()
	<-p.done
	_ = p.cmd.Wait()
}

// diag is the child's last events and log lines, for a failure.
func (p *kmProc) diag() string {
	var b strings.Builder
	evs := p.events()
	fmt.Fprintf(&b, "--- %s: last events:\n", p.name)
	for _, e := range evs[max(0, len(evs)-15):] {
		fmt.Fprintf(&b, "  %v\n", e)
	}
	if log, err := os.ReadFile(p.logPath); err == nil {
		if len(log) > 4000 {
			log = log[len(log)-4000:]
		}
		fmt.Fprintf(&b, "--- %s: log tail:\n%s", p.name, log)
	}
	return b.String()
}

// kmBasket is what the customer buys: cabinet goods (age checked,
// released by the cabinet) and a shelf item.
type kmBasket struct {
	gtins []string
	total kiosk.Money
}

var (
	kmSame  = kmBasket{[]string{"7039990000014", "7039990000113"}, 12900 + 3290} // snus original, cola
	kmOther = kmBasket{[]string{"7039990000021", "7039990000113"}, 13400 + 3290} // snus white mint, cola
)

// kmCell is one run of the matrix: a terminal that did one sale already,
// the kiosk killed in the next one and started again.
type kmCell struct {
	t       *testing.T
	mode    string // tcp, serial
	dir     string
	addr    string
	slave   *os.File // serial: the parent's hold on the pty slave
	sim     *zvtsim.Sim
	kiosk   *kmProc
	sale2   string      // the id of the sale killed
	amount2 kiosk.Money // its total
	from2   int         // the first event of sale 2 in the first kiosk
}

func (c *kmCell) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), kmWait)
	c.t.Cleanup(cancel)
	return ctx
}

// waitTxn waits until the simulator's transactions satisfy ok.
func (c *kmCell) waitTxn(what string, ok func([]zvtsim.Txn) bool) {
	c.t.Helper()
	if err := c.sim.Wait(c.ctx(), ok); err != nil {
		c.t.Fatalf("the terminal never %s: %v (%+v)\n%s", what, err, c.sim.Txns(), c.kiosk.diag())
	}
}

// customer waits until the terminal holds the payment for the customer.
func (c *kmCell) customer(want kiosk.Money) {
	c.t.Helper()
	m, err := c.sim.WaitCustomer(c.ctx())
	if err != nil || m != want {
		c.t.Fatalf("the terminal holds %v, %v; want %v\n%s", m, err, want, c.kiosk.diag())
	}
}

// approvals counts approved payments (reversed or not).
func approvals(ts []zvtsim.Txn) int {
	n := 0
	for _, t := range ts {
		if t.Approved() {
			n++
		}
	}
	return n
}

// shop puts b into the basket and pays; the sale's id and the first event
// of the sale are recorded.
func (c *kmCell) shop(b kmBasket) (id string, from int) {
	c.t.Helper()
	k := c.kiosk
	from = k.mark()
	for _, g := range b.gtins {
		k.doOK("add " + g)
	}
	v, _ := k.view("shopping", from, func(e kmEvent) bool { return e.State == kiosk.Shopping.String() && e.Total == b.total })
	k.doOK("pay")
	return v.Sale, from
}

// release approves the payment at the terminal and waits for the cabinet
// to open for the customer, confirmed to the terminal.
func (c *kmCell) release() {
	c.t.Helper()
	k := c.kiosk
	from := k.mark()
	n := approvals(c.sim.Txns())
	c.sim.Card(true)
	k.must("the cabinet unlocked", from, func(e kmEvent) bool { return e.Ev == "cab" && e.Op == "unlock" })
	k.state(from, kiosk.Releasing)
	c.waitTxn("confirmed the approval", func(ts []zvtsim.Txn) bool {
		return approvals(ts) > n && ts[len(ts)-1].Confirmed
	})
}

// takeGoods opens and closes the cabinet door: the sale completes.
func (c *kmCell) takeGoods() {
	c.t.Helper()
	k := c.kiosk
	from := k.mark()
	k.doOK("door-open")
	k.view("the door seen open", from, func(e kmEvent) bool { return e.Door })
	k.doOK("door-close")
	k.state(from, kiosk.Receipt)
}

// kmKillPoint is where in the second sale the kiosk is killed: act runs
// the sale from its Pay up to there; prep (optional) runs before the
// sale starts.
type kmKillPoint struct {
	name string
	prep string // a command for the kiosk before the sale
	act  func(c *kmCell)
}

var kmKillPoints = []kmKillPoint{
	{"intent stored, 06 01 not sent", "hold-authorize", func(c *kmCell) {
		c.kiosk.must("held before authorize", c.from2, func(e kmEvent) bool { return e.Ev == "authorize-held" })
	}},
	{"paying (racing the intent)", "", func(c *kmCell) {
		c.kiosk.state(c.from2, kiosk.Paying)
	}},
	{"customer at the terminal", "", func(c *kmCell) {
		c.customer(c.amount2)
	}},
	{"approved, the answer lost", "", func(c *kmCell) {
		c.customer(c.amount2)
		n := approvals(c.sim.Txns())
		c.sim.CardAnswerLost(true)
		c.waitTxn("approved", func(ts []zvtsim.Txn) bool { return approvals(ts) > n })
		if c.mode == "tcp" {
			// The line is gone at once: the kiosk redials and recovers
			// the approval (Repeat Receipt), or says it cannot tell.
			c.kiosk.view("recovered or unsure of the outcome", c.from2, func(e kmEvent) bool {
				// Unsure in the live sale (TerminalUnknown) or after a restart (RecoveryPending).
				if e.Notice == kiosk.NoticeRecoveryPending.String() || e.Notice == kiosk.NoticeTerminalUnknown.String() {
					return true
				}
				for _, p := range e.Pending {
					if p.State != kiosk.PendingIntent.String() {
						return true
					}
				}
				return false
			})
		}
	}},
	{"declined", "", func(c *kmCell) {
		c.customer(c.amount2)
		c.sim.Card(false)
		c.kiosk.state(c.from2, kiosk.PaymentDeclined)
	}},
	{"approved (racing the durable write)", "", func(c *kmCell) {
		c.customer(c.amount2)
		n := approvals(c.sim.Txns())
		c.sim.Card(true)
		c.waitTxn("approved", func(ts []zvtsim.Txn) bool { return approvals(ts) > n })
	}},
	{"approved, the cabinet unlocking", "hold-unlock", func(c *kmCell) {
		c.customer(c.amount2)
		c.sim.Card(true)
		c.kiosk.must("unlocking", c.from2, func(e kmEvent) bool { return e.Ev == "unlock-arrived" })
	}},
	{"the cabinet just unlocked (racing the 80 00)", "", func(c *kmCell) {
		c.customer(c.amount2)
		c.sim.Card(true)
		c.kiosk.must("the cabinet unlocked", c.from2, func(e kmEvent) bool { return e.Ev == "cab" && e.Op == "unlock" })
	}},
	{"the cabinet open", "", func(c *kmCell) {
		c.customer(c.amount2)
		c.release()
	}},
	{"the door opened", "", func(c *kmCell) {
		c.customer(c.amount2)
		c.release()
		from := c.kiosk.mark()
		c.kiosk.doOK("door-open")
		c.kiosk.view("the door seen open", from, func(e kmEvent) bool { return e.Door })
	}},
	{"the sale done", "", func(c *kmCell) {
		c.customer(c.amount2)
		c.release()
		c.takeGoods()
	}},
}

// kmTally is what the matrix found, over all its runs.
type kmTally struct {
	runs             int
	doubleCharges    int // two kept approvals for one sale
	wrongReversals   int // a handed-over sale's payment reversed (not by the terminal's own restart)
	unpaidReleases   int // goods released without a kept payment, and no staff case
	keptWithoutGoods int // a kept payment of no completed sale, and no staff case left open
	staffCases       int // runs whose journal tells staff to check sale 2 with the terminal
	staffActions     int // runs in which the restarted kiosk waited for staff
	startRetries     int // restarted kiosks that did not start (the terminal did not register) and were started again
	failed           []string
}

// TestKillMatrix is issue 9's restart matrix: for every kill point ×
// {same amount as the sale before, another} × {serial, TCP} × {terminal
// restarted too, not}, a kiosk process is SIGKILLed in a sale against a
// terminal that outlives it and carries an earlier sale, and started
// again on the same data dir. Over all runs: no double charge, no
// reversal of another sale, no goods released without a kept payment, no
// payment kept without goods or a staff case; nothing left pending, the
// journal intact and without card numbers.
func TestKillMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("the kill matrix runs kiosk processes; skipped with -short")
	}
	if os.Getenv(kmChildEnv) == "1" {
		t.Skip("in the kiosk process")
	}
	if _, err := os.Stat(os.Args[0]); err != nil {
		t.Skip("the test binary cannot be run again:", err)
	}
	start := time.Now()
	var tally kmTally
	for _, mode := range []string{"serial", "tcp"} {
		for _, restart := range []bool{false, true} {
			for _, same := range []bool{true, false} {
				for _, kp := range kmKillPoints {
					name := fmt.Sprintf("%s/restarted=%v/same=%v/%s", mode, restart, same, kp.name)
					t.Run(name, func(t *testing.T) {
						runKillCell(t, mode, restart, same, kp, &tally)
					})
				}
			}
		}
	}
	t.Logf("kill matrix: %d runs, double charges %d, wrong reversals %d, unpaid releases %d, kept payments without goods or staff case %d, staff cases %d (%v)",
		tally.runs, tally.doubleCharges, tally.wrongReversals, tally.unpaidReleases, tally.keptWithoutGoods, tally.staffCases, time.Since(start).Round(time.Second))
	t.Logf("kill matrix: staff acted at the restart in %d runs; %d restarted kiosks failed to start and were started again", tally.staffActions, tally.startRetries)
	if tally.doubleCharges+tally.wrongReversals+tally.unpaidReleases+tally.keptWithoutGoods > 0 {
		t.Errorf("kill matrix failed in: %s", strings.Join(tally.failed, "; "))
	}
}

func runKillCell(t *testing.T, mode string, restart, same bool, kp kmKillPoint, tally *kmTally) {
	base := t.TempDir()
	c := &kmCell{t: t, mode: mode, dir: filepath.Join(base, "data")}
	if err := os.Mkdir(c.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	zmode := zvt.TCP
	if mode == "serial" {
		zmode = zvt.Serial
	}
	c.sim = zvtsim.New(zvtsim.Options{Mode: zmode, VendTimeout: -1}) // the terminal waits for the kiosk's answer
	c.sim.SetReceipt(zvtsim.TextBlock, "5598831234561234")           // a full card number on its receipt
	sctx, scancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	switch mode {
	case "tcp":
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Skip("no loopback:", err)
		}
		c.addr = ln.Addr().String()
		go func() { defer close(served); _ = c.sim.ServeListener(sctx, ln) }()
	case "serial":
		master, slave, path, err := sim.OpenPTY()
		if err != nil {
			t.Skip("no pseudo-terminal:", err)
		}
		c.addr, c.slave = path, slave
		go func() {
			defer close(served)
			for sctx.Err() == nil {
				// The terminal on the line: after a drop (a restart, an
				// answer lost) it serves again, as a terminal whose line
				// is back. Anything else ends it: the cell then fails
				// waiting for it, with this in its log.
				err := c.sim.Serve(sctx, master)
				if !errors.Is(err, zvtsim.ErrDropped) {
					if sctx.Err() == nil {
						t.Logf("the terminal stopped serving the line: %v", err)
					}
					return
				}
			}
		}()
		t.Cleanup(func() { master.Close(); slave.Close() })
	}
	t.Cleanup(func() {
		if c.kiosk != nil {
			select {
			case <-c.kiosk.done:
			default:
				c.kiosk.kill()
			}
		}
		scancel()
		if c.slave != nil {
			c.slave.Close()
		}
		<-served
	})

	// The first kiosk: an earlier sale, paid and taken, then the sale
	// killed.
	c.kiosk = startKMProc(t, "kiosk-1", c.dir, mode, c.addr)
	c.kiosk.state(0, kiosk.Idle)
	c.shop(kmSame)
	c.customer(kmSame.total)
	c.release()
	c.takeGoods()
	from := c.kiosk.mark()
	c.kiosk.doOK("finish")
	c.kiosk.state(from, kiosk.Idle)
	sale1Txns := c.sim.Txns()

	b := kmOther
	if same {
		b = kmSame
	}
	if kp.prep != "" {
		c.kiosk.doOK(kp.prep)
	}
	c.amount2 = b.total
	c.sale2, c.from2 = c.shop(b)
	kp.act(c)
	first := c.kiosk
	first.kill()
	if c.slave != nil {
		kmReleaseExclusive(c.slave) // a dead process's serial port is free again
	}
	var ptReversed []int // traces the terminal reversed on its own at its restart
	if restart {
		before := c.sim.Txns()
		c.sim.Restart(kmStaleFrames(t, sale1Txns)...)
		for _, tx := range c.sim.Txns()[len(before):] {
			if tx.OrigTrace != 0 {
				ptReversed = append(ptReversed, tx.OrigTrace)
			}
		}
	} else if _, holding := c.sim.Holding(); holding {
		// Nobody answers at the terminal any more (a serial line stays
		// up): the customer walks away and it times out, as a terminal
		// does.
		c.sim.TimeOut()
	}

	// The second kiosk, on the same data dir and terminal, started again
	// as a supervisor would when the terminal did not register.
	var second *kmProc
	var readyAt int
	for attempt := 1; ; attempt++ {
		second = startKMProc(t, fmt.Sprintf("kiosk-2-%d", attempt), c.dir, mode, c.addr)
		c.kiosk = second
		_, i, err := second.wait(0, func(e kmEvent) bool { return e.Ev == "ready" })
		if err == nil {
			readyAt = i
			break
		}
		if !errors.Is(err, errKMExited) || attempt == 4 {
			t.Fatalf("the restarted kiosk did not start (attempt %d): %v\n%s", attempt, err, second.diag())
		}
		t.Logf("the restarted kiosk did not start (attempt %d), starting it again:\n%s", attempt, second.diag())
		tally.startRetries++
		_ = second.cmd.Wait()
		if c.slave != nil {
			kmReleaseExclusive(c.slave)
		}
	}
	// Settle: staff completes what was released and cancels the rest.
	v, _ := second.state(readyAt, kiosk.Idle, kiosk.Assistance, kiosk.OutOfOrder)
	for round := 0; v.State != kiosk.Idle.String(); round++ {
		if round == 3 || v.State != kiosk.Assistance.String() {
			t.Fatalf("the restarted kiosk does not settle: %v\n%s", v, second.diag())
		}
		if round == 0 {
			tally.staffActions++
		}
		cmd := "staff-cancel"
		for _, p := range v.Pending {
			if p.State == kiosk.PendingReleased.String() {
				cmd = "staff-complete"
			}
		}
		from := second.mark()
		if e := second.do(cmd); e.Err != "" {
			t.Fatalf("%s in %v: %s\n%s", cmd, v, e.Err, second.diag())
		}
		v, _ = second.state(from, kiosk.Idle, kiosk.Receipt, kiosk.Assistance)
		if v.State == kiosk.Receipt.String() {
			from := second.mark()
			second.doOK("finish")
			v, _ = second.state(from, kiosk.Idle, kiosk.Assistance)
		}
	}
	second.stop()

	// What the kiosk processes did with the cabinet in sale 2.
	unlocked := false
	for i, e := range first.events() {
		if i >= c.from2 && e.Ev == "cab" && e.Op == "unlock" {
			unlocked = true
		}
	}
	for _, e := range second.events() {
		if e.Ev == "cab" && e.Op == "unlock" {
			unlocked = true
		}
	}
	c.check(tally, unlocked, ptReversed)
}

// kmReleaseExclusive clears the exclusive mode (TIOCEXCL) the killed
// kiosk's serial port left on the pty: the parent's own hold on the slave
// keeps the tty open, where a real port would have been closed.
func kmReleaseExclusive(f *os.File) {
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Control(func(fd uintptr) { _ = unix.IoctlSetInt(int(fd), unix.TIOCNXCL, 0) })
}

// kmStaleFrames are what a rebooting terminal may still send: the earlier
// sale's approval (04 0F), an abort (06 1E 6C), "busy" (84 A0), a bare
// 80 00.
func kmStaleFrames(t *testing.T, txns []zvtsim.Txn) []zvt.APDU {
	var old zvtsim.Txn
	for _, tx := range txns {
		if tx.Approved() {
			old = tx
		}
	}
	d := []byte{zvt.BMPResult, zvt.ResultOK}
	amt, err := zvt.AmountBCD(old.Amount)
	if err != nil {
		t.Fatal(err)
	}
	d, _ = zvt.AppendField(d, zvt.BMPAmount, amt)
	d, _ = zvt.AppendField(d, zvt.BMPCurrency, zvt.CurrencyNOK)
	d, _ = zvt.AppendField(d, zvt.BMPTrace, zvt.BCD(uint64(old.Trace), 3))
	d, _ = zvt.AppendField(d, zvt.BMPTerminalID, zvt.BCD(52523535, 4))
	d, _ = zvt.AppendField(d, zvt.BMPReceiptNo, zvt.BCD(uint64(old.Receipt), 2))
	return []zvt.APDU{
		{Cmd: zvt.CmdStatusInfo, Data: d},
		{Cmd: zvt.CmdPTAbort, Data: []byte{zvt.ResultAborted}},
		zvt.Nak(0xA0),
		zvt.Ack(),
	}
}

// Journal texts that tell staff to check a payment with the terminal.
var (
	// kmNotConfirmed: the kiosk completed a sale whose payment the
	// terminal did not confirm.
	kmNotConfirmed = []string{"did not confirm", "did not take the confirmation", "did not take the release confirmation"}
	// kmMaybeKept: the kiosk gave up a sale whose payment the terminal
	// may have kept.
	kmMaybeKept = []string{"outcome unknown", "reversal not confirmed", "could not be reversed"}
	// kmReversedReleased: the kiosk voided a released sale because the
	// terminal reversed its payment on its own; staff collects payment or
	// the goods.
	kmReversedReleased = []string{"staff must collect payment or take the goods back"}
)

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// check opens the data dir the kiosks left and holds it and the
// terminal's transactions against the invariants.
func (c *kmCell) check(tally *kmTally, unlocked bool, ptReversed []int) {
	t := c.t
	ctx := context.Background()
	db, err := storage.Open(c.dir, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := kiosk.VerifyJournal(ctx, db); err != nil {
		t.Errorf("journal: %v", err)
	}
	if pend, err := db.Pending(ctx); err != nil || len(pend) != 0 {
		t.Errorf("left pending: %+v, %v", pend, err)
	}
	var recs []kiosk.Record
	if err := db.Scan(ctx, 0, func(r kiosk.Record) error { recs = append(recs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	completed := map[string]kiosk.Sale{}
	var sales []kiosk.Sale
	for n := uint64(1); ; n++ {
		s, err := db.Sale(ctx, "K1", n)
		if errors.Is(err, kiosk.ErrNotFound) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		completed[s.ID] = s
		sales = append(sales, s)
	}
	txns := c.sim.Txns()

	trace := func(s string) int { n, _ := strconv.Atoi(s); return n }
	// The traces of each sale's approvals, as the kiosk recorded them.
	traces := map[string][]int{}
	staffNotConfirmed, staffMaybeKept, staffReversed := map[string]bool{}, map[string]bool{}, map[string]bool{}
	released := map[string]bool{}     // the release was marked (cabinet unlock entry)
	last := map[string]kiosk.Record{} // the journal's last word on each sale
	var story []string
	for _, r := range recs {
		if r.SaleID != "" {
			last[r.SaleID] = r
		}
		if r.SaleID == c.sale2 {
			story = append(story, fmt.Sprintf("%s %q", orStr(r.Subtype, r.Code.String()), r.Text))
		}
		switch {
		case r.Subtype == kiosk.SubPaymentApproved:
			traces[r.SaleID] = append(traces[r.SaleID], trace(r.Data["trace"]))
		case r.Subtype == kiosk.SubCabinetUnlock:
			released[r.SaleID] = true
		}
		if r.SaleID != "" && (r.Subtype == kiosk.SubPaymentUnknown || containsAny(r.Text, kmMaybeKept)) {
			staffMaybeKept[r.SaleID] = true
		}
		if r.SaleID != "" && (r.Subtype == kiosk.SubPaymentUnknown || containsAny(r.Text, kmNotConfirmed)) {
			staffNotConfirmed[r.SaleID] = true
		}
		if r.SaleID != "" && r.Subtype == kiosk.SubSaleCancelled && containsAny(r.Text, kmReversedReleased) {
			staffReversed[r.SaleID] = true
		}
		texts := []string{r.Text}
		for _, v := range r.Data {
			texts = append(texts, v)
		}
		for _, s := range texts {
			if strings.Contains(s, "55988312") || panLike(s) {
				t.Errorf("card number in the journal: %q", s)
			}
		}
	}
	for _, s := range sales {
		for _, l := range append([]string{s.Payment.MaskedPAN}, s.Payment.Lines...) {
			if strings.Contains(l, "55988312") || panLike(l) {
				t.Errorf("card number in stored sale no %d: %q", s.No, l)
			}
		}
		if s.Payment.Trace != "" && !slices.Contains(traces[s.ID], trace(s.Payment.Trace)) {
			traces[s.ID] = append(traces[s.ID], trace(s.Payment.Trace))
		}
	}
	byTrace := map[int]zvtsim.Txn{}
	for _, tx := range txns {
		byTrace[tx.Trace] = tx
	}
	kept := func(tr int) bool { tx, ok := byTrace[tr]; return ok && tx.Approved() && !tx.Reversed }
	saleOf := map[int]string{}
	for id, trs := range traces {
		for _, tr := range trs {
			saleOf[tr] = id
		}
	}

	var bad []string
	count := func(n *int, format string, args ...any) {
		*n++
		bad = append(bad, fmt.Sprintf(format, args...))
	}
	// (a) double charges: two kept approvals for one sale.
	for id, trs := range traces {
		n := 0
		for _, tr := range slices.Compact(slices.Sorted(slices.Values(trs))) {
			if kept(tr) {
				n++
			}
		}
		if n > 1 {
			count(&tally.doubleCharges, "double charge: sale %s kept %d approvals %v", id, n, trs)
		}
	}
	// (b) reversals of a sale whose goods were handed over, other than
	// the terminal's own at its restart.
	for _, tx := range txns {
		if tx.OrigTrace == 0 || slices.Contains(ptReversed, tx.OrigTrace) {
			continue
		}
		if id, ok := saleOf[tx.OrigTrace]; ok {
			if _, done := completed[id]; done {
				count(&tally.wrongReversals, "wrong reversal: trace %d of completed sale %s reversed by trace %d", tx.OrigTrace, id, tx.Trace)
			}
		}
	}
	// (c) goods released without a kept payment: a completed sale whose
	// payment is not kept, and a release of a sale that did not complete.
	for _, s := range sales {
		if kept(trace(s.Payment.Trace)) {
			continue
		}
		if staffNotConfirmed[s.ID] {
			continue
		}
		count(&tally.unpaidReleases, "unpaid release: sale %s (no %d) completed, its payment (trace %q) is not kept at the terminal, and no staff case", s.ID, s.No, s.Payment.Trace)
	}
	for id := range released {
		if _, ok := completed[id]; !ok && !staffReversed[id] {
			count(&tally.unpaidReleases, "unpaid release: sale %s marked released but not completed, and no staff case", id)
		}
	}
	if _, ok := completed[c.sale2]; unlocked && !ok && !staffReversed[c.sale2] {
		count(&tally.unpaidReleases, "unpaid release: the cabinet was unlocked for sale %s, which did not complete", c.sale2)
	}
	// (d) payments kept without goods: a kept approval of no completed
	// sale, unless the journal's last word on the sale leaves it to staff
	// (a staff case that a later "payment reversed" closed does not count:
	// that entry says the money went back).
	leftToStaff := func(id string) bool {
		r, ok := last[id]
		return ok && (r.Subtype == kiosk.SubPaymentUnknown || containsAny(r.Text, kmMaybeKept))
	}
	for _, tx := range txns {
		if !tx.Approved() || tx.Reversed {
			continue
		}
		id, mapped := saleOf[tx.Trace]
		if mapped {
			if s, ok := completed[id]; ok && trace(s.Payment.Trace) == tx.Trace {
				continue
			}
		}
		excused := false
		for sid := range staffMaybeKept {
			if _, ok := completed[sid]; !ok && (!mapped || sid == id) && leftToStaff(sid) {
				excused = true
			}
		}
		if !excused {
			count(&tally.keptWithoutGoods, "kept without goods: approval trace %d (%v) of sale %q, no completed sale, no staff case open (last word: %q)", tx.Trace, tx.Amount, id, last[orStr(id, c.sale2)].Text)
		}
	}
	// Sale 1 stands as it was.
	if len(sales) == 0 || !kept(trace(sales[0].Payment.Trace)) {
		t.Errorf("the earlier sale is not completed and paid: %+v", sales)
	}

	staff := staffMaybeKept[c.sale2] || staffNotConfirmed[c.sale2] || staffReversed[c.sale2]
	outcome := "voided"
	if s, ok := completed[c.sale2]; ok {
		outcome = fmt.Sprintf("completed as no %d", s.No)
	}
	tally.runs++
	if staff {
		tally.staffCases++
	}
	t.Logf("sale 2 %s, staff case %v, charged %v; journal: %s", outcome, staff, c.sim.Charged(), strings.Join(story, "; "))
	if len(bad) > 0 {
		tally.failed = append(tally.failed, t.Name())
		var b strings.Builder
		for _, tx := range txns {
			fmt.Fprintf(&b, "  txn %+v\n", tx)
		}
		for _, r := range recs {
			fmt.Fprintf(&b, "  #%d %s %s sale=%s amount=%v %q %v\n", r.Seq, r.Code, r.Subtype, r.SaleID, r.Amount, r.Text, r.Data)
		}
		t.Errorf("%s\nterminal and journal:\n%s", strings.Join(bad, "\n"), b.String())
	}
}

func orStr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
