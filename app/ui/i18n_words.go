package ui

import (
	"strconv"
	"strings"

	"selvkasse/kiosk"
)

// The customer's words added for issue 14 (items 5 and 6): the
// accessibility key, the newest line, remove last item, the unknown
// barcode's choices, the search by name, device names and the payment
// terminal's decline reasons, each in both languages.
const (
	mLargeTextOn   msg = "largeTextOn"
	mLargeTextOff  msg = "largeTextOff"
	mRemoveLast    msg = "removeLast"
	mAdded         msg = "added"
	mUnknownAsk    msg = "unknownAsk"
	mSearchByName  msg = "searchByName"
	mCallStaff     msg = "callStaff"
	mSearchTitle   msg = "searchTitle"
	mSearchHint    msg = "searchHint"
	mSearchNone    msg = "searchNone"
	mSearchClose   msg = "searchClose"
	mSearchSpace   msg = "searchSpace"
	mSearchErase   msg = "searchErase"
	mSearchAgeNote msg = "searchAgeNote"
	mSearchFailed  msg = "searchFailed"
	mDeviceUnknown msg = "device.unknown"

	mDeclineBank    msg = "decline.bank"
	mDeclineRead    msg = "decline.read"
	mDeclineAborted msg = "decline.aborted"
	mDeclineCard    msg = "decline.card"
	mDeclineExpired msg = "decline.expired"
	mDeclineFunds   msg = "decline.funds"
	mDeclineAmount  msg = "decline.amount"
	mDeclineTech    msg = "decline.tech"
)

// mDevDisk and mDevData name the full disk (kiosk.DevDisk) and the
// damaged data (kiosk.DevData) among the devices (deviceMsgs), on the
// customer's out-of-order screen and the staff screen alike.
const (
	mDevDisk msg = "device.disk"
	mDevData msg = "device.data"
)

var wordsTexts = map[string]map[msg]string{
	LangNorwegian: {
		mLargeTextOn:   "A+ Større tekst",
		mLargeTextOff:  "A− Vanlig tekst",
		mRemoveLast:    "Angre siste vare",
		mAdded:         "Lagt i handlekurven: %s",
		mUnknownAsk:    "Hva vil du gjøre?",
		mSearchByName:  "Søk etter navn",
		mCallStaff:     "Tilkall en ansatt",
		mSearchTitle:   "Søk etter vare",
		mSearchHint:    "Skriv navnet på varen",
		mSearchNone:    "Ingen varer passer søket",
		mSearchClose:   "Lukk søket",
		mSearchSpace:   "Mellomrom",
		mSearchErase:   "Slett",
		mSearchAgeNote: "Varer med 18-årsgrense krever alderskontroll før betaling.",
		mSearchFailed:  "Søket virker ikke nå. Tilkall en ansatt.",
		mDeviceUnknown: "En enhet",

		mDevDisk: "Lagringsplassen (full)",
		mDevData: "Lagrede data (skadet)",

		mDeclineBank:    "banken godkjente ikke betalingen",
		mDeclineRead:    "kortet kunne ikke leses",
		mDeclineAborted: "betalingen ble avbrutt",
		mDeclineCard:    "kortet kan ikke brukes her",
		mDeclineExpired: "kortet er utløpt",
		mDeclineFunds:   "det er ikke nok dekning på kortet",
		mDeclineAmount:  "beløpet er for høyt for kortet",
		mDeclineTech:    "en teknisk feil i betalingsterminalen",
	},
	LangEnglish: {
		mLargeTextOn:   "A+ Larger text",
		mLargeTextOff:  "A− Normal text",
		mRemoveLast:    "Remove last item",
		mAdded:         "Added to your basket: %s",
		mUnknownAsk:    "What would you like to do?",
		mSearchByName:  "Search by name",
		mCallStaff:     "Call a member of staff",
		mSearchTitle:   "Find an item",
		mSearchHint:    "Type the item's name",
		mSearchNone:    "No items match",
		mSearchClose:   "Close the search",
		mSearchSpace:   "Space",
		mSearchErase:   "Delete",
		mSearchAgeNote: "Items with an age limit of 18 need an age check before you pay.",
		mSearchFailed:  "The search is not working now. Please call a member of staff.",
		mDeviceUnknown: "A device",

		mDevDisk: "Storage (full)",
		mDevData: "Stored data (damaged)",

		mDeclineBank:    "the card issuer did not approve the payment",
		mDeclineRead:    "the card could not be read",
		mDeclineAborted: "the payment was stopped",
		mDeclineCard:    "this card cannot be used here",
		mDeclineExpired: "the card has expired",
		mDeclineFunds:   "there is not enough money on the card",
		mDeclineAmount:  "the amount is too high for this card",
		mDeclineTech:    "a technical fault in the payment terminal",
	},
}

func init() { addTexts(wordsTexts) }

// declineMsgs maps the payment terminal's result codes (ZVT 13.08
// ch. 10; PaymentResult.Code, two hex digits) to the reason the customer
// reads. Codes 01–63 come from the card issuer (declineMsg).
var declineMsgs = map[string]msg{
	"64": mDeclineRead, "65": mDeclineRead, "72": mDeclineRead, "73": mDeclineRead, "DC": mDeclineRead,
	"DD": mDeclineRead, "DE": mDeclineRead,
	"6C": mDeclineAborted,
	"67": mDeclineCard, "68": mDeclineCard, "6E": mDeclineCard, "76": mDeclineCard, "79": mDeclineCard,
	"7A": mDeclineCard, "7B": mDeclineCard, "7C": mDeclineCard, "7E": mDeclineCard, "C4": mDeclineCard,
	"C5": mDeclineCard, "D2": mDeclineCard, "EA": mDeclineCard,
	"78": mDeclineExpired,
	"71": mDeclineFunds,
	"C3": mDeclineAmount, "C9": mDeclineAmount,
	"66": mDeclineTech, "7D": mDeclineTech, "9A": mDeclineTech, "9B": mDeclineTech, "A0": mDeclineTech,
	"A1": mDeclineTech, "A3": mDeclineTech, "E2": mDeclineTech, "EC": mDeclineTech, "FF": mDeclineTech,
}

// declineMsg is the reason for result code code, or "" when the code
// says nothing the customer can use (the bare "the card was declined").
func declineMsg(code string) msg {
	code = strings.ToUpper(strings.TrimSpace(code))
	if m, ok := declineMsgs[code]; ok {
		return m
	}
	if n, err := strconv.ParseUint(code, 16, 8); err == nil && n >= 0x01 && n <= 0x63 {
		return mDeclineBank
	}
	return ""
}

// deviceNames translates View.Fault ("receipt printer, scanner") into
// lang; a device the catalog does not know is "a device", never its
// English name.
func deviceNames(lang, fault string) string {
	var out []string
	for _, d := range strings.Split(fault, ", ") {
		if d = strings.TrimSpace(d); d == "" {
			continue
		}
		m, ok := deviceMsgs[d]
		if !ok {
			m = mDeviceUnknown
		}
		out = append(out, tr(lang, m))
	}
	return strings.Join(out, ", ")
}

// viewNoticeText is the notice of v as the customer reads it in lang:
// noticeText, except where the argument is the outside world's words
// rather than data: a decline's reason comes from its result code (the
// terminal's own text holds both languages), and a payment error's
// technical cause is for the log, not the screen.
func viewNoticeText(lang string, v kiosk.View) string {
	switch v.Notice {
	case kiosk.NoticeDeclined:
		if m := declineMsg(v.NoticeCode); m != "" {
			return tr(lang, mNoticeDeclinedArg, tr(lang, m))
		}
		return tr(lang, mNoticeDeclined)
	case kiosk.NoticePaymentError:
		return tr(lang, mNoticePaymentError)
	}
	return noticeText(lang, v.Notice, v.NoticeArg)
}

// DeclineReason is why the card was declined (v's NoticeCode), in lang,
// as the screen says it after "the card was declined:"; "" when the
// code says nothing the customer can use. The narrator speaks it.
func DeclineReason(lang string, v kiosk.View) string {
	if m := declineMsg(v.NoticeCode); m != "" {
		return tr(lang, m)
	}
	return ""
}

// payPrompt is the terminal's prompt in lang only: none rather than the
// other language's.
func payPrompt(lang string, v kiosk.View) string {
	if lang == LangEnglish {
		return v.PayStatusEn
	}
	return v.PayStatus
}
