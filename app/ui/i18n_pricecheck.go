package ui

// Texts of the price check and in-store codes (kiosk
// checkout_pricecheck.go, instore.go). They live apart from the other
// catalogs and join them in init.

import "selvkasse/kiosk"

const (
	mPriceCheck       msg = "priceCheck"
	mPriceCheckTitle  msg = "priceCheckTitle"
	mPriceCheckScan   msg = "priceCheckScan"
	mPriceCheckNote   msg = "priceCheckNote"
	mPriceCheckBack   msg = "priceCheckBack"
	mPriceCheckBasket msg = "priceCheckBasket"
	mPriceCheckPerKg  msg = "priceCheckPerKg"
	mStaffPriceChecks msg = "staff.priceChecks"
	mPriceCheckWeighs msg = "priceCheckWeighs"
	// The notes under a price, as one paragraph (with the tobacco note).
	mPriceCheckNotes        msg = "priceCheckNotes"
	mPriceCheckNotesTobacco msg = "priceCheckNotesTobacco"
	mWeightLine             msg = "weightLine"

	mNoticeInStoreTobacco    msg = "notice.InStoreTobacco"
	mNoticeInStoreTobaccoArg msg = "notice.InStoreTobacco.arg"
)

var priceCheckTexts = map[string]map[msg]string{
	LangNorwegian: {
		mPriceCheck:              "Sjekk pris",
		mPriceCheckTitle:         "Sjekk pris",
		mPriceCheckScan:          "Skann en vare for å se prisen",
		mPriceCheckNote:          "Ingenting legges i kurven.",
		mPriceCheckBack:          "Tilbake",
		mPriceCheckBasket:        "Tilbake til kurven",
		mPriceCheckPerKg:         "%s kr/kg",
		mStaffPriceChecks:        "Prissjekk",
		mPriceCheckWeighs:        "%s kg koster %s",
		mPriceCheckNotes:         "Ingenting legges i kurven. Skann en ny vare for å sjekke en annen pris.",
		mPriceCheckNotesTobacco:  "Tobakksvarer vises bare som tekst. Ingenting legges i kurven. Skann en ny vare for å sjekke en annen pris.",
		mWeightLine:              "%s kg à %s kr/kg",
		mNoticeInStoreTobacco:    "Tobakk kan ikke selges med butikkens egen strekkode. Spør en ansatt.",
		mNoticeInStoreTobaccoArg: "%s kan ikke selges med butikkens egen strekkode. Spør en ansatt.",
	},
	LangEnglish: {
		mPriceCheck:              "Check price",
		mPriceCheckTitle:         "Check price",
		mPriceCheckScan:          "Scan an item to see its price",
		mPriceCheckNote:          "Nothing is added to your basket.",
		mPriceCheckBack:          "Back",
		mPriceCheckBasket:        "Back to the basket",
		mPriceCheckPerKg:         "%s kr/kg",
		mStaffPriceChecks:        "Price checks",
		mPriceCheckWeighs:        "%s kg costs %s",
		mPriceCheckNotes:         "Nothing is added to your basket. Scan another item to check its price.",
		mPriceCheckNotesTobacco:  "Tobacco is shown as text only. Nothing is added to your basket. Scan another item to check its price.",
		mWeightLine:              "%s kg at %s kr/kg",
		mNoticeInStoreTobacco:    "Tobacco cannot be sold with the shop's own barcode. Please ask staff.",
		mNoticeInStoreTobaccoArg: "%s cannot be sold with the shop's own barcode. Please ask staff.",
	},
}

func init() {
	addTexts(priceCheckTexts)
	noticeMsgs[kiosk.NoticeInStoreTobacco] = [2]msg{mNoticeInStoreTobacco, mNoticeInStoreTobaccoArg}
}
