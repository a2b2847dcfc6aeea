package zvt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"time"

	"selvkasse/kiosk"
)

// Mode is the transport the terminal is wired with.
type Mode int

const (
	// TCP: bare APDUs (PA00P016 §4), e.g. over a net.Conn to DefaultPort.
	TCP Mode = iota
	// Serial: DLE STX framing with CRC and ACK/NAK (PA00P016 §3).
	Serial
)

// Options configure a Terminal. Zero fields take the defaults.
type Options struct {
	Mode     Mode
	Password Password // the ECR password (ZVT 13.08 §1.2), e.g. 000000
	Config   byte     // Registration config-byte; 0 means DefaultConfig
	Clock    kiosk.Clock
	// OnStatus is called with each Intermediate Status-Information (04 FF)
	// and its customer texts, from the goroutine of the running call; it
	// must not block.
	OnStatus func(code byte, nb, en string)
	// Logger gets one line per APDU and per outcome, never card numbers.
	Logger *slog.Logger
	// Link time-outs (PA00P016 §3.4) and retries; zero: spec defaults.
	T1, T2  time.Duration
	Repeats int
	// T3: command → 80-00 (§5.2.5). T4: 80-00 → completion, reset by each
	// message from the PT (§5.2.6). Zero: spec defaults (5 s, 180 s).
	T3, T4 time.Duration
	// VendTimeout is sent as BMP 01 with 06 01: seconds the PT waits for
	// Confirm (ZVT 13.08 §2.2.1; the PT's default is 30). 0 omits it.
	VendTimeout byte
	// VendFailure is the APRC answered for goods not released (84-xx-00);
	// 0 means DefaultVendFailure. 00 and 9C are not allowed (§2.2.6 c).
	VendFailure byte
}

// Terminal is a kiosk.PaymentTerminal speaking ZVT as a vending machine
// (ZVT 13.08 §2.2): Authorize returns with the approved Status-Information
// still unanswered; Confirm answers it with 80-00-00 (goods released) or
// 84-xx-00 (not released: the PT reverses). Calls are serialised.
type Terminal struct {
	link Link
	opt  Options
	sem  chan struct{}

	// Guarded by sem.
	open      *openTxn                         // approved, Status-Information not yet answered
	known     map[kiosk.PaymentRequest]*record // what this session saw per request
	lastTrace string                           // newest trace number seen
	lastLines []string                         // receipt lines after the last Confirm
}

var _ kiosk.PaymentTerminal = (*Terminal)(nil)

type openTxn struct {
	req kiosk.PaymentRequest
	res kiosk.PaymentResult
}

// record is what the session knows of one request.
type record struct {
	decided   bool // a Status-Information or abort came back
	res       kiosk.PaymentResult
	traceSeen string // lastTrace when the request was sent
	settled   bool   // confirmed: released or reversed
	released  bool
}

// New returns a Terminal over rw, framed per opt.Mode. It reads rw from a
// goroutine until rw ends; Close stops it (the caller closes rw).
func New(rw io.ReadWriter, opt Options) *Terminal {
	lo := LinkOptions{Clock: opt.Clock, T1: opt.T1, T2: opt.T2, Repeats: opt.Repeats}
	var l Link
	if opt.Mode == Serial {
		l = NewSerialLink(rw, lo)
	} else {
		l = NewTCPLink(rw, lo)
	}
	return NewWithLink(l, opt)
}

// NewWithLink returns a Terminal over an existing link.
func NewWithLink(l Link, opt Options) *Terminal {
	if opt.Clock == nil {
		opt.Clock = kiosk.SystemClock{}
	}
	if opt.Config == 0 {
		opt.Config = DefaultConfig
	}
	if opt.T3 <= 0 {
		opt.T3 = DefaultT3
	}
	if opt.T4 <= 0 {
		opt.T4 = DefaultT4
	}
	if opt.VendFailure == 0 || opt.VendFailure == ResultPleaseWait {
		opt.VendFailure = DefaultVendFailure
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	return &Terminal{link: l, opt: opt, sem: make(chan struct{}, 1), known: map[kiosk.PaymentRequest]*record{}}
}

// Close stops the link. It does not wait for a Read in progress: close the
// stream too.
func (t *Terminal) Close() error { return t.link.Close() }

func (t *Terminal) acquire(ctx context.Context) error {
	select {
	case t.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (t *Terminal) release() { <-t.sem }

func (t *Terminal) send(ctx context.Context, a APDU) error {
	t.opt.Logger.Debug("zvt send", "cmd", a.Cmd.String())
	return t.link.Send(ctx, a)
}

func (t *Terminal) recv(ctx context.Context, within time.Duration) (APDU, error) {
	a, err := t.link.Receive(ctx, within)
	if err == nil {
		t.opt.Logger.Debug("zvt receive", "cmd", a.Cmd.String())
	}
	return a, err
}

func unavailable(what string, err error) error {
	return fmt.Errorf("zvt: %s: %w (%w)", what, kiosk.ErrDeviceUnavailable, err)
}

func unknown(what string, err error) error {
	return fmt.Errorf("zvt: %s: %w (%w)", what, kiosk.ErrOutcomeUnknown, err)
}

// start sends cmd and waits T3 for the PT's 80-00 (PA00P016 §5.2.5). A
// negative answer comes back as resp with a nil error; no answer is an
// error (the command may or may not have arrived).
func (t *Terminal) start(ctx context.Context, cmd APDU) (resp APDU, early *APDU, err error) {
	if err := t.send(ctx, cmd); err != nil {
		return APDU{}, nil, err
	}
	a, err := t.recv(context.WithoutCancel(ctx), t.opt.T3)
	if err != nil {
		return APDU{}, nil, err
	}
	if a.IsResponse() {
		return a, nil, nil
	}
	// Some PTs send their first message without the 80-00: take the
	// command as accepted and hand the message on.
	return Ack(), &a, nil
}

// dialogue is what one command's exchange with the PT collected.
type dialogue struct {
	status   *StatusInfo
	statuses int
	lines    []string
	end      APDU // 06 0F or 06 1E
}

// converse reads the PT's messages after a command was accepted,
// acknowledging each, until Completion or Abort (acked, returned in end)
// or, when stopAtStatus says so, a Status-Information (not acked: the
// caller answers it). first is a message already read. ctx ending sends
// one ECR Abort (06 B0) and reads on for T3 per message.
func (t *Terminal) converse(ctx context.Context, first *APDU, d *dialogue, stopAtStatus func(StatusInfo) bool) error {
	aborted := false
	bg := context.WithoutCancel(ctx)
	for {
		var a APDU
		if first != nil {
			a, first = *first, nil
		} else {
			within := t.opt.T4
			if aborted {
				within = t.opt.T3
			}
			var err error
			a, err = t.recv(ctx, within)
			if err != nil && ctx.Err() != nil && !aborted {
				aborted = true
				t.opt.Logger.Info("zvt: context ended, sending abort")
				if err := t.send(bg, AbortAPDU()); err != nil {
					return err
				}
				ctx = bg
				continue
			}
			if err != nil {
				return err
			}
		}
		switch a.Cmd {
		case CmdIntermediate:
			if len(a.Data) > 0 && t.opt.OnStatus != nil {
				nb, en := StatusText(a.Data[0])
				t.opt.OnStatus(a.Data[0], nb, en)
			}
		case CmdPrintLine:
			if p, err := ParsePrintLine(a.Data); err == nil && p.Attr != 0xFF {
				d.lines = append(d.lines, p.Text)
			}
		case CmdPrintText:
			if ls, err := ParsePrintText(a.Data); err == nil {
				d.lines = append(d.lines, ls...)
			}
		case CmdStatusInfo:
			s, err := ParseStatusInfo(a.Data)
			if err != nil && !s.HasResult {
				t.opt.Logger.Warn("zvt: undecodable status information", "err", err)
			}
			if s.Trace != "" && s.Trace != "000000" {
				t.lastTrace = s.Trace
			}
			d.status = &s
			d.statuses++
			t.opt.Logger.Info("zvt: status information", "result", fmt.Sprintf("%02X", s.Result),
				"trace", s.Trace, "receipt", s.ReceiptNo, "pan", s.MaskedPAN)
			if stopAtStatus != nil && stopAtStatus(s) {
				return nil
			}
		case CmdCompletion, CmdPTAbort:
			d.end = a
			return t.send(bg, Ack())
		default:
			if a.IsResponse() {
				continue // 80-00 to our abort, or a stray response
			}
		}
		if err := t.send(bg, Ack()); err != nil {
			return err
		}
	}
}

// result builds the kiosk's view of a Status-Information.
func (t *Terminal) result(s StatusInfo, req kiosk.PaymentRequest, lines []string) kiosk.PaymentResult {
	nb, en := ResultText(s.Result)
	r := kiosk.PaymentResult{
		Approved: s.Result == ResultOK && s.OrigTrace == "", Code: fmt.Sprintf("%02X", s.Result),
		Message: nb + " / " + en, Amount: req.Amount, Trace: s.Trace, ReceiptNo: s.ReceiptNo,
		CardType: s.CardName, MaskedPAN: s.MaskedPAN, AID: s.AID, TerminalID: s.TerminalID,
		Time: t.when(s), Lines: append([]string(nil), lines...),
	}
	if s.HasAmount {
		r.Amount = s.Amount
	}
	if r.CardType == "" && s.CardType != 0 {
		r.CardType = "ZVT card type " + strconv.Itoa(int(s.CardType))
	}
	return r
}

// when is the PT's date and time (BMP 0D MMDD, 0C HHMMSS) in the clock's
// year and zone, or the clock's now.
func (t *Terminal) when(s StatusInfo) time.Time {
	now := t.opt.Clock.Now()
	if len(s.Date) != 4 || len(s.Time) != 6 {
		return now
	}
	at, err := time.ParseInLocation("0102150405", s.Date+s.Time, now.Location())
	if err != nil {
		return now
	}
	at = at.AddDate(now.Year(), 0, 0)
	if at.After(now.Add(24 * time.Hour)) { // a December receipt read in January
		at = at.AddDate(-1, 0, 0)
	}
	return at
}

func declined(code byte, req kiosk.PaymentRequest, now time.Time) kiosk.PaymentResult {
	nb, en := ResultText(code)
	return kiosk.PaymentResult{Code: fmt.Sprintf("%02X", code), Message: nb + " / " + en, Amount: req.Amount, Time: now}
}

// Authorize implements kiosk.PaymentTerminal: 06 01, then the PT's
// messages until its Status-Information (ZVT 13.08 §2.2). An approval
// returns with the Status-Information unanswered, for Confirm.
func (t *Terminal) Authorize(ctx context.Context, req kiosk.PaymentRequest) (kiosk.PaymentResult, error) {
	if err := ctx.Err(); err != nil {
		return kiosk.PaymentResult{}, err
	}
	if err := t.acquire(ctx); err != nil {
		return kiosk.PaymentResult{}, err
	}
	defer t.release()
	if err := ctx.Err(); err != nil {
		return kiosk.PaymentResult{}, err
	}
	if t.open != nil {
		return kiosk.PaymentResult{}, unavailable("authorize", fmt.Errorf("sale %s attempt %d still awaits Confirm", t.open.req.SaleID, t.open.req.Attempt))
	}
	cmd, err := AuthorizationAPDU(AuthRequest{Amount: req.Amount, VendTimeout: t.opt.VendTimeout})
	if err != nil {
		return kiosk.PaymentResult{}, err
	}
	resp, first, err := t.start(ctx, cmd)
	if err != nil {
		if e := ctx.Err(); e != nil && errors.Is(err, e) {
			return kiosk.PaymentResult{}, e
		}
		return kiosk.PaymentResult{}, unavailable("authorize", err)
	}
	if !resp.Positive() {
		res := declined(resp.Cmd.Instr(), req, t.opt.Clock.Now())
		t.opt.Logger.Info("zvt: authorization refused", "code", res.Code)
		return res, nil
	}
	rec := &record{traceSeen: t.lastTrace}
	t.known[req] = rec
	var d dialogue
	err = t.converse(ctx, first, &d, func(s StatusInfo) bool { return s.Result == ResultOK })
	if err != nil {
		return kiosk.PaymentResult{}, unknown("authorize", err)
	}
	switch {
	case d.status != nil && d.status.Result == ResultOK && d.end.Cmd == 0:
		res := t.result(*d.status, req, d.lines)
		rec.decided, rec.res = true, res
		t.open = &openTxn{req: req, res: res}
		t.opt.Logger.Info("zvt: approved, awaiting release", "trace", res.Trace, "receipt", res.ReceiptNo)
		return res, nil
	case d.status != nil:
		res := t.result(*d.status, req, d.lines)
		res.Approved = false
		rec.decided, rec.res = true, res
		return res, nil
	case d.end.Cmd == CmdPTAbort:
		code := ResultSystemError
		if len(d.end.Data) > 0 {
			code = d.end.Data[0]
		}
		res := declined(code, req, t.opt.Clock.Now())
		res.Lines = d.lines
		rec.decided, rec.res = true, res
		return res, nil
	}
	return kiosk.PaymentResult{}, unknown("authorize", errors.New("completion without status information"))
}

// StillDispensing answers the open approval with 84-9C-00: the goods are
// still being issued; the PT repeats its Status-Information after 2 s
// (ZVT 13.08 §2.2.6 b), which this waits for. Confirm follows as usual.
func (t *Terminal) StillDispensing(ctx context.Context, req kiosk.PaymentRequest) error {
	if err := t.acquire(ctx); err != nil {
		return err
	}
	defer t.release()
	if t.open == nil || t.open.req != req {
		return fmt.Errorf("zvt: sale %s attempt %d has no approval awaiting release", req.SaleID, req.Attempt)
	}
	if err := t.send(ctx, Nak(ResultPleaseWait)); err != nil {
		return unavailable("still dispensing", err)
	}
	var d dialogue
	err := t.converse(context.WithoutCancel(ctx), nil, &d, func(StatusInfo) bool { return true })
	switch {
	case err != nil:
		return unavailable("still dispensing", err)
	case d.status == nil || d.status.Result != ResultOK:
		// The PT gave up (max. status-infos exceeded: 04 0F 27 6C) and
		// reversed.
		t.open = nil
		if rec := t.known[req]; rec != nil {
			rec.settled = true
		}
		return fmt.Errorf("zvt: the terminal reversed sale %s attempt %d while the goods were issued", req.SaleID, req.Attempt)
	}
	return nil
}

// Confirm implements kiosk.PaymentTerminal. For the open approval it
// answers the Status-Information: 80-00-00 (released) or 84-xx-00 (not:
// the PT reverses), then reads on to Completion or Abort, collecting the
// receipt (LastReceipt). For an approval found by Recover it keeps it
// (released) or sends Reversal 06 30 with its receipt number.
func (t *Terminal) Confirm(ctx context.Context, req kiosk.PaymentRequest, released bool) error {
	if err := t.acquire(ctx); err != nil {
		return err
	}
	defer t.release()
	rec := t.known[req]
	if t.open != nil && t.open.req == req {
		answer := Ack()
		if !released {
			answer = Nak(t.opt.VendFailure)
		}
		if err := t.send(ctx, answer); err != nil {
			return unavailable("confirm", err)
		}
		t.open = nil
		rec.settled, rec.released = true, released
		var d dialogue
		if err := t.converse(context.WithoutCancel(ctx), nil, &d, nil); err != nil {
			// Our answer reached the PT: it completes or reverses on its own
			// (ZVT 13.08 §2.2.9); only the receipt is lost.
			t.opt.Logger.Warn("zvt: link lost after confirm", "released", released, "err", err)
		}
		t.lastLines = d.lines
		if released && d.end.Cmd == CmdPTAbort {
			// The PT had already reversed (its vend time-out, §2.2.6) and
			// sent Abort instead of Completion.
			rec.released = false
			code := ResultSystemError
			if len(d.end.Data) > 0 {
				code = d.end.Data[0]
			}
			_, en := ResultText(code)
			return fmt.Errorf("zvt: the terminal reversed sale %s attempt %d before the release was confirmed: %02X %s", req.SaleID, req.Attempt, code, en)
		}
		return nil
	}
	switch {
	case rec == nil || !rec.decided || !rec.res.Approved:
		return fmt.Errorf("zvt: confirm: sale %s attempt %d was not approved", req.SaleID, req.Attempt)
	case rec.settled && rec.released == released:
		return nil
	case rec.settled:
		return fmt.Errorf("zvt: confirm(%v): sale %s attempt %d was already settled the other way", released, req.SaleID, req.Attempt)
	case released:
		rec.settled, rec.released = true, true
		return nil
	}
	return t.reverse(ctx, req, rec)
}

// reverse sends Reversal 06 30 for rec's receipt number (ZVT 13.08 §2.9).
func (t *Terminal) reverse(ctx context.Context, req kiosk.PaymentRequest, rec *record) error {
	cmd, err := ReversalAPDU(t.opt.Password, rec.res.ReceiptNo, rec.res.Amount)
	if err != nil {
		return err
	}
	resp, first, err := t.start(ctx, cmd)
	if err != nil {
		return unavailable("reversal", err)
	}
	if !resp.Positive() {
		return fmt.Errorf("zvt: reversal refused: %02X", resp.Cmd.Instr())
	}
	var d dialogue
	if err := t.converse(context.WithoutCancel(ctx), first, &d, nil); err != nil {
		return unavailable("reversal", err)
	}
	code := ResultSystemError
	switch {
	case d.status != nil:
		code = d.status.Result
	case len(d.end.Data) > 0:
		code = d.end.Data[0]
	}
	if code == ResultOK || code == 0xB4 { // B4: already reversed
		rec.settled, rec.released = true, false
		t.lastLines = d.lines
		return nil
	}
	_, en := ResultText(code)
	return fmt.Errorf("zvt: reversal of sale %s attempt %d failed: %02X %s", req.SaleID, req.Attempt, code, en)
}

// LastReceipt returns the receipt lines the PT sent after the last
// Confirm (for a vending terminal the receipt follows the release,
// ZVT 13.08 §2.2.7), card numbers masked.
func (t *Terminal) LastReceipt() []string {
	t.sem <- struct{}{}
	defer t.release()
	return append([]string(nil), t.lastLines...)
}

// Recover implements kiosk.PaymentTerminal without sending 06 01 again:
// the open approval answers itself; otherwise Repeat Receipt 06 20 fetches
// the PT's last Status-Information (ZVT 13.08 §2.20.2), which is matched
// to req by what this session saw (trace numbers) and by amount.
func (t *Terminal) Recover(ctx context.Context, req kiosk.PaymentRequest) (kiosk.PaymentResult, error) {
	if err := t.acquire(ctx); err != nil {
		return kiosk.PaymentResult{}, err
	}
	defer t.release()
	if t.open != nil && t.open.req == req {
		return t.open.res, nil
	}
	resp, first, err := t.start(ctx, RepeatReceiptAPDU(t.opt.Password))
	if err != nil {
		return kiosk.PaymentResult{}, unavailable("recover", err)
	}
	if !resp.Positive() {
		return kiosk.PaymentResult{}, unknown("recover", fmt.Errorf("repeat receipt refused: %02X", resp.Cmd.Instr()))
	}
	var d dialogue
	if err := t.converse(context.WithoutCancel(ctx), first, &d, nil); err != nil {
		return kiosk.PaymentResult{}, unknown("recover", err)
	}
	rec := t.known[req]
	if rec != nil && rec.decided {
		res := rec.res
		if rec.settled && !rec.released {
			res.Approved, res.Message = false, "reversed / tilbakeført"
		}
		if d.status != nil && d.status.OrigTrace != "" && d.status.OrigTrace == res.Trace {
			res.Approved, res.Message = false, "reversed / tilbakeført"
		}
		return res, nil
	}
	if d.status == nil {
		return kiosk.PaymentResult{}, unknown("recover", errors.New("the terminal has no last transaction"))
	}
	s := *d.status
	fresh := rec == nil || s.Trace == "" || s.Trace != rec.traceSeen
	if !fresh || !s.HasAmount || s.Amount != req.Amount {
		return kiosk.PaymentResult{}, unknown("recover", errors.New("the last transaction is not this one"))
	}
	res := t.result(s, req, d.lines)
	if rec == nil {
		rec = &record{}
		t.known[req] = rec
	}
	rec.decided, rec.res = true, res
	return res, nil
}

// Register sends Registration 06 00 with the options' password and
// config-byte and NOK, and returns the PT's Completion (ZVT 13.08 §2.1).
func (t *Terminal) Register(ctx context.Context) (Completion, error) {
	if err := t.acquire(ctx); err != nil {
		return Completion{}, err
	}
	defer t.release()
	d, err := t.admin(ctx, RegistrationAPDU(t.opt.Password, t.opt.Config, nil))
	if err != nil {
		return Completion{}, err
	}
	if d.end.Cmd != CmdCompletion {
		return Completion{}, fmt.Errorf("zvt: registration aborted: % X", d.end.Data)
	}
	return ParseRegistrationCompletion(d.end.Data)
}

// StatusEnquiry sends 05 01 and returns the terminal status code from the
// Completion (ZVT 13.08 §2.56, ch. 11).
func (t *Terminal) StatusEnquiry(ctx context.Context) (Completion, error) {
	if err := t.acquire(ctx); err != nil {
		return Completion{}, err
	}
	defer t.release()
	d, err := t.admin(ctx, StatusEnquiryAPDU(t.opt.Password))
	if err != nil {
		return Completion{}, err
	}
	if d.end.Cmd != CmdCompletion {
		return Completion{}, fmt.Errorf("zvt: status enquiry aborted: % X", d.end.Data)
	}
	return ParseEnquiryCompletion(d.end.Data)
}

// EndOfDay sends 06 50 and returns the totals (ZVT 13.08 §2.16, §3.1.3).
func (t *Terminal) EndOfDay(ctx context.Context) (Totals, error) {
	if err := t.acquire(ctx); err != nil {
		return Totals{}, err
	}
	defer t.release()
	d, err := t.admin(ctx, EndOfDayAPDU(t.opt.Password))
	if err != nil {
		return Totals{}, err
	}
	if d.status == nil {
		code := ResultSystemError
		if len(d.end.Data) > 0 {
			code = d.end.Data[0]
		}
		_, en := ResultText(code)
		return Totals{Result: code}, fmt.Errorf("zvt: end of day failed: %02X %s", code, en)
	}
	tot := totalsFrom(*d.status)
	tot.ReceiptLines = d.lines
	return tot, nil
}

// admin runs an administration command to its Completion or Abort.
func (t *Terminal) admin(ctx context.Context, cmd APDU) (dialogue, error) {
	var d dialogue
	resp, first, err := t.start(ctx, cmd)
	if err != nil {
		return d, unavailable(cmd.Cmd.String(), err)
	}
	if !resp.Positive() {
		_, en := ResultText(resp.Cmd.Instr())
		return d, fmt.Errorf("zvt: %v refused: %02X %s", cmd.Cmd, resp.Cmd.Instr(), en)
	}
	if err := t.converse(ctx, first, &d, nil); err != nil {
		return d, unavailable(cmd.Cmd.String(), err)
	}
	return d, nil
}
