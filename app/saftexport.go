package app

// The SAF-T Cash Register export's mapping (issue 12 item 6;
// kassasystemforskrifta § 2-7 (1): "a file directly from the electronic
// journal … in a standardized form"): the journal of a range of days, the
// staff register and the shop, as a saft.Doc. Nothing is taken from
// today's catalog or recomputed that the journal holds: every cash
// transaction is written with its lines, VAT, payment, signature and
// keyVersion as journaled, and the export signs nothing.
//
// What goes where, and what is derived:
//
//   - header: softwareDesc and softwareCompanyName "Selvkasse",
//     softwareVersion (softwareVersion()), the system id (SYSTEMID, in
//     headerComment: the header has no element for it), the selection and
//     who exported it. No userID: the one exporting is a login on the
//     computer, not an employee.
//   - company: the shop's name and organisation number, taxRegIdent the
//     number with "MVA" (the shop sells goods with VAT), its address as
//     street and postal address when it reads as "street number, postcode
//     city". vatCodeDetails: one per rate used in the file, the standard
//     VAT code as the own code (saft.VATCodeFor). No periods: the kiosk
//     keeps no accounting periods (periodNumber is optional).
//   - basics: only codes the file uses: 04xxx article groups
//     (Group.SAFTArticleGroup, tobacco 04013), 05 line types SALE and
//     RETURN, 11001/11006, one 12xxx code per card type as the terminal
//     named it (cardBasic), each 13xxx event code, and each 13999 subtype
//     as an own code of its own mapped to 13999.
//   - employees: the whole staff register, disabled staff too (the journal
//     names them); entered when their staff-added record says, else at the
//     export's first day.
//   - articles: the products the file's transactions sold, named and
//     grouped as the journal's lines have them (the last line in the file);
//     dateOfEntry is the journal's first record: the catalog keeps no
//     entry dates.
//   - location: the shop, one cashregister per kiosk the journal or the
//     configuration names (registerID the kiosk ID, as receipts and reports
//     name it), even without records in the range. Records that name no
//     kiosk (the staff register, signing keys) go to the configured kiosk,
//     or the only one, or else a register of the system's own
//     (systemRegister).
//   - events: every record of the range that is not a cash transaction:
//     eventID its journal record number, eventType as above, transID the
//     receipt number when the record's sale is a transaction in the same
//     register, empID the staff member the record names (Data "staff",
//     else "by") when the staff register knows them, eventText the
//     record's text with its other fields (sale, receipt, amount, Data;
//     not the report JSON). X and Z reports (13008, 13009) carry their
//     report decoded from Data "report" (saftReport).
//   - cashtransactions: nr and transID the receipt number, transType the
//     record's code, amounts, time, lines, VAT, payment, signature and
//     keyVersion as journaled, desc the sale's id. A line's VAT is not
//     journaled (the kiosk computes VAT per rate over the sale,
//     kiosk.VATBreakdown): each line gets VATOf its amount, and the last
//     line of each rate takes the rounding, so the lines' VAT adds up to
//     the transaction's. receiptNum is the sales receipts journaled for it
//     (13012; 0 with 13030), or 1 where the journal records no receipt
//     prints (the kiosk prints a receipt for every sale; a failed print
//     is journaled as a device fault); receiptCopyNum the copies (13014).
//     The signature chain of a register runs from the transaction before
//     the file: regDesc names that previousSignature ("0" when the file
//     starts with the kiosk's first transaction), so every signature in the
//     file can be checked from the file and the public keys alone.
//   - a sale record from before sales were journaled in full has no
//     transaction to write (no lines, no signature): it becomes a 13999
//     event "sale-unsigned" with its figures, and a note.

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"selvkasse/kiosk"
	"selvkasse/kiosk/saft"
)

// saftSource is what the export reads: the journal and the staff
// register (storage.DB).
type saftSource interface {
	Scan(ctx context.Context, from uint64, fn func(kiosk.Record) error) error
	ListStaff(ctx context.Context) ([]kiosk.Staff, error)
}

// saftExport is what an export is asked for.
type saftExport struct {
	Shop kiosk.Shop
	// KioskID is the configured kiosk, "" without a configuration: its
	// register is written even when the journal has none of its records,
	// and it takes the records that name no kiosk.
	KioskID  string
	From, To time.Time // the first and the last day, each at midnight in Zone
	Created  time.Time
	SystemID string
	By       string // who made the export, for headerComment
	Zone     *time.Location
}

// saftResult is the file's content and what the operator is told.
type saftResult struct {
	Doc                  *saft.Doc
	Transactions, Events int
	Registers            []string
	Notes                []string
	Demo                 bool // the journal is the demo's (demoSeedBy)
}

// systemRegister is the registerID of the records that name no kiosk,
// when no kiosk can be said to be theirs.
const systemRegister = "selvkasse"

// Own codes the export declares beside the predefined ones.
const (
	lineSale     = "SALE"
	lineReturn   = "RETURN"
	eventUnknown = "13999"
	saleUnsigned = "sale-unsigned"
)

// receiptKey is a kiosk's receipt.
type receiptKey struct {
	kiosk string
	no    uint64
}

// journalScan is what one pass over the whole journal gathers.
type journalScan struct {
	first      time.Time            // the first record's time: installation
	staffAdded map[string]time.Time // each staff member's staff-added record
	demo       bool                 // the demo seeded the staff register
	kiosks     map[string]bool      // every kiosk a record names
	records    []kiosk.Record       // the range's, in journal order
	prevSig    map[string]string    // per kiosk: the signature before its first transaction in the range
	printed    map[receiptKey]int   // sales receipts printed (13012)
	unprinted  map[receiptKey]bool  // concluded without a receipt (13030)
	copies     map[receiptKey]int   // copy receipts (13014)
}

func isCashTx(c kiosk.Code) bool { return c == kiosk.CodeCashSale || c == kiosk.CodeReturnPayment }

// scanJournal reads the whole journal once: the records of [from, to),
// and what the export needs from before and after them. The journal is
// read from its first record because times need not rise with record
// numbers (a clock set back) and the staff register's and each chain's
// history lie before the range.
func scanJournal(ctx context.Context, j saftSource, from, to time.Time) (*journalScan, error) {
	s := &journalScan{staffAdded: map[string]time.Time{}, kiosks: map[string]bool{}, prevSig: map[string]string{},
		printed: map[receiptKey]int{}, unprinted: map[receiptKey]bool{}, copies: map[receiptKey]int{}}
	last := map[string]string{} // each kiosk's last signature so far
	err := j.Scan(ctx, 0, func(r kiosk.Record) error {
		if s.first.IsZero() {
			s.first = r.Time
		}
		if r.Kiosk != "" {
			s.kiosks[r.Kiosk] = true
		}
		if r.Code == kiosk.CodeOther && r.Subtype == kiosk.SubStaffAdded {
			if id := r.Data["staff"]; id != "" {
				if _, ok := s.staffAdded[id]; !ok {
					s.staffAdded[id] = r.Time
				}
			}
			if r.Data["by"] == demoSeedBy {
				s.demo = true
			}
		}
		if r.ReceiptNo > 0 {
			k := receiptKey{r.Kiosk, r.ReceiptNo}
			switch r.Code {
			case kiosk.CodeSalesReceipt, kiosk.CodeTrainingReceipt:
				s.printed[k]++
			case kiosk.CodeNoReceipt:
				s.unprinted[k] = true
			case kiosk.CodeCopyReceipt:
				s.copies[k]++
			}
		}
		in := !r.Time.Before(from) && r.Time.Before(to)
		if isCashTx(r.Code) && r.Tx != nil {
			if _, seen := s.prevSig[r.Kiosk]; in && !seen {
				p := last[r.Kiosk]
				if p == "" {
					p = kiosk.FirstPreviousSignature
				}
				s.prevSig[r.Kiosk] = p
			}
			last[r.Kiosk] = r.Tx.Signature
		}
		if in {
			s.records = append(s.records, r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the journal: %w", err)
	}
	return s, nil
}

// saftMapper builds a Doc: the master data grows as the journal's
// records name codes, rates, articles and card types.
type saftMapper struct {
	o         saftExport
	sc        *journalScan
	basics    map[string]saft.Basic
	rates     map[kiosk.VATRate]bool
	articles  map[string]saft.Article
	artOrder  []string
	cards     map[string]string // card type → basicID
	employees map[string]bool
	notes     []string
	truncated int
}

// buildSAFT maps a scanned journal and the staff register to a Doc.
func buildSAFT(sc *journalScan, staff []kiosk.Staff, o saftExport) (saftResult, error) {
	m := &saftMapper{o: o, sc: sc, basics: map[string]saft.Basic{}, rates: map[kiosk.VATRate]bool{},
		articles: map[string]saft.Article{}, cards: map[string]string{}, employees: map[string]bool{}}
	d := &saft.Doc{Zone: o.Zone}
	d.Header = saft.Header{
		Start: o.From, End: o.To, Created: o.Created,
		SoftwareDesc: productName, SoftwareVersion: softwareVersion(), SoftwareCompany: productCompany,
		SystemID: o.SystemID,
		Comment: fmt.Sprintf("Selection: %s to %s (Europe/Oslo), every register of the data dir; exported by %s",
			o.From.Format(time.DateOnly), o.To.Format(time.DateOnly), orDefault(o.By, "unknown")),
	}
	addr := parseShopAddress(o.Shop.Address)
	d.Company = saft.Company{OrgNo: o.Shop.OrgNo, Name: o.Shop.Name, Street: addr}
	if n := strings.ReplaceAll(o.Shop.OrgNo, " ", ""); n != "" {
		d.Company.VATNo = n + "MVA"
	}
	if addr != nil && addr.City != "" && addr.PostalCode != "" {
		p := *addr
		d.Company.Postal = &p
	}
	for _, s := range staff {
		d.Employees = append(d.Employees, m.employee(s))
		m.employees[s.ID] = true
	}

	regs, err := m.registers()
	if err != nil {
		return saftResult{}, err
	}
	res := saftResult{Doc: d, Demo: sc.demo}
	loc := saft.Location{Name: o.Shop.Name, Address: addr}
	for _, r := range regs {
		loc.Registers = append(loc.Registers, *r)
		res.Registers = append(res.Registers, r.ID)
		res.Events += len(r.Events)
		res.Transactions += len(r.Transactions)
	}
	d.Locations = []saft.Location{loc}

	for _, r := range slices.Sorted(maps.Keys(m.rates)) {
		d.VATCodes = append(d.VATCodes, saft.VATCodeFor(r, m.installed()))
	}
	slices.Reverse(d.VATCodes) // the highest rate first, as the kiosk lists VAT
	for _, id := range m.artOrder {
		d.Articles = append(d.Articles, m.articles[id])
	}
	d.Basics = slices.SortedFunc(maps.Values(m.basics), func(a, b saft.Basic) int {
		if a.Type != b.Type {
			return strings.Compare(string(a.Type), string(b.Type))
		}
		return strings.Compare(a.ID, b.ID)
	})
	if m.truncated > 0 {
		m.notes = append(m.notes, fmt.Sprintf("%d event texts longer than SAF-T's 9999 characters were shortened in the file (the journal keeps them whole)", m.truncated))
	}
	res.Notes = m.notes
	return res, nil
}

// installed is when the journal began: the date of entry of what the
// system keeps no entry date for.
func (m *saftMapper) installed() time.Time {
	if m.sc.first.IsZero() {
		return m.o.From
	}
	return m.sc.first
}

// roleDesc says what each role does at the kiosk (roleTypeDesc).
var roleDesc = map[kiosk.Role]string{
	kiosk.RoleClerk:      "Age checks and help at the kiosk, X report",
	kiosk.RoleSupervisor: "Money decisions, staff register, X and Z reports",
	kiosk.RoleTechnician: "Devices only, never the sales",
}

func (m *saftMapper) employee(s kiosk.Staff) saft.Employee {
	since, ok := m.sc.staffAdded[s.ID]
	if !ok {
		since = m.o.From
	}
	e := saft.Employee{ID: s.ID, Since: since, Surname: strings.TrimSpace(s.Name)}
	if i := strings.LastIndexByte(e.Surname, ' '); i > 0 {
		e.FirstName, e.Surname = strings.TrimSpace(e.Surname[:i]), e.Surname[i+1:]
	}
	if e.Surname == "" {
		e.Surname = s.ID
	}
	desc := roleDesc[s.Role]
	if !s.Active {
		desc = strings.TrimSpace(desc + " (disabled in the staff register)")
	}
	e.Roles = []saft.Role{{Type: s.Role.String(), Desc: desc}}
	return e
}

// registers maps the range's records to one register per kiosk.
func (m *saftMapper) registers() ([]*saft.Register, error) {
	ids := maps.Clone(m.sc.kiosks)
	if m.o.KioskID != "" {
		ids[m.o.KioskID] = true
	}
	home := m.o.KioskID
	if home == "" && len(ids) == 1 {
		for id := range ids {
			home = id
		}
	}
	for _, r := range m.sc.records {
		if r.Kiosk == "" && home == "" {
			home = systemRegister
			ids[home] = true
			break
		}
	}
	regs := map[string]*saft.Register{}
	for id := range ids {
		regs[id] = &saft.Register{ID: id}
	}
	// The receipt numbers of the transactions in the file, by sale, so
	// that events name the transaction they belong to.
	bySale := map[string]map[string]string{}
	byNr := map[string]map[uint64]bool{}
	regOf := func(r kiosk.Record) string {
		if r.Kiosk == "" {
			return home
		}
		return r.Kiosk
	}
	for _, r := range m.sc.records {
		if !isCashTx(r.Code) || r.Tx == nil {
			continue
		}
		k := regOf(r)
		if bySale[k] == nil {
			bySale[k], byNr[k] = map[string]string{}, map[uint64]bool{}
		}
		if r.SaleID != "" {
			bySale[k][r.SaleID] = strconv.FormatUint(r.Tx.Nr, 10)
		}
		byNr[k][r.Tx.Nr] = true
	}
	legacy := 0
	for _, r := range m.sc.records {
		reg := regs[regOf(r)]
		if isCashTx(r.Code) && r.Tx != nil {
			t, err := m.transaction(r)
			if err != nil {
				return nil, err
			}
			reg.Transactions = append(reg.Transactions, t)
			continue
		}
		if isCashTx(r.Code) {
			legacy++
		}
		e := m.event(r)
		if nr, ok := bySale[reg.ID][r.SaleID]; ok && r.SaleID != "" {
			e.TransID = nr
		} else if r.ReceiptNo > 0 && byNr[reg.ID][r.ReceiptNo] {
			e.TransID = strconv.FormatUint(r.ReceiptNo, 10)
		}
		reg.Events = append(reg.Events, e)
	}
	if legacy > 0 {
		m.notes = append(m.notes, fmt.Sprintf("%d sales were journaled before sales were recorded in full and signed: "+
			"they are in the file as events (%s), not as cash transactions", legacy, saleUnsigned))
	}
	out := make([]*saft.Register, 0, len(regs))
	for _, id := range slices.Sorted(maps.Keys(regs)) {
		r := regs[id]
		r.Desc = "Selvkasse self-checkout, kiosk " + id
		if id == systemRegister && !m.sc.kiosks[id] && id != m.o.KioskID {
			r.Desc = "Selvkasse: the system's own events, which name no kiosk (staff register, signing keys)"
		}
		if len(r.Transactions) > 0 {
			r.Desc += ". Signatures: the first cash transaction in this file follows previousSignature " + m.sc.prevSig[id]
		}
		out = append(out, r)
	}
	return out, nil
}

// basic declares an own code.
func (m *saftMapper) basic(b saft.Basic) string {
	if _, ok := m.basics[b.ID]; !ok {
		m.basics[b.ID] = b
	}
	return b.ID
}

// predefined declares an official code under its own number.
func (m *saftMapper) predefined(id string) (string, error) {
	b, err := saft.PredefinedBasic(id)
	if err != nil {
		return "", err
	}
	return m.basic(b), nil
}

// articleGroup declares the SAF-T article group of g.
func (m *saftMapper) articleGroup(g kiosk.Group) string {
	// SAFTArticleGroup names codes of list 04 only; were it not to,
	// the code stays undeclared and Validate names it.
	id, err := m.predefined(g.SAFTArticleGroup())
	if err != nil {
		return g.SAFTArticleGroup()
	}
	return id
}

// cardBasic is the own payment code of a card type as the terminal
// named it: one code per card type, so a report's payments keep the
// split the kiosk counts them by, each mapped to code list 12. A
// terminal names the card scheme, not whether the card is a debit or a
// credit card: BankAxept (and a scheme naming debit) is 12002 Debit card,
// the international schemes 12003 Credit card, anything else 12999.
func (m *saftMapper) cardBasic(card string) string {
	if card == "" {
		card = kiosk.PaymentType(kiosk.PaymentResult{})
	}
	if id, ok := m.cards[card]; ok {
		return id
	}
	id := "card-" + card
	if utf8.RuneCountInString(id) > 35 || !printable(id) {
		id = "card-" + strconv.Itoa(len(m.cards)+1)
	}
	for _, taken := m.basics[id]; taken; _, taken = m.basics[id] {
		id += "+"
	}
	pre := "12999"
	switch n := strings.ToLower(card); {
	case strings.Contains(n, "bankaxept"), strings.Contains(n, "debit"), strings.Contains(n, "maestro"),
		strings.Contains(n, "electron"), strings.Contains(n, "v pay"), strings.Contains(n, "vpay"):
		pre = "12002"
	case strings.Contains(n, "visa"), strings.Contains(n, "master"), strings.Contains(n, "amex"), strings.Contains(n, "american express"),
		strings.Contains(n, "diners"), strings.Contains(n, "jcb"), strings.Contains(n, "discover"), strings.Contains(n, "unionpay"):
		pre = "12003"
	}
	m.cards[card] = id
	return m.basic(saft.Basic{Type: saft.TypePayment, ID: id, Predefined: pre, Desc: "Card payment: " + card + " (the card as the terminal named it)"})
}

func printable(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// subtypeDesc describes the kiosk's 13999 subtypes (basicDesc).
var subtypeDesc = map[string]string{
	kiosk.SubAgeApproved: "Age check approved by staff", kiosk.SubAgeRefused: "Age check refused by staff",
	kiosk.SubPaymentIntent: "Card payment started", kiosk.SubPaymentApproved: "Card payment approved by the terminal",
	kiosk.SubPaymentDeclined: "Card payment declined", kiosk.SubPaymentUnknown: "Card payment with an outcome not known",
	kiosk.SubCabinetUnlock: "Tobacco cabinet unlocked", kiosk.SubCabinetDoor: "Tobacco cabinet door opened or closed",
	kiosk.SubCabinetLock: "Tobacco cabinet locked", kiosk.SubSaleCancelled: "Sale cancelled before it was paid",
	kiosk.SubAssistance: "Staff assistance called", kiosk.SubDeviceFault: "Device fault, or a device back",
	kiosk.SubRecovery: "Recovery of a sale after a restart", kiosk.SubScanError: "Barcode not read",
	kiosk.SubTerminalEndOfDay: "Card terminal end of day", kiosk.SubStaffAdded: "Employee added to the staff register",
	kiosk.SubStaffPINSet: "Employee PIN set", kiosk.SubStaffDisabled: "Employee disabled in the staff register",
	kiosk.SubLoginFailed: "Employee log-in failed", kiosk.SubLoginLocked: "Employee badge locked after wrong PINs",
	kiosk.SubOverride: "Staff override", kiosk.SubOverrideRefused: "Staff override refused",
	kiosk.SubLineVoided: "Basket line voided by staff", kiosk.SubLineReduced: "Basket line reduced before payment",
	kiosk.SubDoorForced:   "Cabinet compartment opened without being unlocked",
	kiosk.SubDoorLeftOpen: "Cabinet compartment left open", kiosk.SubRollbackAccepted: "Loss of journal records accepted by a technician",
	kiosk.SubSigningKeyCreated: "Signing key made", kiosk.SubSigningKeyRotated: "Signing key rotated",
	kiosk.SubClockBehind: "Z report refused: the clock was behind", kiosk.SubSystemIDCreated: "System id made",
	kiosk.SubStockReceipt: "Goods received into stock", kiosk.SubStockCount: "Stock counted, with its variance",
	saleUnsigned: "Sale journaled before sales were recorded in full and signed (not a SAF-T cash transaction)",
}

// ownEventCode matches a subtype that can serve as a basicID.
var ownEventCode = regexp.MustCompile(`^[a-z][a-z0-9-]{0,34}$`)

// eventType declares and returns the event code of r: its own 13xxx
// code, or for 13999 (and codes not in list 13) the subtype as an own
// code mapped to 13999.
func (m *saftMapper) eventType(r kiosk.Record) string {
	code := strconv.Itoa(int(r.Code))
	if c, ok := saft.LookupCode(code); ok && c.Type == saft.TypeEvent && code != eventUnknown {
		id, _ := m.predefined(code)
		return id
	}
	sub := r.Subtype
	if isCashTx(r.Code) {
		sub = saleUnsigned
	}
	if !ownEventCode.MatchString(sub) {
		id, _ := m.predefined(eventUnknown)
		return id
	}
	desc, ok := subtypeDesc[sub]
	if !ok {
		desc = "Other: " + sub
	}
	return m.basic(saft.Basic{Type: saft.TypeEvent, ID: sub, Predefined: eventUnknown, Desc: desc})
}

// emp is id when the staff register knows it, else "".
func (m *saftMapper) emp(ids ...string) string {
	for _, id := range ids {
		if id != "" && m.employees[id] {
			return id
		}
	}
	return ""
}

// maxEventText is eventText's String9999.
const maxEventText = 9999

func (m *saftMapper) event(r kiosk.Record) saft.Event {
	e := saft.Event{ID: strconv.FormatUint(r.Seq, 10), Type: m.eventType(r), EmpID: m.emp(r.Data["staff"], r.Data["by"]),
		Time: r.Time, Text: eventText(r)}
	if n := utf8.RuneCountInString(e.Text); n > maxEventText {
		rs := []rune(e.Text)
		e.Text = string(rs[:maxEventText-3]) + "[…]"
		m.truncated++
	}
	if (r.Code == kiosk.CodeXReport || r.Code == kiosk.CodeZReport) && r.Data["report"] != "" {
		var kr kiosk.Report
		if err := json.Unmarshal([]byte(r.Data["report"]), &kr); err != nil {
			m.notes = append(m.notes, fmt.Sprintf("journal record %d: the %v's figures cannot be read (%v): the event has its text but no eventReport", r.Seq, r.Code, err))
			return e
		}
		e.Report = m.report(r, kr)
	}
	return e
}

// eventText is the record's text, then what else it holds: its subtype
// (under a predefined code), sale, receipt, amount and Data (but empty
// values, and not an X or Z report's figures as JSON, which eventReport
// carries).
func eventText(r kiosk.Record) string {
	var more []string
	if r.Subtype != "" && r.Code != kiosk.CodeOther {
		more = append(more, "subtype: "+r.Subtype)
	}
	if r.SaleID != "" {
		more = append(more, "sale: "+r.SaleID)
	}
	if r.ReceiptNo > 0 {
		more = append(more, "receipt: "+strconv.FormatUint(r.ReceiptNo, 10))
	}
	if r.Amount != 0 {
		more = append(more, "amount: "+r.Amount.Decimal())
	}
	for _, k := range slices.Sorted(maps.Keys(r.Data)) {
		if k == "report" || r.Data[k] == "" {
			continue
		}
		more = append(more, k+": "+r.Data[k])
	}
	text := r.Text
	if len(more) == 0 {
		return text
	}
	sep := "; "
	switch {
	case text == "":
		sep = ""
	case strings.Contains(text, "\n"):
		sep = "\n"
	}
	return strings.TrimRight(text, "\n") + sep + strings.Join(more, "; ")
}

// report maps an X or Z report, as journaled, to eventReport
// (kassasystemforskrifta §§ 2-8-2, 2-8-3). The kiosk has no cash, no
// drawer, no provisional, delivery or credit receipts and no manual
// discounts: the opening change float, drawer openings, proforma and
// delivery receipts are 0, as the kiosk's own report prints them, and
// the optional credit sales, pay-ins and pay-outs are left out. Other
// corrections are none. The terminal's end-of-day comparison has no
// element; it is in the event's text.
func (m *saftMapper) report(r kiosk.Record, kr kiosk.Report) *saft.Report {
	// The record's code says which report it is (the schema ties the
	// report type to the event code); reportID is the Z number and the
	// journal record's, unique in the file whatever the kiosks.
	id := fmt.Sprintf("X-%d", r.Seq)
	kind := saft.XReport
	if r.Code == kiosk.CodeZReport {
		id, kind = fmt.Sprintf("Z%d-%d", kr.No, r.Seq), saft.ZReport
	}
	p := kr.Period
	sr := &saft.Report{ID: id, Kind: kind, Time: kr.Time,
		TotalCashSales: p.Net(), Receipts: p.Sales.Num,
		Copies: count(p.Copies), Returns: count(p.Returns), Discounts: count(p.Discounts),
		Voids: count(p.Voids), Training: count(p.Training),
		GrandTotalSales: kr.GrandSales, GrandTotalReturn: kr.GrandReturns, GrandTotalSalesNet: kr.GrandNet(),
	}
	if sr.Time.IsZero() {
		sr.Time = r.Time
	}
	groups := map[string]*saft.ArtGroupTotal{}
	for _, g := range p.Groups {
		id := m.articleGroup(g.Group)
		t := groups[id]
		if t == nil {
			t = &saft.ArtGroupTotal{GroupID: id}
			groups[id] = t
		}
		t.Qty += g.Qty
		t.Amount += g.Amount
	}
	for _, id := range slices.Sorted(maps.Keys(groups)) {
		sr.ArtGroups = append(sr.ArtGroups, *groups[id])
	}
	for _, pt := range p.Payments {
		sr.Payments = append(sr.Payments, saft.PaymentTotal{Type: m.cardBasic(pt.Type), Num: pt.Num, Amount: pt.Amount})
	}
	for _, v := range p.VAT {
		m.rates[v.Rate] = true
		sr.VAT = append(sr.VAT, saft.VATTotal{Code: v.Rate.OwnTaxCode(), Rate: v.Rate, Base: v.Net, VAT: v.VAT})
	}
	if c := p.LineCorrections; c.Num > 0 || c.Amount != 0 {
		// One kind: a line voided by staff or reduced by the customer
		// before payment, «feilslag» (kassasystemforskrifta § 2-8-2 (1)
		// s), as the X and Z reports print it.
		sr.CorrLines = []saft.TypedCount{{Type: "Feilslag (before payment)", Count: count(c)}}
	}
	for _, l := range p.PriceLookups {
		typ := "Unknown code"
		if l.Group != 0 {
			typ = l.Group.SAFTArticleGroup()
		}
		sr.PriceInquiries = append(sr.PriceInquiries, saft.TypedCount{Type: typ, Count: count(l.Count)})
	}
	return sr
}

func count(c kiosk.Count) saft.Count { return saft.Count{Num: c.Num, Amount: c.Amount} }

// transaction maps a cash transaction record as journaled.
func (m *saftMapper) transaction(r kiosk.Record) (saft.CashTransaction, error) {
	tx := r.Tx
	typ, err := m.predefined(strconv.Itoa(int(r.Code)))
	if err != nil {
		return saft.CashTransaction{}, fmt.Errorf("journal record %d: %w", r.Seq, err)
	}
	nr := strconv.FormatUint(tx.Nr, 10)
	t := saft.CashTransaction{Nr: nr, TransID: nr, Type: typ, AmountIn: tx.AmountIn, AmountEx: tx.AmountEx,
		Time: tx.Time, Signature: tx.Signature, KeyVersion: tx.KeyVersion.String()}
	if r.SaleID != "" {
		t.Desc = "sale " + r.SaleID
	}
	k := receiptKey{r.Kiosk, tx.Nr}
	switch {
	case m.sc.printed[k] > 0:
		t.ReceiptPrints = min(m.sc.printed[k], 999)
	case m.sc.unprinted[k]:
		t.ReceiptPrints = 0
	default:
		t.ReceiptPrints = 1
	}
	t.CopyPrints = min(m.sc.copies[k], 999)
	lineType := lineSale
	if r.Code == kiosk.CodeReturnPayment {
		lineType = lineReturn
	}
	m.basic(saft.Basic{Type: saft.TypeLine, ID: lineType, Desc: map[string]string{lineSale: "Sale line", lineReturn: "Return line"}[lineType]})
	vats := lineVAT(*tx)
	for i, l := range tx.Lines {
		m.rates[l.VAT] = true
		group := m.articleGroup(l.Group)
		art, desc := l.GTIN.String(), l.Name
		if l.Pant {
			// The pant of the line before (kiosk.TxLine.Pant): one
			// article for all pant, grouped as where it was first
			// charged; each line keeps its goods' group and rate.
			art, desc = pantArticle, "Pant (deposit on beverage packaging)"
		}
		_, seen := m.articles[art]
		if !seen {
			m.artOrder = append(m.artOrder, art)
		}
		if !seen || !l.Pant {
			m.articles[art] = saft.Article{ID: art, Since: m.installed(), GroupID: group, Desc: orDefault(desc, art)}
		}
		v := vats[i]
		t.Lines = append(t.Lines, saft.Line{Type: lineType, GroupID: group, ArtID: art, Qty: int64(l.Qty), Grams: int64(l.Grams),
			AmountIn: l.Amount, AmountEx: l.Amount - v, UnitPrice: l.Price, Desc: l.Name,
			VAT: &saft.VAT{Code: l.VAT.OwnTaxCode(), Rate: l.VAT, Amount: v, Base: l.Amount - v}})
	}
	for _, v := range tx.VAT {
		m.rates[v.Rate] = true
		t.VAT = append(t.VAT, saft.VAT{Code: v.Rate.OwnTaxCode(), Rate: v.Rate, Amount: v.VAT, Base: v.Net})
	}
	p := tx.Payment
	var ref []string
	for _, f := range [][2]string{{"trace", p.Trace}, {"terminal receipt", p.ReceiptNo}, {"terminal", p.Terminal}} {
		if f[1] != "" {
			ref = append(ref, f[0]+" "+f[1])
		}
	}
	t.Payments = []saft.Payment{{Type: m.cardBasic(p.Card), Amount: p.Amount, Ref: strings.Join(ref, "; ")}}
	if tx.Training {
		// A training sale (kassasystemforskrifta § 2-8-7 / SAF-T
		// trainingID): the kiosk approved it itself, nothing was paid.
		t.Training = true
		t.Payments = []saft.Payment{{Type: m.basic(saft.Basic{Type: saft.TypePayment, ID: "training", Predefined: "12999",
			Desc: "Training mode: no payment taken"}), Amount: p.Amount, Ref: "training"}}
	}
	return t, nil
}

// pantArticle is the SAF-T article of pant lines (kiosk.TxLine.Pant).
const pantArticle = "PANT"

// lineVAT is each line's share of t's VAT: VATOf its amount, the last
// line of each rate taking what the rate's VAT, computed once over the
// transaction (kiosk.VATBreakdown), differs from the lines' sum.
func lineVAT(t kiosk.CashTx) []kiosk.Money {
	out := make([]kiosk.Money, len(t.Lines))
	sum := map[kiosk.VATRate]kiosk.Money{}
	last := map[kiosk.VATRate]int{}
	for i, l := range t.Lines {
		out[i] = kiosk.VATOf(l.Amount, l.VAT)
		sum[l.VAT] += out[i]
		last[l.VAT] = i
	}
	for _, v := range t.VAT {
		if i, ok := last[v.Rate]; ok {
			out[i] += v.VAT - sum[v.Rate]
		}
	}
	return out
}

// shopAddress reads "Karl Johans gate 1, 0154 Oslo": street and number,
// then a Norwegian postcode and city.
var shopAddress = regexp.MustCompile(`^(.*?)\s*,\s*(\d{4})\s+(.+)$`)

// parseShopAddress makes the shop's one-line address an Address: street,
// number, postcode and city when it reads as "street number, postcode
// city", else the whole line as the street.
func parseShopAddress(s string) *saft.Address {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	a := &saft.Address{Street: s, Country: "NO"}
	mm := shopAddress.FindStringSubmatch(s)
	if mm == nil {
		return a
	}
	a.Street, a.PostalCode, a.City = mm[1], mm[2], strings.TrimSpace(mm[3])
	if i := strings.LastIndexByte(a.Street, ' '); i > 0 && a.Street[i+1] >= '0' && a.Street[i+1] <= '9' {
		a.Street, a.Number = a.Street[:i], a.Street[i+1:]
	}
	return a
}
