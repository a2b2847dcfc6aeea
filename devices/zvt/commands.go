package zvt

import (
	"errors"
	"fmt"
	"strings"

	"selvkasse/kiosk"
)

// Registration config-byte bits (ZVT 13.08 §2.1, table 1).
const (
	ConfigECRPaymentReceipt byte = 0x02 // ECR prints payment receipts
	ConfigECRAdminReceipt   byte = 0x04 // ECR prints administration receipts
	ConfigIntermediate      byte = 0x08 // ECR wants Intermediate Status-Information
	ConfigECRPayment        byte = 0x10 // amount input on the PT not possible
	ConfigECRAdmin          byte = 0x20 // administration on the PT not possible
	ConfigPrintLines        byte = 0x80 // receipts via Print Line/Text-Block
	// DefaultConfig: the kiosk prints every receipt from the PT's print
	// lines, wants intermediate status, and controls payment and
	// administration functions.
	DefaultConfig = ConfigECRPaymentReceipt | ConfigECRAdminReceipt | ConfigIntermediate |
		ConfigECRPayment | ConfigECRAdmin | ConfigPrintLines
)

// Completion status-byte bit for vending-machine mode (ZVT 13.08 table 3).
const StatusVending byte = 0x10

// Result codes this package acts on (ZVT 13.08 ch. 10).
const (
	ResultOK              byte = 0x00
	ResultProcessingError byte = 0x66
	ResultAborted         byte = 0x6C
	ResultPleaseWait      byte = 0x9C // ECR answer 84-9C: goods still being issued (§2.2.6 b)
	ResultSystemError     byte = 0xFF
)

// DefaultVendFailure is the APRC the kiosk answers an approved
// Status-Information with when the goods were not released: any value but
// 00 and 9C makes the PT reverse (ZVT 13.08 §2.2.6 c). 66 is "processing
// error (also for problems with card-reader mechanism)" — the nearest code.
const DefaultVendFailure = ResultProcessingError

// Password is the 6-digit ECR password, sent as 3 bytes BCD (§1.2).
type Password uint32

func (p Password) bytes() []byte { return BCD(uint64(p%1000000), 3) }

// Ack is the positive completion 80-00-00 (PA00P016 §5.2.3).
func Ack() APDU { return APDU{Cmd: RespOK} }

// Nak is the negative completion 84-code-00.
func Nak(code byte) APDU { return APDU{Cmd: 0x8400 | Cmd(code)} }

// RegistrationAPDU builds 06 00: <password> <config-byte> <CC>
// [03 <service-byte>] (ZVT 13.08 §2.1).
func RegistrationAPDU(pw Password, config byte, service *byte) APDU {
	d := append(pw.bytes(), config)
	d = append(d, CurrencyNOK...)
	if service != nil {
		d = append(d, BMPServiceByte, *service)
	}
	return APDU{Cmd: CmdRegistration, Data: d}
}

// AuthRequest is what 06 01 carries.
type AuthRequest struct {
	Amount      kiosk.Money
	PaymentType *byte // BMP 19, nil: the PT decides
	// VendTimeout is BMP 01: seconds the PT waits for the result of the
	// issue of goods (§2.2.1, default 30); 0 omits it.
	VendTimeout byte
	// MaxStatus is BMP 02: how often the ECR may answer 84-9C; 0 omits it.
	MaxStatus byte
}

// AuthorizationAPDU builds 06 01: 04<amount> 49<CC> [19<payment-type>]
// [01<timeout>] [02<max. status-infos>] (ZVT 13.08 §2.2.1).
func AuthorizationAPDU(r AuthRequest) (APDU, error) {
	amt, err := AmountBCD(r.Amount)
	if err != nil {
		return APDU{}, err
	}
	d, _ := AppendField(nil, BMPAmount, amt)
	d, _ = AppendField(d, BMPCurrency, CurrencyNOK)
	if r.PaymentType != nil {
		d, _ = AppendField(d, BMPPaymentType, []byte{*r.PaymentType})
	}
	if r.VendTimeout > 0 {
		d, _ = AppendField(d, BMPTimeout, []byte{r.VendTimeout})
	}
	if r.MaxStatus > 0 {
		d, _ = AppendField(d, BMPMaxStatus, []byte{r.MaxStatus})
	}
	return APDU{Cmd: CmdAuthorization, Data: d}, nil
}

// ParseAuthorization decodes 06 01's amount and currency (for simulators).
func ParseAuthorization(data []byte) (AuthRequest, error) {
	fs, err := ParseFields(data)
	if err != nil {
		return AuthRequest{}, err
	}
	var r AuthRequest
	var p payFields
	for _, f := range fs {
		shared, err := p.read(f)
		if err != nil {
			return r, err
		}
		if shared {
			continue
		}
		switch f.BMP {
		case BMPTimeout:
			r.VendTimeout = f.Data[0]
		case BMPMaxStatus:
			r.MaxStatus = f.Data[0]
		}
	}
	r.Amount, r.PaymentType = p.amount, p.paymentType
	if !p.found {
		return r, errors.New("zvt: authorization without amount")
	}
	return r, nil
}

// payFields are the fields the payment commands share (Authorization
// 06 01, Refund 06 31), as the simulators parse them.
type payFields struct {
	amount      kiosk.Money
	found       bool // an amount was there
	paymentType *byte
}

// read takes f when it is one of the shared fields (ok): the amount, the
// currency (NOK only) or the payment type.
func (p *payFields) read(f Field) (ok bool, err error) {
	switch f.BMP {
	case BMPAmount:
		v, err := ParseBCD(f.Data)
		if err != nil {
			return true, err
		}
		p.amount, p.found = kiosk.Money(v), true
	case BMPCurrency:
		if string(f.Data) != string(CurrencyNOK) {
			return true, fmt.Errorf("zvt: currency %X is not NOK", f.Data)
		}
	case BMPPaymentType:
		pt := f.Data[0]
		p.paymentType = &pt
	default:
		return false, nil
	}
	return true, nil
}

// AbortAPDU is the ECR's Abort 06 B0 (ZVT 13.08 §2.23).
func AbortAPDU() APDU { return APDU{Cmd: CmdAbort} }

// RepeatReceiptAPDU is 06 20 <password> 03<service-byte 01>: repeat the
// last receipt and its Status-Information (ZVT 13.08 §2.20, table 5).
func RepeatReceiptAPDU(pw Password) APDU {
	return APDU{Cmd: CmdRepeatReceipt, Data: append(pw.bytes(), BMPServiceByte, 0x01)}
}

// ReversalAPDU is 06 30 <password> 87<receipt-no> [04<amount>]
// (ZVT 13.08 §2.9). receiptNo is up to 4 digits.
func ReversalAPDU(pw Password, receiptNo string, amount kiosk.Money) (APDU, error) {
	var n uint64
	if len(receiptNo) == 0 || len(receiptNo) > 4 {
		return APDU{}, fmt.Errorf("zvt: receipt number %q", receiptNo)
	}
	for _, c := range receiptNo {
		if c < '0' || c > '9' {
			return APDU{}, fmt.Errorf("zvt: receipt number %q", receiptNo)
		}
		n = n*10 + uint64(c-'0')
	}
	d, _ := AppendField(pw.bytes(), BMPReceiptNo, BCD(n, 2))
	if amount > 0 {
		amt, err := AmountBCD(amount)
		if err != nil {
			return APDU{}, err
		}
		d, _ = AppendField(d, BMPAmount, amt)
	}
	return APDU{Cmd: CmdReversal, Data: d}, nil
}

// EndOfDayAPDU is 06 50 <password> (ZVT 13.08 §2.16.1).
func EndOfDayAPDU(pw Password) APDU { return APDU{Cmd: CmdEndOfDay, Data: pw.bytes()} }

// StatusEnquiryAPDU is 05 01 <password> (ZVT 13.08 §2.56.1).
func StatusEnquiryAPDU(pw Password) APDU { return APDU{Cmd: CmdStatusEnquiry, Data: pw.bytes()} }

// StatusInfo is the Status-Information 04 0F after a payment, reversal or
// end-of-day (ZVT 13.08 §3.1.1, §3.1.3), card data minimised: the PAN only
// masked, track and chip data dropped.
type StatusInfo struct {
	Result      byte // BMP 27; 00 when absent
	HasResult   bool
	Amount      kiosk.Money // BMP 04
	HasAmount   bool
	Trace       string // BMP 0B, 6 digits
	OrigTrace   string // BMP 37
	Time        string // BMP 0C HHMMSS
	Date        string // BMP 0D MMDD
	ReceiptNo   string // BMP 87, 4 digits
	Turnover    string // BMP 88
	TerminalID  string // BMP 29, 8 digits
	VU          string // BMP 2A
	Currency    string // BMP 49, "0578"
	PaymentType byte   // BMP 19
	CardType    byte   // BMP 8A
	CardTypeID  byte   // BMP 8C
	CardName    string // BMP 8B
	MaskedPAN   string // BMP 22, masked
	Expiry      string // BMP 0E YYMM
	AID         string // BMP 3B
	AddText     string // BMP 3C, PAN-like runs masked
	Singles     []byte // BMP 60 (end-of-day totals per card scheme)
	TLV         []TLV  // BMP 06
}

// ParseStatusInfo decodes 04 0F's data block. Unknown BMPs with a known
// length are skipped; an undecodable block is an error.
func ParseStatusInfo(data []byte) (StatusInfo, error) {
	fs, err := ParseFields(data)
	var s StatusInfo
	for _, f := range fs {
		switch f.BMP {
		case BMPResult:
			s.Result, s.HasResult = f.Data[0], true
		case BMPAmount:
			v, perr := ParseBCD(f.Data)
			if perr != nil {
				return s, perr
			}
			s.Amount, s.HasAmount = kiosk.Money(v), true
		case BMPTrace:
			s.Trace = bcdDigits(f.Data)
		case BMPOrigTrace:
			s.OrigTrace = bcdDigits(f.Data)
		case BMPTime:
			s.Time = bcdDigits(f.Data)
		case BMPDate:
			s.Date = bcdDigits(f.Data)
		case BMPExpiry:
			s.Expiry = bcdDigits(f.Data)
		case BMPReceiptNo:
			s.ReceiptNo = bcdDigits(f.Data)
		case BMPTurnover:
			s.Turnover = bcdDigits(f.Data)
		case BMPTerminalID:
			s.TerminalID = bcdDigits(f.Data)
		case BMPVU:
			s.VU = strings.TrimRight(decodeText(f.Data), " \x00")
		case BMPCurrency:
			s.Currency = bcdDigits(f.Data)
		case BMPPaymentType:
			s.PaymentType = f.Data[0]
		case BMPCardType:
			s.CardType = f.Data[0]
		case BMPCardTypeID:
			s.CardTypeID = f.Data[0]
		case BMPCardName:
			s.CardName = MaskPANs(strings.TrimRight(decodeText(f.Data), "\x00"))
		case BMPPAN:
			s.MaskedPAN = panFromBCD(f.Data)
		case BMPAID:
			s.AID = MaskPANs(strings.TrimRight(decodeText(f.Data), "\x00"))
		case BMPAddText:
			s.AddText = MaskPANs(decodeText(f.Data))
		case 0x60:
			s.Singles = f.Data
		case BMPTLV:
			s.TLV, _ = ParseTLV(f.Data) // a broken container loses only itself
		}
	}
	return s, err
}

// panFromBCD turns BMP 22's BCD into text, E (masked digit) as '*', F
// padding dropped. A PAN that arrives unmasked is masked here.
func panFromBCD(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		for _, n := range []byte{c >> 4, c & 0x0F} {
			switch {
			case n <= 9:
				s.WriteByte('0' + n)
			case n == 0xE:
				s.WriteByte('*')
			case n == 0xD:
				s.WriteByte('=')
			}
		}
	}
	return MaskPAN(s.String())
}

// MaskPAN masks a card number: every digit but the last four becomes '*'.
// One the terminal already masked (with '*') keeps at most its first six
// and last four characters' digits, however much it left visible.
func MaskPAN(pan string) string {
	b := []byte(pan)
	keepHead := 0
	if strings.Contains(pan, "*") {
		keepHead = 6
	}
	for i := keepHead; i < len(b)-4; i++ {
		if b[i] >= '0' && b[i] <= '9' {
			b[i] = '*'
		}
	}
	return string(b)
}

// MaskPANs masks every run of 13 or more digits in s (single spaces or
// dashes between digit groups count as part of the run), keeping the last
// four digits: a receipt line never carries a full card number.
func MaskPANs(s string) string {
	b := []byte(s)
	isD := func(c byte) bool { return c >= '0' && c <= '9' }
	for i := 0; i < len(b); {
		if !isD(b[i]) {
			i++
			continue
		}
		j, digits := i, 0
		for j < len(b) {
			if isD(b[j]) {
				digits++
				j++
			} else if (b[j] == ' ' || b[j] == '-') && j+1 < len(b) && isD(b[j+1]) {
				j++
			} else {
				break
			}
		}
		if digits >= 13 {
			keep := 4
			for k := j - 1; k >= i; k-- {
				if isD(b[k]) {
					if keep > 0 {
						keep--
					} else {
						b[k] = '*'
					}
				}
			}
		}
		i = j
	}
	return string(b)
}

// cp437 maps the upper half of the default 8-bit ZVT character set
// (ZVT 13.08 §15.2, code page 437) for the letters a Norwegian receipt
// needs; other bytes above 7F become '?'.
var cp437 = map[byte]rune{
	0x86: 'å', 0x8F: 'Å', 0x91: 'æ', 0x92: 'Æ', 0x9B: 'ø', 0x9D: 'Ø', 0x94: 'ö', 0x99: 'Ö',
	0x84: 'ä', 0x8E: 'Ä', 0x81: 'ü', 0x9A: 'Ü', 0xE1: 'ß', 0x82: 'é', 0x90: 'É', 0xF8: '°',
}

// decodeText turns terminal text into a string.
func decodeText(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		switch {
		case c == 0:
			s.WriteByte(0)
		case c < 0x20:
			s.WriteByte(' ')
		case c < 0x80:
			s.WriteByte(c)
		default:
			if r, ok := cp437[c]; ok {
				s.WriteRune(r)
			} else {
				s.WriteByte('?')
			}
		}
	}
	return s.String()
}

// EncodeText is the reverse of decodeText for simulators: ASCII and the
// mapped letters; other runes become '?'.
func EncodeText(s string) []byte {
	rev := map[rune]byte{}
	for b, r := range cp437 {
		rev[r] = b
	}
	var out []byte
	for _, r := range s {
		switch {
		case r < 0x80:
			out = append(out, byte(r))
		case rev[r] != 0:
			out = append(out, rev[r])
		default:
			out = append(out, '?')
		}
	}
	return out
}

// PrintLine is one line of 06 D1 (ZVT 13.08 §3.5).
type PrintLine struct {
	Attr byte
	Text string // PAN-like runs masked
	Last bool   // attribute 1xxx xxxx (not 80, not FF): end of this receipt
}

// ParsePrintLine decodes 06 D1's <attribute> <text>.
func ParsePrintLine(data []byte) (PrintLine, error) {
	if len(data) == 0 {
		return PrintLine{}, errors.New("zvt: print line without attribute")
	}
	a := data[0]
	p := PrintLine{Attr: a, Last: a&0x80 != 0 && a != 0x80 && a != 0xFF}
	if a == 0xFF { // line feeds: <text> is their count
		return p, nil
	}
	p.Text = MaskPANs(strings.TrimRight(decodeText(data[1:]), "\x00"))
	return p, nil
}

// PrintLineAPDU builds 06 D1 (for simulators).
func PrintLineAPDU(attr byte, text string) APDU {
	return APDU{Cmd: CmdPrintLine, Data: append([]byte{attr}, EncodeText(text)...)}
}

// Text-block tags (ZVT 13.08 §9.4).
const (
	TagTextLines   uint32 = 0x07
	TagAttribute   uint32 = 0x09
	TagPrintTexts  uint32 = 0x25
	TagReceiptType uint32 = 0x1F07
)

// ParsePrintText decodes 06 D3's 06<TLV-container>: the text lines (tag
// 07) of the print-texts container (tag 25), in order (ZVT 13.08 §3.6).
func ParsePrintText(data []byte) ([]string, error) {
	fs, err := ParseFields(data)
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, f := range fs {
		if f.BMP != BMPTLV {
			continue
		}
		objs, err := ParseTLV(f.Data)
		if err != nil {
			return nil, err
		}
		if c, ok := Find(objs, TagPrintTexts); ok {
			for _, t := range c.Children {
				if t.Tag == TagTextLines {
					lines = append(lines, MaskPANs(strings.TrimRight(decodeText(t.Value), "\x00")))
				}
			}
		}
	}
	return lines, nil
}

// PrintTextAPDU builds 06 D3 with lines and the end-of-receipt attribute
// (for simulators). receiptType is tag 1F07 (1 customer, 2 merchant).
func PrintTextAPDU(receiptType byte, lines []string) APDU {
	var kids []TLV
	for _, l := range lines {
		kids = append(kids, TLV{Tag: TagTextLines, Value: EncodeText(l)})
	}
	kids = append(kids, TLV{Tag: TagAttribute, Value: []byte{0x81}})
	c := AppendTLV(nil, TLV{Tag: TagReceiptType, Value: []byte{receiptType}}, TLV{Tag: TagPrintTexts, Children: kids})
	d, _ := AppendField(nil, BMPTLV, c)
	return APDU{Cmd: CmdPrintText, Data: d}
}

// Completion is 06 0F's data as far as this package reads it.
type Completion struct {
	StatusByte    byte // BMP 19 after Registration (table 3)
	HasStatusByte bool
	TerminalID    string // BMP 29
	// TerminalStatus is the terminal status code after Status-Enquiry
	// (ZVT 13.08 ch. 11), read after the optional LLLVAR SW version.
	TerminalStatus byte
	SWVersion      string
}

// ParseRegistrationCompletion reads 06 0F after 06 00: [19<status-byte>]
// [29<TID>] [49<CC>] [06<TLV>] (ZVT 13.08 §2.1).
func ParseRegistrationCompletion(data []byte) (Completion, error) {
	fs, err := ParseFields(data)
	var c Completion
	for _, f := range fs {
		switch f.BMP {
		case BMPPaymentType:
			c.StatusByte, c.HasStatusByte = f.Data[0], true
		case BMPTerminalID:
			c.TerminalID = bcdDigits(f.Data)
		}
	}
	return c, err
}

// ParseEnquiryCompletion reads 06 0F after 05 01: [<SW-version LLLVAR>]
// <terminal status-code> [06<TLV>] (ZVT 13.08 §2.56.5).
func ParseEnquiryCompletion(data []byte) (Completion, error) {
	var c Completion
	if len(data) >= 3 && data[0]&0xF0 == 0xF0 {
		n, err := varLen(data, 3)
		if err != nil || n > len(data)-3 {
			return c, fmt.Errorf("%w: SW version", ErrBMP)
		}
		c.SWVersion = decodeText(data[3 : 3+n])
		data = data[3+n:]
	}
	if len(data) == 0 {
		return c, errors.New("zvt: status enquiry completion without status code")
	}
	c.TerminalStatus = data[0]
	return c, nil
}

// Totals is the end-of-day result (ZVT 13.08 §3.1.3).
type Totals struct {
	Result       byte
	Amount       kiosk.Money
	Count        int // transactions, summed over BMP 60's card schemes
	Trace        string
	Date, Time   string
	ReceiptFrom  string
	ReceiptTo    string
	ReceiptLines []string
}

// totalsFrom reads end-of-day totals from a Status-Information.
func totalsFrom(s StatusInfo) Totals {
	t := Totals{Result: s.Result, Amount: s.Amount, Trace: s.Trace, Date: s.Date, Time: s.Time}
	if b := s.Singles; len(b) >= 4 {
		t.ReceiptFrom, t.ReceiptTo = bcdDigits(b[0:2]), bcdDigits(b[2:4])
		for i := 4; i+7 <= len(b); i += 7 {
			t.Count += int(b[i])
		}
	}
	return t
}

// TotalsSingles builds BMP 60's contents for simulators: receipt range, and
// count and total for the "remaining cards" scheme (the last of seven).
func TotalsSingles(from, to uint64, count byte, total kiosk.Money) []byte {
	b := append(BCD(from, 2), BCD(to, 2)...)
	for i := range 7 {
		if i == 6 {
			b = append(b, count)
			b = append(b, BCD(uint64(total), 6)...)
		} else {
			b = append(b, 0)
			b = append(b, make([]byte, 6)...)
		}
	}
	return b
}
