// Package saft writes the electronic journal of a Selvkasse kiosk as a
// Norwegian SAF-T Cash Register audit file, version 1.00.
//
// Kassasystemforskrifta (FOR-2015-12-18-1616) § 2-7 (1): "The system must
// be capable of producing a file directly from the electronic journal or
// other electronic medium in a standardized form determined by the
// Directorate of Taxes." That form is
// Skatteetaten's "Norwegian SAF-T Cash Register data": the XML schema
// Norwegian_SAF-T_Cash_Register_Schema_v_1.00.xsd (final version,
// 07-07-2016, namespace urn:StandardAuditFile-Taxation-CashRegister:NO),
// its Documentation and Technical description (v1.1, 24.07.2017), the code
// lists, and the guideline "Requirements and guidelines for implementing
// digital signatures in Cash Register Systems", all published at
// https://www.skatteetaten.no/saf-t and in the GitHub repository
// Skatteetaten/saf-t. Copies of the schema, the official example and the
// code lists are in ../shared/saft (see its README.md); this package
// embeds the code lists (codelists/) and tests against the schema and the
// example (testdata/).
//
// The package is the pure part of the export: a model of what the file
// holds (Doc, in øre and time.Time), Validate, Encode, the file name
// (FileName) and the text each signature is made over (SignatureData). It
// does not read the journal, sign, or write files.
//
// What of the schema is filled:
//
//   - header: every required element (fiscalYear from the period,
//     curCode NOK, auditfileVersion 1.0), headerComment (it carries the
//     system's unique id, for which the header has no element), userID.
//     Not auditfileSender: the company sends its own file.
//   - company: companyIdent (the organisasjonsnummer, check digit checked),
//     companyName, taxRegistrationCountry and taxRegIdent, streetAddress and
//     postalAddress, vatCodeDetails (own code → standardVatCode from
//     Standard_Tax_Codes.csv), periods, employees, articles, basics (every
//     own code with its predefinedBasicID from code lists 04, 10-13) and
//     location. Not customersSuppliers (no credit sales) nor generalLedger:
//     no accID is written anywhere.
//   - location/cashregister: name, address, registerID, regDesc, every
//     event, then every cashtransaction (the schema wants all events first).
//   - event: everything, eventReport included for X (13008) and Z (13009)
//     reports with every required figure; reportCreditSales,
//     reportCreditMemos, reportPayIns and reportPayOuts when given. Not the
//     per-employee lists or reportTip ("use if the cash register has this
//     functionality": a self-checkout has no employee till and no tips).
//   - cashtransaction: nr, transID, transType, amounts, amntTp, empID,
//     periodNumber, transDate/transTime, refID, desc, ctLine, vat, rounding,
//     payment, signature, keyVersion, the four print counts, voidTransaction
//     and trainingID. ctLine: ids, lineType, artGroupID, artID, qnt,
//     amounts, ppu, empID, description, lineDate/lineTime, vat, discount.
//     Not custSupID, bookDate/bookTime, invoiceID, savings, raise, costs or
//     projects, nor a payment's curCode/exchRt (everything is in NOK).
//
// Choices the schema leaves open, made as the official example does:
// amntTp and vatAmntTp are C for a sale and D for a negative amount; dates
// and times are local Norwegian time without a zone (Doc.Zone); a report
// list the schema requires at least one entry in (reportCorrLines,
// reportPriceInquiries, reportOtherCorrs, and the article group, payment
// and VAT lists on a day without sales) gets one "None" entry with zeros;
// reportCashSaleVat's cashSaleAmnt is the amount excluding VAT.
//
// The schema's xsd:key and xsd:keyref constraints select with XPaths
// without a namespace prefix, so they match no element and xmllint
// enforces none of them (TestSchemaKeysAreInert). Validate checks those
// references itself: every eventType, transType, lineType, paymentType and
// artGroupID declared in basics with the right basicType, every empID,
// artID and vatCode declared, reportIDs unique.
package saft
