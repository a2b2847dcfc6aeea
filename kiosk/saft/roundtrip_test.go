package saft

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// reader turns a decoded file back into a Doc, remembering the first
// thing it could not read.
type reader struct {
	zone *time.Location
	err  error
}

func (r *reader) fail(format string, a ...any) {
	if r.err == nil {
		r.err = fmt.Errorf(format, a...)
	}
}

func (r *reader) money(s string) kiosk.Money {
	m, err := kiosk.ParseMoney(s)
	if err != nil || m.Decimal() != s {
		r.fail("amount %q: %v", s, err)
	}
	return m
}

func (r *reader) moneyPtr(x *xRounding) *kiosk.Money {
	if x == nil {
		return nil
	}
	m := r.money(x.RoundingAmnt)
	return &m
}

func (r *reader) at(date, clock string) time.Time {
	if date == "" {
		return time.Time{}
	}
	if clock == "" {
		clock = "00:00:00"
	}
	t, err := time.ParseInLocation(time.DateTime, date+" "+clock, r.zone)
	if err != nil {
		r.fail("date %q time %q: %v", date, clock, err)
	}
	return t
}

func (r *reader) int(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		r.fail("integer %q: %v", s, err)
	}
	return n
}

func (r *reader) uint(s string) uint64 { return uint64(r.int(s)) }

func (r *reader) rate(s string) kiosk.VATRate {
	n, err := strconv.ParseUint(strings.TrimSuffix(s, ".00"), 10, 8)
	if err != nil {
		r.fail("vatPerc %q: %v", s, err)
	}
	return kiosk.VATRate(n)
}

func (r *reader) amntTp(tp string, m kiosk.Money) {
	if tp != amntTp(m) {
		r.fail("amount %s has type %q", m.Decimal(), tp)
	}
}

func (r *reader) vat(x xVAT) VAT {
	v := VAT{Code: x.VATCode, Rate: r.rate(x.VATPerc), Amount: r.money(x.VATAmnt), Base: r.money(x.VATBasAmnt)}
	r.amntTp(x.VATAmntTp, v.Amount)
	return v
}

func (r *reader) address(x *xAddress) *Address {
	if x == nil {
		return nil
	}
	return &Address{Street: x.Streetname, Number: x.Number, Additional: x.AdditionalAddressDetails, City: x.City,
		PostalCode: x.PostalCode, Region: x.Region, Country: x.Country}
}

func (r *reader) counts(typ []string, num []string, amnt []string) []TypedCount {
	var out []TypedCount
	for i := range typ {
		c := TypedCount{Type: typ[i], Count: Count{Num: r.uint(num[i]), Amount: r.money(amnt[i])}}
		if c == (TypedCount{Type: None}) {
			continue // the schema's placeholder for an empty list
		}
		out = append(out, c)
	}
	return out
}

func (r *reader) report(x *xReport, ident, company, register string) *Report {
	if x.CompanyIdent != ident || x.CompanyName != company || x.RegisterID != register {
		r.fail("report %s names %s %s %s", x.ReportID, x.CompanyIdent, x.CompanyName, x.RegisterID)
	}
	rep := &Report{ID: x.ReportID, Time: r.at(x.ReportDate, x.ReportTime),
		TotalCashSales:     r.money(x.ReportTotalCashSales.TotalCashSaleAmnt),
		OpeningChangeFloat: r.money(x.ReportOpeningChangeFloat),
		Receipts:           r.uint(x.ReportReceiptNum), DrawerOpenings: r.uint(x.ReportOpenCashBoxNum),
		Copies:          Count{r.uint(x.ReportReceiptCopyNum), r.money(x.ReportReceiptCopyAmnt)},
		Proforma:        Count{r.uint(x.ReportReceiptProformaNum), r.money(x.ReportReceiptProformaAmnt)},
		Returns:         Count{r.uint(x.ReportReturnNum), r.money(x.ReportReturnAmnt)},
		Discounts:       Count{r.uint(x.ReportDiscountNum), r.money(x.ReportDiscountAmnt)},
		Voids:           Count{r.uint(x.ReportVoidTransNum), r.money(x.ReportVoidTransAmnt)},
		Deliveries:      Count{r.uint(x.ReportReceiptDeliveryNum), r.money(x.ReportReceiptDeliveryAmnt)},
		Training:        Count{r.uint(x.ReportTrainingNum), r.money(x.ReportTrainingAmnt)},
		GrandTotalSales: r.money(x.ReportGrandTotalSales), GrandTotalReturn: r.money(x.ReportGrandTotalReturn),
		GrandTotalSalesNet: r.money(x.ReportGrandTotalSalesNet),
	}
	switch x.ReportType {
	case "X report":
		rep.Kind = XReport
	case "Z report":
		rep.Kind = ZReport
	default:
		r.fail("reportType %q", x.ReportType)
	}
	for _, g := range x.ReportArtGroups {
		if g.ArtGroupID == None {
			continue
		}
		rep.ArtGroups = append(rep.ArtGroups, ArtGroupTotal{GroupID: g.ArtGroupID, Qty: r.int(g.ArtGroupNum), Amount: r.money(g.ArtGroupAmnt)})
	}
	for _, p := range x.ReportPayments {
		if p.PaymentType == None {
			continue
		}
		rep.Payments = append(rep.Payments, PaymentTotal{Type: p.PaymentType, Num: r.uint(p.PaymentNum), Amount: r.money(p.PaymentAmnt)})
	}
	for _, v := range x.ReportCashSalesVat {
		if v.VATCode == "" {
			continue
		}
		t := VATTotal{Code: v.VATCode, Rate: r.rate(v.VATPerc), Base: r.money(v.CashSaleAmnt), VAT: r.money(v.VATAmnt)}
		r.amntTp(v.VATAmntTp, t.VAT)
		rep.VAT = append(rep.VAT, t)
	}
	var a, b, c []string
	for _, l := range x.ReportCorrLines {
		a, b, c = append(a, l.CorrLineType), append(b, l.CorrLineNum), append(c, l.CorrLineAmnt)
	}
	rep.CorrLines = r.counts(a, b, c)
	a, b, c = nil, nil, nil
	for _, l := range x.ReportPriceInquiries {
		a, b, c = append(a, l.PriceInquiryGroup), append(b, l.PriceInquiryNum), append(c, l.PriceInquiryAmnt)
	}
	rep.PriceInquiries = r.counts(a, b, c)
	a, b, c = nil, nil, nil
	for _, l := range x.ReportOtherCorrs {
		a, b, c = append(a, l.OtherCorrType), append(b, l.OtherCorrNum), append(c, l.OtherCorrAmnt)
	}
	rep.OtherCorrs = r.counts(a, b, c)
	if s := x.ReportCreditSales; s != nil {
		rep.CreditSales = &Count{r.uint(s.CreditSalesNum), r.money(s.CreditSalesAmnt)}
	}
	if s := x.ReportCreditMemos; s != nil {
		rep.CreditMemos = &Count{r.uint(s.CreditMemosNum), r.money(s.CreditMemosAmnt)}
	}
	if s := x.ReportPayIns; s != nil {
		for _, p := range s.ReportPayIn {
			rep.PayIns = append(rep.PayIns, TypedCount{p.PayInType, Count{r.uint(p.PayInNum), r.money(p.PayInAmnt)}})
		}
	}
	if s := x.ReportPayOuts; s != nil {
		for _, p := range s.ReportPayOut {
			rep.PayOuts = append(rep.PayOuts, TypedCount{p.PayOutType, Count{r.uint(p.PayOutNum), r.money(p.PayOutAmnt)}})
		}
	}
	return rep
}

func (r *reader) transaction(x xTransaction) CashTransaction {
	t := CashTransaction{Nr: x.Nr, TransID: x.TransID, Type: x.TransType,
		AmountIn: r.money(x.TransAmntIn), AmountEx: r.money(x.TransAmntEx), EmpID: x.EmpID,
		Time: r.at(x.TransDate, x.TransTime), RefID: x.RefID, Desc: x.Desc, Rounding: r.moneyPtr(x.Rounding),
		Signature: x.Signature, KeyVersion: x.KeyVersion,
		ReceiptPrints: int(r.int(x.ReceiptNum)), CopyPrints: int(r.int(x.ReceiptCopyNum)),
		ProformaPrints: int(r.int(x.ReceiptProformaNum)), DeliveryPrints: int(r.int(x.ReceiptDeliveryNum)),
		Void: x.VoidTransaction == "true", Training: x.TrainingID == "true",
	}
	r.amntTp(x.AmntTp, t.AmountIn)
	if x.PeriodNumber != "" {
		t.Period = int(r.int(x.PeriodNumber))
	}
	for _, l := range x.CtLine {
		if l.Nr != x.Nr {
			r.fail("ctLine nr %q in transaction %q", l.Nr, x.Nr)
		}
		line := Line{ID: l.LineID, Type: l.LineType, GroupID: l.ArtGroupID, ArtID: l.ArtID, Qty: r.int(l.Qnt),
			AmountIn: r.money(l.LineAmntIn), AmountEx: r.money(l.LineAmntEx), EmpID: l.EmpID, Desc: l.CashTransLineDescr,
			Time: r.at(l.LineDate, l.LineTime)}
		r.amntTp(l.AmntTp, line.AmountIn)
		if l.Ppu != "" {
			line.UnitPrice = r.money(l.Ppu)
		}
		if l.VAT != nil {
			v := r.vat(*l.VAT)
			line.VAT = &v
		}
		for _, d := range l.Discount {
			line.Discounts = append(line.Discounts, Discount{Type: d.DscTp, Amount: r.money(d.DscAmnt), EmpID: d.EmpID})
		}
		t.Lines = append(t.Lines, line)
	}
	for _, v := range x.VAT {
		t.VAT = append(t.VAT, r.vat(v))
	}
	for _, p := range x.Payment {
		t.Payments = append(t.Payments, Payment{Type: p.PaymentType, Amount: r.money(p.PaidAmnt), EmpID: p.EmpID, Ref: p.PaymentRefID})
	}
	return t
}

// readBack decodes an encoded file with encoding/xml into a Doc.
func readBack(tb testing.TB, b []byte, zone *time.Location) *Doc {
	tb.Helper()
	var x xAuditfile
	if err := xml.Unmarshal(b, &x); err != nil {
		tb.Fatalf("decode: %v", err)
	}
	if x.XMLName.Space != Namespace || x.XMLName.Local != "auditfile" {
		tb.Fatalf("root is %v", x.XMLName)
	}
	r := &reader{zone: zone}
	h := x.Header
	if h.CurCode != Currency || h.AuditfileVersion != AuditfileVersion {
		r.fail("header: %s %s", h.CurCode, h.AuditfileVersion)
	}
	d := &Doc{Zone: zone, Header: Header{
		Start: r.at(h.StartDate, ""), End: r.at(h.EndDate, ""), Created: r.at(h.DateCreated, h.TimeCreated),
		SoftwareDesc: h.SoftwareDesc, SoftwareVersion: h.SoftwareVersion, SoftwareCompany: h.SoftwareCompanyName, UserID: h.UserID,
	}}
	if want := h.StartDate[:4]; h.FiscalYear != want {
		r.fail("fiscalYear %q, want %q", h.FiscalYear, want)
	}
	sys, comment, _ := strings.Cut(h.HeaderComment, "; ")
	d.Header.SystemID, d.Header.Comment = strings.TrimPrefix(sys, "System ID: "), comment
	c := x.Company
	d.Company = Company{OrgNo: c.CompanyIdent, Name: c.CompanyName, VATNo: c.TaxRegIdent, Street: r.address(c.StreetAddress)}
	if p := c.PostalAddress; p != nil {
		d.Company.Postal = r.address(&xAddress{p.Streetname, p.Number, p.AdditionalAddressDetails, p.City, p.PostalCode, p.Region, p.Country})
	}
	if c.VATCodeDetails != nil {
		for _, v := range c.VATCodeDetails.VATCodeDetail {
			d.VATCodes = append(d.VATCodes, VATCode{Code: v.VATCode, Since: r.at(v.DateOfEntry, ""), Desc: v.VATDesc, Standard: v.StandardVATCode})
		}
	}
	if c.Periods != nil {
		for _, p := range c.Periods.Period {
			d.Periods = append(d.Periods, Period{Number: int(r.int(p.PeriodNumber)), Desc: p.PeriodDesc,
				Start: r.at(p.StartDatePeriod, p.StartTimePeriod), End: r.at(p.EndDatePeriod, p.EndTimePeriod)})
		}
	}
	if c.Employees != nil {
		for _, e := range c.Employees.Employee {
			emp := Employee{ID: e.EmpID, Since: r.at(e.DateOfEntry, e.TimeOfEntry), FirstName: e.FirstName, Surname: e.SurName}
			for _, ro := range e.EmployeeRole {
				emp.Roles = append(emp.Roles, Role{Type: ro.RoleType, Desc: ro.RoleTypeDesc})
			}
			d.Employees = append(d.Employees, emp)
		}
	}
	if c.Articles != nil {
		for _, a := range c.Articles.Article {
			d.Articles = append(d.Articles, Article{ID: a.ArtID, Since: r.at(a.DateOfEntry, ""), GroupID: a.ArtGroupID, Desc: a.ArtDesc})
		}
	}
	if c.Basics != nil {
		for _, b := range c.Basics.Basic {
			d.Basics = append(d.Basics, Basic{Type: BasicType(b.BasicType), ID: b.BasicID, Predefined: b.PredefinedBasicID, Desc: b.BasicDesc})
		}
	}
	for _, l := range c.Locations {
		loc := Location{Name: l.Name, Address: r.address(l.StreetAddress)}
		for _, reg := range l.Cashregister {
			rg := Register{ID: reg.RegisterID, Desc: reg.RegDesc}
			for _, e := range reg.Event.decoded {
				ev := Event{ID: e.EventID, Type: e.EventType, TransID: e.TransID, EmpID: e.EmpID,
					Time: r.at(e.EventDate, e.EventTime), Text: e.EventText}
				if e.EventReport != nil {
					ev.Report = r.report(e.EventReport, c.CompanyIdent, c.CompanyName, reg.RegisterID)
				}
				rg.Events = append(rg.Events, ev)
			}
			for _, t := range reg.Cashtransaction.decoded {
				rg.Transactions = append(rg.Transactions, r.transaction(t))
			}
			loc.Registers = append(loc.Registers, rg)
		}
		d.Locations = append(d.Locations, loc)
	}
	if r.err != nil {
		tb.Fatalf("read back: %v", r.err)
	}
	return d
}

// normalised is d as it reads back: the organisation number without
// spaces, line numbers filled in.
func normalised(d *Doc) *Doc {
	n := *d
	n.Company.OrgNo = strings.ReplaceAll(n.Company.OrgNo, " ", "")
	for i := range n.Locations {
		for j := range n.Locations[i].Registers {
			for k := range n.Locations[i].Registers[j].Transactions {
				t := &n.Locations[i].Registers[j].Transactions[k]
				for l := range t.Lines {
					if t.Lines[l].ID == "" {
						t.Lines[l].ID = strconv.Itoa(l + 1)
					}
				}
			}
		}
	}
	return &n
}

// TestRoundTrip: what Encode writes, encoding/xml reads back to the same
// Doc: amounts to the øre, times to the second, every field.
func TestRoundTrip(t *testing.T) {
	want := demoDay(t)
	b := mustEncode(t, want)
	got := readBack(t, b, want.Zone)
	want = normalised(want)
	if !reflect.DeepEqual(got, want) {
		diffDocs(t, got, want)
	}
	// Written again, it is the same file.
	if again := mustEncode(t, got); !bytes.Equal(again, b) {
		t.Errorf("re-encoding the decoded doc gives a different file")
	}
}

// TestSignaturesVerifyFromFile: an inspector recomputes every signature
// from the file alone (the data text from the written fields, the chain
// from the previous signature) and they all verify.
func TestSignaturesVerifyFromFile(t *testing.T) {
	d := demoDay(t)
	got := readBack(t, mustEncode(t, d), d.Zone)
	prev := "0"
	for _, tr := range reg(got).Transactions {
		data, err := SignatureData(prev, tr, got.Zone)
		if err != nil {
			t.Fatal(err)
		}
		if hmacSign(data) != tr.Signature {
			t.Errorf("transaction %s: signature does not verify over %q", tr.Nr, data)
		}
		prev = tr.Signature
	}
	// A changed amount breaks it.
	tr := reg(got).Transactions[1]
	tr.AmountIn++
	data, _ := SignatureData(reg(got).Transactions[0].Signature, tr, got.Zone)
	if hmacSign(data) == tr.Signature {
		t.Errorf("a changed amount still verifies")
	}
}

func diffDocs(t *testing.T, got, want *Doc) {
	t.Helper()
	gv, wv := reflect.ValueOf(*got), reflect.ValueOf(*want)
	for i := 0; i < gv.NumField(); i++ {
		name := gv.Type().Field(i).Name
		if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			t.Errorf("round trip: %s differs:\n got %+v\nwant %+v", name, gv.Field(i).Interface(), wv.Field(i).Interface())
		}
	}
}

// FuzzEncodeText: whatever text lands in the file's free-text fields,
// Encode either refuses it with ErrInvalid or writes XML that reads back
// to the same text — never a panic, never a mangled file.
func FuzzEncodeText(f *testing.F) {
	for _, s := range []string{"", "Aftenposten", "<&>\"'", "bad\x00", "Ærlig Øl Å", "\xff\xfe", "a\r\nb", strings.Repeat("é", 100), "]]>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := demoDay(t)
		d.Company.Name = s
		d.Articles[0].Desc = s
		reg(d).Events[2].Text = s
		reg(d).Transactions[0].Lines[0].Desc = s
		var buf bytes.Buffer
		err := Encode(&buf, d)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Encode = %v, want nil or ErrInvalid", err)
			}
			if buf.Len() != 0 {
				t.Fatalf("Encode wrote %d bytes with an error", buf.Len())
			}
			return
		}
		got := readBack(t, buf.Bytes(), d.Zone)
		// XML turns a CR LF or a lone CR in text into LF unless escaped;
		// encoding/xml escapes CR, so the text comes back whole.
		if got.Company.Name != s || got.Articles[0].Desc != s || reg(got).Events[2].Text != s || reg(got).Transactions[0].Lines[0].Desc != s {
			t.Fatalf("text %q did not come back whole", s)
		}
	})
}
