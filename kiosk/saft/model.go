package saft

import (
	"fmt"
	"time"

	"selvkasse/kiosk"
)

// Doc is one SAF-T Cash Register audit file: what the export needs, in the
// kiosk's own terms (money in øre, times as time.Time). Encode turns it
// into the XML the schema asks for; Validate says what is wrong with it.
//
// Own codes (eventType, transType, lineType, paymentType, artGroupID) are
// basicIDs that must be declared once in Basics; empID, artID and vatCode
// must name an entry of Employees, Articles and VATCodes.
type Doc struct {
	Header  Header
	Company Company

	VATCodes  []VATCode  // company/vatCodeDetails
	Periods   []Period   // company/periods: accounting periods named by CashTransaction.Period
	Employees []Employee // company/employees
	Articles  []Article  // company/articles
	Basics    []Basic    // company/basics: every own code used in the file
	Locations []Location // company/location: the shop and its cash registers

	// Zone is where dates and times are written: the schema's xsd:date and
	// xsd:time carry no zone, and the signature guideline signs local
	// Norwegian time. Nil means Europe/Oslo; Encode fails if that zone is
	// not on the system rather than writing times in another zone.
	Zone *time.Location
}

// Header is auditfile/header.
type Header struct {
	// Start and End are the first and last day the file covers
	// (startDate, endDate; fiscalYear is derived from them).
	Start, End time.Time
	// Created is when the file was made (dateCreated, timeCreated, and the
	// file name's time stamp).
	Created time.Time

	SoftwareDesc    string // softwareDesc: the system's name, e.g. "Selvkasse"
	SoftwareVersion string // softwareVersion
	SoftwareCompany string // softwareCompanyName: who makes the system
	// SystemID is the cash register system's unique id (product
	// declaration). The header has no element of its own for it: it is
	// written first in headerComment as "System ID: <id>".
	SystemID string
	Comment  string // more headerComment text, e.g. the selection made
	UserID   string // userID: who made the export (an empID), optional
}

// Company is the company the data belongs to (auditfile/company).
type Company struct {
	OrgNo string // companyIdent: the organisasjonsnummer, 9 digits (spaces are dropped)
	Name  string // companyName
	// VATNo is taxRegIdent, the VAT registration ("999999999MVA"); with it
	// taxRegistrationCountry is written as NO. Empty: not VAT registered.
	VATNo   string
	Street  *Address // streetAddress
	Postal  *Address // postalAddress (city and postal code required)
	Country string   // of both addresses when theirs is empty; "NO" if empty
}

// Address is a street or postal address.
type Address struct {
	Street     string // streetname
	Number     string
	Additional string // additionalAddressDetails
	City       string
	PostalCode string
	Region     string
	Country    string // ISO 3166-1 alpha-2; empty: the company's
}

// VATCode is company/vatCodeDetails/vatCodeDetail: an own VAT code and the
// standard VAT code (Standard_Tax_Codes.csv) it stands for.
type VATCode struct {
	Code     string    // vatCode, the system's own code
	Since    time.Time // dateOfEntry
	Desc     string    // vatDesc
	Standard string    // standardVatCode, from the official list
}

// Period is an accounting period (company/periods/period).
type Period struct {
	Number     int // periodNumber, 1 to 999
	Desc       string
	Start, End time.Time // startDatePeriod/startTimePeriod, endDatePeriod/endTimePeriod
}

// Employee is company/employees/employee.
type Employee struct {
	ID        string    // empID
	Since     time.Time // dateOfEntry, timeOfEntry: when the employee was entered into the system
	FirstName string
	Surname   string // surName, required: a whole name may go here
	Roles     []Role
}

// Role is employee/employeeRole.
type Role struct {
	Type string // roleType
	Desc string // roleTypeDesc
}

// Article is company/articles/article.
type Article struct {
	ID      string    // artID, e.g. the GTIN
	Since   time.Time // dateOfEntry
	GroupID string    // artGroupID: an own basicID of type 04
	Desc    string    // artDesc
}

// Basic is company/basics/basic: an own code, of a basic type, mapped to
// the official predefined code when the type has a list (04, 10-13).
type Basic struct {
	Type       BasicType // basicType
	ID         string    // basicID, the code the file uses; unique over all types
	Predefined string    // predefinedBasicID, "" for types without a list (05)
	Desc       string    // basicDesc
}

// PredefinedBasic declares an official code under its own number: basicID
// and predefinedBasicID are both id, the description is the code list's
// English one. PredefinedBasic("13012") is the sales receipt event.
func PredefinedBasic(id string) (Basic, error) {
	c, ok := LookupCode(id)
	if !ok {
		return Basic{}, fmt.Errorf("%w: %q is not a predefined basicID of code lists 04, 10-13", ErrInvalid, id)
	}
	return Basic{Type: c.Type, ID: c.ID, Predefined: c.ID, Desc: c.English}, nil
}

// VATCodeFor is the kiosk's VAT code for rate r: the standard VAT code
// (kiosk.VATRate.StandardTaxCode) serves as the own code too, with the
// rate added for a past rate (kiosk.VATRate.OwnTaxCode: "33-6").
func VATCodeFor(r kiosk.VATRate, since time.Time) VATCode {
	return VATCode{Code: r.OwnTaxCode(), Since: since, Desc: fmt.Sprintf("MVA %d %%", uint8(r)), Standard: r.StandardTaxCode()}
}

// Location is company/location: a place of business and its registers.
type Location struct {
	Name      string
	Address   *Address // streetAddress
	Registers []Register
}

// Register is location/cashregister with its journal for the period: the
// schema puts every event before every cash transaction.
type Register struct {
	ID           string // registerID: unique for the cash register
	Desc         string // regDesc
	Events       []Event
	Transactions []CashTransaction
}

// Event is cashregister/event: something that happened at the register
// that is not itself a cash transaction.
type Event struct {
	ID      string    // eventID
	Type    string    // eventType: an own basicID of type 13
	TransID string    // transID of the cash transaction it belongs to, if any
	EmpID   string    // empID, if an employee did it
	Time    time.Time // eventDate, eventTime
	Text    string    // eventText
	Report  *Report   // eventReport: the X or Z report the event printed
}

// ReportKind is eventReport/reportType: the kiosk's own kinds, whose
// names are the standard's ("X report", "Z report").
type ReportKind = kiosk.ReportKind

const (
	XReport = kiosk.XReport
	ZReport = kiosk.ZReport
)

// Report is event/eventReport: an X or Z report's figures
// (kassasystemforskrifta §§ 2-8-2, 2-8-3). companyIdent, companyName and
// registerID are taken from the Doc and the Register it is in.
//
// Amounts are VAT included unless named otherwise. Counts are never
// negative: the schema's Nonnegativeinteger10.
type Report struct {
	ID   string // reportID, unique in the file
	Kind ReportKind
	Time time.Time // reportDate, reportTime

	TotalCashSales kiosk.Money     // reportTotalCashSales: sales less returns
	ArtGroups      []ArtGroupTotal // reportArtGroups: per article group
	Payments       []PaymentTotal  // reportPayments: per payment type
	VAT            []VATTotal      // reportCashSalesVat: per VAT code

	OpeningChangeFloat kiosk.Money  // reportOpeningChangeFloat: 0 without cash
	Receipts           uint64       // reportReceiptNum: sales receipts
	DrawerOpenings     uint64       // reportOpenCashBoxNum: 0 without a drawer, still written
	Copies             Count        // reportReceiptCopyNum/Amnt
	Proforma           Count        // reportReceiptProformaNum/Amnt (provisional receipts)
	Returns            Count        // reportReturnNum/Amnt, the amount as a positive sum
	Discounts          Count        // reportDiscountNum/Amnt
	Voids              Count        // reportVoidTransNum/Amnt
	CorrLines          []TypedCount // reportCorrLines: line corrections per kind
	PriceInquiries     []TypedCount // reportPriceInquiries: Type is the article group
	OtherCorrs         []TypedCount // reportOtherCorrs
	Deliveries         Count        // reportReceiptDeliveryNum/Amnt
	Training           Count        // reportTrainingNum/Amnt

	CreditSales *Count       // reportCreditSales, optional
	CreditMemos *Count       // reportCreditMemos, optional
	PayIns      []TypedCount // reportPayIns, omitted when empty
	PayOuts     []TypedCount // reportPayOuts, omitted when empty

	GrandTotalSales    kiosk.Money // reportGrandTotalSales: since installation
	GrandTotalReturn   kiosk.Money // reportGrandTotalReturn: since installation
	GrandTotalSalesNet kiosk.Money // reportGrandTotalSalesNet: sales less returns
}

// Count is a number of things and their amount.
type Count struct {
	Num    uint64
	Amount kiosk.Money
}

// TypedCount is a Count of one kind (a correction type, an article group…).
type TypedCount struct {
	Type string
	Count
}

// ArtGroupTotal is report/reportArtGroups/reportArtGroup.
type ArtGroupTotal struct {
	GroupID string      // artGroupID: an own basicID of type 04
	Qty     int64       // artGroupNum: the number sold (schema: a decimal, may be negative)
	Amount  kiosk.Money // artGroupAmnt
}

// PaymentTotal is report/reportPayments/reportPayment.
type PaymentTotal struct {
	Type   string      // paymentType: an own basicID of type 12
	Num    uint64      // paymentNum
	Amount kiosk.Money // paymentAmnt
}

// VATTotal is report/reportCashSalesVat/reportCashSaleVat. As in the
// official example, Base is the amount excluding VAT.
type VATTotal struct {
	Code string        // vatCode
	Rate kiosk.VATRate // vatPerc
	Base kiosk.Money   // cashSaleAmnt, excluding VAT
	VAT  kiosk.Money   // vatAmnt; vatAmntTp is C, or D when negative
}

// CashTransaction is cashregister/cashtransaction: a sale, a return, a
// void or a training transaction, signed.
//
// The amount type (amntTp) of the transaction, its lines and VAT is
// derived from the sign: C (credit) for a sale, D (debit) for a negative
// amount such as a return.
type CashTransaction struct {
	Nr       string       // nr: the receipt number
	TransID  string       // transID: the transaction's id, which events name
	Type     string       // transType: an own basicID of type 11
	AmountIn kiosk.Money  // transAmntIn, VAT included
	AmountEx kiosk.Money  // transAmntEx, VAT excluded
	EmpID    string       // empID, optional: a self-checkout sale has none
	Period   int          // periodNumber, 0: not written
	Time     time.Time    // transDate, transTime: as signed
	RefID    string       // refID, e.g. the original receipt of a return
	Desc     string       // desc
	Lines    []Line       // ctLine
	VAT      []VAT        // vat per rate over the transaction
	Rounding *kiosk.Money // rounding, optional
	Payments []Payment    // payment

	Signature  string // signature, base64 (the signature guideline)
	KeyVersion string // keyVersion

	// Prints of this transaction: receiptNum, receiptCopyNum,
	// receiptProformaNum, receiptDeliveryNum (each 0 to 999).
	ReceiptPrints, CopyPrints, ProformaPrints, DeliveryPrints int

	Void     bool // voidTransaction
	Training bool // trainingID
}

// Line is cashtransaction/ctLine. Its nr is the transaction's.
type Line struct {
	ID        string      // lineID; empty: numbered 1, 2, … in order
	Type      string      // lineType: an own basicID (type 05, ticket line)
	GroupID   string      // artGroupID, optional
	ArtID     string      // artID, optional
	Qty       int64       // qnt, negative on a return
	Grams     int64       // a weight line's weight: qnt is then kg with three decimals ("0.452", Amount6decimals), ppu per kg
	AmountIn  kiosk.Money // lineAmntIn
	AmountEx  kiosk.Money // lineAmntEx
	UnitPrice kiosk.Money // ppu, VAT included; 0: not written
	EmpID     string      // empID, optional
	Desc      string      // cashTransLineDescr
	Time      time.Time   // lineDate, lineTime; zero: not written
	VAT       *VAT
	Discounts []Discount
}

// VAT is a vat element of a line or a transaction.
type VAT struct {
	Code   string        // vatCode: one of Doc.VATCodes
	Rate   kiosk.VATRate // vatPerc
	Amount kiosk.Money   // vatAmnt; vatAmntTp from its sign
	Base   kiosk.Money   // vatBasAmnt, the amount excluding VAT
}

// Discount is a discount on a line (never on tobacco: tobakksskadeloven § 21).
type Discount struct {
	Type   string      // dscTp: an own basicID (type 08)
	Amount kiosk.Money // dscAmnt
	EmpID  string
}

// Payment is cashtransaction/payment.
type Payment struct {
	Type   string      // paymentType: an own basicID of type 12
	Amount kiosk.Money // paidAmnt, negative for a refund
	EmpID  string
	Ref    string // paymentRefID, e.g. the card terminal's trace number
}
