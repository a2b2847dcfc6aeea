package saft

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"selvkasse/kiosk"
)

// ErrInvalid is returned by Validate and Encode for a Doc the schema or
// the code lists would not accept; the message lists what is wrong where.
var ErrInvalid = errors.New("saft: invalid document")

// Fixed header values: the schema's version and the currency.
const (
	AuditfileVersion = "1.0" // header/auditfileVersion, as in the official example
	Currency         = "NOK"
)

// maxProblems bounds the problems one error lists.
const maxProblems = 20

// Encode writes d as a SAF-T Cash Register 1.00 audit file: UTF-8, the
// schema's namespace, elements in its order. It validates d first and
// writes nothing if d is invalid (ErrInvalid); other errors are w's.
func Encode(w io.Writer, d *Doc) error {
	zone, err := d.zone()
	if err != nil {
		return err
	}
	if err := d.check(zone); err != nil {
		return err
	}
	b := newBuilder(d, zone)
	root := b.doc()
	if err := b.err(); err != nil { // Validate passed; this would be a defect here
		return err
	}
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString(xml.Header); err != nil {
		return fmt.Errorf("saft: write: %w", err)
	}
	enc := xml.NewEncoder(bw)
	enc.Indent("", "\t")
	if err := enc.Encode(root); err != nil {
		if errors.Is(err, ErrInvalid) {
			return err
		}
		return fmt.Errorf("saft: write: %w", err)
	}
	if err := bw.WriteByte('\n'); err != nil {
		return fmt.Errorf("saft: write: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("saft: write: %w", err)
	}
	return nil
}

// Validate reports what in d the schema or the code lists would refuse,
// and the references that do not resolve (an eventType not declared in
// Basics, an empID not in Employees, …). Errors: ErrInvalid.
func (d *Doc) Validate() error {
	zone, err := d.zone()
	if err != nil {
		return err
	}
	return d.check(zone)
}

// check builds every element, events and transactions included, and
// throws the result away: what Encode would write, without writing it.
func (d *Doc) check(zone *time.Location) error {
	b := newBuilder(d, zone)
	root := b.doc()
	for i := range root.Company.Locations {
		for _, r := range root.Company.Locations[i].Cashregister {
			r.Event.each(func(xEvent) error { return nil })
			r.Cashtransaction.each(func(xTransaction) error { return nil })
		}
	}
	return b.err()
}

var osloZone = sync.OnceValues(func() (*time.Location, error) { return time.LoadLocation("Europe/Oslo") })

func (d *Doc) zone() (*time.Location, error) {
	if d.Zone != nil {
		return d.Zone, nil
	}
	z, err := osloZone()
	if err != nil {
		return nil, fmt.Errorf("saft: time zone Europe/Oslo not available (set Doc.Zone): %w", err)
	}
	return z, nil
}

// builder turns the model into the wire form, collecting every problem
// with where it is.
type builder struct {
	d        *Doc
	zone     *time.Location
	problems []string
	more     int

	basics    map[string]BasicType
	employees map[string]bool
	articles  map[string]bool
	vatCodes  map[string]bool
	periods   map[int]bool
	registers map[string]bool
	reports   map[string]bool
}

func newBuilder(d *Doc, zone *time.Location) *builder {
	return &builder{d: d, zone: zone,
		basics: map[string]BasicType{}, employees: map[string]bool{}, articles: map[string]bool{},
		vatCodes: map[string]bool{}, periods: map[int]bool{}, registers: map[string]bool{}, reports: map[string]bool{}}
}

func (b *builder) fail(path, format string, a ...any) {
	if len(b.problems) >= maxProblems {
		b.more++
		return
	}
	b.problems = append(b.problems, path+": "+fmt.Sprintf(format, a...))
}

func (b *builder) err() error {
	if len(b.problems) == 0 {
		return nil
	}
	msg := strings.Join(b.problems, "; ")
	if b.more > 0 {
		msg += fmt.Sprintf("; and %d more", b.more)
	}
	return fmt.Errorf("%w: %s", ErrInvalid, msg)
}

// text checks a string element against the schema's maxLength (counted in
// characters) and XML's character set; required also refuses "".
func (b *builder) text(path, elem, v string, max int, required bool) string {
	switch {
	case required && strings.TrimSpace(v) == "":
		b.fail(path, "%s is required", elem)
	case utf8.RuneCountInString(v) > max:
		b.fail(path, "%s has %d characters, the schema allows %d", elem, utf8.RuneCountInString(v), max)
	default:
		if r, ok := badXMLChar(v); !ok {
			b.fail(path, "%s holds %q, which XML cannot carry", elem, r)
		}
	}
	return v
}

// badXMLChar finds the first character XML 1.0 does not allow (§2.2), or
// invalid UTF-8.
func badXMLChar(s string) (rune, bool) {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return r, false
			}
		}
		if !(r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
			return r, false
		}
	}
	return 0, true
}

func (b *builder) date(path, elem string, t time.Time) string {
	if t.IsZero() {
		b.fail(path, "%s is required", elem)
		return ""
	}
	return t.In(b.zone).Format(time.DateOnly)
}

func (b *builder) clock(path, elem string, t time.Time) string {
	if t.IsZero() {
		b.fail(path, "%s is required", elem)
		return ""
	}
	return t.In(b.zone).Format(time.TimeOnly)
}

// optDate and optClock write nothing for the zero time.
func (b *builder) optDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(b.zone).Format(time.DateOnly)
}

func (b *builder) optClock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(b.zone).Format(time.TimeOnly)
}

// amount is Amount2decimals: '.' and two decimals. int64 øre has at most
// 19 digits, within the schema's totalDigits 20.
func amount(m kiosk.Money) string { return m.Decimal() }

// amntTp is the Debitcredittype of an amount: C for a sale, D when negative.
func amntTp(m kiosk.Money) string {
	if m < 0 {
		return "D"
	}
	return "C"
}

// count is Nonnegativeinteger10.
func (b *builder) count(path, elem string, n uint64) string {
	if n > 9_999_999_999 {
		b.fail(path, "%s %d has more than 10 digits", elem, n)
	}
	return strconv.FormatUint(n, 10)
}

// small is Nonnegativeinteger3.
func (b *builder) small(path, elem string, n int) string {
	if n < 0 || n > 999 {
		b.fail(path, "%s %d is not 0 to 999", elem, n)
	}
	return strconv.Itoa(n)
}

// perc is Decimal8 (at most 3 decimals, not negative): the rate in percent.
func (b *builder) perc(path string, r kiosk.VATRate) string {
	if !r.Valid() {
		b.fail(path, "VAT rate %d %% is not a Norwegian rate", uint8(r))
	}
	return fmt.Sprintf("%d.00", uint8(r))
}

func boolText(v bool) string { return strconv.FormatBool(v) }

// basic checks that id is declared in Basics with type t.
func (b *builder) basic(path, elem, id string, t BasicType, required bool) string {
	b.text(path, elem, id, 35, required)
	if id == "" {
		return ""
	}
	switch got, ok := b.basics[id]; {
	case !ok:
		b.fail(path, "%s %q is not declared in basics", elem, id)
	case got != t:
		b.fail(path, "%s %q is declared as basicType %s, want %s", elem, id, got, t)
	}
	return id
}

func (b *builder) employee(path, id string) string {
	b.text(path, "empID", id, 35, false)
	if id != "" && !b.employees[id] {
		b.fail(path, "empID %q is not among the employees", id)
	}
	return id
}

func (b *builder) vatCode(path, code string) string {
	b.text(path, "vatCode", code, 20, false)
	if code != "" && !b.vatCodes[code] {
		b.fail(path, "vatCode %q is not among the VAT codes", code)
	}
	return code
}

func (b *builder) doc() *xAuditfile {
	return &xAuditfile{Header: b.header(), Company: b.company()}
}

func (b *builder) header() xHeader {
	h, p := b.d.Header, "header"
	x := xHeader{
		StartDate: b.date(p, "startDate", h.Start), EndDate: b.date(p, "endDate", h.End),
		CurCode:     Currency,
		DateCreated: b.date(p, "dateCreated", h.Created), TimeCreated: b.clock(p, "timeCreated", h.Created),
		SoftwareDesc:        b.text(p, "softwareDesc", h.SoftwareDesc, 100, true),
		SoftwareVersion:     b.text(p, "softwareVersion", h.SoftwareVersion, 20, true),
		SoftwareCompanyName: b.text(p, "softwareCompanyName", h.SoftwareCompany, 100, true),
		AuditfileVersion:    AuditfileVersion,
		UserID:              b.text(p, "userID", h.UserID, 35, false),
	}
	if !h.Start.IsZero() && !h.End.IsZero() {
		if x.EndDate < x.StartDate {
			b.fail(p, "endDate %s is before startDate %s", x.EndDate, x.StartDate)
		}
		x.FiscalYear = x.StartDate[:4]
		if y := x.EndDate[:4]; y != x.FiscalYear {
			x.FiscalYear += "-" + y
		}
	}
	b.text(p, "SystemID", h.SystemID, 100, true)
	var comment []string
	if h.SystemID != "" {
		comment = append(comment, "System ID: "+h.SystemID)
	}
	if h.Comment != "" {
		comment = append(comment, h.Comment)
	}
	x.HeaderComment = b.text(p, "headerComment", strings.Join(comment, "; "), 999, false)
	return x
}

// orgNo is an organisasjonsnummer without spaces, checked: 9 digits, the
// last a modulus 11 check digit (weights 3 2 7 6 5 4 3 2).
func orgNo(s string) (string, error) {
	n := strings.ReplaceAll(strings.ReplaceAll(s, " ", ""), "\u00a0", "")
	if len(n) != 9 {
		return n, fmt.Errorf("organisation number %q is not 9 digits", s)
	}
	sum := 0
	for i, w := range []int{3, 2, 7, 6, 5, 4, 3, 2} {
		c := n[i]
		if c < '0' || c > '9' {
			return n, fmt.Errorf("organisation number %q is not 9 digits", s)
		}
		sum += int(c-'0') * w
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	if n[8] < '0' || n[8] > '9' || check == 10 || int(n[8]-'0') != check {
		return n, fmt.Errorf("organisation number %q fails its check digit", s)
	}
	return n, nil
}

func (b *builder) country(path, c string) string {
	if c == "" {
		c = b.d.Company.Country
	}
	if c == "" {
		c = "NO"
	}
	if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
		b.fail(path, "country %q is not an ISO 3166-1 alpha-2 code", c)
	}
	return c
}

func (b *builder) address(path string, a *Address) *xAddress {
	if a == nil {
		return nil
	}
	return &xAddress{
		Streetname:               b.text(path, "streetname", a.Street, 100, false),
		Number:                   b.text(path, "number", a.Number, 20, false),
		AdditionalAddressDetails: b.text(path, "additionalAddressDetails", a.Additional, 100, false),
		City:                     b.text(path, "city", a.City, 50, false),
		PostalCode:               b.text(path, "postalCode", a.PostalCode, 20, false),
		Region:                   b.text(path, "region", a.Region, 50, false),
		Country:                  b.country(path, a.Country),
	}
}

func (b *builder) company() xCompany {
	c, p := b.d.Company, "company"
	x := xCompany{CompanyName: b.text(p, "companyName", c.Name, 100, true)}
	n, err := orgNo(c.OrgNo)
	if err != nil {
		b.fail(p, "companyIdent: %v", err)
	}
	x.CompanyIdent = n
	if c.VATNo != "" {
		x.TaxRegistrationCountry = "NO"
		x.TaxRegIdent = b.text(p, "taxRegIdent", c.VATNo, 50, false)
	}
	x.StreetAddress = b.address(p+"/streetAddress", c.Street)
	if a := c.Postal; a != nil {
		pp := p + "/postalAddress"
		x.PostalAddress = &xPostalAddress{
			Streetname:               b.text(pp, "streetname", a.Street, 100, false),
			Number:                   b.text(pp, "number", a.Number, 20, false),
			AdditionalAddressDetails: b.text(pp, "additionalAddressDetails", a.Additional, 100, false),
			City:                     b.text(pp, "city", a.City, 50, true),
			PostalCode:               b.text(pp, "postalCode", a.PostalCode, 20, true),
			Region:                   b.text(pp, "region", a.Region, 50, false),
			Country:                  b.country(pp, a.Country),
		}
	}
	// Master data first: the journal refers to it.
	x.VATCodeDetails = b.vatCodeDetails()
	x.Periods = b.periodList()
	x.Employees = b.employeeList()
	x.Basics = b.basicList()
	x.Articles = b.articleList() // after basics: articles name article groups
	for i := range b.d.Locations {
		x.Locations = append(x.Locations, b.location(i))
	}
	return x
}

func (b *builder) vatCodeDetails() *xVATCodeDetails {
	if len(b.d.VATCodes) == 0 {
		return nil
	}
	x := &xVATCodeDetails{}
	for i, v := range b.d.VATCodes {
		p := fmt.Sprintf("company/vatCodeDetails/vatCodeDetail[%d]", i+1)
		if b.vatCodes[v.Code] {
			b.fail(p, "vatCode %q is declared twice", v.Code)
		}
		b.vatCodes[v.Code] = true
		if _, ok := LookupTaxCode(v.Standard); !ok {
			b.fail(p, "standardVatCode %q is not in the standard VAT code list", v.Standard)
		}
		x.VATCodeDetail = append(x.VATCodeDetail, xVATCodeDetail{
			VATCode:         b.text(p, "vatCode", v.Code, 20, true),
			DateOfEntry:     b.date(p, "dateOfEntry", v.Since),
			VATDesc:         b.text(p, "vatDesc", v.Desc, 100, false),
			StandardVATCode: b.text(p, "standardVatCode", v.Standard, 9, true),
		})
	}
	return x
}

func (b *builder) periodList() *xPeriods {
	if len(b.d.Periods) == 0 {
		return nil
	}
	x := &xPeriods{}
	for i, pe := range b.d.Periods {
		p := fmt.Sprintf("company/periods/period[%d]", i+1)
		if pe.Number < 1 || pe.Number > 999 {
			b.fail(p, "periodNumber %d is not 1 to 999", pe.Number)
		}
		if b.periods[pe.Number] {
			b.fail(p, "periodNumber %d is declared twice", pe.Number)
		}
		b.periods[pe.Number] = true
		if !pe.Start.IsZero() && !pe.End.IsZero() && pe.End.Before(pe.Start) {
			b.fail(p, "period ends before it starts")
		}
		x.Period = append(x.Period, xPeriod{
			PeriodNumber:    strconv.Itoa(pe.Number),
			PeriodDesc:      b.text(p, "periodDesc", pe.Desc, 50, false),
			StartDatePeriod: b.optDate(pe.Start), StartTimePeriod: b.optClock(pe.Start),
			EndDatePeriod: b.optDate(pe.End), EndTimePeriod: b.optClock(pe.End),
		})
	}
	return x
}

func (b *builder) employeeList() *xEmployees {
	if len(b.d.Employees) == 0 {
		return nil
	}
	x := &xEmployees{}
	for i, e := range b.d.Employees {
		p := fmt.Sprintf("company/employees/employee[%d]", i+1)
		if b.employees[e.ID] {
			b.fail(p, "empID %q is declared twice", e.ID)
		}
		b.employees[e.ID] = true
		xe := xEmployee{
			EmpID:       b.text(p, "empID", e.ID, 35, true),
			DateOfEntry: b.date(p, "dateOfEntry", e.Since), TimeOfEntry: b.clock(p, "timeOfEntry", e.Since),
			FirstName: b.text(p, "firstName", e.FirstName, 50, false),
			SurName:   b.text(p, "surName", e.Surname, 100, true),
		}
		for _, r := range e.Roles {
			xe.EmployeeRole = append(xe.EmployeeRole, xRole{
				RoleType:     b.text(p, "roleType", r.Type, 50, true),
				RoleTypeDesc: b.text(p, "roleTypeDesc", r.Desc, 100, false),
			})
		}
		x.Employee = append(x.Employee, xe)
	}
	return x
}

func (b *builder) basicList() *xBasics {
	if len(b.d.Basics) == 0 {
		return nil
	}
	x := &xBasics{}
	for i, ba := range b.d.Basics {
		p := fmt.Sprintf("company/basics/basic[%d]", i+1)
		if _, ok := LookupBasicType(ba.Type); !ok {
			b.fail(p, "basicType %q is not in the BasicType code list", ba.Type)
		}
		if _, dup := b.basics[ba.ID]; dup {
			b.fail(p, "basicID %q is declared twice (basicIDs are unique over all types)", ba.ID)
		}
		b.basics[ba.ID] = ba.Type
		hasList := len(predefinedList[ba.Type]) > 0
		switch c, ok := LookupCode(ba.Predefined); {
		case hasList && ba.Predefined == "":
			b.fail(p, "basicID %q of type %s needs its predefinedBasicID from code list %s", ba.ID, ba.Type, ba.Type)
		case !hasList && ba.Predefined != "":
			b.fail(p, "basicType %s has no predefined codes, got %q", ba.Type, ba.Predefined)
		case hasList && !ok:
			b.fail(p, "predefinedBasicID %q is not in code list %s", ba.Predefined, ba.Type)
		case hasList && c.Type != ba.Type:
			b.fail(p, "predefinedBasicID %q belongs to code list %s, not %s", ba.Predefined, c.Type, ba.Type)
		}
		x.Basic = append(x.Basic, xBasic{
			BasicType:         b.text(p, "basicType", string(ba.Type), 9, true),
			BasicID:           b.text(p, "basicID", ba.ID, 35, true),
			PredefinedBasicID: b.text(p, "predefinedBasicID", ba.Predefined, 9, false),
			BasicDesc:         b.text(p, "basicDesc", ba.Desc, 999, true),
		})
	}
	return x
}

func (b *builder) articleList() *xArticles {
	if len(b.d.Articles) == 0 {
		return nil
	}
	x := &xArticles{}
	for i, a := range b.d.Articles {
		p := fmt.Sprintf("company/articles/article[%d]", i+1)
		if b.articles[a.ID] {
			b.fail(p, "artID %q is declared twice", a.ID)
		}
		b.articles[a.ID] = true
		x.Article = append(x.Article, xArticle{
			ArtID:       b.text(p, "artID", a.ID, 35, true),
			DateOfEntry: b.date(p, "dateOfEntry", a.Since),
			ArtGroupID:  b.basic(p, "artGroupID", a.GroupID, TypeArticleGroup, false),
			ArtDesc:     b.text(p, "artDesc", a.Desc, 999, true),
		})
	}
	return x
}

func (b *builder) location(i int) xLocation {
	l, p := b.d.Locations[i], fmt.Sprintf("company/location[%d]", i+1)
	x := xLocation{Name: b.text(p, "name", l.Name, 100, false), StreetAddress: b.address(p+"/streetAddress", l.Address)}
	for j := range l.Registers {
		r := &l.Registers[j]
		rp := fmt.Sprintf("%s/cashregister[%d]", p, j+1)
		if b.registers[r.ID] {
			b.fail(rp, "registerID %q appears twice", r.ID)
		}
		b.registers[r.ID] = true
		x.Cashregister = append(x.Cashregister, xRegister{
			RegisterID:      b.text(rp, "registerID", r.ID, 100, true),
			RegDesc:         b.text(rp, "regDesc", r.Desc, 999, false),
			Event:           eventStream{b: b, reg: r, path: rp},
			Cashtransaction: transStream{b: b, reg: r, path: rp},
		})
	}
	return x
}

// eventStream writes a register's events one at a time.
type eventStream struct {
	b    *builder
	reg  *Register
	path string

	decoded []xEvent // filled when a file is read back (tests)
}

func (s eventStream) each(f func(xEvent) error) error {
	if s.reg == nil {
		return nil
	}
	ids := make(map[string]bool, len(s.reg.Events))
	for i := range s.reg.Events {
		e := &s.reg.Events[i]
		p := fmt.Sprintf("%s/event[%d]", s.path, i+1)
		if ids[e.ID] {
			s.b.fail(p, "eventID %q appears twice", e.ID)
		}
		ids[e.ID] = true
		if err := f(s.b.event(p, s.reg, e)); err != nil {
			return err
		}
	}
	return nil
}

func (s eventStream) MarshalXML(enc *xml.Encoder, start xml.StartElement) error {
	return s.each(func(x xEvent) error {
		if err := s.b.err(); err != nil {
			return err
		}
		return enc.EncodeElement(x, start)
	})
}

func (s *eventStream) UnmarshalXML(dec *xml.Decoder, start xml.StartElement) error {
	var x xEvent
	if err := dec.DecodeElement(&x, &start); err != nil {
		return err
	}
	s.decoded = append(s.decoded, x)
	return nil
}

// transStream writes a register's cash transactions one at a time.
type transStream struct {
	b    *builder
	reg  *Register
	path string

	decoded []xTransaction // filled when a file is read back (tests)
}

func (s transStream) each(f func(xTransaction) error) error {
	if s.reg == nil {
		return nil
	}
	ids := make(map[string]bool, len(s.reg.Transactions))
	for i := range s.reg.Transactions {
		t := &s.reg.Transactions[i]
		p := fmt.Sprintf("%s/cashtransaction[%d]", s.path, i+1)
		if ids[t.TransID] {
			s.b.fail(p, "transID %q appears twice", t.TransID)
		}
		ids[t.TransID] = true
		if err := f(s.b.transaction(p, t)); err != nil {
			return err
		}
	}
	return nil
}

func (s transStream) MarshalXML(enc *xml.Encoder, start xml.StartElement) error {
	return s.each(func(x xTransaction) error {
		if err := s.b.err(); err != nil {
			return err
		}
		return enc.EncodeElement(x, start)
	})
}

func (s *transStream) UnmarshalXML(dec *xml.Decoder, start xml.StartElement) error {
	var x xTransaction
	if err := dec.DecodeElement(&x, &start); err != nil {
		return err
	}
	s.decoded = append(s.decoded, x)
	return nil
}

func (b *builder) event(p string, reg *Register, e *Event) xEvent {
	x := xEvent{
		EventID:   b.text(p, "eventID", e.ID, 35, true),
		EventType: b.basic(p, "eventType", e.Type, TypeEvent, true),
		TransID:   b.text(p, "transID", e.TransID, 35, false),
		EmpID:     b.employee(p, e.EmpID),
		EventDate: b.date(p, "eventDate", e.Time), EventTime: b.clock(p, "eventTime", e.Time),
		EventText: b.text(p, "eventText", e.Text, 9999, false),
	}
	if e.Report != nil {
		x.EventReport = b.report(p+"/eventReport", reg, e)
	}
	return x
}

// reportEventCode is the event code an X or Z report is printed under.
var reportEventCode = map[ReportKind]string{XReport: "13008", ZReport: "13009"}

func (b *builder) report(p string, reg *Register, e *Event) *xReport {
	r := e.Report
	want, ok := reportEventCode[r.Kind]
	if !ok {
		b.fail(p, "reportType %v is neither X report nor Z report", r.Kind)
	} else if pre := b.predefinedOf(e.Type); pre != "" && pre != want {
		b.fail(p, "a %v belongs to an event of code %s, not %s", r.Kind, want, pre)
	}
	if b.reports[r.ID] {
		b.fail(p, "reportID %q appears twice", r.ID)
	}
	b.reports[r.ID] = true
	ident, _ := orgNo(b.d.Company.OrgNo)
	x := &xReport{
		ReportID:     b.text(p, "reportID", r.ID, 35, true),
		ReportType:   r.Kind.String(),
		CompanyIdent: ident,
		CompanyName:  b.d.Company.Name,
		ReportDate:   b.date(p, "reportDate", r.Time), ReportTime: b.clock(p, "reportTime", r.Time),
		RegisterID:               reg.ID,
		ReportTotalCashSales:     xTotalCashSales{TotalCashSaleAmnt: amount(r.TotalCashSales)},
		ReportOpeningChangeFloat: amount(r.OpeningChangeFloat),
		ReportReceiptNum:         b.count(p, "reportReceiptNum", r.Receipts),
		ReportOpenCashBoxNum:     b.count(p, "reportOpenCashBoxNum", r.DrawerOpenings),
		ReportReceiptCopyNum:     b.count(p, "reportReceiptCopyNum", r.Copies.Num), ReportReceiptCopyAmnt: amount(r.Copies.Amount),
		ReportReceiptProformaNum: b.count(p, "reportReceiptProformaNum", r.Proforma.Num), ReportReceiptProformaAmnt: amount(r.Proforma.Amount),
		ReportReturnNum: b.count(p, "reportReturnNum", r.Returns.Num), ReportReturnAmnt: amount(r.Returns.Amount),
		ReportDiscountNum: b.count(p, "reportDiscountNum", r.Discounts.Num), ReportDiscountAmnt: amount(r.Discounts.Amount),
		ReportVoidTransNum: b.count(p, "reportVoidTransNum", r.Voids.Num), ReportVoidTransAmnt: amount(r.Voids.Amount),
		ReportReceiptDeliveryNum: b.count(p, "reportReceiptDeliveryNum", r.Deliveries.Num), ReportReceiptDeliveryAmnt: amount(r.Deliveries.Amount),
		ReportTrainingNum: b.count(p, "reportTrainingNum", r.Training.Num), ReportTrainingAmnt: amount(r.Training.Amount),
		ReportGrandTotalSales:    amount(r.GrandTotalSales),
		ReportGrandTotalReturn:   amount(r.GrandTotalReturn),
		ReportGrandTotalSalesNet: amount(r.GrandTotalSalesNet),
	}
	// The schema wants at least one entry in each of these lists, even on a
	// day with nothing in them; the official example writes a "None" entry
	// with zeros, and so do we.
	for _, g := range r.ArtGroups {
		x.ReportArtGroups = append(x.ReportArtGroups, xReportArtGroup{
			ArtGroupID:   b.basic(p, "artGroupID", g.GroupID, TypeArticleGroup, true),
			ArtGroupNum:  strconv.FormatInt(g.Qty, 10),
			ArtGroupAmnt: amount(g.Amount),
		})
	}
	if len(x.ReportArtGroups) == 0 {
		x.ReportArtGroups = []xReportArtGroup{{ArtGroupID: None, ArtGroupNum: "0", ArtGroupAmnt: amount(0)}}
	}
	for _, pt := range r.Payments {
		x.ReportPayments = append(x.ReportPayments, xReportPayment{
			PaymentType: b.basic(p, "paymentType", pt.Type, TypePayment, true),
			PaymentNum:  b.count(p, "paymentNum", pt.Num),
			PaymentAmnt: amount(pt.Amount),
		})
	}
	if len(x.ReportPayments) == 0 {
		x.ReportPayments = []xReportPayment{{PaymentType: None, PaymentNum: "0", PaymentAmnt: amount(0)}}
	}
	for _, v := range r.VAT {
		x.ReportCashSalesVat = append(x.ReportCashSalesVat, xReportCashSaleVat{
			VATCode:      b.vatCode(p, v.Code),
			VATPerc:      b.perc(p, v.Rate),
			CashSaleAmnt: amount(v.Base),
			VATAmnt:      amount(v.VAT),
			VATAmntTp:    amntTp(v.VAT),
		})
	}
	if len(x.ReportCashSalesVat) == 0 {
		x.ReportCashSalesVat = []xReportCashSaleVat{{VATPerc: "0.00", CashSaleAmnt: amount(0), VATAmnt: amount(0)}}
	}
	for _, c := range orNone(r.CorrLines) {
		x.ReportCorrLines = append(x.ReportCorrLines, xCorrLine{
			CorrLineType: b.text(p, "corrLineType", c.Type, 35, true),
			CorrLineNum:  b.count(p, "corrLineNum", c.Num), CorrLineAmnt: amount(c.Amount),
		})
	}
	for _, c := range orNone(r.PriceInquiries) {
		x.ReportPriceInquiries = append(x.ReportPriceInquiries, xPriceInquiry{
			PriceInquiryGroup: b.text(p, "priceInquiryGroup", c.Type, 35, true),
			PriceInquiryNum:   b.count(p, "priceInquiryNum", c.Num), PriceInquiryAmnt: amount(c.Amount),
		})
	}
	for _, c := range orNone(r.OtherCorrs) {
		x.ReportOtherCorrs = append(x.ReportOtherCorrs, xOtherCorr{
			OtherCorrType: b.text(p, "otherCorrType", c.Type, 35, true),
			OtherCorrNum:  b.count(p, "otherCorrNum", c.Num), OtherCorrAmnt: amount(c.Amount),
		})
	}
	if c := r.CreditSales; c != nil {
		x.ReportCreditSales = &xCreditSales{CreditSalesNum: b.count(p, "creditSalesNum", c.Num), CreditSalesAmnt: amount(c.Amount)}
	}
	if c := r.CreditMemos; c != nil {
		x.ReportCreditMemos = &xCreditMemos{CreditMemosNum: b.count(p, "creditMemosNum", c.Num), CreditMemosAmnt: amount(c.Amount)}
	}
	if len(r.PayIns) > 0 {
		x.ReportPayIns = &xPayIns{}
		for _, c := range r.PayIns {
			x.ReportPayIns.ReportPayIn = append(x.ReportPayIns.ReportPayIn, xPayIn{
				PayInType: b.text(p, "payInType", c.Type, 35, true),
				PayInNum:  b.count(p, "payInNum", c.Num), PayInAmnt: amount(c.Amount),
			})
		}
	}
	if len(r.PayOuts) > 0 {
		x.ReportPayOuts = &xPayOuts{}
		for _, c := range r.PayOuts {
			x.ReportPayOuts.ReportPayOut = append(x.ReportPayOuts.ReportPayOut, xPayOut{
				PayOutType: b.text(p, "payOutType", c.Type, 35, true),
				PayOutNum:  b.count(p, "payOutNum", c.Num), PayOutAmnt: amount(c.Amount),
			})
		}
	}
	return x
}

// None is the type written in a report list that must have an entry but
// has nothing to report, as the official example does.
const None = "None"

func orNone(c []TypedCount) []TypedCount {
	if len(c) == 0 {
		return []TypedCount{{Type: None}}
	}
	return c
}

func (b *builder) predefinedOf(id string) string {
	for _, ba := range b.d.Basics {
		if ba.ID == id {
			return ba.Predefined
		}
	}
	return ""
}

func (b *builder) transaction(p string, t *CashTransaction) xTransaction {
	x := xTransaction{
		Nr:          b.text(p, "nr", t.Nr, 35, true),
		TransID:     b.text(p, "transID", t.TransID, 35, true),
		TransType:   b.basic(p, "transType", t.Type, TypeTransaction, true),
		TransAmntIn: amount(t.AmountIn), TransAmntEx: amount(t.AmountEx), AmntTp: amntTp(t.AmountIn),
		EmpID:     b.employee(p, t.EmpID),
		TransDate: b.date(p, "transDate", t.Time), TransTime: b.clock(p, "transTime", t.Time),
		RefID:      b.text(p, "refID", t.RefID, 9999, false),
		Desc:       b.text(p, "desc", t.Desc, 9999, false),
		Signature:  b.text(p, "signature", t.Signature, 999, true),
		KeyVersion: b.text(p, "keyVersion", t.KeyVersion, 50, true),
		ReceiptNum: b.small(p, "receiptNum", t.ReceiptPrints), ReceiptCopyNum: b.small(p, "receiptCopyNum", t.CopyPrints),
		ReceiptProformaNum: b.small(p, "receiptProformaNum", t.ProformaPrints), ReceiptDeliveryNum: b.small(p, "receiptDeliveryNum", t.DeliveryPrints),
		VoidTransaction: boolText(t.Void), TrainingID: boolText(t.Training),
	}
	if t.Period != 0 {
		x.PeriodNumber = b.small(p, "periodNumber", t.Period)
		if !b.periods[t.Period] {
			b.fail(p, "periodNumber %d is not among the periods", t.Period)
		}
	}
	for i := range t.Lines {
		x.CtLine = append(x.CtLine, b.line(fmt.Sprintf("%s/ctLine[%d]", p, i+1), t.Nr, i, &t.Lines[i]))
	}
	for i := range t.VAT {
		x.VAT = append(x.VAT, b.vat(fmt.Sprintf("%s/vat[%d]", p, i+1), t.VAT[i]))
	}
	if t.Rounding != nil {
		x.Rounding = &xRounding{RoundingAmnt: amount(*t.Rounding)}
	}
	for i, pay := range t.Payments {
		pp := fmt.Sprintf("%s/payment[%d]", p, i+1)
		x.Payment = append(x.Payment, xPayment{
			PaymentType:  b.basic(pp, "paymentType", pay.Type, TypePayment, true),
			PaidAmnt:     amount(pay.Amount),
			EmpID:        b.employee(pp, pay.EmpID),
			PaymentRefID: b.text(pp, "paymentRefID", pay.Ref, 999, false),
		})
	}
	return x
}

func (b *builder) line(p, nr string, i int, l *Line) xLine {
	id := l.ID
	if id == "" {
		id = strconv.Itoa(i + 1)
	}
	x := xLine{
		Nr:         nr,
		LineID:     b.text(p, "lineID", id, 35, true),
		LineType:   b.basic(p, "lineType", l.Type, TypeLine, true),
		ArtGroupID: b.basic(p, "artGroupID", l.GroupID, TypeArticleGroup, false),
		ArtID:      b.text(p, "artID", l.ArtID, 35, false),
		Qnt:        strconv.FormatInt(l.Qty, 10),
		LineAmntIn: amount(l.AmountIn), LineAmntEx: amount(l.AmountEx), AmntTp: amntTp(l.AmountIn),
		EmpID:              b.employee(p, l.EmpID),
		CashTransLineDescr: b.text(p, "cashTransLineDescr", l.Desc, 9999, false),
		LineDate:           b.optDate(l.Time), LineTime: b.optClock(l.Time),
	}
	if l.ArtID != "" && !b.articles[l.ArtID] {
		b.fail(p, "artID %q is not among the articles", l.ArtID)
	}
	if l.UnitPrice != 0 {
		x.Ppu = amount(l.UnitPrice)
	}
	if l.Grams != 0 {
		x.Qnt = kiosk.DecimalKg(l.Grams) // a weight line: kilograms
	}
	if l.VAT != nil {
		v := b.vat(p+"/vat", *l.VAT)
		x.VAT = &v
	}
	for _, d := range l.Discounts {
		x.Discount = append(x.Discount, xDiscount{
			DscTp:   b.basic(p, "dscTp", d.Type, TypeDiscount, true),
			DscAmnt: amount(d.Amount),
			EmpID:   b.employee(p, d.EmpID),
		})
	}
	return x
}

func (b *builder) vat(p string, v VAT) xVAT {
	return xVAT{
		VATCode:    b.vatCode(p, v.Code),
		VATPerc:    b.perc(p, v.Rate),
		VATAmnt:    amount(v.Amount),
		VATAmntTp:  amntTp(v.Amount),
		VATBasAmnt: amount(v.Base),
	}
}
