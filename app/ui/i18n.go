package ui

import (
	"fmt"

	"selvkasse/kiosk"
)

// Language codes (BCP 47). Norwegian Bokmål is the default: the kiosk sells
// in Norway, and the customer can switch to English on every customer
// screen.
const (
	LangNorwegian = "nb"
	LangEnglish   = "en"
	DefaultLang   = LangNorwegian
)

// Languages lists the supported language codes, the default first.
func Languages() []string { return []string{LangNorwegian, LangEnglish} }

// normLang returns lang if it is supported, else DefaultLang.
func normLang(lang string) string {
	if _, ok := catalog[lang]; ok {
		return lang
	}
	return DefaultLang
}

// otherLang is the language the toggle button switches to.
func otherLang(lang string) string {
	if lang == LangEnglish {
		return LangNorwegian
	}
	return LangEnglish
}

// msg is a key into the catalog.
type msg string

// Customer screens.
const (
	mAppTitle       msg = "appTitle"
	mLangButton     msg = "langButton" // names the other language
	mWelcome        msg = "welcome"
	mScanToStart    msg = "scanToStart"
	mCabinet        msg = "cabinet"
	mCabinetHint    msg = "cabinetHint"
	mCabinetNote    msg = "cabinetNote"
	mCabinetEmpty   msg = "cabinetEmpty"
	mCabinetClose   msg = "cabinetClose"
	mSoldOut        msg = "soldOut"
	mBasket         msg = "basket"
	mItemsOne       msg = "itemsOne"
	mItemsMany      msg = "itemsMany"
	mInBasket       msg = "inBasket"
	mBasketEmpty    msg = "basketEmpty"
	mAdult          msg = "adult"
	mEach           msg = "each"
	mPlusPant       msg = "plusPant"
	mRemove         msg = "remove"
	mTotal          msg = "total"
	mVATIncluded    msg = "vatIncluded"
	mVATLine        msg = "vatLine"
	mPay            msg = "pay"
	mHelp           msg = "help"
	mCancelSale     msg = "cancelSale"
	mCancelAsk      msg = "cancelAsk"
	mCancelAskWhy   msg = "cancelAskWhy"
	mCancelYes      msg = "cancelYes"
	mCancelNo       msg = "cancelNo"
	mStillThere     msg = "stillThere"
	mStillThereHint msg = "stillThereHint"
	mYes            msg = "yes"
	mAgeCheckTitle  msg = "ageCheckTitle"
	mAgeCheck       msg = "ageCheck"
	mAgeCheckWhy    msg = "ageCheckWhy"
	mToPay          msg = "toPay"
	mFollowTerminal msg = "followTerminal"
	mDeclinedTitle  msg = "declinedTitle"
	mRetry          msg = "retry"
	mReleasing      msg = "releasing"
	mDoorOpen       msg = "doorOpen"
	mDoorClosed     msg = "doorClosed"
	mThanks         msg = "thanks"
	mReceiptNo      msg = "receiptNo"
	mReceiptNone    msg = "receiptNone"
	mDone           msg = "done"
	mAssistTitle    msg = "assistTitle"
	mAssistHint     msg = "assistHint"
	mPaperLow       msg = "paperLow"
	mOutOfOrder     msg = "outOfOrder"
	mOutOfOrderHint msg = "outOfOrderHint"
	mFault          msg = "fault"
	mActionFailed   msg = "actionFailed"
)

// Notices: a bare form, and one with the argument where the notice has one.
const (
	mNoticeUnknownCode    msg = "notice.UnknownCode"
	mNoticeUnknownCodeArg msg = "notice.UnknownCode.arg"
	// The unknown barcode beside its choices (noticeBanners), one of
	// which calls staff: what the notice says without "ask staff", so
	// that the strip is short enough for the basket to keep its room.
	mUnknownCodeChoices    msg = "notice.UnknownCode.choices"
	mUnknownCodeChoicesArg msg = "notice.UnknownCode.choices.arg"
	mNoticeBadCode         msg = "notice.BadCode"
	mNoticeBadCodeArg      msg = "notice.BadCode.arg"
	mNoticeOutOfStock      msg = "notice.OutOfStock"
	mNoticeOutOfStockArg   msg = "notice.OutOfStock.arg"
	mNoticeAgeRefused      msg = "notice.AgeRefused"
	mNoticeDeclined        msg = "notice.Declined"
	mNoticeDeclinedArg     msg = "notice.Declined.arg"
	mNoticePaymentError    msg = "notice.PaymentError"
	mNoticePaymentErrorArg msg = "notice.PaymentError.arg"
	mNoticeTooMany         msg = "notice.TooMany"
	mNoticeTooManyArg      msg = "notice.TooMany.arg"
	mNoticePrinterDown     msg = "notice.PrinterDown"
	mNoticeSaleTimedOut    msg = "notice.SaleTimedOut"
	mNoticeCabinetFault    msg = "notice.CabinetFault"
	mNoticeStorageError    msg = "notice.StorageError"
	mNoticeCancelled       msg = "notice.Cancelled"
	mNoticeRecovery        msg = "notice.RecoveryPending"
	mNoticeReversed        msg = "notice.PaymentReversed"
	mNoticeScanNotNow      msg = "notice.ScanNotNow"
	mNoticeScanNotNowArg   msg = "notice.ScanNotNow.arg"
	mNoticeAgeTimeout      msg = "notice.AgeTimeout"
)

// Simulator panel.
const (
	mSimTitle       msg = "simTitle"
	mSimWaiting     msg = "simWaiting"
	mSimPayment     msg = "simPayment"
	mSimAgeCheck    msg = "simAgeCheck"
	mSimNothing     msg = "simNothing"
	mSimDoorOpen    msg = "simDoorOpen"
	mSimDoorShut    msg = "simDoorShut"
	mSimLocked      msg = "simLocked"
	mSimUnlocked    msg = "simUnlocked"
	mSimBarcode     msg = "simBarcode"
	mSimScan        msg = "simScan"
	mSimQuick       msg = "simQuick"
	mSimTerminal    msg = "simTerminal"
	mSimApprove     msg = "simApprove"
	mSimDecline     msg = "simDecline"
	mSimStaff       msg = "simStaff"
	mSimRefuse      msg = "simRefuse"
	mSimDoor        msg = "simDoor"
	mSimOpen        msg = "simOpen"
	mSimClose       msg = "simClose"
	mSimReceipt     msg = "simReceipt"
	mSimNoReceipt   msg = "simNoReceipt"
	mSimPrinter     msg = "simPrinter"
	mSimPaperOut    msg = "simPaperOut"
	mSimPaperLow    msg = "simPaperLow"
	mSimPaperOK     msg = "simPaperOK"
	mSimCoverOpen   msg = "simCoverOpen"
	mSimCoverClose  msg = "simCoverClose"
	mSimPaperIsOut  msg = "simPaperIsOut"
	mSimPaperIsLow  msg = "simPaperIsLow"
	mSimPaperIsFull msg = "simPaperIsFull"
	mSimCoverIsOpen msg = "simCoverIsOpen"
	mSimCoverShut   msg = "simCoverShut"
	mSimScanner     msg = "simScanner"
	mSimUnplug      msg = "simUnplug"
	mSimReplug      msg = "simReplug"
	mSimScannerIn   msg = "simScannerIn"
	mSimScannerOut  msg = "simScannerOut"
)

// noticeMsgs maps each notice to its bare and its with-argument message.
// An empty with-argument message means the notice takes no argument.
var noticeMsgs = map[kiosk.Notice][2]msg{
	kiosk.NoticeUnknownCode:     {mNoticeUnknownCode, mNoticeUnknownCodeArg},
	kiosk.NoticeBadCode:         {mNoticeBadCode, mNoticeBadCodeArg},
	kiosk.NoticeOutOfStock:      {mNoticeOutOfStock, mNoticeOutOfStockArg},
	kiosk.NoticeAgeRefused:      {mNoticeAgeRefused, ""},
	kiosk.NoticeDeclined:        {mNoticeDeclined, mNoticeDeclinedArg},
	kiosk.NoticePaymentError:    {mNoticePaymentError, mNoticePaymentErrorArg},
	kiosk.NoticeTooMany:         {mNoticeTooMany, mNoticeTooManyArg},
	kiosk.NoticePrinterDown:     {mNoticePrinterDown, ""},
	kiosk.NoticeSaleTimedOut:    {mNoticeSaleTimedOut, ""},
	kiosk.NoticeCabinetFault:    {mNoticeCabinetFault, ""},
	kiosk.NoticeStorageError:    {mNoticeStorageError, ""},
	kiosk.NoticeCancelled:       {mNoticeCancelled, ""},
	kiosk.NoticeRecoveryPending: {mNoticeRecovery, ""},
	kiosk.NoticePaymentReversed: {mNoticeReversed, ""},
	kiosk.NoticeScanNotNow:      {mNoticeScanNotNow, mNoticeScanNotNowArg},
	kiosk.NoticeAgeTimeout:      {mNoticeAgeTimeout, ""},
	kiosk.NoticeBadgeUnknown:    {mNoticeBadgeUnknown, ""},
	kiosk.NoticeBadgeLocked:     {mNoticeBadgeLocked, mNoticeBadgeLockedArg},
	kiosk.NoticeStaffNotNow:     {mNoticeStaffNotNow, ""},
}

// catalog holds every string the package shows, per language. Amounts are
// formatted by kiosk.Money.String ("kr 1 234,50") in both languages: the
// currency is the krone either way.
var catalog = map[string]map[msg]string{
	LangNorwegian: {
		mAppTitle:       "Selvbetjening",
		mLangButton:     "English",
		mWelcome:        "Velkommen!",
		mScanToStart:    "Skann en vare for å starte",
		mCabinet:        "Tobakk og snus",
		mCabinetHint:    "Trykk på en vare for å legge den i handlekurven",
		mCabinetNote:    "Du henter varene i skapet etter betaling",
		mCabinetEmpty:   "Skapet er tomt nå",
		mCabinetClose:   "Lukk listen",
		mSoldOut:        "Utsolgt",
		mBasket:         "Handlekurv",
		mItemsOne:       "%d vare",
		mItemsMany:      "%d varer",
		mInBasket:       "I handlekurven: %s, %s",
		mBasketEmpty:    "Handlekurven er tom",
		mAdult:          "18+",
		mEach:           "%s per stk.",
		mPlusPant:       "%s + pant %s",
		mRemove:         "Fjern",
		mTotal:          "Totalt",
		mVATIncluded:    "Alle priser er inkludert mva.",
		mVATLine:        "herav mva. %s",
		mPay:            "Betal %s",
		mHelp:           "Hjelp",
		mCancelSale:     "Avbryt handelen",
		mCancelAsk:      "Vil du avbryte handelen?",
		mCancelAskWhy:   "Varene tas ut av kurven, og ingenting blir betalt.",
		mCancelYes:      "Ja, avbryt",
		mCancelNo:       "Nei, fortsett",
		mStillThere:     "Er du der fortsatt?",
		mStillThereHint: "Trykk Ja for å fortsette handelen",
		mYes:            "Ja",
		mAgeCheckTitle:  "Alderskontroll",
		mAgeCheck:       "En ansatt kommer for å kontrollere alderen din",
		mAgeCheckWhy:    "Handlekurven har varer med 18-årsgrense. Ha legitimasjon klar.",
		mToPay:          "Å betale",
		mFollowTerminal: "Følg instruksjonene på betalingsterminalen",
		mDeclinedTitle:  "Betalingen gikk ikke gjennom",
		mRetry:          "Prøv igjen",
		mReleasing:      "Skapet er åpent – ta varene dine og lukk døren",
		mDoorOpen:       "Døren er åpen",
		mDoorClosed:     "Døren er lukket",
		mThanks:         "Takk for handelen!",
		mReceiptNo:      "Kvittering nr. %d",
		mReceiptNone:    "Ingen kvittering å vise",
		mDone:           "Ferdig",
		mAssistTitle:    "En ansatt er på vei",
		mAssistHint:     "Vent litt, så hjelper vi deg",
		mPaperLow:       "Lite papir i kvitteringsskriveren",
		mOutOfOrder:     "Ute av drift",
		mOutOfOrderHint: "Vennligst betal i kassen",
		mFault:          "Feil: %s",
		mActionFailed:   "Det gikk ikke. Prøv igjen, eller trykk Hjelp.",

		mNoticeUnknownCode:     "Ukjent strekkode. Spør en ansatt.",
		mNoticeUnknownCodeArg:  "Ukjent strekkode: %s. Spør en ansatt.",
		mUnknownCodeChoices:    "Ukjent strekkode.",
		mUnknownCodeChoicesArg: "Ukjent strekkode: %s.",
		mNoticeBadCode:         "Strekkoden kunne ikke leses. Prøv igjen.",
		mNoticeBadCodeArg:      "Strekkoden kunne ikke leses: %s. Prøv igjen.",
		mNoticeOutOfStock:      "Varen er utsolgt.",
		mNoticeOutOfStockArg:   "Utsolgt: %s",
		mNoticeAgeRefused:      "Varer med 18-årsgrense er tatt ut av handlekurven.",
		mNoticeDeclined:        "Kortet ble avvist.",
		mNoticeDeclinedArg:     "Kortet ble avvist: %s",
		mNoticePaymentError:    "Betalingen feilet. Ingenting er trukket.",
		mNoticePaymentErrorArg: "Betalingen feilet (%s). Ingenting er trukket.",
		mNoticeTooMany:         "Du kan ikke kjøpe flere av denne varen.",
		mNoticeTooManyArg:      "Du kan ikke kjøpe flere av %s.",
		mNoticePrinterDown:     "Kvitteringsskriveren virker ikke. Vennligst betal i kassen.",
		mNoticeSaleTimedOut:    "Forrige handel ble avbrutt fordi ingen brukte skjermen.",
		mNoticeCabinetFault:    "Skapet åpnet seg ikke. En ansatt kommer.",
		mNoticeStorageError:    "Salget kunne ikke lagres. En ansatt kommer.",
		mNoticeCancelled:       "Handelen er avbrutt.",
		mNoticeRecovery:        "Vi vet ikke om betalingen gikk gjennom. En ansatt kommer og sjekker kortterminalen – ikke betal på nytt.",
		mNoticeReversed:        "Kortterminalen har ført betalingen tilbake, så du er ikke belastet. En ansatt kommer og hjelper deg.",
		mNoticeScanNotNow:      "Varen ble ikke lagt i kurven nå. Skann den igjen etterpå.",
		mNoticeScanNotNowArg:   "%s ble ikke lagt i kurven nå. Skann den igjen etterpå.",
		mNoticeAgeTimeout:      "Ingen ansatt rakk å sjekke alderen. Kurven er tatt vare på: trykk Betal for å spørre igjen, eller tilkall hjelp.",

		mSimTitle:       "Simulator",
		mSimWaiting:     "Venter på: %s",
		mSimPayment:     "kortbetaling",
		mSimAgeCheck:    "alderskontroll",
		mSimNothing:     "ingenting",
		mSimDoorOpen:    "Skapdøren er åpen",
		mSimDoorShut:    "Skapdøren er lukket",
		mSimLocked:      "Skapet er låst",
		mSimUnlocked:    "Skapet er ulåst",
		mSimBarcode:     "Strekkode",
		mSimScan:        "Skann",
		mSimQuick:       "Hurtigskann",
		mSimTerminal:    "Betalingsterminal",
		mSimApprove:     "Godkjenn",
		mSimDecline:     "Avvis",
		mSimStaff:       "Ansatt: alderskontroll",
		mSimRefuse:      "Nekt",
		mSimDoor:        "Skapdør",
		mSimOpen:        "Åpne",
		mSimClose:       "Lukk",
		mSimReceipt:     "Siste kvittering",
		mSimNoReceipt:   "Ingen kvittering ennå",
		mSimPrinter:     "Kvitteringsskriver",
		mSimPaperOut:    "Tomt for papir",
		mSimPaperLow:    "Lite papir",
		mSimPaperOK:     "Ny papirrull",
		mSimCoverOpen:   "Åpne dekselet",
		mSimCoverClose:  "Lukk dekselet",
		mSimPaperIsOut:  "Skriveren er tom for papir",
		mSimPaperIsLow:  "Skriveren har lite papir",
		mSimPaperIsFull: "Skriveren har papir",
		mSimCoverIsOpen: "dekselet er åpent",
		mSimCoverShut:   "dekselet er lukket",
		mSimScanner:     "Strekkodeleser",
		mSimUnplug:      "Trekk ut kabelen",
		mSimReplug:      "Sett i kabelen",
		mSimScannerIn:   "Strekkodeleseren er tilkoblet",
		mSimScannerOut:  "Strekkodeleseren er frakoblet",
	},
	LangEnglish: {
		mAppTitle:       "Self-checkout",
		mLangButton:     "Norsk",
		mWelcome:        "Welcome!",
		mScanToStart:    "Scan an item to start",
		mCabinet:        "Tobacco and snus",
		mCabinetHint:    "Tap an item to put it in your basket",
		mCabinetNote:    "You collect these from the cabinet after paying",
		mCabinetEmpty:   "The cabinet is empty right now",
		mCabinetClose:   "Close the list",
		mSoldOut:        "Sold out",
		mBasket:         "Basket",
		mItemsOne:       "%d item",
		mItemsMany:      "%d items",
		mInBasket:       "In your basket: %s, %s",
		mBasketEmpty:    "Your basket is empty",
		mAdult:          "18+",
		mEach:           "%s each",
		mPlusPant:       "%s + %s deposit",
		mRemove:         "Remove",
		mTotal:          "Total",
		mVATIncluded:    "All prices include VAT.",
		mVATLine:        "of which VAT %s",
		mPay:            "Pay %s",
		mHelp:           "Help",
		mCancelSale:     "Cancel purchase",
		mCancelAsk:      "Cancel this purchase?",
		mCancelAskWhy:   "The items are taken out of the basket and nothing is paid.",
		mCancelYes:      "Yes, cancel",
		mCancelNo:       "No, go back",
		mStillThere:     "Are you still there?",
		mStillThereHint: "Tap Yes to continue shopping",
		mYes:            "Yes",
		mAgeCheckTitle:  "Age check",
		mAgeCheck:       "A member of staff is coming to check your age",
		mAgeCheckWhy:    "Your basket has items with an age limit of 18. Have your ID ready.",
		mToPay:          "To pay",
		mFollowTerminal: "Follow the instructions on the payment terminal",
		mDeclinedTitle:  "The payment did not go through",
		mRetry:          "Try again",
		mReleasing:      "The cabinet is open – take your goods and close the door",
		mDoorOpen:       "The door is open",
		mDoorClosed:     "The door is closed",
		mThanks:         "Thank you for shopping!",
		mReceiptNo:      "Receipt no. %d",
		mReceiptNone:    "No receipt to show",
		mDone:           "Done",
		mAssistTitle:    "A member of staff is on the way",
		mAssistHint:     "Please wait, we will help you",
		mPaperLow:       "The receipt printer is low on paper",
		mOutOfOrder:     "Out of order",
		mOutOfOrderHint: "Please pay at the counter",
		mFault:          "Fault: %s",
		mActionFailed:   "That did not work. Try again, or tap Help.",

		mNoticeUnknownCode:     "Unknown barcode. Please ask a member of staff.",
		mNoticeUnknownCodeArg:  "Unknown barcode: %s. Please ask a member of staff.",
		mUnknownCodeChoices:    "Unknown barcode.",
		mUnknownCodeChoicesArg: "Unknown barcode: %s.",
		mNoticeBadCode:         "The barcode could not be read. Please try again.",
		mNoticeBadCodeArg:      "The barcode could not be read: %s. Please try again.",
		mNoticeOutOfStock:      "This item is sold out.",
		mNoticeOutOfStockArg:   "Sold out: %s",
		mNoticeAgeRefused:      "Items with an age limit of 18 were taken out of your basket.",
		mNoticeDeclined:        "The card was declined.",
		mNoticeDeclinedArg:     "The card was declined: %s",
		mNoticePaymentError:    "The payment failed. Nothing was charged.",
		mNoticePaymentErrorArg: "The payment failed (%s). Nothing was charged.",
		mNoticeTooMany:         "You cannot buy more of this item.",
		mNoticeTooManyArg:      "You cannot buy more of %s.",
		mNoticePrinterDown:     "The receipt printer is not working. Please pay at the counter.",
		mNoticeSaleTimedOut:    "The previous purchase was cancelled because nobody used the screen.",
		mNoticeCabinetFault:    "The cabinet did not open. A member of staff is coming.",
		mNoticeStorageError:    "The sale could not be recorded. A member of staff is coming.",
		mNoticeCancelled:       "The purchase was cancelled.",
		mNoticeRecovery:        "We cannot tell whether the payment went through. Staff is coming to check the card terminal – please do not pay again.",
		mNoticeReversed:        "The card terminal has reversed the payment, so you have not been charged. Staff is coming to help you.",
		mNoticeScanNotNow:      "The item was not added now. Scan it again afterwards.",
		mNoticeScanNotNowArg:   "%s was not added now. Scan it again afterwards.",
		mNoticeAgeTimeout:      "No staff member could check your age in time. Your basket is kept: press Pay to ask again, or call for help.",

		mSimTitle:       "Simulator",
		mSimWaiting:     "Waiting for: %s",
		mSimPayment:     "card payment",
		mSimAgeCheck:    "age check",
		mSimNothing:     "nothing",
		mSimDoorOpen:    "The cabinet door is open",
		mSimDoorShut:    "The cabinet door is closed",
		mSimLocked:      "The cabinet is locked",
		mSimUnlocked:    "The cabinet is unlocked",
		mSimBarcode:     "Barcode",
		mSimScan:        "Scan",
		mSimQuick:       "Quick scan",
		mSimTerminal:    "Payment terminal",
		mSimApprove:     "Approve",
		mSimDecline:     "Decline",
		mSimStaff:       "Staff: age check",
		mSimRefuse:      "Refuse",
		mSimDoor:        "Cabinet door",
		mSimOpen:        "Open",
		mSimClose:       "Close",
		mSimReceipt:     "Last receipt",
		mSimNoReceipt:   "No receipt yet",
		mSimPrinter:     "Receipt printer",
		mSimPaperOut:    "Paper out",
		mSimPaperLow:    "Paper low",
		mSimPaperOK:     "New paper roll",
		mSimCoverOpen:   "Open the cover",
		mSimCoverClose:  "Close the cover",
		mSimPaperIsOut:  "The printer is out of paper",
		mSimPaperIsLow:  "The printer is low on paper",
		mSimPaperIsFull: "The printer has paper",
		mSimCoverIsOpen: "the cover is open",
		mSimCoverShut:   "the cover is closed",
		mSimScanner:     "Barcode scanner",
		mSimUnplug:      "Pull the cable",
		mSimReplug:      "Plug the cable in",
		mSimScannerIn:   "The scanner is connected",
		mSimScannerOut:  "The scanner is disconnected",
	},
}

// addTexts adds a file's texts to the catalog, per language; a key the
// catalog already has is a programming error.
func addTexts(texts map[string]map[msg]string) {
	for lang, ts := range texts {
		for k, s := range ts {
			if _, dup := catalog[lang][k]; dup {
				panic(fmt.Sprintf("ui: text %q (%s) is defined twice", k, lang))
			}
			catalog[lang][k] = s
		}
	}
}

// tr returns the text for m in lang, formatted with args. A missing key
// shows as "!key" so that a screen golden makes it obvious; the catalog
// test keeps that from happening.
func tr(lang string, m msg, args ...any) string {
	s, ok := catalog[normLang(lang)][m]
	if !ok {
		return "!" + string(m)
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// noticeText is the customer-facing text of a notice ("" for NoticeNone).
func noticeText(lang string, n kiosk.Notice, arg string) string {
	if n == kiosk.NoticeNone {
		return ""
	}
	m, ok := noticeMsgs[n]
	if !ok {
		return "!" + n.String()
	}
	return trArg(lang, m, arg)
}

// trArg is m[1] with arg when there is an arg and m takes one, else the
// bare m[0].
func trArg(lang string, m [2]msg, arg string) string {
	if arg != "" && m[1] != "" {
		return tr(lang, m[1], arg)
	}
	return tr(lang, m[0])
}

// itemCount is "1 vare" / "3 varer".
func itemCount(lang string, n int) string {
	if n == 1 {
		return tr(lang, mItemsOne, n)
	}
	return tr(lang, mItemsMany, n)
}
