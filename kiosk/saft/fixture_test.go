package saft

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"sort"
	"strconv"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// testZone is Norwegian time. In March before the switch to summer time
// Europe/Oslo is UTC+1, so a fixed zone gives the same text where the zone
// database is missing.
func testZone() *time.Location {
	if z, err := time.LoadLocation("Europe/Oslo"); err == nil {
		return z
	}
	return time.FixedZone("CET", 3600)
}

// testKey is the HMAC-SHA1 key of Skatteetaten's signature example; the
// fixture signs with it so that its signatures can be checked.
const testKey = "SkatteetatenSign"

func hmacSign(data string) string {
	m := hmac.New(sha1.New, []byte(testKey))
	m.Write([]byte(data))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

type article struct {
	id, name, group string
	rate            kiosk.VATRate
	price           kiosk.Money
}

var (
	marlboro  = article{"7022600012347", "Marlboro Gold 20 stk", "04013", kiosk.VAT25, 15900}
	snus      = article{"7311250004384", "General Snus Original Portion 24 g", "04013", kiosk.VAT25, 11900}
	freia     = article{"7022231000126", "Freia Melkesjokolade 60 g", "04006", kiosk.VAT15, 2990}
	farris    = article{"7023010090017", "Farris Naturell 0,5 l", "04011", kiosk.VAT15, 2750}
	avis      = article{"7025070020010", "Aftenposten", "04003", kiosk.VAT0, 4500}
	lighter   = article{"7070002120047", "BIC Maxi lighter", "04014", kiosk.VAT25, 2500}
	all       = []article{marlboro, snus, freia, farris, avis, lighter}
	grandSold = kiosk.Money(4821050) // sales since installation, before the day
	grandRet  = kiosk.Money(120400)  // returns since installation, before the day
)

type item struct {
	a   article
	qty int64
}

func mustBasic(tb testing.TB, id string) Basic {
	tb.Helper()
	b, err := PredefinedBasic(id)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// testDoc is the master data of the fixture's shop, with no journal.
func testDoc(tb testing.TB) *Doc {
	tb.Helper()
	z := testZone()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, z) }
	d := &Doc{
		Zone: z,
		Header: Header{
			Start: day(2025, 3, 14), End: day(2025, 3, 14),
			Created:      time.Date(2025, 3, 15, 7, 30, 0, 0, z),
			SoftwareDesc: "Selvkasse", SoftwareVersion: "0.9.0", SoftwareCompany: "Selvkasse",
			SystemID: "selvkasse-3f9c2a7e", Comment: "Selection: register selvkasse-3f9c2a7e-K1, 2025-03-14", UserID: "1001",
		},
		Company: Company{
			OrgNo: "999 999 999", Name: "Tobakk & Kiosk Storgata AS", VATNo: "999999999MVA",
			Street: &Address{Street: "Storgata", Number: "1", City: "Oslo", PostalCode: "0155", Country: "NO"},
			Postal: &Address{Street: "Postboks 12", City: "Oslo", PostalCode: "0101", Region: "Oslo", Country: "NO"},
		},
		Employees: []Employee{
			{ID: "1001", Since: time.Date(2024, 11, 1, 9, 0, 0, 0, z), FirstName: "Kari", Surname: "Nordmann",
				Roles: []Role{{Type: "supervisor", Desc: "Skiftleder: returer, kopi, treningsmodus, Z-rapport"}}},
			{ID: "1002", Since: time.Date(2025, 1, 6, 12, 15, 0, 0, z), FirstName: "Ola", Surname: "Nordmann",
				Roles: []Role{{Type: "clerk"}}},
		},
		Periods: []Period{{Number: 3, Desc: "Mars 2025", Start: time.Date(2025, 3, 1, 0, 0, 0, 0, z), End: time.Date(2025, 3, 31, 23, 59, 59, 0, z)}},
	}
	for _, r := range []kiosk.VATRate{kiosk.VAT25, kiosk.VAT15, kiosk.VAT12, kiosk.VAT0} {
		d.VATCodes = append(d.VATCodes, VATCodeFor(r, day(2024, 11, 1)))
	}
	for _, a := range all {
		d.Articles = append(d.Articles, Article{ID: a.id, Since: day(2024, 11, 1), GroupID: a.group, Desc: a.name})
	}
	for _, id := range []string{"04003", "04006", "04011", "04013", "04014"} {
		d.Basics = append(d.Basics, mustBasic(tb, id))
	}
	d.Basics = append(d.Basics, Basic{Type: TypeLine, ID: "SALE", Desc: "Sale line"}, Basic{Type: TypeLine, ID: "RETURN", Desc: "Return line"})
	for _, id := range []string{"11001", "11006", "12002", "12003",
		"13001", "13002", "13003", "13004", "13008", "13009", "13012", "13013", "13014", "13017", "13022", "13023", "13024"} {
		d.Basics = append(d.Basics, mustBasic(tb, id))
	}
	d.Basics = append(d.Basics, Basic{Type: TypeEvent, ID: "AGEOK", Predefined: "13999", Desc: "Age check approved by staff"})
	return d
}

// sale builds a cash transaction from items the way the kiosk prices
// them: VAT per line, and per rate over the transaction (kiosk.VATBreakdown).
func sale(nr string, at time.Time, typ string, payType, payRef string, items ...item) CashTransaction {
	t := CashTransaction{Nr: nr, TransID: nr, Type: typ, Time: at, Period: 3, KeyVersion: "1", ReceiptPrints: 1}
	gross := map[kiosk.VATRate]kiosk.Money{}
	lineType := "SALE"
	if typ == "11006" {
		lineType = "RETURN"
	}
	for _, it := range items {
		in := it.a.price * kiosk.Money(it.qty)
		v := kiosk.VATOf(in, it.a.rate)
		t.Lines = append(t.Lines, Line{Type: lineType, GroupID: it.a.group, ArtID: it.a.id, Qty: it.qty,
			AmountIn: in, AmountEx: in - v, UnitPrice: it.a.price, Desc: it.a.name, Time: at,
			VAT: &VAT{Code: it.a.rate.StandardTaxCode(), Rate: it.a.rate, Amount: v, Base: in - v}})
		gross[it.a.rate] += in
		t.AmountIn += in
	}
	t.AmountEx = t.AmountIn
	for _, v := range kiosk.VATBreakdown(gross) {
		t.VAT = append(t.VAT, VAT{Code: v.Rate.StandardTaxCode(), Rate: v.Rate, Amount: v.VAT, Base: v.Net})
		t.AmountEx -= v.VAT
	}
	t.Payments = []Payment{{Type: payType, Amount: t.AmountIn, Ref: payRef}}
	return t
}

// report sums transactions into an X or Z report the way the issue's
// running totals would: training and returns apart from sales.
func report(kind ReportKind, id string, at time.Time, txs []CashTransaction, copied []CashTransaction, lookups []TypedCount) *Report {
	r := &Report{ID: id, Kind: kind, Time: at, PriceInquiries: lookups}
	groups := map[string]*ArtGroupTotal{}
	pays := map[string]*PaymentTotal{}
	vats := map[string]*VATTotal{}
	var sold, returned kiosk.Money
	for _, t := range txs {
		if t.Training {
			r.Training.Num++
			r.Training.Amount += t.AmountIn
			continue
		}
		if t.AmountIn < 0 {
			r.Returns.Num++
			r.Returns.Amount -= t.AmountIn
			returned -= t.AmountIn
		} else {
			r.Receipts++
			sold += t.AmountIn
		}
		for _, l := range t.Lines {
			g := groups[l.GroupID]
			if g == nil {
				g = &ArtGroupTotal{GroupID: l.GroupID}
				groups[l.GroupID] = g
			}
			g.Qty += l.Qty
			g.Amount += l.AmountIn
		}
		for _, p := range t.Payments {
			pt := pays[p.Type]
			if pt == nil {
				pt = &PaymentTotal{Type: p.Type}
				pays[p.Type] = pt
			}
			pt.Num++
			pt.Amount += p.Amount
		}
		for _, v := range t.VAT {
			vt := vats[v.Code]
			if vt == nil {
				vt = &VATTotal{Code: v.Code, Rate: v.Rate}
				vats[v.Code] = vt
			}
			vt.Base += v.Base
			vt.VAT += v.Amount
		}
	}
	for _, c := range copied {
		r.Copies.Num++
		r.Copies.Amount += c.AmountIn
	}
	for _, g := range groups {
		r.ArtGroups = append(r.ArtGroups, *g)
	}
	sort.Slice(r.ArtGroups, func(i, j int) bool { return r.ArtGroups[i].GroupID < r.ArtGroups[j].GroupID })
	for _, p := range pays {
		r.Payments = append(r.Payments, *p)
	}
	sort.Slice(r.Payments, func(i, j int) bool { return r.Payments[i].Type < r.Payments[j].Type })
	for _, v := range vats {
		r.VAT = append(r.VAT, *v)
	}
	sort.Slice(r.VAT, func(i, j int) bool { return r.VAT[i].Rate > r.VAT[j].Rate })
	r.TotalCashSales = sold - returned
	r.GrandTotalSales = grandSold + sold
	r.GrandTotalReturn = grandRet + returned
	r.GrandTotalSalesNet = r.GrandTotalSales - r.GrandTotalReturn
	return r
}

// demoDay is a small realistic day at one self-checkout: three sales (one
// of tobacco, approved by staff), a return, a copy receipt, a training
// receipt, a price look-up, an X and a Z report, all transactions signed
// in one chain.
func demoDay(tb testing.TB) *Doc {
	tb.Helper()
	d := testDoc(tb)
	z := d.Zone
	at := func(h, m, s int) time.Time { return time.Date(2025, 3, 14, h, m, s, 0, z) }

	t1 := sale("1", at(9, 12, 31), "11001", "12002", "BAX 448201", item{freia, 2}, item{farris, 1})
	t2 := sale("2", at(10, 5, 48), "11001", "12003", "VISA 448202", item{marlboro, 1}, item{lighter, 1})
	t2.CopyPrints = 1
	t3 := sale("3", at(10, 39, 50), "11006", "12002", "BAX 448203", item{farris, -1})
	t3.EmpID, t3.RefID, t3.Desc = "1001", "1", "Retur av vare fra kvittering 1"
	t3.Lines[0].EmpID = "1001"
	t4 := sale("4", at(10, 44, 5), "11001", "12002", "", item{freia, 1})
	t4.EmpID, t4.Training, t4.Desc = "1001", true, "Treningsmodus: ikke kvittering for kjøp"
	t5 := sale("5", at(15, 2, 14), "11001", "12002", "BAX 448205", item{avis, 1}, item{snus, 2})
	txs := []CashTransaction{t1, t2, t3, t4, t5}
	prev := "0"
	for i := range txs {
		data, err := SignatureData(prev, txs[i], z)
		if err != nil {
			tb.Fatal(err)
		}
		txs[i].Signature = hmacSign(data)
		prev = txs[i].Signature
	}
	lookups := []TypedCount{{Type: "04013", Count: Count{Num: 1, Amount: snus.price}}}
	events := []Event{
		{Type: "13001", Time: at(7, 58, 2)},
		{Type: "13012", TransID: "1", Time: at(9, 12, 35)},
		{Type: "AGEOK", TransID: "2", EmpID: "1001", Time: at(10, 5, 20), Text: "Alder kontrollert: legitimasjon vist"},
		{Type: "13012", TransID: "2", Time: at(10, 5, 52)},
		{Type: "13003", EmpID: "1001", Time: at(10, 31, 10)},
		{Type: "13014", TransID: "2", EmpID: "1001", Time: at(10, 33, 40)},
		{Type: "13013", TransID: "3", EmpID: "1001", Time: at(10, 39, 55)},
		{Type: "13023", EmpID: "1001", Time: at(10, 42, 0)},
		{Type: "13017", TransID: "4", EmpID: "1001", Time: at(10, 44, 9)},
		{Type: "13024", EmpID: "1001", Time: at(10, 45, 30)},
		{Type: "13004", EmpID: "1001", Time: at(10, 46, 2)},
		{Type: "13022", Time: at(14, 20, 11), Text: "artID 7311250004384; artGroupID 04013; lineAmntIn 119.00; lineAmntEx 95.20"},
		{Type: "13012", TransID: "5", Time: at(15, 2, 18)},
		{Type: "13003", EmpID: "1002", Time: at(16, 0, 5)},
		{Type: "13008", EmpID: "1002", Time: at(16, 0, 40), Text: "X-rapport",
			Report: report(XReport, "X1", at(16, 0, 40), txs[:4], txs[1:2], lookups)},
		{Type: "13004", EmpID: "1002", Time: at(16, 1, 0)},
		{Type: "13003", EmpID: "1001", Time: at(21, 58, 30)},
		{Type: "13009", EmpID: "1001", Time: at(22, 0, 0), Text: "Z-rapport",
			Report: report(ZReport, "Z1", at(22, 0, 0), txs, txs[1:2], lookups)},
		{Type: "13004", EmpID: "1001", Time: at(22, 0, 45)},
		{Type: "13002", Time: at(22, 5, 0)},
	}
	for i := range events {
		events[i].ID = strconv.Itoa(i + 1)
	}
	d.Locations = []Location{{
		Name:    "Tobakk & Kiosk Storgata",
		Address: &Address{Street: "Storgata", Number: "1", City: "Oslo", PostalCode: "0155", Country: "NO"},
		Registers: []Register{{
			ID: "selvkasse-3f9c2a7e-K1", Desc: "Selvbetjent kasse K1 med låst tobakksskap",
			Events: events, Transactions: txs,
		}},
	}}
	return d
}
