package app

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"selvkasse/app/signing"
	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
	"selvkasse/kiosk/saft"
	"selvkasse/storage"
)

// saftDay is a day at a demo kiosk, through the real checkout, store and
// signing key (a real RSA key in the data dir, as `demo` makes it).
type saftDay struct {
	t     *testing.T
	ctx   context.Context
	dir   string
	day   time.Time // midnight, Europe/Oslo
	zone  *time.Location
	db    *storage.DB
	clock *kiosktest.Clock
	term  *kiosktest.PaymentTerminal
	cab   *kiosktest.CabinetLock
	staff *kiosktest.StaffApproval
	co    *kiosk.Checkout
	stop  context.CancelFunc
	sales []saftSale // what the day sold, in order
	// printer is the receipt printer; onAuthorize, when set, runs once
	// the terminal has the payment, before it approves (a printer that
	// runs out of paper meanwhile).
	printer     *kiosktest.Printer
	onAuthorize func()
}

type saftSale struct {
	card     string
	total    kiosk.Money
	gtins    []string
	training bool // a training sale: no payment taken
}

const (
	demoSnus       = "7039990000014" // tobacco, cabinet compartment 1
	demoCigarettes = "7039990000038" // tobacco, compartment 2
	demoCola       = "7039990000113"
	demoChocolate  = "7039990000137"
	demoPaper      = "7039990000144" // VAT 0
	demoLighter    = "7039990000151"
)

func mustSAFTDay(t *testing.T) *saftDay {
	t.Helper()
	return mustSAFTDayOn(t, 2026, 3, 12)
}

// mustSAFTDayOn is mustSAFTDay on another day.
func mustSAFTDayOn(t *testing.T, year int, month time.Month, day int) *saftDay {
	t.Helper()
	zone, err := signingZone()
	if err != nil {
		t.Skip(err)
	}
	midnight := time.Date(year, month, day, 0, 0, 0, 0, zone)
	return mustSAFTDayIn(t, t.TempDir(), midnight.Add(7*time.Hour+55*time.Minute))
}

// mustSAFTDayIn is mustSAFTDay in dir (a store made before, or none) from
// start, the day its date in Europe/Oslo.
func mustSAFTDayIn(t *testing.T, dir string, start time.Time) *saftDay {
	t.Helper()
	zone, err := signingZone()
	if err != nil {
		t.Skip(err)
	}
	start = start.In(zone)
	d := &saftDay{t: t, ctx: context.Background(), dir: dir, zone: zone,
		day: time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, zone)}
	d.clock = kiosktest.NewClock(start)
	d.term, d.cab, d.staff = kiosktest.NewPaymentTerminal(d.clock), kiosktest.NewCabinetLock(d.clock), kiosktest.NewStaffApproval()
	d.cab.SetCompartments(DemoCompartments)
	if d.db, err = storage.Open(d.dir, storage.Options{Clock: d.clock}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.close)
	// As `demo` starts: the signing key, the system id, the catalog and
	// the staff.
	if err := attachSigner(d.ctx, d.db, d.dir, "K1", d.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := ensureSystemID(d.ctx, d.db, d.dir, "K1", d.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := seedIfEmpty(d.ctx, d.db); err != nil {
		t.Fatal(err)
	}
	if err := seedStaffIfEmpty(d.ctx, d.db, nil, d.clock.Now()); err != nil {
		t.Fatal(err)
	}
	printer := kiosktest.NewPrinter()
	printer.SetStatus(kiosk.PrinterStatus{Ready: true})
	d.printer = printer
	var ctx context.Context
	ctx, d.stop = context.WithCancel(d.ctx)
	d.co = newCheckout("K1", DemoShop, d.db, Devices{Scanner: kiosktest.NewScanner(d.clock), Terminal: d.term,
		Printer: printer, Cabinet: d.cab, Staff: d.staff}, d.clock, nil)
	if err := d.co.Start(ctx); err != nil {
		t.Fatal(err)
	}
	go d.co.Run(ctx)
	return d
}

func (d *saftDay) close() {
	if d.db == nil {
		return
	}
	_ = d.co.Stop(d.ctx) // journals the POS stop
	d.stop()
	d.db.Close()
	d.db = nil
}

func (d *saftDay) must(err error) {
	d.t.Helper()
	if err != nil {
		d.t.Fatal(err)
	}
}

func (d *saftDay) until(what string, ok func(kiosk.View) bool) {
	d.t.Helper()
	untilView(d.t, d.co, what, 30*time.Second, ok)
}

func (d *saftDay) state(s kiosk.State) {
	d.t.Helper()
	d.until(s.String(), func(v kiosk.View) bool { return v.State == s })
}

// at moves the clock to hh:mm of the day, the kiosk idle.
func (d *saftDay) at(hh, mm int) {
	d.t.Helper()
	d.state(kiosk.Idle)
	d.clock.AdvanceTo(d.day.Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute))
}

// sell buys gtins, paid with card, staff approving the age check and the
// cabinet opened and closed when there is tobacco.
func (d *saftDay) sell(card string, gtins ...string) {
	d.t.Helper()
	var doors []int // the compartments the goods are taken from
	var total kiosk.Money
	for _, g := range gtins {
		p, err := d.db.Lookup(d.ctx, kiosk.MustGTIN(g))
		d.must(err)
		if p.Cabinet {
			doors = append(doors, p.Compartment)
		}
		total += p.Price
		d.must(d.co.Add(p.GTIN))
	}
	d.must(d.co.Pay())
	if len(doors) > 0 {
		_, err := d.staff.WaitRequest(d.ctx)
		d.must(err)
		d.must(d.staff.Approve("ola"))
	}
	_, err := d.term.WaitAuthorize(d.ctx)
	d.must(err)
	hooked := d.onAuthorize != nil
	if hooked {
		d.onAuthorize()
		d.onAuthorize = nil
	}
	d.must(d.term.Respond(kiosktest.Outcome{Result: kiosk.PaymentResult{Approved: true, Code: "00", CardType: card, ReceiptNo: "0042"}}))
	if len(doors) > 0 {
		d.state(kiosk.Releasing)
		for _, n := range doors {
			d.cab.SetDoor(n, true)
		}
		for _, n := range doors {
			d.cab.SetDoor(n, false)
		}
	}
	d.state(kiosk.Receipt)
	if hooked { // the printer failed meanwhile: its receipt is queued first
		d.until("the receipt not printed", func(v kiosk.View) bool { return v.Notice == kiosk.NoticeReceiptNotPrinted })
	}
	d.must(d.co.FinishReceipt())
	d.sales = append(d.sales, saftSale{card: card, total: total, gtins: gtins})
}

// training is a training sale of shelf goods (§ 2-8-7): training mode on,
// the sale approved by the kiosk itself (no terminal), training mode off.
func (d *saftDay) training(gtins ...string) {
	d.t.Helper()
	d.must(staffOverride(d.co, d.db, kiosk.Override{Kind: kiosk.OvTrainingMode, Reason: kiosk.ReasonTraining}))
	var total kiosk.Money
	for _, g := range gtins {
		p, err := d.db.Lookup(d.ctx, kiosk.MustGTIN(g))
		d.must(err)
		total += p.Price
		d.must(d.co.Add(p.GTIN))
	}
	d.must(d.co.Pay())
	d.state(kiosk.Receipt)
	d.must(d.co.FinishReceipt())
	d.must(staffOverride(d.co, d.db, kiosk.Override{Kind: kiosk.OvTrainingMode, Reason: kiosk.ReasonTraining}))
	d.sales = append(d.sales, saftSale{total: total, gtins: gtins, training: true})
}

// script is the test day: five sales (two with tobacco), a sale
// cancelled, a supervisor logging in and out, an X report, another sale,
// the Z report, and the kiosk stopped.
func (d *saftDay) script() {
	d.t.Helper()
	d.at(8, 15)
	d.sell("BankAxept", demoCola, demoChocolate)
	d.at(9, 30)
	d.sell("Visa", demoSnus, demoLighter)
	d.at(10, 5)
	d.must(d.co.Add(kiosk.MustGTIN(demoCola)))
	d.state(kiosk.Shopping)
	d.must(d.co.Cancel())
	d.at(10, 40)
	sup := DemoStaff()[1]
	d.co.StaffBadge(sup.Staff.Badge)
	d.must(d.co.StaffPIN(sup.PIN))
	d.co.StaffLogout()
	d.at(11, 20)
	d.sell("Mastercard", demoPaper, demoCola, demoCola)
	d.at(12, 0)
	d.sell("BankAxept", demoCigarettes, demoSnus)
	d.at(16, 0)
	d.must(staffOverride(d.co, d.db, kiosk.Override{Kind: kiosk.OvXReport}))
	d.at(16, 30)
	d.training(demoCola)
	d.at(17, 45)
	d.sell("", demoChocolate)
	d.at(21, 50)
	d.must(staffOverride(d.co, d.db, kiosk.Override{Kind: kiosk.OvZReport, Reason: kiosk.ReasonEndOfDay}))
	d.at(22, 0)
	d.close()
}

// The file, read back with encoding/xml: what the checks below need.
type xsFile struct {
	Header struct {
		StartDate       string `xml:"startDate"`
		EndDate         string `xml:"endDate"`
		SoftwareDesc    string `xml:"softwareDesc"`
		SoftwareVersion string `xml:"softwareVersion"`
		SoftwareCompany string `xml:"softwareCompanyName"`
		HeaderComment   string `xml:"headerComment"`
	} `xml:"header"`
	Company struct {
		CompanyIdent string `xml:"companyIdent"`
		CompanyName  string `xml:"companyName"`
		TaxRegIdent  string `xml:"taxRegIdent"`
		VATCodes     []struct {
			Code     string `xml:"vatCode"`
			Standard string `xml:"standardVatCode"`
		} `xml:"vatCodeDetails>vatCodeDetail"`
		Employees []struct {
			ID string `xml:"empID"`
		} `xml:"employees>employee"`
		Articles []struct {
			ID      string `xml:"artID"`
			GroupID string `xml:"artGroupID"`
		} `xml:"articles>article"`
		Basics []struct {
			Type       string `xml:"basicType"`
			ID         string `xml:"basicID"`
			Predefined string `xml:"predefinedBasicID"`
		} `xml:"basics>basic"`
		Locations []struct {
			Name      string       `xml:"name"`
			Registers []xsRegister `xml:"cashregister"`
		} `xml:"location"`
	} `xml:"company"`
}

type xsRegister struct {
	ID           string    `xml:"registerID"`
	Desc         string    `xml:"regDesc"`
	Events       []xsEvent `xml:"event"`
	Transactions []xsTx    `xml:"cashtransaction"`
}

type xsEvent struct {
	ID      string    `xml:"eventID"`
	Type    string    `xml:"eventType"`
	TransID string    `xml:"transID"`
	EmpID   string    `xml:"empID"`
	Date    string    `xml:"eventDate"`
	Time    string    `xml:"eventTime"`
	Text    string    `xml:"eventText"`
	Report  *xsReport `xml:"eventReport"`
}

type xsReport struct {
	ID         string `xml:"reportID"`
	Type       string `xml:"reportType"`
	RegisterID string `xml:"registerID"`
	TotalCash  string `xml:"reportTotalCashSales>totalCashSaleAmnt"`
	ArtGroups  []struct {
		ID  string `xml:"artGroupID"`
		Num string `xml:"artGroupNum"`
	} `xml:"reportArtGroups>reportArtGroup"`
	Payments []struct {
		Type string `xml:"paymentType"`
		Num  string `xml:"paymentNum"`
	} `xml:"reportPayments>reportPayment"`
	Receipts   string `xml:"reportReceiptNum"`
	Voids      string `xml:"reportVoidTransNum"`
	GrandSales string `xml:"reportGrandTotalSales"`
}

type xsTx struct {
	Nr         string `xml:"nr"`
	TransID    string `xml:"transID"`
	Type       string `xml:"transType"`
	AmountIn   string `xml:"transAmntIn"`
	AmountEx   string `xml:"transAmntEx"`
	Date       string `xml:"transDate"`
	Time       string `xml:"transTime"`
	Signature  string `xml:"signature"`
	KeyVersion string `xml:"keyVersion"`
	Receipts   string `xml:"receiptNum"`
	Training   string `xml:"trainingID"`
	Lines      []struct {
		ArtID   string `xml:"artID"`
		VATCode string `xml:"vat>vatCode"`
		VAT     string `xml:"vat>vatAmnt"`
	} `xml:"ctLine"`
	VAT []struct {
		Code   string `xml:"vatCode"`
		Amount string `xml:"vatAmnt"`
	} `xml:"vat"`
	Payments []struct {
		Type   string `xml:"paymentType"`
		Amount string `xml:"paidAmnt"`
	} `xml:"payment"`
}

func saftExportCmd(args ...string) (string, int) {
	var out, errOut bytes.Buffer
	code := Main(append([]string{"saft", "export"}, args...), &out, &errOut)
	return out.String() + errOut.String(), code
}

// schemaFile is the official XSD (kiosk/saft keeps a copy).
var schemaFile = filepath.Join("..", "kiosk", "saft", "testdata", "Norwegian_SAF-T_Cash_Register_Schema_v_1.00.xsd")

// xmllint validates file against the official XSD. Without xmllint the
// check is skipped, except in CI (as kiosk/saft's schema tests).
func xmllintCheck(tb testing.TB, file string) {
	tb.Helper()
	lint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("xmllint not found and CI is set: install libxml2-utils (make deps) to validate against the SAF-T schema")
		}
		tb.Logf("xmllint not found: the export is not validated against the SAF-T schema; install libxml2-utils (make deps)")
		return
	}
	if out, err := exec.Command(lint, "--noout", "--nonet", "--schema", schemaFile, file).CombinedOutput(); err != nil {
		tb.Errorf("xmllint refuses the export: %v\n%s", err, out)
	}
}

// exportedFile is the one file in dir, checked for its name.
func exportedFile(tb testing.TB, dir string) string {
	tb.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	if len(es) != 1 {
		tb.Fatalf("%s holds %d files; want the one export (no temporary file left)", dir, len(es))
	}
	name := es[0].Name()
	if !regexp.MustCompile(`^SAF-T Cash Register_999999999_20\d{12}_1_1\.xml$`).MatchString(name) {
		tb.Errorf("file name %q is not SAF-T Cash Register_<org no>_<YYYYMMDDhhmmss>_1_1.xml", name)
	}
	if fi, err := es[0].Info(); err != nil || fi.Mode().Perm() != 0o644 {
		tb.Errorf("file mode %v, %v; want 0644", fi.Mode(), err)
	}
	return filepath.Join(dir, name)
}

func readSAFT(tb testing.TB, path string) xsFile {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var f xsFile
	if err := xml.Unmarshal(b, &f); err != nil {
		tb.Fatal(err)
	}
	return f
}

// TestSAFTExportDay exports the scripted day and checks the file against
// the schema, every signature against the public keys, its content
// against the journal, and its name.
func TestSAFTExportDay(t *testing.T) {
	d := mustSAFTDay(t)
	d.script()
	out := t.TempDir()
	date := d.day.Format(time.DateOnly)
	start := time.Now()
	msg, code := saftExportCmd("--data", d.dir, "--from", date, "--to", date, "--out", out)
	took := time.Since(start)
	if code != 0 {
		t.Fatalf("saft export = %d\n%s", code, msg)
	}
	t.Logf("export of the day (%d sales) took %v:\n%s", len(d.sales), took, msg)
	path := exportedFile(t, out)
	if !strings.Contains(msg, path) || !strings.Contains(msg, fmt.Sprintf("%d cash transactions", len(d.sales))) {
		t.Errorf("the command says:\n%s", msg)
	}
	xmllintCheck(t, path)
	f := readSAFT(t, path)

	// Header and company.
	id, err := readSystemID(d.dir)
	if err != nil {
		t.Fatal(err)
	}
	h := f.Header
	if h.StartDate != date || h.EndDate != date || h.SoftwareDesc != "Selvkasse" || h.SoftwareCompany != "Selvkasse" ||
		h.SoftwareVersion != softwareVersion() || !strings.HasPrefix(h.HeaderComment, "System ID: "+id+"; ") {
		t.Errorf("header %+v; want the day, Selvkasse %s, system id %s", h, softwareVersion(), id)
	}
	c := f.Company
	if c.CompanyIdent != "999999999" || c.CompanyName != DemoShop.Name || c.TaxRegIdent != "999999999MVA" {
		t.Errorf("company %s %q %s", c.CompanyIdent, c.CompanyName, c.TaxRegIdent)
	}
	basics := map[string]string{}
	for _, b := range c.Basics {
		basics[b.ID] = b.Type + "/" + b.Predefined
	}
	for id, want := range map[string]string{
		"04013": "04/04013", "04011": "04/04011", "04006": "04/04006", "04003": "04/04003", "04014": "04/04014",
		"11001": "11/11001", "SALE": "05/",
		"card-BankAxept": "12/12002", "card-Visa": "12/12003", "card-Mastercard": "12/12003", "card-Kort": "12/12999",
		"13001": "13/13001", "13002": "13/13002", "13003": "13/13003", "13004": "13/13004", "13008": "13/13008", "13009": "13/13009",
		"sale-cancelled": "13/13999", "age-approved": "13/13999", "override": "13/13999", "terminal-end-of-day": "13/13999",
		"staff-added": "13/13999", "signing-key-created": "13/13999", "system-id-created": "13/13999",
	} {
		if basics[id] != want {
			t.Errorf("basic %s is %q; want %q", id, basics[id], want)
		}
	}
	emps := map[string]bool{}
	for _, e := range c.Employees {
		emps[e.ID] = true
	}
	if !emps["ola"] || !emps["kari"] {
		t.Errorf("employees %+v; want the staff register", c.Employees)
	}
	arts := map[string]string{}
	for _, a := range c.Articles {
		arts[a.ID] = a.GroupID
	}
	if arts[demoSnus] != "04013" || arts[demoCigarettes] != "04013" || arts[demoPaper] != "04003" || len(arts) != 6 {
		t.Errorf("articles %v; want the 6 products sold, tobacco in 04013", arts)
	}
	vats := map[string]string{}
	for _, v := range c.VATCodes {
		vats[v.Code] = v.Standard
	}
	if len(vats) != 3 || vats["3"] != "3" || vats["31"] != "31" || vats["5"] != "5" {
		t.Errorf("VAT codes %v; want 25, 15 and 0 %%", vats)
	}
	if len(c.Locations) != 1 || len(c.Locations[0].Registers) != 1 || c.Locations[0].Registers[0].ID != "K1" {
		t.Fatalf("locations %+v; want one register K1", c.Locations)
	}
	reg := c.Locations[0].Registers[0]

	// Every signature, from the file and the public keys alone.
	keys, err := signing.ReadPublicKeys(d.dir)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`previousSignature (\S+)$`).FindStringSubmatch(reg.Desc)
	if m == nil || m[1] != "0" {
		t.Fatalf("regDesc %q; want the previousSignature 0 of the kiosk's first transaction", reg.Desc)
	}
	if len(reg.Transactions) != len(d.sales) {
		t.Fatalf("%d cash transactions; want %d", len(reg.Transactions), len(d.sales))
	}
	prev := m[1]
	for i, tx := range reg.Transactions {
		data := strings.Join([]string{prev, tx.Date, tx.Time, tx.Nr, tx.AmountIn, tx.AmountEx}, ";")
		at, err := time.ParseInLocation(time.DateTime, tx.Date+" "+tx.Time, d.zone)
		d.must(err)
		in, err := kiosk.ParseMoney(tx.AmountIn)
		d.must(err)
		ex, err := kiosk.ParseMoney(tx.AmountEx)
		d.must(err)
		viaSAFT, err := saft.SignatureData(prev, saft.CashTransaction{Nr: tx.Nr, Time: at, AmountIn: in, AmountEx: ex}, d.zone)
		if err != nil || viaSAFT != data {
			t.Errorf("transaction %s: saft.SignatureData = %q, %v; the file's text is %q", tx.Nr, viaSAFT, err, data)
		}
		v, err := kiosk.ParseKeyVersion(tx.KeyVersion)
		d.must(err)
		if err := keys.Verify(data, tx.Signature, v); err != nil {
			t.Errorf("transaction %s: signature over %q does not verify: %v", tx.Nr, data, err)
		}
		// The check can fail: one øre more does not verify.
		if i == 0 {
			bad := strings.Join([]string{prev, tx.Date, tx.Time, tx.Nr, (in + 1).Decimal(), tx.AmountEx}, ";")
			if err := keys.Verify(bad, tx.Signature, v); err == nil {
				t.Error("a changed amount verifies")
			}
		}
		prev = tx.Signature

		s := d.sales[i]
		if tx.Nr != strconv.Itoa(i+1) || tx.TransID != tx.Nr || tx.Type != "11001" || in != s.total ||
			len(tx.Lines) != distinct(s.gtins) || len(tx.Payments) != 1 || tx.Payments[0].Amount != s.total.Decimal() ||
			tx.Receipts != "1" || tx.Date != date {
			t.Errorf("transaction %d: %+v; want receipt %d of %s with %d lines", i+1, tx, i+1, s.total, distinct(s.gtins))
		}
		want, training := "card-"+orDefault(s.card, "Kort"), "false"
		if s.training {
			want, training = "training", "true"
		}
		if tx.Payments[0].Type != want || tx.Training != training {
			t.Errorf("transaction %s paid by %s, trainingID %s; want %s, %s", tx.Nr, tx.Payments[0].Type, tx.Training, want, training)
		}
		// The lines' VAT adds up to the transaction's, per code.
		lineVAT := map[string]kiosk.Money{}
		for _, l := range tx.Lines {
			a, err := kiosk.ParseMoney(l.VAT)
			d.must(err)
			lineVAT[l.VATCode] += a
		}
		for _, v := range tx.VAT {
			if a, _ := kiosk.ParseMoney(v.Amount); lineVAT[v.Code] != a {
				t.Errorf("transaction %s: the lines' VAT at code %s is %v, the transaction's %v", tx.Nr, v.Code, lineVAT[v.Code], a)
			}
		}
	}

	// The file holds the journal's transactions as journaled, and every
	// other record of the day as an event.
	db, err := storage.Open(d.dir, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var txs []kiosk.CashTx
	events := map[string]kiosk.Record{}
	d.must(db.Scan(d.ctx, 0, func(r kiosk.Record) error {
		switch {
		case r.Time.Before(d.day) || !r.Time.Before(d.day.AddDate(0, 0, 1)):
		case r.Code == kiosk.CodeCashSale:
			txs = append(txs, *r.Tx)
		default:
			events[strconv.FormatUint(r.Seq, 10)] = r
		}
		return nil
	}))
	for i, tx := range txs {
		x := reg.Transactions[i]
		if x.Signature != tx.Signature || x.KeyVersion != tx.KeyVersion.String() || x.AmountIn != tx.AmountIn.Decimal() ||
			x.AmountEx != tx.AmountEx.Decimal() || x.Time != tx.Time.In(d.zone).Format(time.TimeOnly) {
			t.Errorf("transaction %d differs from its journal record: %+v", i+1, x)
		}
	}
	if len(reg.Events) != len(events) {
		t.Errorf("%d events; the journal has %d other records that day", len(reg.Events), len(events))
	}
	var xr, zr *xsEvent
	seen := map[string]int{}
	for i, e := range reg.Events {
		r, ok := events[e.ID]
		if !ok {
			t.Errorf("event %s is no journal record of the day", e.ID)
			continue
		}
		if e.Time != r.Time.In(d.zone).Format(time.TimeOnly) || (r.Text != "" && !strings.HasPrefix(e.Text, strings.TrimRight(r.Text, "\n"))) {
			t.Errorf("event %s: %s %q; the record: %s %q", e.ID, e.Time, e.Text, r.Time, r.Text)
		}
		seen[e.Type]++
		switch e.Type {
		case "13008":
			xr = &reg.Events[i]
		case "13009":
			zr = &reg.Events[i]
		case "13003":
			if e.EmpID != "kari" {
				t.Errorf("log-in event %s names employee %q; want kari", e.ID, e.EmpID)
			}
		case "age-approved":
			if e.EmpID != "ola" || (e.TransID != "2" && e.TransID != "4") {
				t.Errorf("age check %s: employee %q, transaction %q; want ola and sale 2 or 4", e.ID, e.EmpID, e.TransID)
			}
		case "sale-cancelled":
			if e.TransID != "" || !strings.Contains(e.Text, "amount: 32.90") {
				t.Errorf("the cancelled sale's event %+v; want no transaction, its amount", e)
			}
		}
	}
	// Log-ins: the supervisor at 10:40, for the X report, training mode
	// on and off, and the Z report.
	for typ, n := range map[string]int{"13001": 1, "13002": 1, "13003": 5, "13004": 5, "13008": 1, "13009": 1, "sale-cancelled": 1, "age-approved": 2,
		"13023": 1, "13017": 1, "13024": 1} {
		if seen[typ] != n {
			t.Errorf("%d events of %s; want %d (all: %v)", seen[typ], typ, n, seen)
		}
	}
	if xr == nil || zr == nil || xr.Report == nil || zr.Report == nil {
		t.Fatalf("X and Z report events with their reports: %+v %+v", xr, zr)
	}
	if r := xr.Report; r.Type != "X report" || r.Receipts != "4" || r.RegisterID != "K1" ||
		r.TotalCash != sum(d.sales[:4]).Decimal() || r.Voids != "1" || xr.EmpID != "kari" {
		t.Errorf("X report %+v", r)
	}
	// The training sale is in neither the receipts nor the totals.
	var real []saftSale
	for _, s := range d.sales {
		if !s.training {
			real = append(real, s)
		}
	}
	r := zr.Report
	if r.Type != "Z report" || r.Receipts != "5" || r.GrandSales != sum(real).Decimal() ||
		r.TotalCash != sum(real).Decimal() || !strings.HasPrefix(r.ID, "Z1-") {
		t.Errorf("Z report %+v", r)
	}
	groups := map[string]string{}
	for _, g := range r.ArtGroups {
		groups[g.ID] = g.Num
	}
	if groups["04013"] != "3" || len(groups) != 5 {
		t.Errorf("Z report's article groups %+v; want 3 tobacco items among 5 groups", r.ArtGroups)
	}
	pays := map[string]string{}
	for _, p := range r.Payments {
		pays[p.Type] = p.Num
	}
	if pays["card-BankAxept"] != "2" || pays["card-Visa"] != "1" || pays["card-Mastercard"] != "1" || pays["card-Kort"] != "1" {
		t.Errorf("Z report's payments %+v", r.Payments)
	}
	if !strings.Contains(zr.Text, "Z-RAPPORT nr. 1") || strings.Contains(zr.Text, `"grand_sales"`) {
		t.Errorf("the Z report's event text is not its printed text:\n%s", zr.Text)
	}
}

func sum(s []saftSale) kiosk.Money {
	var m kiosk.Money
	for _, x := range s {
		m += x.total
	}
	return m
}

// distinct is how many basket lines gtins make: one per product.
func distinct(gtins []string) int {
	seen := map[string]bool{}
	for _, g := range gtins {
		seen[g] = true
	}
	return len(seen)
}

// saftConfig writes a configuration naming dir's shop and kiosk K1.
func saftConfig(t *testing.T, dir string, shop kiosk.Shop) string {
	t.Helper()
	b, err := json.Marshal(Config{KioskID: "K1", Shop: shop, DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

var testShop = kiosk.Shop{Name: "Tobakk & Kiosk Storgata AS", OrgNo: "999 999 999", Address: "Storgata 12B, 0155 Oslo"}

// TestSAFTExportEmptyRange: days without records give a valid file with
// the master data and no transactions, and say so.
func TestSAFTExportEmptyRange(t *testing.T) {
	dir := t.TempDir()
	reportSales(t, dir, false, "K1")
	out := t.TempDir()
	msg, code := saftExportCmd("--config", saftConfig(t, dir, testShop), "--from", "2020-01-01", "--to", "2020-01-31", "--out", out)
	if code != 0 || !strings.Contains(msg, "0 cash transactions and 0 events") || !strings.Contains(msg, "note: the journal has no cash transactions") {
		t.Fatalf("saft export of an empty range = %d\n%s", code, msg)
	}
	path := exportedFile(t, out)
	xmllintCheck(t, path)
	f := readSAFT(t, path)
	if f.Header.StartDate != "2020-01-01" || f.Header.EndDate != "2020-01-31" || f.Company.CompanyName != testShop.Name ||
		len(f.Company.Locations) != 1 || len(f.Company.Locations[0].Registers) != 1 || len(f.Company.Locations[0].Registers[0].Transactions) != 0 {
		t.Errorf("empty export: %+v", f)
	}
}

// TestSAFTExportRefuses: usage errors for bad dates and ranges; a data
// dir without a store, a missing out dir, a data dir the kiosk holds, a
// data dir not the demo's without --config and a bad organisation number
// are errors that leave nothing behind.
func TestSAFTExportRefuses(t *testing.T) {
	for _, args := range [][]string{
		{"--data", "d", "--from", "2026-03-12", "--to", "2026-03-11", "--out", "o"},
		{"--data", "d", "--from", "2026-13-01", "--to", "2026-03-12", "--out", "o"},
		{"--data", "d", "--from", "12.03.2026", "--to", "2026-03-12", "--out", "o"},
		{"--data", "d", "--from", "2026-03-12", "--to", "2026-03-12"},
		{"--data", "d", "--to", "2026-03-12", "--out", "o"},
		{"--from", "2026-03-12", "--to", "2026-03-12", "--out", "o"},
		{"--data", "d", "--from", "2026-03-12", "--to", "2026-03-12", "--out", "o", "extra"},
		{"--bogus"},
	} {
		if msg, code := saftExportCmd(args...); code != 2 {
			t.Errorf("saft export %q = %d, want 2 (usage)\n%s", args, code, msg)
		}
	}
	if code := Main([]string{"saft", "import"}, io.Discard, io.Discard); code != 2 {
		t.Errorf("saft import = %d, want 2", code)
	}

	day := []string{"--from", "2026-03-12", "--to", "2026-03-12"}
	run := func(args ...string) (string, int) { return saftExportCmd(append(args, day...)...) }
	out := t.TempDir()
	empty := t.TempDir()
	missing := filepath.Join(t.TempDir(), "typo")
	for name, data := range map[string]string{"an empty dir": empty, "a missing dir": missing} {
		if msg, code := run("--data", data, "--out", out); code != 1 || !strings.Contains(msg, "holds no journal") {
			t.Errorf("%s: saft export = %d\n%s", name, code, msg)
		}
	}
	if es, _ := os.ReadDir(empty); len(es) != 0 {
		t.Errorf("saft export wrote into the empty dir: %v", es)
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Error("saft export made the missing data dir")
	}

	dir := t.TempDir()
	reportSales(t, dir, false, "K1")
	if msg, code := run("--data", dir, "--out", missing); code != 1 || !strings.Contains(msg, "give an existing directory") {
		t.Errorf("a missing --out = %d\n%s", code, msg)
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Error("saft export made the missing out dir")
	}
	if msg, code := run("--data", dir, "--out", out); code != 1 || !strings.Contains(msg, "give --config FILE") {
		t.Errorf("a data dir not the demo's without --config = %d\n%s", code, msg)
	}
	bad := testShop
	bad.OrgNo = "999 999 998"
	if msg, code := run("--config", saftConfig(t, dir, bad), "--out", out); code != 1 || !strings.Contains(msg, "check digit") {
		t.Errorf("a bad organisation number = %d\n%s", code, msg)
	}
	noOrg := testShop
	noOrg.OrgNo = ""
	if msg, code := run("--config", saftConfig(t, dir, noOrg), "--out", out); code != 1 || !strings.Contains(msg, "org_no") {
		t.Errorf("no organisation number = %d\n%s", code, msg)
	}
	mustOpenData(t, dir) // the kiosk runs on it
	if msg, code := run("--config", saftConfig(t, dir, testShop), "--out", out); code != 1 || !strings.Contains(msg, "stop it first") {
		t.Errorf("with the kiosk running = %d\n%s", code, msg)
	}
	if es, _ := os.ReadDir(out); len(es) != 0 {
		t.Errorf("refused exports left files: %v", es)
	}
	if _, err := os.Stat(filepath.Join(dir, systemIDFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused export made a system id: %v", err)
	}
}

// fakeJournal is a journal and staff register in memory.
type fakeJournal struct {
	records []kiosk.Record
	staff   []kiosk.Staff
}

func (f *fakeJournal) add(e kiosk.Entry) {
	var prev kiosk.Record
	if n := len(f.records); n > 0 {
		prev = f.records[n-1]
	}
	r, err := kiosk.Seal(prev, e)
	if err != nil {
		panic(err)
	}
	f.records = append(f.records, r)
}

func (f *fakeJournal) Scan(_ context.Context, from uint64, fn func(kiosk.Record) error) error {
	for _, r := range f.records {
		if r.Seq >= from {
			if err := fn(r); err != nil {
				return err
			}
		}
	}
	return nil
}

func (f *fakeJournal) ListStaff(context.Context) ([]kiosk.Staff, error) { return f.staff, nil }

// fakeTx is a cash transaction of kioskID, receipt nr, at, of gtin
// lines, "signed" with sig (the mapping copies signatures, it does not
// check them).
func fakeTx(kioskID string, nr uint64, at time.Time, sig string, lines ...kiosk.TxLine) kiosk.Entry {
	tx := kiosk.CashTx{Nr: nr, Time: at.UTC(), Lines: lines, Signature: sig, KeyVersion: 1}
	gross := map[kiosk.VATRate]kiosk.Money{}
	for _, l := range lines {
		gross[l.VAT] += l.Amount
		tx.AmountIn += l.Amount
	}
	for _, v := range kiosk.VATBreakdown(gross) {
		tx.VAT = append(tx.VAT, kiosk.TxVAT{Rate: v.Rate, Gross: v.Gross, Net: v.Net, VAT: v.VAT})
		tx.AmountEx += v.Net
	}
	tx.Payment = kiosk.TxPayment{Method: "card", Amount: tx.AmountIn, Card: "Visa Debit"}
	return kiosk.Entry{Code: kiosk.CodeCashSale, Time: at, Kiosk: kioskID, SaleID: fmt.Sprintf("%s-%d", kioskID, nr), ReceiptNo: nr, Amount: tx.AmountIn, Tx: &tx}
}

func line(gtin string, g kiosk.Group, vat kiosk.VATRate, price kiosk.Money, qty int) kiosk.TxLine {
	return kiosk.TxLine{GTIN: kiosk.MustGTIN(gtin), Name: "item " + gtin, Group: g, VAT: vat, Price: price, Qty: qty, Amount: price * kiosk.Money(qty)}
}

// TestSAFTMapping: the chain's previous signature across days, records
// that name no kiosk, two kiosks, a sale from before sales were signed,
// an unreadable report, the lines' VAT, and the staff register.
func TestSAFTMapping(t *testing.T) {
	zone, err := signingZone()
	if err != nil {
		t.Skip(err)
	}
	day1 := time.Date(2026, 6, 1, 0, 0, 0, 0, zone)
	day2 := day1.AddDate(0, 0, 1)
	h := func(d time.Time, hh int) time.Time { return d.Add(time.Duration(hh) * time.Hour) }
	f := &fakeJournal{staff: []kiosk.Staff{
		{ID: "kari", Name: "Kari Nordmann", Role: kiosk.RoleSupervisor, Active: true},
		{ID: "per", Name: "Per", Role: kiosk.RoleClerk},
	}}
	f.add(kiosk.StaffEntry(kiosk.SubStaffAdded, f.staff[0], h(day1, 7), "root"))
	f.add(kiosk.Entry{Code: kiosk.CodeCashSale, Time: h(day1, 8), Kiosk: "K1", SaleID: "old", ReceiptNo: 1, Amount: 4990})
	f.add(fakeTx("K1", 2, h(day1, 9), "SIG-K1-2", line("7039990000014", kiosk.GroupTobacco, kiosk.VAT25, 12900, 1)))
	f.add(fakeTx("K2", 1, h(day1, 10), "SIG-K2-1", line("7039990000113", kiosk.GroupSoftDrink, kiosk.VAT15, 3290, 1)))
	// Day 2: three lines at 15 % whose VAT rounds differently one by one
	// than together.
	f.add(fakeTx("K1", 3, h(day2, 9), "SIG-K1-3",
		line("7039990000113", kiosk.GroupSoftDrink, kiosk.VAT15, 1001, 1),
		line("7039990000120", kiosk.GroupSoftDrink, kiosk.VAT15, 1001, 1),
		line("7039990000168", kiosk.GroupFood, kiosk.VAT15, 1001, 1)))
	f.add(kiosk.Entry{Code: kiosk.CodeOther, Subtype: kiosk.SubStaffDisabled, Time: h(day2, 10), Text: "staff per disabled",
		Data: map[string]string{"staff": "per", "by": "root"}})
	f.add(kiosk.Entry{Code: kiosk.CodeXReport, Time: h(day2, 11), Kiosk: "K2", Text: "X-RAPPORT", Data: map[string]string{"report": "{broken", "by": "kari"}})
	f.add(kiosk.Entry{Code: kiosk.CodeOther, Subtype: "Not An Own Code", Time: h(day2, 12), Kiosk: "K2", Text: strings.Repeat("x", 12000)})

	export := func(from, to time.Time, kioskID string) saftResult {
		t.Helper()
		sc, err := scanJournal(context.Background(), f, from, to.AddDate(0, 0, 1))
		if err != nil {
			t.Fatal(err)
		}
		res, err := buildSAFT(sc, f.staff, saftExport{Shop: testShop, KioskID: kioskID, From: from, To: to,
			Created: h(day2, 23), SystemID: strings.Repeat("0f", 16), Zone: zone})
		if err != nil {
			t.Fatal(err)
		}
		if err := res.Doc.Validate(); err != nil {
			t.Fatalf("the mapped document does not validate: %v", err)
		}
		return res
	}
	regs := func(res saftResult) map[string]saft.Register {
		out := map[string]saft.Register{}
		for _, r := range res.Doc.Locations[0].Registers {
			out[r.ID] = r
		}
		return out
	}

	// Day 2 alone: K1's chain continues from day 1's signature.
	res := export(day2, day2, "")
	r := regs(res)
	if len(r) != 3 || !strings.HasSuffix(r["K1"].Desc, "previousSignature SIG-K1-2") || len(r["K1"].Transactions) != 1 {
		t.Fatalf("day 2: registers %v; K1 %q", res.Registers, r["K1"].Desc)
	}
	if sys := r[systemRegister]; len(sys.Events) != 1 || sys.Events[0].EmpID != "per" || !strings.Contains(sys.Desc, "name no kiosk") {
		t.Errorf("the staff register's record: %+v", sys)
	}
	tx := r["K1"].Transactions[0]
	var sum kiosk.Money
	for _, l := range tx.Lines {
		sum += l.VAT.Amount
		if l.AmountEx+l.VAT.Amount != l.AmountIn {
			t.Errorf("line %+v: ex + VAT != in", l)
		}
	}
	if sum != tx.VAT[0].Amount || kiosk.VATOf(1001, kiosk.VAT15)*3 == tx.VAT[0].Amount {
		t.Errorf("the lines' VAT %v; the transaction's %v (the case must round differently line by line)", sum, tx.VAT[0].Amount)
	}
	if tx.Payments[0].Type != "card-Visa Debit" {
		t.Errorf("payment type %q", tx.Payments[0].Type)
	}
	k2 := r["K2"].Events
	if len(k2) != 2 || k2[0].Report != nil || k2[0].EmpID != "kari" || k2[1].Type != "13999" ||
		utf8.RuneCountInString(k2[1].Text) != maxEventText || !strings.HasSuffix(k2[1].Text, "[…]") {
		t.Errorf("K2's events: %+v", k2)
	}
	if len(res.Notes) != 2 || !strings.Contains(res.Notes[0], "cannot be read") || !strings.Contains(res.Notes[1], "shortened") {
		t.Errorf("notes %q", res.Notes)
	}
	var emps []string
	for _, e := range res.Doc.Employees {
		emps = append(emps, fmt.Sprintf("%s %s/%s %s %s", e.ID, e.FirstName, e.Surname, e.Since.In(zone).Format(time.DateTime), e.Roles[0].Desc))
	}
	if want := []string{
		"kari Kari/Nordmann 2026-06-01 07:00:00 Money decisions, staff register, X and Z reports",
		"per /Per 2026-06-02 00:00:00 Age checks and help at the kiosk, X report (disabled in the staff register)",
	}; !slices.Equal(emps, want) {
		t.Errorf("employees\n%q\nwant\n%q", emps, want)
	}

	// Both days, the configured kiosk K2: the kiosk-less records go to it,
	// the chains start at 0, the unsigned sale is an event.
	res = export(day1, day2, "K2")
	r = regs(res)
	if len(r) != 2 || !strings.HasSuffix(r["K1"].Desc, "previousSignature 0") || !strings.HasSuffix(r["K2"].Desc, "previousSignature 0") {
		t.Fatalf("both days: %v", res.Registers)
	}
	if len(r["K1"].Transactions) != 2 || len(r["K1"].Events) != 1 || r["K1"].Events[0].Type != saleUnsigned ||
		!strings.Contains(r["K1"].Events[0].Text, "receipt: 1; amount: 49.90") {
		t.Errorf("K1: %+v", r["K1"])
	}
	if len(r["K2"].Events) != 4 { // staff added, staff disabled, X, the other
		t.Errorf("K2's events: %+v", r["K2"].Events)
	}
	if !slices.ContainsFunc(res.Notes, func(n string) bool { return strings.Contains(n, "1 sales were journaled before") }) {
		t.Errorf("notes %q", res.Notes)
	}
}

// TestSAFTPant: a sale's pant is a line of its own after its goods, of
// the one article PANT, in the goods' group (two groups here) and at
// their rate; the file validates against the SAF-T schema.
func TestSAFTPant(t *testing.T) {
	zone, err := signingZone()
	if err != nil {
		t.Skip(err)
	}
	day := time.Date(2026, 12, 4, 0, 0, 0, 0, zone)
	can := kiosk.Product{GTIN: kiosk.MustGTIN("7039990000175"), Name: "Solo 0,33 l boks", Group: kiosk.GroupSoftDrink, VAT: kiosk.VAT15, Price: 2490, Deposit: 200, Stock: 9}
	coffee := kiosk.Product{GTIN: kiosk.MustGTIN("7039990000182"), Name: "Iskaffe 0,25 l flaske", Group: kiosk.GroupFood, VAT: kiosk.VAT15, Price: 3490, Deposit: 200, Stock: 9}
	f := &fakeJournal{}
	for i, ps := range [][]kiosk.Product{{can, can}, {coffee}} {
		var b kiosk.Basket
		for _, p := range ps {
			if err := b.Add(p); err != nil {
				t.Fatal(err)
			}
		}
		at := day.Add(time.Duration(9+i) * time.Hour)
		s := kiosk.NewSale(kiosk.PendingSale{ID: fmt.Sprintf("K1-%d", i), Kiosk: "K1", Lines: b.Lines, Amount: b.Total(),
			Result: &kiosk.PaymentResult{Approved: true, CardType: "Visa"}}, at)
		s.No = uint64(i + 1)
		tx := kiosk.NewCashTx(s)
		tx.Signature, tx.KeyVersion = fmt.Sprintf("SIG-%d", i), 1
		f.add(kiosk.Entry{Code: kiosk.CodeCashSale, Time: at, Kiosk: "K1", SaleID: s.ID, ReceiptNo: s.No, Amount: s.Total, Tx: &tx})
	}
	sc, err := scanJournal(context.Background(), f, day, day.AddDate(0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	res, err := buildSAFT(sc, nil, saftExport{Shop: testShop, From: day, To: day, Created: day.Add(23 * time.Hour),
		SystemID: strings.Repeat("0f", 16), Zone: zone})
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Doc.Validate(); err != nil {
		t.Fatalf("the mapped document does not validate: %v", err)
	}
	txs := res.Doc.Locations[0].Registers[0].Transactions
	if len(txs) != 2 || len(txs[0].Lines) != 2 || len(txs[1].Lines) != 2 || txs[0].Lines[0].GroupID == txs[1].Lines[0].GroupID {
		t.Fatalf("transactions %+v", txs)
	}
	for i, want := range []struct {
		group   string
		rate    kiosk.VATRate
		in      kiosk.Money
		perUnit kiosk.Money
	}{{txs[0].Lines[0].GroupID, kiosk.VAT15, 400, 200}, {txs[1].Lines[0].GroupID, kiosk.VAT15, 200, 200}} {
		l := txs[i].Lines[1]
		if l.ArtID != pantArticle || l.GroupID != want.group || l.VAT.Rate != want.rate || l.AmountIn != want.in || l.UnitPrice != want.perUnit ||
			l.AmountEx+l.VAT.Amount != l.AmountIn {
			t.Errorf("transaction %d's pant line %+v", i+1, l)
		}
	}
	var pants int
	for _, a := range res.Doc.Articles {
		if a.ID == pantArticle {
			pants++
		}
	}
	if pants != 1 {
		t.Errorf("%d PANT articles in %+v", pants, res.Doc.Articles)
	}
	file := filepath.Join(t.TempDir(), "pant.xml")
	var buf bytes.Buffer
	if err := saft.Encode(&buf, res.Doc); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	xmllintCheck(t, file)
}

func TestParseShopAddress(t *testing.T) {
	for in, want := range map[string]*saft.Address{
		"":                              nil,
		"Karl Johans gate 1, 0154 Oslo": {Street: "Karl Johans gate", Number: "1", PostalCode: "0154", City: "Oslo", Country: "NO"},
		"Storgata 12B, 0155 Oslo":       {Street: "Storgata", Number: "12B", PostalCode: "0155", City: "Oslo", Country: "NO"},
		"Torget, 9008 Tromsø":           {Street: "Torget", PostalCode: "9008", City: "Tromsø", Country: "NO"},
		"Kiosken på brygga":             {Street: "Kiosken på brygga", Country: "NO"},
	} {
		got := parseShopAddress(in)
		if (got == nil) != (want == nil) || got != nil && *got != *want {
			t.Errorf("parseShopAddress(%q) = %+v; want %+v", in, got, want)
		}
	}
}

func TestCardBasic(t *testing.T) {
	m := &saftMapper{basics: map[string]saft.Basic{}, cards: map[string]string{}}
	for card, want := range map[string]string{
		"BankAxept": "card-BankAxept 12002", "Visa": "card-Visa 12003", "VISA DEBIT": "card-VISA DEBIT 12002",
		"MasterCard": "card-MasterCard 12003", "American Express": "card-American Express 12003", "": "card-Kort 12999",
		"Vipps": "card-Vipps 12999",
	} {
		id := m.cardBasic(card)
		if got := id + " " + m.basics[id].Predefined; got != want {
			t.Errorf("cardBasic(%q) = %s; want %s", card, got, want)
		}
	}
	// A name too long for a basicID is numbered; a number taken gets more.
	m = &saftMapper{basics: map[string]saft.Basic{"card-1": {}}, cards: map[string]string{}}
	if id := m.cardBasic(strings.Repeat("L", 40)); id != "card-1+" || m.cardBasic(strings.Repeat("L", 40)) != id {
		t.Errorf("a long card name: %q", id)
	}
}
