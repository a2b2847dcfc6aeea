package saft

import "encoding/xml"

// The wire form: one struct per complex type of the schema
// (Norwegian_SAF-T_Cash_Register_Schema_v_1.00.xsd), fields in the order
// of its xsd:sequence, simple content as text already formatted. Optional
// elements are omitempty strings or nil pointers; the schema's required
// elements are plain fields, written even when empty.

// Namespace is the schema's target namespace.
const Namespace = "urn:StandardAuditFile-Taxation-CashRegister:NO"

type xAuditfile struct {
	XMLName xml.Name `xml:"urn:StandardAuditFile-Taxation-CashRegister:NO auditfile"`
	Header  xHeader  `xml:"header"`
	Company xCompany `xml:"company"`
}

type xHeader struct {
	FiscalYear          string `xml:"fiscalYear"`
	StartDate           string `xml:"startDate"`
	EndDate             string `xml:"endDate"`
	CurCode             string `xml:"curCode"`
	DateCreated         string `xml:"dateCreated"`
	TimeCreated         string `xml:"timeCreated"`
	SoftwareDesc        string `xml:"softwareDesc"`
	SoftwareVersion     string `xml:"softwareVersion"`
	SoftwareCompanyName string `xml:"softwareCompanyName"`
	AuditfileVersion    string `xml:"auditfileVersion"`
	HeaderComment       string `xml:"headerComment,omitempty"`
	UserID              string `xml:"userID,omitempty"`
	// auditfileSender: not written; the company sends its own file.
}

type xAddress struct {
	Streetname               string `xml:"streetname,omitempty"`
	Number                   string `xml:"number,omitempty"`
	AdditionalAddressDetails string `xml:"additionalAddressDetails,omitempty"`
	City                     string `xml:"city,omitempty"`
	PostalCode               string `xml:"postalCode,omitempty"`
	Region                   string `xml:"region,omitempty"`
	Country                  string `xml:"country,omitempty"`
}

// xPostalAddress: city and postalCode are required here.
type xPostalAddress struct {
	Streetname               string `xml:"streetname,omitempty"`
	Number                   string `xml:"number,omitempty"`
	AdditionalAddressDetails string `xml:"additionalAddressDetails,omitempty"`
	City                     string `xml:"city"`
	PostalCode               string `xml:"postalCode"`
	Region                   string `xml:"region,omitempty"`
	Country                  string `xml:"country,omitempty"`
}

type xCompany struct {
	CompanyIdent           string          `xml:"companyIdent"`
	CompanyName            string          `xml:"companyName"`
	TaxRegistrationCountry string          `xml:"taxRegistrationCountry,omitempty"`
	TaxRegIdent            string          `xml:"taxRegIdent,omitempty"`
	StreetAddress          *xAddress       `xml:"streetAddress,omitempty"`
	PostalAddress          *xPostalAddress `xml:"postalAddress,omitempty"`
	// customersSuppliers, generalLedger: not written (no credit sales, no
	// accounts; the schema's accID keyrefs are then never used).
	VATCodeDetails *xVATCodeDetails `xml:"vatCodeDetails,omitempty"`
	Periods        *xPeriods        `xml:"periods,omitempty"`
	Employees      *xEmployees      `xml:"employees,omitempty"`
	Articles       *xArticles       `xml:"articles,omitempty"`
	Basics         *xBasics         `xml:"basics,omitempty"`
	Locations      []xLocation      `xml:"location"`
}

type xVATCodeDetails struct {
	VATCodeDetail []xVATCodeDetail `xml:"vatCodeDetail"`
}

type xVATCodeDetail struct {
	VATCode         string `xml:"vatCode"`
	DateOfEntry     string `xml:"dateOfEntry"`
	VATDesc         string `xml:"vatDesc,omitempty"`
	StandardVATCode string `xml:"standardVatCode"`
}

type xPeriods struct {
	Period []xPeriod `xml:"period"`
}

type xPeriod struct {
	PeriodNumber    string `xml:"periodNumber,omitempty"`
	PeriodDesc      string `xml:"periodDesc,omitempty"`
	StartDatePeriod string `xml:"startDatePeriod,omitempty"`
	StartTimePeriod string `xml:"startTimePeriod,omitempty"`
	EndDatePeriod   string `xml:"endDatePeriod,omitempty"`
	EndTimePeriod   string `xml:"endTimePeriod,omitempty"`
}

type xEmployees struct {
	Employee []xEmployee `xml:"employee"`
}

type xEmployee struct {
	EmpID        string  `xml:"empID"`
	DateOfEntry  string  `xml:"dateOfEntry"`
	TimeOfEntry  string  `xml:"timeOfEntry"`
	FirstName    string  `xml:"firstName,omitempty"`
	SurName      string  `xml:"surName"`
	EmployeeRole []xRole `xml:"employeeRole"`
}

type xRole struct {
	RoleType     string `xml:"roleType"`
	RoleTypeDesc string `xml:"roleTypeDesc,omitempty"`
}

type xArticles struct {
	Article []xArticle `xml:"article"`
}

type xArticle struct {
	ArtID       string `xml:"artID"`
	DateOfEntry string `xml:"dateOfEntry"`
	ArtGroupID  string `xml:"artGroupID,omitempty"`
	ArtDesc     string `xml:"artDesc"`
}

type xBasics struct {
	Basic []xBasic `xml:"basic"`
}

type xBasic struct {
	BasicType         string `xml:"basicType"`
	BasicID           string `xml:"basicID"`
	PredefinedBasicID string `xml:"predefinedBasicID,omitempty"`
	BasicDesc         string `xml:"basicDesc"`
}

type xLocation struct {
	Name          string      `xml:"name,omitempty"`
	StreetAddress *xAddress   `xml:"streetAddress,omitempty"`
	Cashregister  []xRegister `xml:"cashregister"`
}

// xRegister's events and transactions are written one at a time from the
// model (eventStream, transStream), so an export holds one element's wire
// form at a time, not a second copy of the whole journal.
type xRegister struct {
	RegisterID      string      `xml:"registerID"`
	RegDesc         string      `xml:"regDesc,omitempty"`
	Event           eventStream `xml:"event"`
	Cashtransaction transStream `xml:"cashtransaction"`
}

type xEvent struct {
	EventID     string   `xml:"eventID"`
	EventType   string   `xml:"eventType"`
	TransID     string   `xml:"transID,omitempty"`
	EmpID       string   `xml:"empID,omitempty"`
	EventDate   string   `xml:"eventDate"`
	EventTime   string   `xml:"eventTime"`
	EventText   string   `xml:"eventText,omitempty"`
	EventReport *xReport `xml:"eventReport,omitempty"`
}

type xReport struct {
	ReportID                  string               `xml:"reportID"`
	ReportType                string               `xml:"reportType"`
	CompanyIdent              string               `xml:"companyIdent"`
	CompanyName               string               `xml:"companyName"`
	ReportDate                string               `xml:"reportDate"`
	ReportTime                string               `xml:"reportTime"`
	RegisterID                string               `xml:"registerID"`
	ReportTotalCashSales      xTotalCashSales      `xml:"reportTotalCashSales"`
	ReportArtGroups           []xReportArtGroup    `xml:"reportArtGroups>reportArtGroup"`
	ReportPayments            []xReportPayment     `xml:"reportPayments>reportPayment"`
	ReportCashSalesVat        []xReportCashSaleVat `xml:"reportCashSalesVat>reportCashSaleVat"`
	ReportOpeningChangeFloat  string               `xml:"reportOpeningChangeFloat"`
	ReportReceiptNum          string               `xml:"reportReceiptNum"`
	ReportOpenCashBoxNum      string               `xml:"reportOpenCashBoxNum"`
	ReportReceiptCopyNum      string               `xml:"reportReceiptCopyNum"`
	ReportReceiptCopyAmnt     string               `xml:"reportReceiptCopyAmnt"`
	ReportReceiptProformaNum  string               `xml:"reportReceiptProformaNum"`
	ReportReceiptProformaAmnt string               `xml:"reportReceiptProformaAmnt"`
	ReportReturnNum           string               `xml:"reportReturnNum"`
	ReportReturnAmnt          string               `xml:"reportReturnAmnt"`
	ReportDiscountNum         string               `xml:"reportDiscountNum"`
	ReportDiscountAmnt        string               `xml:"reportDiscountAmnt"`
	ReportVoidTransNum        string               `xml:"reportVoidTransNum"`
	ReportVoidTransAmnt       string               `xml:"reportVoidTransAmnt"`
	ReportCorrLines           []xCorrLine          `xml:"reportCorrLines>reportCorrLine"`
	ReportPriceInquiries      []xPriceInquiry      `xml:"reportPriceInquiries>reportPriceInquiry"`
	ReportOtherCorrs          []xOtherCorr         `xml:"reportOtherCorrs>reportOtherCorr"`
	ReportReceiptDeliveryNum  string               `xml:"reportReceiptDeliveryNum"`
	ReportReceiptDeliveryAmnt string               `xml:"reportReceiptDeliveryAmnt"`
	ReportTrainingNum         string               `xml:"reportTrainingNum"`
	ReportTrainingAmnt        string               `xml:"reportTrainingAmnt"`
	ReportCreditSales         *xCreditSales        `xml:"reportCreditSales,omitempty"`
	ReportCreditMemos         *xCreditMemos        `xml:"reportCreditMemos,omitempty"`
	ReportPayIns              *xPayIns             `xml:"reportPayIns,omitempty"`
	ReportPayOuts             *xPayOuts            `xml:"reportPayOuts,omitempty"`
	ReportGrandTotalSales     string               `xml:"reportGrandTotalSales"`
	ReportGrandTotalReturn    string               `xml:"reportGrandTotalReturn"`
	ReportGrandTotalSalesNet  string               `xml:"reportGrandTotalSalesNet"`
	// reportEmpArtGroups, reportEmpPayments, reportTip,
	// reportEmpOpeningChangeFloats: "use if the cash register has this
	// functionality" — a self-checkout has no per-employee till and no tips.
}

type xTotalCashSales struct {
	TotalCashSaleAmnt string `xml:"totalCashSaleAmnt"`
}

type xReportArtGroup struct {
	ArtGroupID   string `xml:"artGroupID"`
	ArtGroupNum  string `xml:"artGroupNum"`
	ArtGroupAmnt string `xml:"artGroupAmnt"`
}

type xReportPayment struct {
	PaymentType string `xml:"paymentType"`
	PaymentNum  string `xml:"paymentNum"`
	PaymentAmnt string `xml:"paymentAmnt"`
}

type xReportCashSaleVat struct {
	VATCode      string `xml:"vatCode,omitempty"`
	VATPerc      string `xml:"vatPerc"`
	CashSaleAmnt string `xml:"cashSaleAmnt"`
	VATAmnt      string `xml:"vatAmnt"`
	VATAmntTp    string `xml:"vatAmntTp,omitempty"`
}

type xCorrLine struct {
	CorrLineType string `xml:"corrLineType"`
	CorrLineNum  string `xml:"corrLineNum"`
	CorrLineAmnt string `xml:"corrLineAmnt"`
}

type xPriceInquiry struct {
	PriceInquiryGroup string `xml:"priceInquiryGroup"`
	PriceInquiryNum   string `xml:"priceInquiryNum"`
	PriceInquiryAmnt  string `xml:"priceInquiryAmnt"`
}

type xOtherCorr struct {
	OtherCorrType string `xml:"otherCorrType"`
	OtherCorrNum  string `xml:"otherCorrNum"`
	OtherCorrAmnt string `xml:"otherCorrAmnt"`
}

type xCreditSales struct {
	CreditSalesNum  string `xml:"creditSalesNum"`
	CreditSalesAmnt string `xml:"creditSalesAmnt"`
}

type xCreditMemos struct {
	CreditMemosNum  string `xml:"creditMemosNum"`
	CreditMemosAmnt string `xml:"creditMemosAmnt"`
}

type xPayIns struct {
	ReportPayIn []xPayIn `xml:"reportPayIn"`
}

type xPayIn struct {
	PayInType string `xml:"payInType"`
	PayInNum  string `xml:"payInNum"`
	PayInAmnt string `xml:"payInAmnt"`
}

type xPayOuts struct {
	ReportPayOut []xPayOut `xml:"reportPayOut"`
}

type xPayOut struct {
	PayOutType string `xml:"payOutType"`
	PayOutNum  string `xml:"payOutNum"`
	PayOutAmnt string `xml:"payOutAmnt"`
}

type xTransaction struct {
	Nr                 string     `xml:"nr"`
	TransID            string     `xml:"transID"`
	TransType          string     `xml:"transType,omitempty"`
	TransAmntIn        string     `xml:"transAmntIn"`
	TransAmntEx        string     `xml:"transAmntEx"`
	AmntTp             string     `xml:"amntTp"`
	EmpID              string     `xml:"empID,omitempty"`
	PeriodNumber       string     `xml:"periodNumber,omitempty"`
	TransDate          string     `xml:"transDate"`
	TransTime          string     `xml:"transTime"`
	RefID              string     `xml:"refID,omitempty"`
	Desc               string     `xml:"desc,omitempty"`
	CtLine             []xLine    `xml:"ctLine"`
	VAT                []xVAT     `xml:"vat"`
	Rounding           *xRounding `xml:"rounding,omitempty"`
	Payment            []xPayment `xml:"payment"`
	Signature          string     `xml:"signature"`
	KeyVersion         string     `xml:"keyVersion"`
	ReceiptNum         string     `xml:"receiptNum"`
	ReceiptCopyNum     string     `xml:"receiptCopyNum"`
	ReceiptProformaNum string     `xml:"receiptProformaNum"`
	ReceiptDeliveryNum string     `xml:"receiptDeliveryNum"`
	VoidTransaction    string     `xml:"voidTransaction"`
	TrainingID         string     `xml:"trainingID"`
}

type xLine struct {
	Nr                 string      `xml:"nr"`
	LineID             string      `xml:"lineID"`
	LineType           string      `xml:"lineType"`
	ArtGroupID         string      `xml:"artGroupID,omitempty"`
	ArtID              string      `xml:"artID,omitempty"`
	Qnt                string      `xml:"qnt"`
	LineAmntIn         string      `xml:"lineAmntIn"`
	LineAmntEx         string      `xml:"lineAmntEx"`
	AmntTp             string      `xml:"amntTp"`
	Ppu                string      `xml:"ppu,omitempty"`
	EmpID              string      `xml:"empID,omitempty"`
	CashTransLineDescr string      `xml:"cashTransLineDescr,omitempty"`
	LineDate           string      `xml:"lineDate,omitempty"`
	LineTime           string      `xml:"lineTime,omitempty"`
	VAT                *xVAT       `xml:"vat,omitempty"`
	Discount           []xDiscount `xml:"discount"`
}

type xVAT struct {
	VATCode    string `xml:"vatCode,omitempty"`
	VATPerc    string `xml:"vatPerc,omitempty"`
	VATAmnt    string `xml:"vatAmnt"`
	VATAmntTp  string `xml:"vatAmntTp,omitempty"`
	VATBasAmnt string `xml:"vatBasAmnt,omitempty"`
}

type xDiscount struct {
	DscTp   string `xml:"dscTp"`
	DscAmnt string `xml:"dscAmnt"`
	EmpID   string `xml:"empID,omitempty"`
}

type xRounding struct {
	RoundingAmnt string `xml:"roundingAmnt"`
}

type xPayment struct {
	PaymentType  string `xml:"paymentType"`
	PaidAmnt     string `xml:"paidAmnt"`
	EmpID        string `xml:"empID,omitempty"`
	PaymentRefID string `xml:"paymentRefID,omitempty"`
}
