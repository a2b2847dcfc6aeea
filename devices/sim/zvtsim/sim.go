// Package zvtsim is a ZVT payment terminal (PT) simulator for testing the
// devices/zvt driver: one ECR connection at a time, serial-framed or bare
// (TCP), in vending-machine mode (ZVT 13.08 §2.2).
//
// What it does with an approval whose Status-Information (04 0F) gets no
// answer: when its vend time-out runs out (BMP 01 of the 06 01, default
// 30 s, on the simulator's clock) it reverses, as §2.2.6 says; so it does
// on a negative answer (84-xx other than 84-9C, §2.2.6 c). A reversal
// marks the approval Reversed and adds a reversal Txn of its own (new
// trace number, OrigTrace the approval's), which Repeat Receipt then
// reports as the last transaction. When the link fails instead, or the
// ECR sends another command, the approval stays charged and
// "undetermined": the ECR is expected to recover it with Repeat Receipt
// (06 20) and then keep it or reverse it (06 30). A real PT would
// auto-reverse at once (§2.2.8); keeping it lets the driver's recovery be
// tested end to end. Only a Restart (the PT reboots) auto-reverses an
// approval still undetermined.
//
// Field faults it can play: Restart (a reboot, with stale frames on the
// next connection), QueueStale (stale frames before an answer), SetHang
// (a terminal that hangs after 06 01 until Abort), SetOffline (the link
// drops and stays down), SetRefuseCurrency (06 01 refused with 84-1E-6F)
// and the existing SetSilent, SetDropAfterAck, CardAnswerLost and
// DropLink.
package zvtsim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"selvkasse/devices/zvt"
	"selvkasse/kiosk"
)

// Decision is what the simulated customer's card does with a payment.
type Decision int

const (
	Hold    Decision = iota // wait for Card or CardLost (the default)
	Approve                 // approve at once
	Decline                 // decline at once
)

// ReceiptStyle is how receipt lines are sent.
type ReceiptStyle int

const (
	NoReceipt  ReceiptStyle = iota
	PrintLines              // 06 D1 per line
	TextBlock               // one 06 D3
)

// TerminalID is the simulator's terminal id (BMP 29).
const TerminalID = "52523535"

// ErrDropped: Serve ended because the simulator dropped the link.
var ErrDropped = errors.New("zvtsim: link dropped by the simulator")

// Txn is one payment or reversal the simulator decided.
type Txn struct {
	Amount    kiosk.Money
	Code      byte // result code; 00 approved
	Trace     int
	Receipt   int
	OrigTrace int  // for a reversal: the trace reversed
	Refund    bool // a refund (06 31): money back to the card
	Confirmed bool // the ECR answered the approval with 80-00 (goods released)
	Reversed  bool
	At        time.Time
}

// Approved reports whether t is an approved payment.
func (t *Txn) Approved() bool { return t.Code == zvt.ResultOK && t.OrigTrace == 0 && !t.Refund }

// Refunded reports whether t is an approved refund.
func (t *Txn) Refunded() bool { return t.Code == zvt.ResultOK && t.Refund }

// Options configure a Sim.
type Options struct {
	Mode zvt.Mode
	// Clock drives the vend time-out and the 84-9C repeat delay; nil is
	// the system clock. Link time-outs (T1, T2) use the system clock.
	Clock kiosk.Clock
	// VendTimeout is how long an approval waits for the ECR's answer when
	// the 06 01 had no BMP 01 (§2.2.1 default 30 s); < 0 waits forever.
	VendTimeout time.Duration
	// RepeatDelay is the wait before repeating the Status-Information
	// after 84-9C (§2.2.6 b: 2 s); < 0 means none.
	RepeatDelay time.Duration
}

type custEvent struct {
	approve bool
	lose    bool
	code    byte // a result other than the issuer's: ResultAborted for a time-out
	drop    bool // the link goes down while the customer is at the terminal
}

// Sim is the simulated terminal. Its behaviour can be switched at any time
// from any goroutine.
type Sim struct {
	opt Options

	mu           sync.Mutex
	decision     Decision
	declineIf    func(kiosk.Money) bool
	askPIN       bool
	receipt      ReceiptStyle
	receiptPAN   string
	silent       bool
	dropAfterAck bool
	loseNext     bool
	trace, rcpt  int
	txns         []*Txn
	dayStart     int  // txns before it were in an end of day already
	dayRcpt      int  // the last receipt number of the last end of day
	last         *Txn // the last decided transaction, for Repeat Receipt
	received     []zvt.APDU
	waits        []kiosk.Money // amounts of holds, in order
	given        int
	holding      bool // a payment waits for the customer now
	held         kiosk.Money
	wake         chan struct{}
	customer     chan custEvent

	hang           bool
	collide        bool
	refuseCurrency bool
	offline        bool
	ignored        int // bytes read and thrown away while offline
	aborts         int // 06 B0 received
	vendTimeouts   []time.Duration
	stale          []zvt.APDU // Restart's: first on the next connection
	queued         []zvt.APDU // QueueStale's: before the next answer
	conns          map[*conn]bool
	streams        map[any]*stream
	// authConn is the connection whose 06 01 was acknowledged and is not
	// decided yet, for authAmount.
	authConn   *conn
	authAmount kiosk.Money
	// pending is the approval whose Status-Information the ECR has not
	// answered (undetermined), nil when none.
	pending *Txn
}

// New returns a simulator that holds each payment for the customer,
// declines amounts ending in ,13 and sends no receipt lines.
func New(opt Options) *Sim {
	if opt.Clock == nil {
		opt.Clock = kiosk.SystemClock{}
	}
	if opt.VendTimeout == 0 {
		opt.VendTimeout = 30 * time.Second
	}
	if opt.RepeatDelay == 0 {
		opt.RepeatDelay = 2 * time.Second
	}
	return &Sim{
		opt: opt, declineIf: func(m kiosk.Money) bool { return m%100 == 13 },
		receiptPAN: "************1234", wake: make(chan struct{}), customer: make(chan custEvent, 1),
	}
}

func (s *Sim) changedLocked() {
	close(s.wake)
	s.wake = make(chan struct{})
}

// set runs f under the lock and wakes the observers.
func (s *Sim) set(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
	s.changedLocked()
}

// SetDecision sets what happens to the next payments.
func (s *Sim) SetDecision(d Decision) { s.set(func() { s.decision = d }) }

// SetDeclineIf sets which amounts are declined whatever the decision; nil
// declines none.
func (s *Sim) SetDeclineIf(f func(kiosk.Money) bool) { s.set(func() { s.declineIf = f }) }

// SetAskPIN makes the simulator ask for the PIN (04 FF 01) before deciding.
func (s *Sim) SetAskPIN(on bool) { s.set(func() { s.askPIN = on }) }

// SetReceipt sets how receipt lines are sent and the card number printed
// on them (as given: pass a full number to test the ECR's masking).
func (s *Sim) SetReceipt(style ReceiptStyle, pan string) {
	s.set(func() {
		s.receipt = style
		if pan != "" {
			s.receiptPAN = pan
		}
	})
}

// SetSilent makes the simulator ignore 06 01: no 80-00, nothing.
func (s *Sim) SetSilent(on bool) { s.set(func() { s.silent = on }) }

// SetDropAfterAck makes Serve return ErrDropped right after it answered
// the next 06 01 with 80-00: the caller then closes the connection.
func (s *Sim) SetDropAfterAck(on bool) { s.set(func() { s.dropAfterAck = on }) }

// Restart plays a reboot of the PT. The connection being served is
// dropped: Serve returns ErrDropped (ServeListener closes that connection
// and accepts the next). A payment in progress (06 01 acknowledged, not
// decided: waiting for the customer, or hung) is aborted and recorded with
// result 6C (ZVT 13.08 ch. 10, "abort via timeout or abort-key"). An
// approval still awaiting the ECR's answer (undetermined: its
// Status-Information unanswered, and not fetched since by Repeat Receipt)
// is auto-reversed, as §2.2.8 requires of a PT that got no answer: it is
// marked Reversed and a reversal Txn is added with a new trace number,
// OrigTrace the approval's, result 00, the same amount and receipt number,
// so that Repeat Receipt (§2.20) afterwards reports the reversal, with
// BMP 37. Trace and receipt counters and the transactions survive.
//
// stale are frames from before the reboot (say 04 0F of an old sale,
// 06 1E, 84-A0, 80-00). They are sent unsolicited, in order, as the first
// thing on the next connection served (Serve on a new stream, or again on
// the same serial line), or before the next answer if a Serve loop is
// still running; the simulator does not wait for the ECR to answer them
// (a serial link still waits for its ACK byte). They break PA00P016 §5.1
// (the PT sends nothing unsolicited), as a rebooting PT may.
func (s *Sim) Restart(stale ...zvt.APDU) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.authConn != nil {
		s.newTxnLocked(s.authAmount, zvt.ResultAborted)
		s.authConn = nil
	}
	if t := s.pending; t != nil && !t.Reversed {
		s.reverseLocked(t)
	}
	s.pending = nil
	s.holding = false
	for c := range s.conns {
		c.dropLocked()
	}
	select {
	case <-s.customer: // the customer's card from before the reboot
	default:
	}
	s.stale = append(s.stale, copyAPDUs(stale)...)
	s.changedLocked()
}

// QueueStale makes the simulator answer the next command it receives
// from the ECR first with frames, in order, without waiting for any
// answer to them, and then handle the command as usual: stale frames (of
// an earlier exchange) that reach the ECR paired with the wrong command.
// The PT, a slave, may send nothing unsolicited (PA00P016 §5.1); an ECR
// has to tell such frames from the real answer.
func (s *Sim) QueueStale(frames ...zvt.APDU) {
	s.set(func() { s.queued = append(s.queued, copyAPDUs(frames)...) })
}

func copyAPDUs(as []zvt.APDU) []zvt.APDU {
	out := make([]zvt.APDU, len(as))
	for i, a := range as {
		out[i] = zvt.APDU{Cmd: a.Cmd, Data: append([]byte(nil), a.Data...)}
	}
	return out
}

// SetHang plays a hung terminal. After it acknowledged a 06 01 with 80-00
// and sent Intermediate Status 04 FF (insert card), the PT sends nothing
// more until the ECR's Abort 06 B0 (ZVT 13.08 §2.23), which it answers
// with 80-00, records as a payment aborted (result 6C) and ends with
// Abort 06 1E 6C (§3.3). Meanwhile any other command is refused with
// 84-A0, "receiver not ready" (ZVT 13.08 ch. 10): the terminal is busy.
// The mode is read when a 06 01 arrives; the hang lasts until the Abort,
// a Restart or the link's end.
func (s *Sim) SetHang(on bool) { s.set(func() { s.hang = on }) }

// SetCollide plays the protocol conflict of ZVT 13.08 §2.21 ("Caution"):
// the ECR's Abort 06 B0 crosses the PT's Intermediate Status 04 FF
// (insert card) on the line. After it acknowledged a 06 01 with 80-00,
// the PT waits for the ECR's next message before it sends its 04 FF, so
// the two cross every time. Each side then gets a command where it
// waits for an answer: the PT answers neither the Abort nor anything
// after its 04 FF and falls back into its basic state, with the payment
// not carried out and no transaction recorded; the ECR is master again.
// The mode is read when a 06 01 arrives.
func (s *Sim) SetCollide(on bool) { s.set(func() { s.collide = on }) }

// Aborts reports how many Abort 06 B0 the simulator received.
func (s *Sim) Aborts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.aborts
}

// SetOffline plays a link that goes down and comes back (on TCP the
// connection the ECR opened, PA00P016 §2.2, is cut by the PT). On: the
// connection being served is dropped (Serve returns ErrDropped; for TCP
// the caller, or ServeListener, closes it), and while offline
// ServeListener accepts each new connection and closes it at once, and a
// Serve reads its stream and throws everything away: nothing is
// acknowledged (on a serial line not even by ACK, PA00P016 §3.4) or
// answered, so the ECR's time-outs run out. Off: the simulator serves
// again. A payment in progress is lost as on any link failure, and an
// approval awaiting its answer stays undetermined (not reversed).
func (s *Sim) SetOffline(on bool) {
	s.set(func() {
		s.offline = on
		if on {
			for c := range s.conns {
				c.dropLocked()
			}
		}
	})
}

// Ignored reports how many bytes the simulator read and threw away while
// offline.
func (s *Sim) Ignored() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ignored
}

func (s *Sim) isOffline() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.offline
}

func (s *Sim) ignore(n int) { s.set(func() { s.ignored += n }) }

// SetRefuseCurrency makes the simulator refuse each 06 01 with the
// negative acknowledgement 84-1E-6F: 6F is "wrong currency" (ZVT 13.08
// ch. 10), in the form §2.1 gives it (84-1E-xx-6F[<CC>], without the
// currency code). No transaction is recorded.
func (s *Sim) SetRefuseCurrency(on bool) { s.set(func() { s.refuseCurrency = on }) }

// VendTimeouts reports the vend time-out each 06 01 received carried
// (BMP 01, ZVT 13.08 §2.2.1), oldest first; 0 when it had none.
func (s *Sim) VendTimeouts() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.vendTimeouts...)
}

// Card decides the payment the customer is holding: approve or decline.
func (s *Sim) Card(approve bool) { s.customer <- custEvent{approve: approve} }

// CardAnswerLost decides it the same way but the Status-Information never
// leaves: Serve returns ErrDropped after deciding (and charging). The
// caller drops the link.
func (s *Sim) CardAnswerLost(approve bool) { s.customer <- custEvent{approve: approve, lose: true} }

// Changed returns a channel that is closed at the simulator's next change
// (a payment waiting or no longer, a transaction decided, an APDU
// received, stale frames sent, bytes ignored offline, a setting, a
// Restart), for a window that shows it or a test that waits for it.
func (s *Sim) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.wake
}

// Holding reports whether a payment waits for the customer now, and its
// amount.
func (s *Sim) Holding() (kiosk.Money, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.held, s.holding
}

// Present is what a person at a simulator does: it decides the payment
// that waits for the customer now, and reports false (doing nothing)
// when none waits. approve true approves, false declines.
func (s *Sim) Present(approve bool) bool { return s.offer(custEvent{approve: approve}) }

// TimeOut lets the waiting payment time out at the terminal, as when the
// customer walks away: it ends declined with result 6C (aborted).
func (s *Sim) TimeOut() bool { return s.offer(custEvent{code: zvt.ResultAborted}) }

// DropLink cuts the link while the customer is at the terminal: nothing
// is decided or charged, and Serve returns ErrDropped; the ECR hears
// nothing more of this payment.
func (s *Sim) DropLink() bool { return s.offer(custEvent{drop: true}) }

func (s *Sim) offer(ev custEvent) bool {
	s.mu.Lock()
	holding := s.holding
	s.mu.Unlock()
	if !holding {
		return false
	}
	select {
	case s.customer <- ev:
		return true
	default:
		return false // a decision is already on its way
	}
}

// WaitCustomer returns the amount of the next payment that reached the
// terminal and waits for the customer, waiting for one if need be.
func (s *Sim) WaitCustomer(ctx context.Context) (kiosk.Money, error) {
	for {
		s.mu.Lock()
		if s.given < len(s.waits) {
			m := s.waits[s.given]
			s.given++
			s.mu.Unlock()
			return m, nil
		}
		w := s.wake
		s.mu.Unlock()
		select {
		case <-w:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}

// Wait waits until cond holds for the transactions decided so far (it is
// called with copies, under no lock) or ctx ends.
func (s *Sim) Wait(ctx context.Context, cond func([]Txn) bool) error {
	for {
		s.mu.Lock()
		w := s.wake
		s.mu.Unlock()
		if cond(s.Txns()) {
			return nil
		}
		select {
		case <-w:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Charged is approvals minus reversals.
func (s *Sim) Charged() kiosk.Money {
	s.mu.Lock()
	defer s.mu.Unlock()
	var m kiosk.Money
	for _, t := range s.txns {
		if t.Approved() && !t.Reversed {
			m += t.Amount
		}
	}
	return m
}

// Txns returns copies of the transactions decided so far.
func (s *Sim) Txns() []Txn {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Txn, len(s.txns))
	for i, t := range s.txns {
		out[i] = *t
	}
	return out
}

// Received returns the APDUs received, oldest first.
func (s *Sim) Received() []zvt.APDU {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]zvt.APDU(nil), s.received...)
}

// conn is one served connection.
type conn struct {
	s      *Sim
	link   zvt.Link
	ctx    context.Context
	cancel context.CancelCauseFunc
	view   *view
	gone   bool // dropped or ended: it decides nothing more (under s.mu)
}

// dropLocked ends c from outside: Serve returns ErrDropped.
func (c *conn) dropLocked() {
	if c.gone {
		return
	}
	c.gone = true
	c.cancel(ErrDropped)
	c.link.Close()
	c.view.close()
}

// dropped reports whether the simulator dropped c.
func (c *conn) dropped() bool { return errors.Is(context.Cause(c.ctx), ErrDropped) }

// Serve answers the ECR on rw until ctx ends, the stream ends (nil for
// EOF) or the simulator drops the link (ErrDropped). It does not close rw.
// It may be called again on the same rw (a serial line) after it
// returned: nothing the ECR sent in between is lost. Frames left by
// Restart are sent first.
func (s *Sim) Serve(ctx context.Context, rw io.ReadWriter) error {
	return s.serve(ctx, rw, false)
}

// serve is Serve; refuseOffline ends it at once (ErrDropped) when the
// simulator is offline.
func (s *Sim) serve(ctx context.Context, rw io.ReadWriter, refuseOffline bool) error {
	v := s.attach(rw)
	cctx, cancel := context.WithCancelCause(ctx)
	var l zvt.Link
	if s.opt.Mode == zvt.Serial {
		l = zvt.NewSerialLink(v, zvt.LinkOptions{})
	} else {
		l = zvt.NewTCPLink(v, zvt.LinkOptions{})
	}
	c := &conn{s: s, link: l, ctx: cctx, cancel: cancel, view: v}
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		c.gone = true
		if s.authConn == c {
			s.authConn = nil
		}
		s.mu.Unlock()
		cancel(nil)
		l.Close()
		v.close()
	}()
	s.mu.Lock()
	if refuseOffline && s.offline {
		s.mu.Unlock()
		return ErrDropped
	}
	if s.conns == nil {
		s.conns = map[*conn]bool{}
	}
	s.conns[c] = true
	s.mu.Unlock()
	if err := c.flushStale(false); err != nil {
		return c.end(err)
	}
	for {
		a, err := l.Receive(cctx, 0)
		if err != nil {
			if c.dropped() {
				return ErrDropped
			}
			if errors.Is(err, zvt.ErrLinkDown) && errors.Is(err, io.EOF) {
				return nil
			}
			if errors.Is(err, zvt.ErrLinkDown) && !isPermanent(err) {
				continue // a glitch: keep listening
			}
			return err
		}
		if err := c.handle(a); err != nil {
			if c.dropped() || errors.Is(err, ErrDropped) || ctx.Err() != nil || isPermanent(err) {
				return c.end(err)
			}
			// A failed send: the ECR did not get it; wait for its next command.
		}
	}
}

// end is what Serve returns for err.
func (c *conn) end(err error) error {
	if c.dropped() {
		return ErrDropped
	}
	return err
}

// flushStale sends the frames Restart left and, before the answer to a
// command, those QueueStale queued, without waiting for answers. Nothing
// is sent while offline: the frames wait.
func (c *conn) flushStale(command bool) error {
	s := c.s
	s.mu.Lock()
	if s.offline || c.gone {
		s.mu.Unlock()
		return nil
	}
	frames := s.stale
	s.stale = nil
	if command {
		frames = append(frames, s.queued...)
		s.queued = nil
	}
	if len(frames) > 0 {
		s.changedLocked()
	}
	s.mu.Unlock()
	for _, f := range frames {
		if err := c.send(f); err != nil {
			if c.dropped() || c.ctx.Err() != nil || isPermanent(err) {
				return err
			}
			// Not acknowledged (serial): junk anyway; go on.
		}
	}
	return nil
}

func (c *conn) record(a zvt.APDU) {
	c.s.mu.Lock()
	c.s.received = append(c.s.received, zvt.APDU{Cmd: a.Cmd, Data: append([]byte(nil), a.Data...)})
	if a.Cmd == zvt.CmdAbort {
		c.s.aborts++
	}
	c.s.changedLocked()
	c.s.mu.Unlock()
}

// took records a received APDU and, for a command, first sends the stale
// frames due before its answer.
func (c *conn) took(a zvt.APDU) error {
	c.record(a)
	if a.IsResponse() {
		return nil
	}
	return c.flushStale(true)
}

func (c *conn) send(a zvt.APDU) error { return c.link.Send(c.ctx, a) }

// sendAcked sends a PT command and waits for the ECR's 80-00.
func (c *conn) sendAcked(a zvt.APDU) error {
	if err := c.send(a); err != nil {
		return err
	}
	r, err := c.link.Receive(c.ctx, 0)
	if err != nil {
		return err
	}
	c.record(r)
	if !r.Positive() {
		return fmt.Errorf("zvtsim: ECR answered %v with %v", a.Cmd, r.Cmd)
	}
	return nil
}

func (c *conn) handle(a zvt.APDU) error {
	if err := c.took(a); err != nil {
		return err
	}
	return c.dispatch(a)
}

// dispatch answers a, already recorded.
func (c *conn) dispatch(a zvt.APDU) error {
	switch a.Cmd {
	case zvt.CmdRegistration:
		return c.registration(a)
	case zvt.CmdStatusEnquiry:
		if err := c.send(zvt.Ack()); err != nil {
			return err
		}
		ver := []byte("zvtsim 1.0")
		d := append([]byte{0xF0, 0xF1, 0xF0}, ver...)
		d[1] = 0xF0 | byte(len(ver)/10)
		d[2] = 0xF0 | byte(len(ver)%10)
		return c.sendAcked(zvt.APDU{Cmd: zvt.CmdCompletion, Data: append(d, 0x00)})
	case zvt.CmdAuthorization:
		return c.authorize(a)
	case zvt.CmdRepeatReceipt:
		return c.repeat()
	case zvt.CmdReversal:
		return c.reversal(a)
	case zvt.CmdRefund:
		return c.refund(a)
	case zvt.CmdEndOfDay:
		return c.endOfDay()
	case zvt.CmdAbort:
		return c.send(zvt.Ack())
	}
	if a.IsResponse() {
		return nil // an answer to something we no longer wait for
	}
	return c.send(zvt.Nak(0x83)) // function not possible
}

func (c *conn) registration(a zvt.APDU) error {
	if len(a.Data) < 4 {
		return c.send(zvt.Nak(0x9A))
	}
	if len(a.Data) >= 6 && (a.Data[4] != 0x05 || a.Data[5] != 0x78) {
		return c.send(zvt.APDU{Cmd: 0x841E, Data: []byte{0x6F}}) // wrong currency (§2.1)
	}
	if err := c.send(zvt.Ack()); err != nil {
		return err
	}
	d := []byte{zvt.BMPPaymentType, zvt.StatusVending, zvt.BMPTerminalID}
	d = append(d, zvt.BCD(52523535, 4)...)
	d = append(d, zvt.BMPCurrency, 0x05, 0x78)
	return c.sendAcked(zvt.APDU{Cmd: zvt.CmdCompletion, Data: d})
}

// statusAPDU is the Status-Information for t (ZVT 13.08 §3.1.1).
func (c *conn) statusAPDU(t *Txn) zvt.APDU {
	d := []byte{zvt.BMPResult, t.Code}
	amt, _ := zvt.AmountBCD(t.Amount)
	d, _ = zvt.AppendField(d, zvt.BMPAmount, amt)
	d, _ = zvt.AppendField(d, zvt.BMPCurrency, zvt.CurrencyNOK)
	d, _ = zvt.AppendField(d, zvt.BMPTrace, zvt.BCD(uint64(t.Trace), 3))
	d, _ = zvt.AppendField(d, zvt.BMPTime, zvt.BCD(uint64(t.At.Hour()*10000+t.At.Minute()*100+t.At.Second()), 3))
	d, _ = zvt.AppendField(d, zvt.BMPDate, zvt.BCD(uint64(int(t.At.Month())*100+t.At.Day()), 2))
	d, _ = zvt.AppendField(d, zvt.BMPTerminalID, zvt.BCD(52523535, 4))
	if t.OrigTrace != 0 {
		d, _ = zvt.AppendField(d, zvt.BMPOrigTrace, zvt.BCD(uint64(t.OrigTrace), 3))
	}
	if t.Code == zvt.ResultOK {
		d, _ = zvt.AppendField(d, zvt.BMPReceiptNo, zvt.BCD(uint64(t.Receipt), 2))
		d, _ = zvt.AppendField(d, zvt.BMPPaymentType, []byte{0x60})
		d, _ = zvt.AppendField(d, zvt.BMPPAN, []byte{0x55, 0x98, 0x83, 0xEE, 0xEE, 0xEE, 0x12, 0x34}) // masked (BMP 22, 'E')
		d, _ = zvt.AppendField(d, zvt.BMPCardType, []byte{0x06})
		d, _ = zvt.AppendField(d, zvt.BMPCardName, append([]byte("MasterCard"), 0))
		d, _ = zvt.AppendField(d, zvt.BMPAID, []byte("123456\x00\x00"))
	}
	return zvt.APDU{Cmd: zvt.CmdStatusInfo, Data: d}
}

// receiptLines sends t's receipt as configured (§2.2.7).
func (c *conn) receiptLines(t *Txn) error {
	c.s.mu.Lock()
	style, pan := c.s.receipt, c.s.receiptPAN
	c.s.mu.Unlock()
	what := "Kjøp"
	switch {
	case t.OrigTrace != 0:
		what = "Annullering"
	case t.Refund:
		what = "Retur"
	}
	lines := []string{
		"** Kundekvittering **",
		what + " MasterCard",
		"Kort " + pan,
		fmt.Sprintf("Beløp NOK %d,%02d", t.Amount/100, t.Amount%100),
		fmt.Sprintf("Trace %06d  Kvittering %04d", t.Trace, t.Receipt),
	}
	switch style {
	case PrintLines:
		for i, l := range lines {
			attr := byte(0)
			if i == len(lines)-1 {
				attr = 0x81
			}
			if err := c.sendAcked(zvt.PrintLineAPDU(attr, l)); err != nil {
				return err
			}
		}
	case TextBlock:
		return c.sendAcked(zvt.PrintTextAPDU(1, lines))
	}
	return nil
}

// newTxnLocked records a decided transaction.
func (s *Sim) newTxnLocked(amount kiosk.Money, code byte) *Txn {
	s.trace++
	t := &Txn{Amount: amount, Code: code, Trace: s.trace, At: s.opt.Clock.Now()}
	if code == zvt.ResultOK {
		s.rcpt++
		t.Receipt = s.rcpt
	}
	s.txns = append(s.txns, t)
	s.last = t
	s.changedLocked()
	return t
}

// reverseLocked reverses the approval t: t is marked Reversed and a
// reversal with a trace number of its own, OrigTrace t's (BMP 37), result
// 00 and t's amount and receipt number is recorded and becomes the last
// transaction, the one Repeat Receipt reports (ZVT 13.08 §2.20.2). The
// reversal uses up a receipt number, as its own receipt would.
func (s *Sim) reverseLocked(t *Txn) *Txn {
	t.Reversed = true
	r := s.newTxnLocked(t.Amount, zvt.ResultOK)
	r.OrigTrace, r.Receipt = t.Trace, t.Receipt
	if s.pending == t {
		s.pending = nil
	}
	return r
}

// decide records the outcome of the payment c is authorizing; an
// approval is undetermined until the ECR answers it. ErrDropped when c
// was dropped (a Restart decided it).
func (c *conn) decide(amount kiosk.Money, code byte) (*Txn, error) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.gone {
		return nil, ErrDropped
	}
	if s.authConn == c {
		s.authConn = nil
	}
	t := s.newTxnLocked(amount, code)
	if code == zvt.ResultOK {
		s.pending = t
	}
	return t, nil
}

// confirm records the ECR's positive answer to the approval t.
func (c *conn) confirm(t *Txn) error {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.gone {
		return ErrDropped
	}
	t.Confirmed = true
	if s.pending == t {
		s.pending = nil
	}
	s.changedLocked()
	return nil
}

// reverse reverses the approval t (reverseLocked) and returns the reversal.
func (c *conn) reverse(t *Txn) (*Txn, error) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.gone {
		return nil, ErrDropped
	}
	return s.reverseLocked(t), nil
}

// vendTimeoutOf is BMP 01 of a 06 01's data, 0 when absent.
func vendTimeoutOf(data []byte) time.Duration {
	fs, _ := zvt.ParseFields(data) // the fields before a bad one count
	for _, f := range fs {
		if f.BMP == zvt.BMPTimeout && len(f.Data) == 1 {
			return time.Duration(f.Data[0]) * time.Second
		}
	}
	return 0
}

func (c *conn) authorize(a zvt.APDU) error {
	s := c.s
	s.set(func() { s.vendTimeouts = append(s.vendTimeouts, vendTimeoutOf(a.Data)) })
	req, err := zvt.ParseAuthorization(a.Data)
	if err != nil {
		return c.send(zvt.Nak(0x9A))
	}
	s.mu.Lock()
	silent, drop, decision, pin, hang, refuse := s.silent, s.dropAfterAck, s.decision, s.askPIN, s.hang, s.refuseCurrency
	collide := s.collide
	declineAmt := s.declineIf != nil && s.declineIf(req.Amount)
	s.mu.Unlock()
	if silent {
		return nil
	}
	if refuse {
		return c.send(zvt.APDU{Cmd: 0x841E, Data: []byte{0x6F}}) // wrong currency (§2.1)
	}
	if err := c.send(zvt.Ack()); err != nil {
		return err
	}
	if drop {
		return ErrDropped
	}
	s.mu.Lock()
	if c.gone {
		s.mu.Unlock()
		return ErrDropped
	}
	s.authConn, s.authAmount = c, req.Amount
	s.changedLocked()
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		if s.authConn == c { // ended undecided: the link failed
			s.authConn = nil
			s.changedLocked()
		}
		s.mu.Unlock()
	}()
	if collide {
		return c.collision()
	}
	if err := c.sendAcked(zvt.APDU{Cmd: zvt.CmdIntermediate, Data: []byte{0x0A}}); err != nil { // insert card
		return err
	}
	if hang {
		return c.hung(req.Amount)
	}
	ev := custEvent{approve: decision == Approve}
	if decision == Hold {
		var aborted bool
		ev, aborted, err = c.holdForCustomer(req.Amount)
		if err != nil {
			return err
		}
		if ev.drop {
			return ErrDropped
		}
		if aborted {
			if _, err := c.decide(req.Amount, zvt.ResultAborted); err != nil {
				return err
			}
			if err := c.send(zvt.Ack()); err != nil {
				return err
			}
			return c.sendAcked(zvt.APDU{Cmd: zvt.CmdPTAbort, Data: []byte{zvt.ResultAborted}})
		}
	}
	if pin {
		if err := c.sendAcked(zvt.APDU{Cmd: zvt.CmdIntermediate, Data: []byte{0x01}}); err != nil {
			return err
		}
	}
	if err := c.sendAcked(zvt.APDU{Cmd: zvt.CmdIntermediate, Data: []byte{0x0E}}); err != nil { // please wait
		return err
	}
	code := byte(0x05) // declined by the issuer's host (01–63)
	switch {
	case ev.code != 0:
		code = ev.code
	case ev.approve && !declineAmt:
		code = zvt.ResultOK
	}
	t, err := c.decide(req.Amount, code)
	if err != nil {
		return err
	}
	if ev.lose {
		return ErrDropped
	}
	if code != zvt.ResultOK {
		if err := c.sendAcked(c.statusAPDU(t)); err != nil {
			return err
		}
		return c.sendAcked(zvt.APDU{Cmd: zvt.CmdPTAbort, Data: []byte{code}})
	}
	vendTimeout := s.opt.VendTimeout
	if req.VendTimeout > 0 {
		vendTimeout = time.Duration(req.VendTimeout) * time.Second
	}
	return c.vend(t, vendTimeout)
}

// hung is SetHang's terminal after its 04 FF: silent until Abort 06 B0
// (ZVT 13.08 §2.23), refusing every other command with 84-A0, receiver
// not ready (ch. 10).
func (c *conn) hung(amount kiosk.Money) error {
	for {
		a, err := c.link.Receive(c.ctx, 0)
		if err != nil {
			if errors.Is(err, zvt.ErrLinkDown) && !isPermanent(err) && !c.dropped() {
				continue // a glitch: still hung
			}
			return err
		}
		if err := c.took(a); err != nil {
			return err
		}
		switch {
		case a.Cmd == zvt.CmdAbort:
			if err := c.send(zvt.Ack()); err != nil {
				return err
			}
			if _, err := c.decide(amount, zvt.ResultAborted); err != nil {
				return err
			}
			return c.sendAcked(zvt.APDU{Cmd: zvt.CmdPTAbort, Data: []byte{zvt.ResultAborted}})
		case a.IsResponse():
		default:
			if err := c.send(zvt.Nak(0xA0)); err != nil {
				return err
			}
		}
	}
}

// collision is SetCollide's terminal after its 80-00 to a 06 01: the
// ECR's next message (its Abort) and the PT's 04 FF cross, and the PT
// falls back into its basic state (ZVT 13.08 §2.21, "Caution"): the
// crossed message is recorded but not answered, the 04 FF is sent
// without waiting for its 80-00, and the payment ends undone, without a
// transaction. The 80-00 the ECR sends to the 04 FF arrives in the basic
// state, where an answer to nothing is ignored.
func (c *conn) collision() error {
	a, err := c.link.Receive(c.ctx, 0)
	if err != nil {
		return err
	}
	c.record(a)
	return c.send(zvt.APDU{Cmd: zvt.CmdIntermediate, Data: []byte{0x0A}}) // insert card
}

// holdForCustomer waits for Card/CardAnswerLost or the ECR's Abort.
func (c *conn) holdForCustomer(amount kiosk.Money) (custEvent, bool, error) {
	s := c.s
	s.mu.Lock()
	s.waits = append(s.waits, amount)
	s.holding, s.held = true, amount
	s.changedLocked()
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.holding = false
		s.changedLocked()
		s.mu.Unlock()
	}()
	for {
		rctx, cancel := context.WithCancel(c.ctx)
		got := make(chan custEvent, 1)
		done := make(chan struct{})
		go func() {
			defer close(done)
			select {
			case ev := <-s.customer:
				got <- ev
				cancel()
			case <-rctx.Done():
			}
		}()
		a, err := c.link.Receive(rctx, 0)
		cancel()
		<-done
		var ev custEvent
		select {
		case ev = <-got:
			if err != nil {
				return ev, false, nil
			}
			// An APDU came in the same moment as the card. An Abort wins
			// (the card came too late); anything else is refused and the
			// card counts.
			if err := c.took(a); err != nil {
				return custEvent{}, false, err
			}
			if a.Cmd == zvt.CmdAbort {
				return custEvent{}, true, nil
			}
			if !a.IsResponse() {
				if err := c.send(zvt.Nak(0x83)); err != nil {
					return custEvent{}, false, err
				}
			}
			return ev, false, nil
		default:
		}
		if err != nil {
			return custEvent{}, false, err
		}
		if err := c.took(a); err != nil {
			return custEvent{}, false, err
		}
		if a.Cmd == zvt.CmdAbort {
			return custEvent{}, true, nil
		}
		if !a.IsResponse() {
			if err := c.send(zvt.Nak(0x83)); err != nil {
				return custEvent{}, false, err
			}
		}
	}
}

// vend sends the approval and waits for the ECR's verdict on the goods
// (ZVT 13.08 §2.2.6): 80-00/84-00 completes, 84-9C repeats the
// Status-Information after RepeatDelay, 84-xx (other) and the vend
// time-out reverse (a reversal Txn is added, reverseLocked). A failed link
// leaves the approval undetermined.
func (c *conn) vend(t *Txn, timeout time.Duration) error {
	var expired chan struct{}
	if timeout > 0 {
		expired = make(chan struct{})
		tm := c.s.opt.Clock.AfterFunc(timeout, func() { close(expired) })
		defer tm.Stop()
	}
	for {
		if err := c.send(c.statusAPDU(t)); err != nil {
			return err
		}
		rctx, cancel := context.WithCancel(c.ctx)
		stop := make(chan struct{})
		go func() {
			select {
			case <-expired:
				cancel()
			case <-stop:
			}
		}()
		r, err := c.link.Receive(rctx, 0)
		close(stop)
		cancel()
		if err != nil {
			select {
			case <-expired:
				if _, err := c.reverse(t); err != nil {
					return err
				}
				return c.sendAcked(zvt.APDU{Cmd: zvt.CmdPTAbort, Data: []byte{zvt.ResultAborted}})
			default:
			}
			return err
		}
		c.record(r)
		switch {
		case r.Positive():
			if err := c.confirm(t); err != nil {
				return err
			}
			if err := c.receiptLines(t); err != nil {
				return err
			}
			return c.sendAcked(zvt.APDU{Cmd: zvt.CmdCompletion})
		case r.Cmd == 0x8400|zvt.Cmd(zvt.ResultPleaseWait):
			if d := c.s.opt.RepeatDelay; d > 0 {
				wait := make(chan struct{})
				tm := c.s.opt.Clock.AfterFunc(d, func() { close(wait) })
				select {
				case <-wait:
				case <-c.ctx.Done():
					tm.Stop()
					return c.ctx.Err()
				}
			}
		case r.IsResponse():
			if _, err := c.reverse(t); err != nil {
				return err
			}
			return c.sendAcked(zvt.APDU{Cmd: zvt.CmdPTAbort, Data: []byte{r.Cmd.Instr()}})
		default:
			// A new command instead of an answer: the ECR lost our
			// Status-Information. The approval stays undetermined.
			if err := c.flushStale(true); err != nil {
				return err
			}
			return c.dispatch(r)
		}
	}
}

// repeat answers Repeat Receipt (ZVT 13.08 §2.20) with the last
// transaction's Status-Information, receipt and Completion. With no
// transaction yet there is nothing to repeat: 84-83, "function not
// possible" (ch. 10). Once the ECR has the Status-Information of an
// undetermined approval, the approval is its to keep or reverse (06 30):
// Restart no longer auto-reverses it.
func (c *conn) repeat() error {
	s := c.s
	s.mu.Lock()
	last := s.last
	s.mu.Unlock()
	if last == nil {
		return c.send(zvt.Nak(0x83))
	}
	if err := c.send(zvt.Ack()); err != nil {
		return err
	}
	if err := c.sendAcked(c.statusAPDU(last)); err != nil {
		return err
	}
	s.mu.Lock()
	if s.pending == last && !c.gone {
		s.pending = nil
		s.changedLocked()
	}
	s.mu.Unlock()
	if last.Code == zvt.ResultOK {
		if err := c.receiptLines(last); err != nil {
			return err
		}
	}
	return c.sendAcked(zvt.APDU{Cmd: zvt.CmdCompletion})
}

func (c *conn) reversal(a zvt.APDU) error {
	if len(a.Data) < 3 {
		return c.send(zvt.Nak(0x9A))
	}
	fs, err := zvt.ParseFields(a.Data[3:])
	if err != nil {
		return c.send(zvt.Nak(0x9A))
	}
	var no uint64
	for _, f := range fs {
		if f.BMP == zvt.BMPReceiptNo {
			no, _ = zvt.ParseBCD(f.Data)
		}
	}
	if err := c.send(zvt.Ack()); err != nil {
		return err
	}
	s := c.s
	s.mu.Lock()
	var orig *Txn
	for _, t := range s.txns {
		if t.Approved() && uint64(t.Receipt) == no {
			orig = t
		}
	}
	var t *Txn
	refuse := byte(0)
	switch {
	case c.gone:
		s.mu.Unlock()
		return ErrDropped
	case orig == nil:
		refuse = 0xB5 // reversal not possible
	case orig.Reversed:
		refuse = 0xB4 // already reversed
	default:
		t = s.reverseLocked(orig)
	}
	s.mu.Unlock()
	if refuse != 0 {
		return c.sendAcked(zvt.APDU{Cmd: zvt.CmdPTAbort, Data: []byte{refuse}})
	}
	if err := c.sendAcked(c.statusAPDU(t)); err != nil {
		return err
	}
	return c.sendAcked(zvt.APDU{Cmd: zvt.CmdCompletion})
}

func (c *conn) endOfDay() error {
	if err := c.send(zvt.Ack()); err != nil {
		return err
	}
	c.s.mu.Lock()
	// The day's transactions, since the last end of day: a terminal
	// submits them and starts a new day (ZVT 13.08 §2.16).
	var total kiosk.Money
	var n byte
	for _, t := range c.s.txns[c.s.dayStart:] {
		switch {
		case t.Approved() && !t.Reversed:
			total += t.Amount
			n++
		case t.Refunded():
			total -= t.Amount // a refund is paid out of the day's takings
			n++
		}
	}
	c.s.dayStart = len(c.s.txns)
	c.s.trace++
	trace, first, last := c.s.trace, c.s.dayRcpt+1, c.s.rcpt
	c.s.dayRcpt = last
	now := c.s.opt.Clock.Now()
	c.s.changedLocked()
	c.s.mu.Unlock()
	d := []byte{zvt.BMPResult, 0}
	amt, _ := zvt.AmountBCD(total)
	d, _ = zvt.AppendField(d, zvt.BMPAmount, amt)
	d, _ = zvt.AppendField(d, zvt.BMPTrace, zvt.BCD(uint64(trace), 3))
	d, _ = zvt.AppendField(d, zvt.BMPTime, zvt.BCD(uint64(now.Hour()*10000+now.Minute()*100+now.Second()), 3))
	d, _ = zvt.AppendField(d, zvt.BMPDate, zvt.BCD(uint64(int(now.Month())*100+now.Day()), 2))
	d, _ = zvt.AppendField(d, 0x60, zvt.TotalsSingles(uint64(first), uint64(last), n, total))
	if err := c.sendAcked(zvt.APDU{Cmd: zvt.CmdStatusInfo, Data: d}); err != nil {
		return err
	}
	return c.sendAcked(zvt.APDU{Cmd: zvt.CmdCompletion})
}

// ServeListener accepts ECR connections on ln one at a time and serves
// each until it ends, until ctx ends or ln is closed. While the simulator
// is offline (SetOffline) it closes each connection as soon as accepted.
func (s *Sim) ServeListener(ctx context.Context, ln net.Listener) error {
	go func() { <-ctx.Done(); ln.Close() }()
	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
		_ = s.serve(ctx, c, true)
		c.Close()
	}
}
