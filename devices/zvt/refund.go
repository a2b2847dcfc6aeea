package zvt

// Refund 06 31 (ZVT 13.08 §2.15): money back to the customer's card for
// returned goods. "The further sequence of events is identical to the
// Authorization (06 01)": the PT answers 80-00, sends Intermediate
// Status, its Status-Information and receipt, and ends with Completion
// (06 0F) or Abort (06 1E). A refund issues no goods, so the
// Status-Information is answered 80-00 at once (no vending hold).

import (
	"context"
	"errors"
	"fmt"

	"selvkasse/kiosk"
)

// RefundRequest is what 06 31 carries.
type RefundRequest struct {
	Password    Password
	Amount      kiosk.Money // BMP 04, positive
	PaymentType *byte       // BMP 19, nil: the PT decides
}

// RefundAPDU builds 06 31: <password> 04<amount> 49<CC> [19<payment-type>]
// (ZVT 13.08 §2.15; the password is mandatory, the amount is optional only
// for bonus transactions, which the kiosk does not make).
func RefundAPDU(r RefundRequest) (APDU, error) {
	if r.Amount <= 0 {
		return APDU{}, fmt.Errorf("zvt: refund of %d øre: the amount must be positive", int64(r.Amount))
	}
	amt, err := AmountBCD(r.Amount)
	if err != nil {
		return APDU{}, err
	}
	d, _ := AppendField(r.Password.bytes(), BMPAmount, amt)
	d, _ = AppendField(d, BMPCurrency, CurrencyNOK)
	if r.PaymentType != nil {
		d, _ = AppendField(d, BMPPaymentType, []byte{*r.PaymentType})
	}
	return APDU{Cmd: CmdRefund, Data: d}, nil
}

// ParseRefund decodes 06 31's data block (for simulators): the password
// and the fields after it. A refund without an amount, in another
// currency than NOK or with a password that is not BCD is an error.
func ParseRefund(data []byte) (RefundRequest, error) {
	var r RefundRequest
	if len(data) < 3 {
		return r, errors.New("zvt: refund without password")
	}
	pw, err := ParseBCD(data[:3])
	if err != nil {
		return r, fmt.Errorf("zvt: refund password: %w", err)
	}
	r.Password = Password(pw)
	fs, err := ParseFields(data[3:])
	if err != nil {
		return r, err
	}
	var p payFields
	for _, f := range fs {
		if _, err := p.read(f); err != nil {
			return r, err
		}
	}
	r.Amount, r.PaymentType = p.amount, p.paymentType
	if !p.found || r.Amount == 0 {
		return r, errors.New("zvt: refund without amount")
	}
	return r, nil
}

// RefundOutcome is what the PT's messages after an accepted 06 31 come
// to.
type RefundOutcome int

const (
	// RefundUnknown: no Status-Information and no Abort came, or an
	// approval ended in an Abort: the money may or may not have gone back.
	RefundUnknown RefundOutcome = iota
	RefundApproved
	RefundDeclined
)

// refundOutcome reads the dialogue after an accepted 06 31: an approving
// Status-Information (result 00) followed by Completion is an approval;
// a Status-Information with another result, or an Abort with none, is a
// refusal (its code); anything else is unknown.
func refundOutcome(d dialogue) (RefundOutcome, byte) {
	switch {
	case d.status != nil && d.status.Result == ResultOK && d.status.OrigTrace == "" && d.end.Cmd == CmdCompletion:
		return RefundApproved, ResultOK
	case d.status != nil && d.status.Result != ResultOK:
		return RefundDeclined, d.status.Result
	case d.status == nil && d.end.Cmd == CmdPTAbort:
		code := ResultSystemError
		if len(d.end.Data) > 0 {
			code = d.end.Data[0]
		}
		return RefundDeclined, code
	}
	return RefundUnknown, ResultSystemError
}

// ParseRefundAnswers reads the PT's messages after a 06 31 (the raw
// APDUs, as they came, after its 80-00) the way Refund does, for tests
// and fuzzing: what they come to, and the result code. Undecodable
// messages count as not sent.
func ParseRefundAnswers(as []APDU) (RefundOutcome, byte) {
	var d dialogue
	for _, a := range as {
		switch a.Cmd {
		case CmdStatusInfo:
			s, err := ParseStatusInfo(a.Data)
			if err != nil && !s.HasResult {
				continue
			}
			d.status = &s
		case CmdCompletion, CmdPTAbort:
			d.end = a
			return refundOutcome(d)
		}
	}
	return refundOutcome(d)
}

var _ kiosk.TerminalRefund = (*Terminal)(nil)

// Refund implements kiosk.TerminalRefund: 06 31 with the options'
// password and req's amount in NOK, then the PT's messages, each answered
// 80-00, to its Completion or Abort (ZVT 13.08 §2.15). A negative answer
// to the command, a Status-Information with a result other than 00 or
// an Abort is a refusal (Approved false); once the PT has acknowledged
// the command every failure to hear the end is kiosk.ErrOutcomeUnknown.
// ctx ending or T4 running out sends the ECR's Abort (06 B0) and waits
// for the PT's answer, usually an Abort: then nothing was refunded.
func (t *Terminal) Refund(ctx context.Context, req kiosk.RefundRequest) (kiosk.PaymentResult, error) {
	if err := t.begin(ctx, "refund"); err != nil {
		return kiosk.PaymentResult{}, err
	}
	defer t.release()
	cmd, err := RefundAPDU(RefundRequest{Password: t.opt.Password, Amount: req.Amount})
	if err != nil {
		return kiosk.PaymentResult{}, err
	}
	if err := t.prepare(ctx); err != nil {
		return kiosk.PaymentResult{}, unavailable("refund", err)
	}
	mark := kiosk.TerminalMark{}
	if t.markKnown {
		mark = kiosk.TerminalMark{Known: true, Trace: t.lastTrace}
	}
	t.markKnown = false
	preq := kiosk.PaymentRequest{SaleID: req.ReturnID, Amount: req.Amount}
	resp, first, err := t.start(ctx, cmd)
	switch {
	case err != nil && errors.Is(err, errNoAnswer):
		return kiosk.PaymentResult{}, unknown("refund", err)
	case err != nil:
		if e := ctx.Err(); e != nil && errors.Is(err, e) {
			return kiosk.PaymentResult{}, e
		}
		return kiosk.PaymentResult{}, unavailable("refund", err)
	case !resp.Positive():
		code := refusal(resp)
		nb, en := ResultText(code)
		switch {
		case code == ResultWrongCurrency:
			return kiosk.PaymentResult{}, fmt.Errorf("zvt: refund: the terminal refused the request for its setup: %02X %s / %s: %w: %w",
				code, en, nb, kiosk.ErrMisconfigured, kiosk.ErrDeviceUnavailable)
		case code == 0xA0:
			return kiosk.PaymentResult{}, unavailable("refund", fmt.Errorf("the terminal is busy: %02X %s", code, en))
		}
		t.opt.Logger.Info("zvt: refund refused", "code", fmt.Sprintf("%02X", code))
		return declined(code, preq, t.opt.Clock.Now()), nil
	}
	var d dialogue
	if err := t.converse(ctx, first, &d, nil, belongsTo(preq, mark)); err != nil {
		return kiosk.PaymentResult{}, unknown("refund", err)
	}
	out, code := refundOutcome(d)
	switch out {
	case RefundApproved:
		t.markKnown = d.status.Trace != ""
		res := t.result(*d.status, preq, d.lines)
		t.opt.Logger.Info("zvt: refund approved", "trace", res.Trace, "receipt", res.ReceiptNo)
		return res, nil
	case RefundDeclined:
		var res kiosk.PaymentResult
		if d.status != nil {
			t.markKnown = d.status.Trace != "" && d.end.Cmd == CmdCompletion
			res = t.result(*d.status, preq, d.lines)
			res.Approved = false
		} else {
			res = declined(code, preq, t.opt.Clock.Now())
			res.Lines = d.lines
		}
		t.opt.Logger.Info("zvt: refund declined", "code", res.Code)
		return res, nil
	}
	return kiosk.PaymentResult{}, unknown("refund", fmt.Errorf("the terminal ended with %v without a result", d.end.Cmd))
}
