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
	// Drain is how long, in real time, the driver listens for messages
	// left over on the line before it sends a command (they are logged
	// and skipped, never taken as an answer); after the link failed it
	// listens DrainAfterDrop. Zero: DefaultDrain, DefaultDrainAfterDrop.
	Drain, DrainAfterDrop time.Duration
}

// Defaults for Options.Drain and DrainAfterDrop: long enough for a
// message already under way to arrive (a 40-byte frame takes 42 ms at
// 9600 baud), short against a sale.
const (
	DefaultDrain          = 5 * time.Millisecond
	DefaultDrainAfterDrop = 250 * time.Millisecond
)

// Terminal is a kiosk.PaymentTerminal speaking ZVT as a vending machine
// (ZVT 13.08 §2.2): Authorize returns with the approved Status-Information
// still unanswered; Confirm answers it with 80-00-00 (goods released) or
// 84-xx-00 (not released: the PT reverses). Calls are serialised.
type Terminal struct {
	link Link
	opt  Options
	sem  chan struct{}

	// Guarded by sem.
	open      *openTxn           // approved, Status-Information not yet answered
	known     map[reqKey]*record // what this session saw per request
	lastTrace string             // newest trace number seen
	// markKnown: lastTrace is the terminal's newest transaction now
	// (this session saw or asked for it, and nothing it cannot see has
	// happened since). Cleared at the start of each command; set again
	// by the ones that end knowing.
	markKnown bool
	// dropped: the link failed since the last command. The next one
	// first drains what is left on the line and registers again (06 00).
	dropped   bool
	lastLines []string // receipt lines after the last Confirm
}

// reqKey names a request across the kiosk's calls (the rest of
// kiosk.PaymentRequest grows as the sale goes on).
type reqKey struct {
	sale    string
	attempt int
}

func keyOf(r kiosk.PaymentRequest) reqKey { return reqKey{r.SaleID, r.Attempt} }

var _ kiosk.PaymentTerminal = (*Terminal)(nil)

type openTxn struct {
	req kiosk.PaymentRequest
	res kiosk.PaymentResult
}

// record is what the session knows of one request.
type record struct {
	decided  bool // a Status-Information or abort came back
	res      kiosk.PaymentResult
	before   kiosk.TerminalMark // the terminal's newest transaction when the request was sent
	settled  bool               // confirmed: released or reversed
	released bool
	// unanswered: the answer to the approval's Status-Information did not
	// get through; the PT may have reversed on its own (§2.2.8).
	unanswered bool
	// reversed: Recover found the approval reversed by the PT on its own.
	reversed bool
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
	if opt.Drain <= 0 {
		opt.Drain = DefaultDrain
	}
	if opt.DrainAfterDrop <= 0 {
		opt.DrainAfterDrop = DefaultDrainAfterDrop
	}
	return &Terminal{link: l, opt: opt, sem: make(chan struct{}, 1), known: map[reqKey]*record{}}
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
	return t.noteDrop(t.link.Send(ctx, a))
}

func (t *Terminal) recv(ctx context.Context, within time.Duration) (APDU, error) {
	a, err := t.link.Receive(ctx, within)
	if err == nil {
		t.opt.Logger.Debug("zvt receive", "cmd", a.Cmd.String())
	}
	return a, t.noteDrop(err)
}

// noteDrop remembers a failed link: whatever is on the other end now (a
// reopened port, a redialed socket, a restarted PT) gets a clean start.
func (t *Terminal) noteDrop(err error) error {
	if errors.Is(err, ErrLinkDown) || errors.Is(err, ErrTransmission) {
		t.dropped, t.markKnown = true, false
	}
	return err
}

// prepare readies the link for a command: it drains what is left on the
// line (stale answers and messages of a transaction from before a
// restart, a read error from before a reconnect), logging and skipping
// it, and registers again (06 00) after a drop (PA00P016 §5.2: the ECR
// only sends when the PT has nothing more to say). An error means nothing
// of the command was sent.
func (t *Terminal) prepare(ctx context.Context) error {
	t.drain(ctx)
	if !t.dropped {
		return nil
	}
	t.opt.Logger.Info("zvt: link was down; registering again")
	d, err := t.admin(ctx, RegistrationAPDU(t.opt.Password, t.opt.Config, nil))
	if err != nil {
		return fmt.Errorf("zvt: registration after a drop: %w", err)
	}
	if d.end.Cmd != CmdCompletion {
		return fmt.Errorf("zvt: registration after a drop aborted: % X", d.end.Data)
	}
	t.dropped, t.markKnown = false, false
	t.drain(ctx)
	return nil
}

// drain reads and drops what the PT sent unasked, for Drain (real time,
// DrainAfterDrop after a drop) after the last of it, and at most
// drainMax messages or read errors: a PT that never stops talking is
// then met by the command's own pairing rules.
func (t *Terminal) drain(ctx context.Context) {
	for n := 0; n < drainMax; n++ {
		window := t.opt.Drain
		if t.dropped {
			window = t.opt.DrainAfterDrop
		}
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), window)
		a, err := t.recv(dctx, 0)
		cancel()
		switch {
		case err == nil:
			t.opt.Logger.Warn("zvt: stale message skipped", "cmd", a.Cmd.String(), "bytes", len(a.Data))
			t.ackStale(ctx, a)
		case errors.Is(err, context.DeadlineExceeded), errors.Is(err, ErrClosed):
			return
		default: // a read error left from before a reconnect: noted, not handed on
			t.opt.Logger.Info("zvt: stale link error skipped", "err", err)
		}
	}
}

const drainMax = 32

// Mark implements kiosk.PaymentTerminal: the trace number of the PT's
// newest transaction, from what this session saw or else from Repeat
// Receipt 06 20 (ZVT 13.08 §2.20). A PT that cannot tell gives an
// unknown mark, not an error.
func (t *Terminal) Mark(ctx context.Context) (kiosk.TerminalMark, error) {
	if err := t.acquire(ctx); err != nil {
		return kiosk.TerminalMark{}, err
	}
	defer t.release()
	if err := t.prepare(ctx); err != nil {
		return kiosk.TerminalMark{}, unavailable("mark", err)
	}
	if t.markKnown {
		return kiosk.TerminalMark{Known: true, Trace: t.lastTrace}, nil
	}
	s, err := t.newest(ctx)
	switch {
	case errors.Is(err, kiosk.ErrDeviceUnavailable):
		return kiosk.TerminalMark{}, err
	case err != nil || s.Trace == "":
		t.opt.Logger.Warn("zvt: the terminal's newest transaction is unknown", "err", err)
		return kiosk.TerminalMark{}, nil
	}
	return kiosk.TerminalMark{Known: true, Trace: s.Trace}, nil
}

// newest asks the PT for its newest transaction with Repeat Receipt
// 06 20. With the config-byte's ECR-receipt bits set (DefaultConfig) the
// copy comes to the kiosk as print lines, which this drops: nothing is
// printed. Errors: ErrDeviceUnavailable when it does not answer;
// ErrOutcomeUnknown when it refuses or says nothing usable.
func (t *Terminal) newest(ctx context.Context) (StatusInfo, error) {
	t.markKnown = false
	resp, first, err := t.start(ctx, RepeatReceiptAPDU(t.opt.Password))
	if err != nil {
		return StatusInfo{}, unavailable("repeat receipt", err)
	}
	if !resp.Positive() {
		return StatusInfo{}, unknown("repeat receipt", fmt.Errorf("refused: %02X", resp.Cmd.Instr()))
	}
	var d dialogue
	if err := t.converse(context.WithoutCancel(ctx), first, &d, nil, nil); err != nil {
		return StatusInfo{}, unknown("repeat receipt", err)
	}
	if d.status == nil {
		return StatusInfo{}, unknown("repeat receipt", errors.New("no status information"))
	}
	if d.status.Trace != "" && d.end.Cmd == CmdCompletion {
		t.markKnown = true
	}
	return *d.status, nil
}

func unavailable(what string, err error) error {
	return fmt.Errorf("zvt: %s: %w (%w)", what, kiosk.ErrDeviceUnavailable, err)
}

func unknown(what string, err error) error {
	return fmt.Errorf("zvt: %s: %w (%w)", what, kiosk.ErrOutcomeUnknown, err)
}

// errNoAnswer: a command went out but the PT's 80-00 did not come: it
// may or may not have arrived.
var errNoAnswer = errors.New("zvt: command sent, no answer")

// start sends cmd and waits T3 for the PT's 80-00 (PA00P016 §5.2.5). A
// negative answer comes back as resp with a nil error. An error wrapping
// errNoAnswer means the command was sent (it may have arrived); any
// other error, that it was not.
//
// Only an answer is paired with the command: a Status-Information,
// Completion, Abort or print line before the 80-00 belongs to an older
// transaction and is logged and skipped. An Intermediate Status comes
// from PTs that send their first message without the 80-00: the command
// is taken as accepted and the message handed on. A negative answer
// followed at once by an 80-00 or a message was a stale answer to an
// older command: the later one counts.
func (t *Terminal) start(ctx context.Context, cmd APDU) (resp APDU, early *APDU, err error) {
	if err := t.send(ctx, cmd); err != nil {
		return APDU{}, nil, err
	}
	bg := context.WithoutCancel(ctx)
	for {
		a, err := t.recv(bg, t.opt.T3)
		if err != nil {
			return APDU{}, nil, fmt.Errorf("%w: %w", errNoAnswer, err)
		}
		switch {
		case a.Positive():
			return a, nil, nil
		case a.IsResponse():
			pctx, cancel := context.WithTimeout(bg, t.opt.DrainAfterDrop)
			b, err := t.recv(pctx, 0)
			cancel()
			switch {
			case err != nil:
				return a, nil, nil
			case b.IsResponse():
				t.opt.Logger.Warn("zvt: stale answer skipped", "cmd", a.Cmd.String())
				return b, nil, nil
			case b.Cmd == CmdIntermediate:
				t.opt.Logger.Warn("zvt: stale answer skipped", "cmd", a.Cmd.String())
				return Ack(), &b, nil
			}
			t.opt.Logger.Warn("zvt: stale message skipped", "cmd", b.Cmd.String())
			return a, nil, nil
		case a.Cmd == CmdIntermediate:
			return Ack(), &a, nil
		}
		t.opt.Logger.Warn("zvt: stale message skipped", "cmd", a.Cmd.String())
		t.ackStale(ctx, a)
	}
}

// ackStale answers a stale message that only wants to be acknowledged
// (an Intermediate Status, a print line, a Completion or Abort, the
// Status-Information of a decline or a reversal, of an older exchange)
// with 80-00, so a PT still waiting for that answer from an ECR that died
// gets on with the next command (PA00P016 §5.2). A stale approval is not
// answered: 80-00 would keep a payment nobody vouches for, 84-xx would
// reverse one the kiosk may have released; the PT settles it by its own
// rules (ZVT 13.08 §2.2.8), and Recover asks.
func (t *Terminal) ackStale(ctx context.Context, a APDU) {
	switch a.Cmd {
	case CmdStatusInfo:
		if s, _ := ParseStatusInfo(a.Data); !s.HasResult || s.Result == ResultOK && s.OrigTrace == "" {
			return
		}
	case CmdIntermediate, CmdPrintLine, CmdPrintText, CmdCompletion, CmdPTAbort:
	default:
		return
	}
	_ = t.send(context.WithoutCancel(ctx), Ack())
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
// caller answers it). first is a message already read. A
// Status-Information that belongs (nil: all do) rejects is another
// transaction's: it is logged and skipped without an answer. ctx ending,
// or T4 running out (PA00P016 §5.2.6), sends one ECR Abort (06 B0) and
// reads on for T3 per message.
func (t *Terminal) converse(ctx context.Context, first *APDU, d *dialogue, stopAtStatus, belongs func(StatusInfo) bool) error {
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
			if err != nil && !aborted && (ctx.Err() != nil || errors.Is(err, ErrTimeout)) {
				aborted = true
				if ctx.Err() != nil {
					t.opt.Logger.Info("zvt: context ended, sending abort")
				} else {
					t.opt.Logger.Warn("zvt: T4 ran out, sending abort")
				}
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
			if belongs != nil && !belongs(s) {
				t.opt.Logger.Warn("zvt: status information of another transaction skipped",
					"result", fmt.Sprintf("%02X", s.Result), "trace", s.Trace)
				continue
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

// ResultWrongCurrency: the PT does not take the currency asked for (ZVT
// 13.08 ch. 10, error code 6F). It is the terminal's setup, not the
// customer's card: a technician must act.
const ResultWrongCurrency byte = 0x6F

// refusal is the result code of a negative answer 84-xx: the APRC, or
// for 84-1E the error code in the data block (ZVT 13.08 §2.1: 84-1E-xx-6F
// is a currency the PT does not take).
func refusal(resp APDU) byte {
	code := resp.Cmd.Instr()
	if code == 0x1E && len(resp.Data) > 0 {
		code = resp.Data[0]
	}
	return code
}

// newer reports whether trace a was given after trace b: trace numbers
// count up by one per transaction and wrap after 999999. Unparsable
// numbers are never newer.
func newer(a, b string) bool {
	x, err1 := strconv.Atoi(a)
	y, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil {
		return false
	}
	d := (x - y + 1000000) % 1000000
	return d > 0 && d < 500000
}

// belongsTo reports whether a Status-Information can be the answer to
// req sent after mark: it carries req's amount (when it carries one) and
// a trace number newer than the mark (when both are known). Anything else
// is a stale message of an older transaction.
func belongsTo(req kiosk.PaymentRequest, mark kiosk.TerminalMark) func(StatusInfo) bool {
	return func(s StatusInfo) bool {
		if s.HasAmount && s.Amount != req.Amount {
			return false
		}
		if mark.Known && mark.Trace != "" && s.Trace != "" && !newer(s.Trace, mark.Trace) {
			return false
		}
		return true
	}
}

// begin takes the line for a payment command op (Authorize, Refund): ctx
// not ended, the line acquired, and no approval still awaiting its
// Confirm. With a nil error the caller holds the line and releases it.
func (t *Terminal) begin(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := t.acquire(ctx); err != nil {
		return err
	}
	switch {
	case ctx.Err() != nil:
		t.release()
		return ctx.Err()
	case t.open != nil:
		t.release()
		return unavailable(op, fmt.Errorf("sale %s attempt %d still awaits Confirm", t.open.req.SaleID, t.open.req.Attempt))
	}
	return nil
}

// Authorize implements kiosk.PaymentTerminal: 06 01, then the PT's
// messages until its Status-Information (ZVT 13.08 §2.2). An approval
// returns with the Status-Information unanswered, for Confirm. Once the
// 06 01 has left, every failure is kiosk.ErrOutcomeUnknown.
func (t *Terminal) Authorize(ctx context.Context, req kiosk.PaymentRequest) (kiosk.PaymentResult, error) {
	if err := t.begin(ctx, "authorize"); err != nil {
		return kiosk.PaymentResult{}, err
	}
	defer t.release()
	cmd, err := AuthorizationAPDU(AuthRequest{Amount: req.Amount, VendTimeout: t.opt.VendTimeout})
	if err != nil {
		return kiosk.PaymentResult{}, err
	}
	if err := t.prepare(ctx); err != nil {
		return kiosk.PaymentResult{}, unavailable("authorize", err)
	}
	mark := req.Before
	if t.markKnown {
		mark = kiosk.TerminalMark{Known: true, Trace: t.lastTrace}
	}
	t.markKnown = false
	resp, first, err := t.start(ctx, cmd)
	switch {
	case err != nil && errors.Is(err, errNoAnswer):
		return kiosk.PaymentResult{}, unknown("authorize", err)
	case err != nil:
		if e := ctx.Err(); e != nil && errors.Is(err, e) {
			return kiosk.PaymentResult{}, e
		}
		return kiosk.PaymentResult{}, unavailable("authorize", err)
	}
	if !resp.Positive() {
		code := refusal(resp)
		nb, en := ResultText(code)
		switch {
		case code == ResultWrongCurrency:
			return kiosk.PaymentResult{}, fmt.Errorf("zvt: authorize: the terminal refused the request for its setup: %02X %s / %s: %w: %w",
				code, en, nb, kiosk.ErrMisconfigured, kiosk.ErrDeviceUnavailable)
		case code == 0xA0:
			return kiosk.PaymentResult{}, unavailable("authorize", fmt.Errorf("the terminal is busy: %02X %s", code, en))
		}
		res := declined(code, req, t.opt.Clock.Now())
		t.opt.Logger.Info("zvt: authorization refused", "code", res.Code)
		return res, nil
	}
	rec := &record{before: mark}
	t.known[keyOf(req)] = rec
	var d dialogue
	err = t.converse(ctx, first, &d, func(s StatusInfo) bool { return s.Result == ResultOK }, belongsTo(req, mark))
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
		t.markKnown = d.status.Trace != ""
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
	if t.open == nil || keyOf(t.open.req) != keyOf(req) {
		return fmt.Errorf("zvt: sale %s attempt %d has no approval awaiting release", req.SaleID, req.Attempt)
	}
	rec := t.known[keyOf(req)]
	if err := t.send(ctx, Nak(ResultPleaseWait)); err != nil {
		t.open, rec.unanswered = nil, true
		return unavailable("still dispensing", err)
	}
	var d dialogue
	err := t.converse(context.WithoutCancel(ctx), nil, &d, func(StatusInfo) bool { return true }, nil)
	switch {
	case err != nil:
		t.open, rec.unanswered = nil, true
		return unavailable("still dispensing", err)
	case d.status == nil || d.status.Result != ResultOK:
		// The PT gave up (max. status-infos exceeded: 04 0F 27 6C) and
		// reversed.
		t.open = nil
		rec.settled, rec.reversed = true, true
		return fmt.Errorf("zvt: the terminal reversed sale %s attempt %d while the goods were issued: %w", req.SaleID, req.Attempt, kiosk.ErrReversed)
	}
	return nil
}

// Confirm implements kiosk.PaymentTerminal. For the open approval it
// answers the Status-Information: 80-00-00 (released) or 84-xx-00 (not:
// the PT reverses), then reads on to Completion or Abort, collecting the
// receipt (LastReceipt). An answer that did not get through leaves the
// approval to be settled by a later Confirm, which asks the PT (06 20)
// whether it reversed on its own (§2.2.8). For an approval this session
// did not answer, or never saw (a restart: by req.ReceiptNo), it keeps
// it (released) or sends Reversal 06 30 with its receipt number.
func (t *Terminal) Confirm(ctx context.Context, req kiosk.PaymentRequest, released bool) error {
	if err := t.acquire(ctx); err != nil {
		return err
	}
	defer t.release()
	rec := t.known[keyOf(req)]
	if t.open != nil && keyOf(t.open.req) == keyOf(req) {
		return t.answer(ctx, req, rec, released)
	}
	if (rec == nil || !rec.decided) && req.ReceiptNo != "" {
		// A session that never saw the approval: the kiosk's record of it.
		rec = &record{decided: true, unanswered: true, res: kiosk.PaymentResult{
			Approved: true, Amount: req.Amount, Trace: req.Trace, ReceiptNo: req.ReceiptNo}}
		t.known[keyOf(req)] = rec
	}
	switch {
	case rec != nil && rec.decided && rec.reversed && released:
		return fmt.Errorf("zvt: confirm: the terminal reversed sale %s attempt %d on its own: %w", req.SaleID, req.Attempt, kiosk.ErrReversed)
	case rec != nil && rec.decided && rec.reversed:
		return nil
	case rec == nil || !rec.decided || !rec.res.Approved:
		return fmt.Errorf("zvt: confirm: sale %s attempt %d was not approved", req.SaleID, req.Attempt)
	case rec.settled && rec.released == released:
		return nil
	case rec.settled:
		return fmt.Errorf("zvt: confirm(%v): sale %s attempt %d was already settled the other way", released, req.SaleID, req.Attempt)
	case rec.unanswered:
		if err := t.prepare(ctx); err != nil {
			return unavailable("confirm", err)
		}
		s, err := t.newest(ctx)
		if errors.Is(err, kiosk.ErrDeviceUnavailable) {
			return err
		}
		if err == nil && rec.res.Trace != "" && s.OrigTrace == rec.res.Trace {
			// The PT reversed it on its own (no answer, §2.2.8).
			rec.settled, rec.released, rec.unanswered, rec.reversed = true, false, false, true
			if released {
				return fmt.Errorf("zvt: the terminal reversed sale %s attempt %d on its own before the release was confirmed: %w", req.SaleID, req.Attempt, kiosk.ErrReversed)
			}
			return nil
		}
		rec.unanswered = false
	}
	if released {
		rec.settled, rec.released = true, true
		return nil
	}
	return t.reverse(ctx, req, rec)
}

// answer answers the open approval's Status-Information (ZVT 13.08
// §2.2.6) and reads on to the PT's Completion or Abort.
func (t *Terminal) answer(ctx context.Context, req kiosk.PaymentRequest, rec *record, released bool) error {
	answer := Ack()
	if !released {
		answer = Nak(t.opt.VendFailure)
	}
	t.open = nil
	if err := t.send(ctx, answer); err != nil {
		// Not through: the PT reverses on its own unless a later Confirm
		// finds it kept (§2.2.8). The next payment is not held up.
		rec.unanswered = true
		return unavailable("confirm", err)
	}
	rec.settled, rec.released = true, released
	var d dialogue
	if err := t.converse(context.WithoutCancel(ctx), nil, &d, nil, nil); err != nil {
		// Our answer reached the PT: it completes or reverses on its own
		// (ZVT 13.08 §2.2.9); only the receipt is lost.
		t.opt.Logger.Warn("zvt: link lost after confirm", "released", released, "err", err)
	}
	t.lastLines = d.lines
	// Kept and completed: the approval is still the PT's newest
	// transaction. A reversal is a transaction of its own.
	t.markKnown = released && d.end.Cmd == CmdCompletion
	if released && d.end.Cmd == CmdPTAbort {
		// The PT had already reversed (its vend time-out, §2.2.6) and
		// sent Abort instead of Completion.
		rec.released, rec.reversed = false, true
		code := ResultSystemError
		if len(d.end.Data) > 0 {
			code = d.end.Data[0]
		}
		_, en := ResultText(code)
		return fmt.Errorf("zvt: the terminal reversed sale %s attempt %d before the release was confirmed: %02X %s: %w", req.SaleID, req.Attempt, code, en, kiosk.ErrReversed)
	}
	return nil
}

// reverse sends Reversal 06 30 for rec's receipt number (ZVT 13.08 §2.9).
func (t *Terminal) reverse(ctx context.Context, req kiosk.PaymentRequest, rec *record) error {
	cmd, err := ReversalAPDU(t.opt.Password, rec.res.ReceiptNo, rec.res.Amount)
	if err != nil {
		return err
	}
	if err := t.prepare(ctx); err != nil {
		return unavailable("reversal", err)
	}
	t.markKnown = false
	resp, first, err := t.start(ctx, cmd)
	if err != nil {
		return unavailable("reversal", err)
	}
	if !resp.Positive() {
		return fmt.Errorf("zvt: reversal refused: %02X", refusal(resp))
	}
	var d dialogue
	if err := t.converse(context.WithoutCancel(ctx), first, &d, nil, nil); err != nil {
		return unavailable("reversal", err)
	}
	code := ResultSystemError
	switch {
	case d.status != nil:
		code = d.status.Result
		t.markKnown = d.status.Trace != "" && d.end.Cmd == CmdCompletion
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

// notCharged is Recover's answer for a request the PT has no
// transaction of.
func notCharged(req kiosk.PaymentRequest, now time.Time) kiosk.PaymentResult {
	return kiosk.PaymentResult{Amount: req.Amount, Time: now,
		Message: "ikke belastet: terminalen har ingen transaksjon etter forespørselen / not charged: the terminal has no transaction after the request"}
}

// Recover implements kiosk.PaymentTerminal without sending 06 01 again:
// the open approval answers itself; otherwise Repeat Receipt 06 20
// fetches the PT's newest transaction (ZVT 13.08 §2.20.2). It is this
// request's only when it is newer than the mark the request was made
// after (req.Before, or what this session saw) and has its amount; the
// mark still being the newest means the request was never carried out.
func (t *Terminal) Recover(ctx context.Context, req kiosk.PaymentRequest) (kiosk.PaymentResult, error) {
	if err := t.acquire(ctx); err != nil {
		return kiosk.PaymentResult{}, err
	}
	defer t.release()
	if t.open != nil && keyOf(t.open.req) == keyOf(req) {
		return t.open.res, nil
	}
	if err := t.prepare(ctx); err != nil {
		return kiosk.PaymentResult{}, unavailable("recover", err)
	}
	s, err := t.newest(ctx)
	if err != nil {
		return kiosk.PaymentResult{}, err
	}
	rec := t.known[keyOf(req)]
	if rec != nil && rec.decided {
		res := rec.res
		if rec.settled && !rec.released {
			res.Approved, res.Message = false, "reversed / tilbakeført"
		}
		if s.OrigTrace != "" && s.OrigTrace == res.Trace {
			res.Approved, res.Message = false, "reversed / tilbakeført"
		}
		return res, nil
	}
	mark := req.Before
	if rec != nil && rec.before.Known {
		mark = rec.before
	}
	switch {
	case req.Trace != "" && s.OrigTrace == req.Trace:
		res := t.result(s, req, nil)
		res.Approved, res.Message = false, "reversed / tilbakeført"
		t.known[keyOf(req)] = &record{decided: true, reversed: true, res: res, before: mark}
		return res, nil
	case req.Trace != "" && s.Trace == req.Trace:
		// The approval the kiosk recorded, still the newest.
	case !mark.Known:
		return kiosk.PaymentResult{}, unknown("recover", errors.New("no mark of the terminal's transactions before the request"))
	case s.Trace == mark.Trace:
		t.opt.Logger.Info("zvt: recover: no transaction since the request's mark", "trace", mark.Trace)
		return notCharged(req, t.opt.Clock.Now()), nil
	case mark.Trace != "" && !newer(s.Trace, mark.Trace):
		return kiosk.PaymentResult{}, unknown("recover", fmt.Errorf("the terminal's newest transaction %s is not after the request's mark %s", s.Trace, mark.Trace))
	case !s.HasAmount || s.Amount != req.Amount:
		return kiosk.PaymentResult{}, unknown("recover", errors.New("the terminal's newest transaction is not this one"))
	case s.OrigTrace != "" && (mark.Trace == "" || newer(s.OrigTrace, mark.Trace)):
		// A reversal of a transaction made after the mark: this one,
		// reversed (the PT's own auto-reversal, §2.2.8).
		res := t.result(s, req, nil)
		res.Approved, res.Message = false, "reversed / tilbakeført"
		return res, nil
	case s.OrigTrace != "":
		return kiosk.PaymentResult{}, unknown("recover", errors.New("the terminal's newest transaction reverses an older one"))
	}
	res := t.result(s, req, nil)
	if rec == nil {
		rec = &record{before: mark}
		t.known[keyOf(req)] = rec
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
	t.drain(ctx)
	d, err := t.admin(ctx, RegistrationAPDU(t.opt.Password, t.opt.Config, nil))
	if err != nil {
		return Completion{}, err
	}
	if d.end.Cmd != CmdCompletion {
		return Completion{}, fmt.Errorf("zvt: registration aborted: % X", d.end.Data)
	}
	t.dropped = false
	return ParseRegistrationCompletion(d.end.Data)
}

// StatusEnquiry sends 05 01 and returns the terminal status code from the
// Completion (ZVT 13.08 §2.56, ch. 11).
func (t *Terminal) StatusEnquiry(ctx context.Context) (Completion, error) {
	if err := t.acquire(ctx); err != nil {
		return Completion{}, err
	}
	defer t.release()
	if err := t.prepare(ctx); err != nil {
		return Completion{}, unavailable("status enquiry", err)
	}
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
	if err := t.prepare(ctx); err != nil {
		return Totals{}, unavailable("end of day", err)
	}
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

var _ kiosk.TerminalEndOfDay = (*Terminal)(nil)

// CloseDay implements kiosk.TerminalEndOfDay: EndOfDay, its totals in
// the kiosk's terms. A terminal that does not answer is
// kiosk.ErrDeviceUnavailable; one that refuses or fails says why.
func (t *Terminal) CloseDay(ctx context.Context) (kiosk.TerminalTotals, error) {
	tot, err := t.EndOfDay(ctx)
	if err != nil {
		return kiosk.TerminalTotals{}, err
	}
	return kiosk.TerminalTotals{Count: tot.Count, Amount: tot.Amount, Trace: tot.Trace,
		ReceiptFrom: tot.ReceiptFrom, ReceiptTo: tot.ReceiptTo, Lines: tot.ReceiptLines}, nil
}

// admin runs an administration command to its Completion or Abort.
func (t *Terminal) admin(ctx context.Context, cmd APDU) (dialogue, error) {
	var d dialogue
	t.markKnown = false
	resp, first, err := t.start(ctx, cmd)
	if err != nil {
		return d, unavailable(cmd.Cmd.String(), err)
	}
	if !resp.Positive() {
		_, en := ResultText(resp.Cmd.Instr())
		return d, fmt.Errorf("zvt: %v refused: %02X %s", cmd.Cmd, resp.Cmd.Instr(), en)
	}
	if err := t.converse(ctx, first, &d, nil, nil); err != nil {
		return d, unavailable(cmd.Cmd.String(), err)
	}
	return d, nil
}
