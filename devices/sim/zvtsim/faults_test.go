package zvtsim_test

// Field faults played at the wire level: each test is the ECR itself,
// sending raw APDUs over a zvt link, and does not use the driver.

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"selvkasse/devices/sim/zvtsim"
	"selvkasse/devices/zvt"
	"selvkasse/kiosk"
)

const pw = zvt.Password(123456)

// wire is an ECR that speaks raw APDUs on a link.
type wire struct {
	t    *testing.T
	link zvt.Link
}

func newWire(t *testing.T, mode zvt.Mode, rw io.ReadWriter, opt zvt.LinkOptions) *wire {
	var l zvt.Link
	if mode == zvt.Serial {
		l = zvt.NewSerialLink(rw, opt)
	} else {
		l = zvt.NewTCPLink(rw, opt)
	}
	t.Cleanup(func() { l.Close() })
	return &wire{t: t, link: l}
}

func (w *wire) send(a zvt.APDU) {
	w.t.Helper()
	if err := w.link.Send(testCtx(w.t), a); err != nil {
		w.t.Fatalf("ECR: sending %v: %v", a, err)
	}
}

func (w *wire) recv() zvt.APDU {
	w.t.Helper()
	a, err := w.link.Receive(testCtx(w.t), 0)
	if err != nil {
		w.t.Fatalf("ECR: receiving: %v", err)
	}
	return a
}

// expect receives the next APDU and checks its control field (and its
// data, when data is not nil).
func (w *wire) expect(c zvt.Cmd, data []byte) zvt.APDU {
	w.t.Helper()
	a := w.recv()
	if a.Cmd != c || (data != nil && !bytes.Equal(a.Data, data)) {
		w.t.Fatalf("ECR got %v, want %v [% X]", a, c, data)
	}
	return a
}

// expectAcked receives a PT command with control field c and answers it 80-00.
func (w *wire) expectAcked(c zvt.Cmd, data []byte) zvt.APDU {
	w.t.Helper()
	a := w.expect(c, data)
	w.send(zvt.Ack())
	return a
}

// status parses a 04 0F.
func (w *wire) status(a zvt.APDU) zvt.StatusInfo {
	w.t.Helper()
	s, err := zvt.ParseStatusInfo(a.Data)
	if err != nil {
		w.t.Fatalf("Status-Information %v: %v", a, err)
	}
	return s
}

func authAPDU(t *testing.T, amount kiosk.Money, timeout byte) zvt.APDU {
	a, err := zvt.AuthorizationAPDU(zvt.AuthRequest{Amount: amount, VendTimeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// approval sends 06 01 to a simulator set to Approve and returns the
// approved Status-Information, not answered.
func (w *wire) approval(amount kiosk.Money, timeout byte) zvt.StatusInfo {
	w.t.Helper()
	w.send(authAPDU(w.t, amount, timeout))
	w.expect(zvt.RespOK, []byte{})
	w.expectAcked(zvt.CmdIntermediate, []byte{0x0A}) // insert card
	w.expectAcked(zvt.CmdIntermediate, []byte{0x0E}) // please wait
	s := w.status(w.expect(zvt.CmdStatusInfo, nil))
	if s.Result != zvt.ResultOK || s.Amount != amount {
		w.t.Fatalf("approval = %+v", s)
	}
	return s
}

// repeatReceipt sends 06 20 and returns the Status-Information it brings.
func (w *wire) repeatReceipt() zvt.StatusInfo {
	w.t.Helper()
	w.send(zvt.RepeatReceiptAPDU(pw))
	w.expect(zvt.RespOK, []byte{})
	s := w.status(w.expectAcked(zvt.CmdStatusInfo, nil))
	w.expectAcked(zvt.CmdCompletion, []byte{})
	return s
}

// enquiry sends Status Enquiry 05 01 and checks its answer.
func (w *wire) enquiry() {
	w.t.Helper()
	w.send(zvt.StatusEnquiryAPDU(pw))
	w.expect(zvt.RespOK, []byte{})
	w.expectAcked(zvt.CmdCompletion, nil)
}

// serveLoop runs sim.Serve on pt again each time it returns ErrDropped, as
// on a serial line whose cable stays in, and reports each result.
func serveLoop(t *testing.T, sim *zvtsim.Sim, pt io.ReadWriter) <-chan error {
	ctx, cancel := context.WithCancel(t.Context())
	results := make(chan error, 16)
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			err := sim.Serve(ctx, pt)
			results <- err
			if !errors.Is(err, zvtsim.ErrDropped) {
				return
			}
		}
	}()
	t.Cleanup(func() { cancel(); <-stopped })
	return results
}

// pipe is an in-memory ECR–PT stream; both ends close at cleanup.
// servedWire serves sim on one end of a pipe and returns the other as an
// ECR's wire, with what each Serve returned.
func servedWire(t *testing.T, sim *zvtsim.Sim, mode zvt.Mode, opt zvt.LinkOptions) (*wire, <-chan error) {
	t.Helper()
	ecr, pt := pipe(t)
	results := serveLoop(t, sim, pt)
	return newWire(t, mode, ecr, opt), results
}

func pipe(t *testing.T) (ecr, pt net.Conn) {
	ecr, pt = net.Pipe()
	t.Cleanup(func() { ecr.Close(); pt.Close() })
	return ecr, pt
}

func result(t *testing.T, ch <-chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-testCtx(t).Done():
		t.Fatal("Serve did not return")
		return nil
	}
}

var modes = []zvt.Mode{zvt.TCP, zvt.Serial}

func modeName(m zvt.Mode) string {
	if m == zvt.Serial {
		return "serial"
	}
	return "tcp"
}

func sameAPDUs(a, b []zvt.APDU) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Cmd != b[i].Cmd || !bytes.Equal(a[i].Data, b[i].Data) {
			return false
		}
	}
	return true
}

// staleFrames are frames of an earlier sale, as a PT might send them
// after a reboot.
var staleFrames = []zvt.APDU{
	{Cmd: zvt.CmdStatusInfo, Data: []byte{zvt.BMPResult, 0x00, zvt.BMPAmount, 0, 0, 0, 0, 0x12, 0x00}},
	{Cmd: zvt.CmdPTAbort, Data: []byte{zvt.ResultAborted}},
	{Cmd: 0x84A0, Data: []byte{}},
	{Cmd: zvt.RespOK, Data: []byte{}},
}

// TestRestartAbortsHeldPayment: a reboot while the customer is at the
// terminal (TCP socket, ServeListener): the connection is closed, the
// payment is recorded aborted (6C), the stale frames open the next
// connection in order, and trace and receipt numbers go on.
func TestRestartAbortsHeldPayment(t *testing.T) {
	sim := zvtsim.New(zvtsim.Options{Mode: zvt.TCP})
	addr := serveTCP(t, sim)
	dial := func() *wire { return dialWire(t, addr) }

	e := dial()
	e.send(authAPDU(t, 4990, 0))
	e.expect(zvt.RespOK, []byte{})
	e.expectAcked(zvt.CmdIntermediate, []byte{0x0A})
	if m, err := sim.WaitCustomer(testCtx(t)); err != nil || m != 4990 {
		t.Fatalf("WaitCustomer = %v, %v", m, err)
	}
	changed := sim.Changed()
	sim.Restart(staleFrames...)
	select {
	case <-changed:
	default:
		t.Error("Restart did not wake the observers")
	}
	if _, err := e.link.Receive(testCtx(t), 0); !errors.Is(err, zvt.ErrLinkDown) {
		t.Fatalf("the old connection after Restart: %v, want it closed", err)
	}
	ts := sim.Txns()
	if len(ts) != 1 || ts[0].Code != zvt.ResultAborted || ts[0].Amount != 4990 || ts[0].Trace != 1 {
		t.Fatalf("transactions after Restart = %+v, want one aborted (6C)", ts)
	}
	if _, holding := sim.Holding(); holding || sim.Charged() != 0 {
		t.Errorf("after Restart: holding %v, charged %v", holding, sim.Charged())
	}

	e = dial()
	var got []zvt.APDU
	for range staleFrames {
		got = append(got, e.recv())
	}
	if !sameAPDUs(got, staleFrames) {
		t.Fatalf("first frames on the next connection = %v, want %v", got, staleFrames)
	}
	if s := e.repeatReceipt(); s.Result != zvt.ResultAborted || s.Trace != "000001" {
		t.Errorf("Repeat Receipt after Restart = %+v, want the aborted payment", s)
	}
	sim.SetDecision(zvtsim.Approve)
	s := e.approval(1500, 0)
	if s.Trace != "000002" || s.ReceiptNo != "0001" {
		t.Errorf("trace %s receipt %s after Restart, want 000002 and 0001", s.Trace, s.ReceiptNo)
	}
	e.send(zvt.Ack())
	e.expectAcked(zvt.CmdCompletion, []byte{})
	if sim.Charged() != 1500 {
		t.Errorf("Charged = %v", sim.Charged())
	}
	// Nothing answered the stale frames: the simulator did not wait.
	if n := received(sim, zvt.CmdAbort); n != 0 || sim.Aborts() != 0 {
		t.Errorf("aborts %d/%d", n, sim.Aborts())
	}
}

// TestRestartReversesUndeterminedApproval: a reboot while the approval's
// Status-Information waits for the ECR's answer auto-reverses it (§2.2.8)
// with a reversal of its own; Serve returns ErrDropped and the next Serve
// on the same stream starts with the stale frames; Repeat Receipt then
// reports the reversal.
func TestRestartReversesUndeterminedApproval(t *testing.T) {
	for _, mode := range modes {
		t.Run(modeName(mode), func(t *testing.T) {
			sim := zvtsim.New(zvtsim.Options{Mode: mode})
			sim.SetDecision(zvtsim.Approve)
			e, results := servedWire(t, sim, mode, zvt.LinkOptions{})
			appr := e.approval(8950, 60)
			stale := zvt.APDU{Cmd: zvt.CmdPTAbort, Data: []byte{zvt.ResultAborted}}
			sim.Restart(stale)
			if err := result(t, results); !errors.Is(err, zvtsim.ErrDropped) {
				t.Fatalf("Serve after Restart = %v, want ErrDropped", err)
			}
			ts := sim.Txns()
			if len(ts) != 2 {
				t.Fatalf("transactions = %+v, want the approval and its reversal", ts)
			}
			o, r := ts[0], ts[1]
			if !o.Approved() || !o.Reversed || o.Confirmed || o.Trace != 1 || o.Receipt != 1 {
				t.Errorf("approval = %+v", o)
			}
			if r.Approved() || r.Code != zvt.ResultOK || r.OrigTrace != 1 || r.Trace != 2 || r.Amount != 8950 || r.Receipt != 1 {
				t.Errorf("reversal = %+v", r)
			}
			if sim.Charged() != 0 {
				t.Errorf("Charged = %v, want 0", sim.Charged())
			}
			e.expect(stale.Cmd, stale.Data) // first on the next Serve
			s := e.repeatReceipt()
			if s.Trace != "000002" || s.OrigTrace != appr.Trace || s.Result != 0 || s.Amount != 8950 || s.ReceiptNo != "0001" {
				t.Errorf("Repeat Receipt after the reversal = %+v, want trace 000002 reversing %s", s, appr.Trace)
			}
			if got := sim.VendTimeouts(); len(got) != 1 || got[0] != 60*time.Second {
				t.Errorf("VendTimeouts = %v, want [1m0s]", got)
			}
		})
	}
}

// TestLinkFailureKeepsApprovalUndetermined: a link that fails while the
// approval waits for its answer leaves it charged; a later Restart
// reverses it unless the ECR fetched it with Repeat Receipt first.
func TestLinkFailureKeepsApprovalUndetermined(t *testing.T) {
	for _, fetched := range []bool{false, true} {
		sim := zvtsim.New(zvtsim.Options{Mode: zvt.TCP})
		sim.SetDecision(zvtsim.Approve)
		ecr, pt := pipe(t)
		results := serveLoop(t, sim, pt)
		e := newWire(t, zvt.TCP, ecr, zvt.LinkOptions{})
		e.approval(2000, 0)
		ecr.Close()
		if err := result(t, results); errors.Is(err, zvtsim.ErrDropped) {
			t.Fatalf("Serve after the ECR hung up = %v", err)
		}
		if sim.Charged() != 2000 || sim.Txns()[0].Reversed {
			t.Fatalf("after a link failure: charged %v, %+v; want the approval kept", sim.Charged(), sim.Txns())
		}
		if fetched {
			e2, _ := servedWire(t, sim, zvt.TCP, zvt.LinkOptions{})
			if s := e2.repeatReceipt(); s.Trace != "000001" || s.Result != 0 {
				t.Fatalf("Repeat Receipt = %+v", s)
			}
		}
		sim.Restart()
		want := kiosk.Money(0)
		if fetched {
			want = 2000
		}
		if sim.Charged() != want {
			t.Errorf("fetched %v: Charged after Restart = %v, want %v (%+v)", fetched, sim.Charged(), want, sim.Txns())
		}
	}
}

// TestQueueStale: stale frames go before the answer to the next command,
// and the simulator waits for no answer to them.
func TestQueueStale(t *testing.T) {
	for _, mode := range modes {
		t.Run(modeName(mode), func(t *testing.T) {
			sim := zvtsim.New(zvtsim.Options{Mode: mode})
			e, _ := servedWire(t, sim, mode, zvt.LinkOptions{})
			stale := staleFrames[:2]
			sim.QueueStale(stale...)
			e.send(zvt.StatusEnquiryAPDU(pw))
			var got []zvt.APDU
			for range stale {
				got = append(got, e.recv())
			}
			if !sameAPDUs(got, stale) {
				t.Fatalf("before the answer: %v, want %v", got, stale)
			}
			e.expect(zvt.RespOK, []byte{})
			e.expectAcked(zvt.CmdCompletion, nil)
			e.enquiry() // the queue is used up
			waitReceived(t, sim, 4)
			var cmds []zvt.Cmd
			for _, a := range sim.Received() {
				cmds = append(cmds, a.Cmd)
			}
			want := []zvt.Cmd{zvt.CmdStatusEnquiry, zvt.RespOK, zvt.CmdStatusEnquiry, zvt.RespOK}
			if len(cmds) != len(want) || cmds[0] != want[0] || cmds[1] != want[1] || cmds[2] != want[2] || cmds[3] != want[3] {
				t.Errorf("received %v, want %v", cmds, want)
			}
		})
	}
}

// TestHang: the hung terminal acknowledges 06 01 and shows "insert card",
// then says nothing; other commands get 84-A0; Abort 06 B0 ends it.
func TestHang(t *testing.T) {
	for _, mode := range modes {
		t.Run(modeName(mode), func(t *testing.T) {
			sim := zvtsim.New(zvtsim.Options{Mode: mode})
			sim.SetDecision(zvtsim.Approve)
			sim.SetHang(true)
			e, _ := servedWire(t, sim, mode, zvt.LinkOptions{})
			e.send(authAPDU(t, 3300, 0))
			e.expect(zvt.RespOK, []byte{})
			e.expectAcked(zvt.CmdIntermediate, []byte{0x0A})
			// The next frame is the answer to the next command: nothing
			// came in between.
			e.send(zvt.StatusEnquiryAPDU(pw))
			e.expect(0x84A0, []byte{})
			e.send(authAPDU(t, 3300, 0))
			e.expect(0x84A0, []byte{})
			if len(sim.Txns()) != 0 || sim.Aborts() != 0 {
				t.Fatalf("while hung: %+v, %d aborts", sim.Txns(), sim.Aborts())
			}
			e.send(zvt.AbortAPDU())
			e.expect(zvt.RespOK, []byte{})
			e.expectAcked(zvt.CmdPTAbort, []byte{zvt.ResultAborted})
			ts := sim.Txns()
			if sim.Aborts() != 1 || len(ts) != 1 || ts[0].Code != zvt.ResultAborted || ts[0].Amount != 3300 || sim.Charged() != 0 {
				t.Errorf("after the abort: %d aborts, %+v", sim.Aborts(), ts)
			}
			sim.SetHang(false)
			e.enquiry()
		})
	}
}

// TestCollide: the ECR's Abort crosses the terminal's "insert card"
// (ZVT 13.08 §2.21, "Caution"). The terminal answers neither the Abort
// nor the 80-00 to its 04 FF, records no transaction and is back in its
// basic state: the next command is answered at once.
func TestCollide(t *testing.T) {
	for _, mode := range modes {
		t.Run(modeName(mode), func(t *testing.T) {
			sim := zvtsim.New(zvtsim.Options{Mode: mode})
			sim.SetDecision(zvtsim.Approve)
			sim.SetCollide(true)
			e, _ := servedWire(t, sim, mode, zvt.LinkOptions{})
			e.send(authAPDU(t, 3300, 0))
			e.expect(zvt.RespOK, []byte{})
			e.send(zvt.AbortAPDU())
			e.expect(zvt.CmdIntermediate, []byte{0x0A})
			e.send(zvt.Ack())
			// The next frame is the answer to the next command: the
			// Abort and the 80-00 were not answered.
			e.send(zvt.RepeatReceiptAPDU(pw))
			e.expect(0x8483, []byte{})
			if ts := sim.Txns(); len(ts) != 0 || sim.Aborts() != 1 || sim.Charged() != 0 {
				t.Errorf("after the collision: %+v, %d aborts", ts, sim.Aborts())
			}
			sim.SetCollide(false)
			e.enquiry()
		})
	}
}

// TestOfflineListener: offline drops the TCP connection and closes each
// new one at once; back online, the terminal answers again.
func TestOfflineListener(t *testing.T) {
	sim := zvtsim.New(zvtsim.Options{Mode: zvt.TCP})
	addr := serveTCP(t, sim)
	dial := func() *wire { return dialWire(t, addr) }
	e := dial()
	e.enquiry()
	sim.SetOffline(true)
	if _, err := e.link.Receive(testCtx(t), 0); !errors.Is(err, zvt.ErrLinkDown) {
		t.Fatalf("the connection when going offline: %v, want it closed", err)
	}
	e = dial()
	if _, err := e.link.Receive(testCtx(t), 0); !errors.Is(err, zvt.ErrLinkDown) {
		t.Fatalf("a connection while offline: %v, want it closed", err)
	}
	sim.SetOffline(false)
	e = dial()
	e.enquiry()
}

// TestOfflineIgnores: a Serve while offline reads and throws away what
// comes; on a serial line not even the ACK goes back.
func TestOfflineIgnores(t *testing.T) {
	for _, mode := range modes {
		t.Run(modeName(mode), func(t *testing.T) {
			sim := zvtsim.New(zvtsim.Options{Mode: mode})
			clk := newManualClock()
			e, results := servedWire(t, sim, mode, zvt.LinkOptions{Clock: clk, Repeats: -1})
			e.enquiry() // Serve runs
			waitReceived(t, sim, 2)
			for len(clk.armed) > 0 {
				<-clk.armed
			}
			changed := sim.Changed()
			sim.SetOffline(true)
			<-changed
			if err := result(t, results); !errors.Is(err, zvtsim.ErrDropped) {
				t.Fatalf("Serve when going offline = %v, want ErrDropped", err)
			}
			frame, _ := zvt.StatusEnquiryAPDU(pw).Marshal()
			if mode == zvt.Serial {
				frame = zvt.Frame(frame)
				sent := make(chan error, 1)
				go func() { sent <- e.link.Send(testCtx(t), zvt.StatusEnquiryAPDU(pw)) }()
				clk.waitArmed(t, zvt.DefaultT2)
				waitIgnored(t, sim, len(frame))
				clk.fire(zvt.DefaultT2)
				if err := <-sent; !errors.Is(err, zvt.ErrTransmission) {
					t.Fatalf("Send while offline = %v, want no ACK (ErrTransmission)", err)
				}
			} else {
				e.send(zvt.StatusEnquiryAPDU(pw))
				waitIgnored(t, sim, len(frame))
			}
			if n := len(sim.Received()); n != 2 {
				t.Fatalf("received %d APDUs, want only the 2 from before going offline", n)
			}
			sim.SetOffline(false)
			e.enquiry() // the first frame back answers this one
			if n := received(sim, zvt.CmdStatusEnquiry); n != 2 {
				t.Errorf("05 01 received %d times, want 2 (one before, one after)", n)
			}
		})
	}
}

// waitReceived waits until the simulator has recorded n APDUs (the ECR's
// last 80-00 may still be on its way when the ECR is done).
func waitReceived(t *testing.T, sim *zvtsim.Sim, n int) {
	t.Helper()
	for {
		ch := sim.Changed()
		if len(sim.Received()) >= n {
			return
		}
		select {
		case <-ch:
		case <-testCtx(t).Done():
			t.Fatalf("received %v, want %d APDUs", sim.Received(), n)
		}
	}
}

func waitIgnored(t *testing.T, sim *zvtsim.Sim, n int) {
	t.Helper()
	for {
		ch := sim.Changed()
		if sim.Ignored() >= n {
			return
		}
		select {
		case <-ch:
		case <-testCtx(t).Done():
			t.Fatalf("ignored %d bytes, want %d", sim.Ignored(), n)
		}
	}
}

// TestRefuseCurrency: 06 01 refused with 84-1E-6F (wrong currency), no
// transaction.
func TestRefuseCurrency(t *testing.T) {
	sim := zvtsim.New(zvtsim.Options{Mode: zvt.TCP})
	sim.SetDecision(zvtsim.Approve)
	sim.SetRefuseCurrency(true)
	e, _ := servedWire(t, sim, zvt.TCP, zvt.LinkOptions{})
	e.send(authAPDU(t, 1000, 0))
	e.expect(0x841E, []byte{0x6F})
	if len(sim.Txns()) != 0 {
		t.Fatalf("transactions = %+v", sim.Txns())
	}
	sim.SetRefuseCurrency(false)
	e.approval(1000, 30)
	e.send(zvt.Ack())
	e.expectAcked(zvt.CmdCompletion, []byte{})
	if got := sim.VendTimeouts(); len(got) != 2 || got[0] != 0 || got[1] != 30*time.Second {
		t.Errorf("VendTimeouts = %v, want [0s 30s]", got)
	}
}

// TestNegativeAnswerAddsReversal: 84-xx (not 9C) to the approval reverses
// it (§2.2.6 c) with a reversal Txn that Repeat Receipt reports.
func TestNegativeAnswerAddsReversal(t *testing.T) {
	for _, mode := range modes {
		t.Run(modeName(mode), func(t *testing.T) {
			sim := zvtsim.New(zvtsim.Options{Mode: mode})
			sim.SetDecision(zvtsim.Approve)
			e, _ := servedWire(t, sim, mode, zvt.LinkOptions{})
			appr := e.approval(15000, 45)
			e.send(zvt.Nak(zvt.DefaultVendFailure))
			e.expectAcked(zvt.CmdPTAbort, []byte{zvt.DefaultVendFailure})
			ts := sim.Txns()
			if len(ts) != 2 || !ts[0].Reversed || ts[1].OrigTrace != 1 || ts[1].Trace != 2 || ts[1].Code != 0 || ts[1].Receipt != 1 || ts[1].Amount != 15000 {
				t.Fatalf("transactions = %+v", ts)
			}
			if sim.Charged() != 0 {
				t.Errorf("Charged = %v", sim.Charged())
			}
			if s := e.repeatReceipt(); s.OrigTrace != appr.Trace || s.Trace != "000002" {
				t.Errorf("Repeat Receipt = %+v, want the reversal", s)
			}
			if got := sim.VendTimeouts(); len(got) != 1 || got[0] != 45*time.Second {
				t.Errorf("VendTimeouts = %v", got)
			}
		})
	}
}

// TestVendTimeoutAddsReversal: the vend time-out (30 s without BMP 01)
// reverses with a reversal Txn too.
func TestVendTimeoutAddsReversal(t *testing.T) {
	clk := newManualClock()
	sim := zvtsim.New(zvtsim.Options{Mode: zvt.TCP, Clock: clk})
	sim.SetDecision(zvtsim.Approve)
	e, _ := servedWire(t, sim, zvt.TCP, zvt.LinkOptions{})
	e.approval(3000, 0)
	clk.waitArmed(t, 30*time.Second)
	clk.fire(30 * time.Second)
	e.expectAcked(zvt.CmdPTAbort, []byte{zvt.ResultAborted})
	ts := sim.Txns()
	if len(ts) != 2 || !ts[0].Reversed || ts[1].OrigTrace != ts[0].Trace || ts[1].Approved() || sim.Charged() != 0 {
		t.Fatalf("transactions = %+v, charged %v", ts, sim.Charged())
	}
	if s := e.repeatReceipt(); s.OrigTrace != "000001" {
		t.Errorf("Repeat Receipt = %+v, want the reversal", s)
	}
	if got := sim.VendTimeouts(); len(got) != 1 || got[0] != 0 {
		t.Errorf("VendTimeouts = %v, want [0s]", got)
	}
}

// TestRepeatReceiptWithoutTransaction: nothing to repeat is 84-83.
func TestRepeatReceiptWithoutTransaction(t *testing.T) {
	for _, mode := range modes {
		t.Run(modeName(mode), func(t *testing.T) {
			sim := zvtsim.New(zvtsim.Options{Mode: mode})
			e, _ := servedWire(t, sim, mode, zvt.LinkOptions{})
			e.send(zvt.RepeatReceiptAPDU(pw))
			e.expect(0x8483, []byte{})
		})
	}
}

// dialWire connects to the simulator at addr as a bare TCP ECR.
func dialWire(t *testing.T, addr string) *wire {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return newWire(t, zvt.TCP, c, zvt.LinkOptions{})
}
