package ui

// Texts of the receipt that did not print (the customer's notice), the
// staff screen's copy receipt (issue 12 item 4: the one copy the law
// allows) and today's receipt counts. They live apart from the other
// catalogs and join them in init.

import "selvkasse/kiosk"

const (
	mNoticeReceiptNotPrinted msg = "notice.ReceiptNotPrinted"

	mStaffPickReceipt      msg = "staff.pickReceipt"
	mStaffLastReceipt      msg = "staff.lastReceipt" // its number
	mStaffTypeReceipt      msg = "staff.typeReceipt"
	mStaffReceiptNo        msg = "staff.receiptNo" // its number
	mStaffCopyMade         msg = "staff.copyMade"
	mStaffCopyMadeArg      msg = "staff.copyMade.arg" // the receipt number
	mStaffNoReceipt        msg = "staff.noReceipt"
	mStaffNoReceiptArg     msg = "staff.noReceipt.arg" // the receipt number
	mStaffReceiptQueued    msg = "staff.receiptQueued"
	mStaffReceiptQueuedArg msg = "staff.receiptQueued.arg" // the receipt number
	mStaffNotPrinted       msg = "staff.notPrinted"
	mStaffPrintedLate      msg = "staff.printedLate"
	mStaffCopies           msg = "staff.copies"
)

var receiptTexts = map[string]map[msg]string{
	LangNorwegian: {
		mNoticeReceiptNotPrinted: "Betalingen er i orden, men kvitteringen kunne ikke skrives ut. Den skrives ut når skriveren virker igjen – spør en ansatt.",

		mStaffPickReceipt:      "Velg kvitteringen som skal kopieres",
		mStaffLastReceipt:      "Siste kvittering, nr. %d",
		mStaffTypeReceipt:      "Eller tast kvitteringsnummeret:",
		mStaffReceiptNo:        "kvittering nr. %d",
		mStaffCopyMade:         "Kvitteringen har allerede fått sin ene kopi.",
		mStaffCopyMadeArg:      "Kvittering nr. %s har allerede fått sin ene kopi. Loven tillater bare én.",
		mStaffNoReceipt:        "Ingen kvittering å kopiere ennå.",
		mStaffNoReceiptArg:     "Finner ingen kvittering nr. %s.",
		mStaffReceiptQueued:    "Kvitteringen er ikke skrevet ut ennå.",
		mStaffReceiptQueuedArg: "Kvittering nr. %s venter på skriveren. Kopi først når den er skrevet ut.",
		mStaffNotPrinted:       "Ikke skrevet ut",
		mStaffPrintedLate:      "Skrevet ut senere",
		mStaffCopies:           "Kopier",
	},
	LangEnglish: {
		mNoticeReceiptNotPrinted: "Your payment went through, but the receipt could not be printed. It prints once the printer works again – ask staff.",

		mStaffPickReceipt:      "Choose the receipt to copy",
		mStaffLastReceipt:      "Last receipt, no. %d",
		mStaffTypeReceipt:      "Or type the receipt number:",
		mStaffReceiptNo:        "receipt no. %d",
		mStaffCopyMade:         "That receipt already had its one copy.",
		mStaffCopyMadeArg:      "Receipt no. %s already had its one copy. The law allows only one.",
		mStaffNoReceipt:        "No receipt to copy yet.",
		mStaffNoReceiptArg:     "There is no receipt no. %s.",
		mStaffReceiptQueued:    "That receipt has not been printed yet.",
		mStaffReceiptQueuedArg: "Receipt no. %s waits for the printer. A copy only once it has printed.",
		mStaffNotPrinted:       "Not printed",
		mStaffPrintedLate:      "Printed late",
		mStaffCopies:           "Copies",
	},
}

func init() {
	addTexts(receiptTexts)
	noticeMsgs[kiosk.NoticeReceiptNotPrinted] = [2]msg{mNoticeReceiptNotPrinted, ""}
}
