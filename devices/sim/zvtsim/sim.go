// Package zvtsim is a ZVT payment terminal (PT) simulator for testing the
// devices/zvt driver: one ECR connection at a time, serial-framed or bare
// (TCP), in vending-machine mode (ZVT 13.08 §2.2).
//
// What it does with an approval whose Status-Information (04 0F) gets no
// answer: when its vend time-out runs out (BMP 01 of the 06 01, default
// 30 s, on the simulator's clock) it reverses, as §2.2.6 says. When the
// link fails instead, or the ECR sends another command, the approval stays
// charged and "undetermined": the ECR is expected to recover it with Repeat
// Receipt (06 20) and then keep it or reverse it (06 30). A real PT would
// auto-reverse at once (§2.2.8); keeping it lets the driver's recovery be
// tested end to end.
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
	Confirmed bool // the ECR answered the approval with 80-00 (goods released)
	Reversed  bool
	At        time.Time
}

// Approved reports whether t is an approved payment.
func (t *Txn) Approved() bool { return t.Code == zvt.ResultOK && t.OrigTrace == 0 }

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
	last         *Txn // the last decided transaction, for Repeat Receipt
	received     []zvt.APDU
	waits        []kiosk.Money // amounts of holds, in order
	given        int
	holding      bool // a payment waits for the customer now
	held         kiosk.Money
	wake         chan struct{}
	customer     chan custEvent
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

// SetDecision sets what happens to the next payments.
func (s *Sim) SetDecision(d Decision) { s.mu.Lock(); s.decision = d; s.mu.Unlock() }

// SetDeclineIf sets which amounts are declined whatever the decision; nil
// declines none.
func (s *Sim) SetDeclineIf(f func(kiosk.Money) bool) { s.mu.Lock(); s.declineIf = f; s.mu.Unlock() }

// SetAskPIN makes the simulator ask for the PIN (04 FF 01) before deciding.
func (s *Sim) SetAskPIN(on bool) { s.mu.Lock(); s.askPIN = on; s.mu.Unlock() }

// SetReceipt sets how receipt lines are sent and the card number printed
// on them (as given: pass a full number to test the ECR's masking).
func (s *Sim) SetReceipt(style ReceiptStyle, pan string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.receipt = style
	if pan != "" {
		s.receiptPAN = pan
	}
}

// SetSilent makes the simulator ignore 06 01: no 80-00, nothing.
func (s *Sim) SetSilent(on bool) { s.mu.Lock(); s.silent = on; s.mu.Unlock() }

// SetDropAfterAck makes Serve return ErrDropped right after it answered
// the next 06 01 with 80-00: the caller then closes the connection.
func (s *Sim) SetDropAfterAck(on bool) { s.mu.Lock(); s.dropAfterAck = on; s.mu.Unlock() }

// Card decides the payment the customer is holding: approve or decline.
func (s *Sim) Card(approve bool) { s.customer <- custEvent{approve: approve} }

// CardAnswerLost decides it the same way but the Status-Information never
// leaves: Serve returns ErrDropped after deciding (and charging). The
// caller drops the link.
func (s *Sim) CardAnswerLost(approve bool) { s.customer <- custEvent{approve: approve, lose: true} }

// Changed returns a channel that is closed at the simulator's next change
// (a payment waiting or no longer, a transaction decided), for a window
// that shows it.
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
	s    *Sim
	link zvt.Link
	ctx  context.Context
}

// Serve answers the ECR on rw until ctx ends, the stream ends (nil for
// EOF) or the simulator drops the link (ErrDropped). It does not close rw.
func (s *Sim) Serve(ctx context.Context, rw io.ReadWriter) error {
	var l zvt.Link
	if s.opt.Mode == zvt.Serial {
		l = zvt.NewSerialLink(rw, zvt.LinkOptions{})
	} else {
		l = zvt.NewTCPLink(rw, zvt.LinkOptions{})
	}
	defer l.Close()
	c := &conn{s: s, link: l, ctx: ctx}
	for {
		a, err := l.Receive(ctx, 0)
		if err != nil {
			if errors.Is(err, zvt.ErrLinkDown) && errors.Is(err, io.EOF) {
				return nil
			}
			if errors.Is(err, zvt.ErrLinkDown) && !isPermanent(err) {
				continue // a glitch: keep listening
			}
			return err
		}
		if err := c.handle(a); err != nil {
			if errors.Is(err, ErrDropped) || ctx.Err() != nil || isPermanent(err) {
				return err
			}
			// A failed send: the ECR did not get it; wait for its next command.
		}
	}
}

func isPermanent(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrClosedPipe) || errors.Is(err, net.ErrClosed) || errors.Is(err, zvt.ErrClosed)
}

func (c *conn) record(a zvt.APDU) {
	c.s.mu.Lock()
	c.s.received = append(c.s.received, zvt.APDU{Cmd: a.Cmd, Data: append([]byte(nil), a.Data...)})
	c.s.changedLocked()
	c.s.mu.Unlock()
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
	c.record(a)
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
	lines := []string{
		"** Kundekvittering **",
		"Kjøp MasterCard",
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

func (c *conn) newTxn(amount kiosk.Money, code byte) *Txn {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
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

func (c *conn) authorize(a zvt.APDU) error {
	req, err := zvt.ParseAuthorization(a.Data)
	if err != nil {
		return c.send(zvt.Nak(0x9A))
	}
	s := c.s
	s.mu.Lock()
	silent, drop, decision, pin := s.silent, s.dropAfterAck, s.decision, s.askPIN
	declineAmt := s.declineIf != nil && s.declineIf(req.Amount)
	s.mu.Unlock()
	if silent {
		return nil
	}
	if err := c.send(zvt.Ack()); err != nil {
		return err
	}
	if drop {
		return ErrDropped
	}
	if err := c.sendAcked(zvt.APDU{Cmd: zvt.CmdIntermediate, Data: []byte{0x0A}}); err != nil { // insert card
		return err
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
			c.newTxn(req.Amount, zvt.ResultAborted)
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
	t := c.newTxn(req.Amount, code)
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
			c.record(a)
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
		c.record(a)
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
// time-out reverse. A failed link leaves the approval undetermined.
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
				c.reverse(t)
				return c.sendAcked(zvt.APDU{Cmd: zvt.CmdPTAbort, Data: []byte{zvt.ResultAborted}})
			default:
			}
			return err
		}
		c.record(r)
		switch {
		case r.Positive():
			c.s.mu.Lock()
			t.Confirmed = true
			c.s.changedLocked()
			c.s.mu.Unlock()
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
			c.reverse(t)
			return c.sendAcked(zvt.APDU{Cmd: zvt.CmdPTAbort, Data: []byte{r.Cmd.Instr()}})
		default:
			// A new command instead of an answer: the ECR lost our
			// Status-Information. The approval stays undetermined.
			return c.handle(r)
		}
	}
}

func (c *conn) reverse(t *Txn) {
	c.s.mu.Lock()
	t.Reversed = true
	c.s.changedLocked()
	c.s.mu.Unlock()
}

func (c *conn) repeat() error {
	c.s.mu.Lock()
	last := c.s.last
	c.s.mu.Unlock()
	if last == nil {
		return c.send(zvt.Nak(0x83))
	}
	if err := c.send(zvt.Ack()); err != nil {
		return err
	}
	if err := c.sendAcked(c.statusAPDU(last)); err != nil {
		return err
	}
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
	c.s.mu.Lock()
	var orig *Txn
	for _, t := range c.s.txns {
		if t.Approved() && uint64(t.Receipt) == no {
			orig = t
		}
	}
	c.s.mu.Unlock()
	switch {
	case orig == nil:
		return c.sendAcked(zvt.APDU{Cmd: zvt.CmdPTAbort, Data: []byte{0xB5}}) // reversal not possible
	case orig.Reversed:
		return c.sendAcked(zvt.APDU{Cmd: zvt.CmdPTAbort, Data: []byte{0xB4}}) // already reversed
	}
	c.reverse(orig)
	t := c.newTxn(orig.Amount, zvt.ResultOK)
	c.s.mu.Lock()
	t.OrigTrace, t.Receipt = orig.Trace, orig.Receipt
	c.s.mu.Unlock()
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
	var total kiosk.Money
	var n byte
	for _, t := range c.s.txns {
		if t.Approved() && !t.Reversed {
			total += t.Amount
			n++
		}
	}
	c.s.trace++
	trace, last := c.s.trace, c.s.rcpt
	now := c.s.opt.Clock.Now()
	c.s.mu.Unlock()
	d := []byte{zvt.BMPResult, 0}
	amt, _ := zvt.AmountBCD(total)
	d, _ = zvt.AppendField(d, zvt.BMPAmount, amt)
	d, _ = zvt.AppendField(d, zvt.BMPTrace, zvt.BCD(uint64(trace), 3))
	d, _ = zvt.AppendField(d, zvt.BMPTime, zvt.BCD(uint64(now.Hour()*10000+now.Minute()*100+now.Second()), 3))
	d, _ = zvt.AppendField(d, zvt.BMPDate, zvt.BCD(uint64(int(now.Month())*100+now.Day()), 2))
	d, _ = zvt.AppendField(d, 0x60, zvt.TotalsSingles(1, uint64(last), n, total))
	if err := c.sendAcked(zvt.APDU{Cmd: zvt.CmdStatusInfo, Data: d}); err != nil {
		return err
	}
	return c.sendAcked(zvt.APDU{Cmd: zvt.CmdCompletion})
}

// ServeListener accepts ECR connections on ln one at a time and serves
// each until it ends, until ctx ends or ln is closed.
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
		_ = s.Serve(ctx, c)
		c.Close()
	}
}
