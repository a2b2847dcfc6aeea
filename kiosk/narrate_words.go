package kiosk

import (
	"fmt"
	"strconv"
)

// The narrator's words (narrate.go): what the kiosk says, per language.
// They follow the customer screens' texts (app/ui/i18n.go) but are
// written to be heard: amounts in words, no symbols, one instruction a
// phrase. A test fails on a key missing in a language.

// Speech languages: the screens' (BCP 47).
const (
	SpeechNorwegian = "nb"
	SpeechEnglish   = "en"
)

// speechLang returns lang when the narrator speaks it, else Norwegian.
func speechLang(lang string) string {
	if lang == SpeechEnglish {
		return SpeechEnglish
	}
	return SpeechNorwegian
}

type spoken string

const (
	sSpeechOn      spoken = "speechOn"
	sWelcome       spoken = "welcome"
	sItem          spoken = "item"
	sItemQty       spoken = "itemQty"
	sItemRemoved   spoken = "itemRemoved"
	sTotal         spoken = "total"
	sShopHint      spoken = "shopHint"
	sBasketEmpty   spoken = "basketEmpty"
	sStillThere    spoken = "stillThere"
	sAgeCheck      spoken = "ageCheck"
	sToPay         spoken = "toPay"
	sDeclined      spoken = "declined"
	sDeclinedHint  spoken = "declinedHint"
	sCabinetOpen   spoken = "cabinetOpen"
	sTakeFrom      spoken = "takeFrom"
	sTakeGoods     spoken = "takeGoods"
	sCloseDoor     spoken = "closeDoor"
	sDoorLeftOpen  spoken = "doorLeftOpen"
	sThanks        spoken = "thanks"
	sAssistance    spoken = "assistance"
	sOutOfOrder    spoken = "outOfOrder"
	sHelpCalled    spoken = "helpCalled"
	sHelpWithdrawn spoken = "helpWithdrawn"
	sActionFailed  spoken = "actionFailed"
	sKroner        spoken = "kroner"
	sKrone         spoken = "krone"
	sOre           spoken = "ore"
	sAnd           spoken = "and"
	sMinus         spoken = "minus"
	sPriceCheck    spoken = "priceCheck"
	sWarnLeft      spoken = "warnLeft"
	sNoMoreTime    spoken = "noMoreTime"
	sPriceOf       spoken = "priceOf"
	sPriceOfWeight spoken = "priceOfWeight"
	sPriceOfKg     spoken = "priceOfKg"
	sPlusPant      spoken = "plusPant"
)

var speechWords = map[string]map[spoken]string{
	SpeechNorwegian: {
		sSpeechOn:      "Tale er slått på. Trykk gjenta for å høre igjen, og stopp for stillhet.",
		sWelcome:       "Velkommen! Skann en vare for å starte.",
		sItem:          "%s, %s.",
		sItemQty:       "%s, %s. Antall %d.",
		sItemRemoved:   "Fjernet: %s.",
		sTotal:         "Totalt %s.",
		sShopHint:      "Skann flere varer, eller trykk Betal.",
		sBasketEmpty:   "Handlekurven er tom.",
		sStillThere:    "Er du der fortsatt? Trykk Jeg trenger mer tid, eller hvor som helst på skjermen, for å fortsette.",
		sAgeCheck:      "Alderskontroll. En ansatt kommer for å kontrollere alderen din. Ha legitimasjon klar.",
		sToPay:         "Å betale: %s. Følg instruksjonene på betalingsterminalen.",
		sDeclined:      "Betalingen gikk ikke gjennom.",
		sDeclinedHint:  "Trykk Prøv igjen, eller avbryt handelen.",
		sCabinetOpen:   "Skapet er åpent.",
		sTakeFrom:      "Ta %s fra rom %d.",
		sTakeGoods:     "Ta varene dine.",
		sCloseDoor:     "Lukk døren etterpå.",
		sDoorLeftOpen:  "Døren til skapet står åpen. Lukk den, er du snill.",
		sThanks:        "Takk for handelen!",
		sAssistance:    "En ansatt er på vei. Vent litt, så hjelper vi deg.",
		sOutOfOrder:    "Ute av drift. Vennligst betal i kassen.",
		sHelpCalled:    "Hjelp er tilkalt. En ansatt kommer.",
		sHelpWithdrawn: "Hjelp-anropet er trukket tilbake.",
		sActionFailed:  "Det gikk ikke. Prøv igjen, eller trykk Hjelp.",
		sKroner:        "kroner",
		sKrone:         "krone",
		sOre:           "øre",
		sAnd:           "og",
		sMinus:         "minus",
		sWarnLeft:      "Handelen avbrytes om %d sekunder.",
		sNoMoreTime:    "Du kan ikke få mer tid nå. Trykk Hjelp hvis du trenger en ansatt.",
		sPriceCheck:    "Prissjekk. Skann en vare for å se prisen. Den legges ikke i kurven.",
		sPriceOf:       "%s koster %s.",
		sPriceOfWeight: "%s, %s gram, koster %s. Kilopris %s.",
		sPriceOfKg:     "%s koster %s per kilo. Varen selges etter vekt: vei den og skann etiketten fra vekten.",
		sPlusPant:      "%s pluss pant %s",
	},
	SpeechEnglish: {
		sSpeechOn:      "Speech is on. Press repeat to hear it again, and stop for silence.",
		sWelcome:       "Welcome! Scan an item to start.",
		sItem:          "%s, %s.",
		sItemQty:       "%s, %s. Quantity %d.",
		sItemRemoved:   "Removed: %s.",
		sTotal:         "Total %s.",
		sShopHint:      "Scan more items, or press Pay.",
		sBasketEmpty:   "Your basket is empty.",
		sStillThere:    "Are you still there? Press I need more time, or anywhere on the screen, to continue.",
		sAgeCheck:      "Age check. A member of staff is coming to check your age. Have your ID ready.",
		sToPay:         "To pay: %s. Follow the instructions on the payment terminal.",
		sDeclined:      "The payment did not go through.",
		sDeclinedHint:  "Press Try again, or cancel the purchase.",
		sCabinetOpen:   "The cabinet is open.",
		sTakeFrom:      "Take %s from compartment %d.",
		sTakeGoods:     "Take your goods.",
		sCloseDoor:     "Close the door afterwards.",
		sDoorLeftOpen:  "The cabinet door is open. Please close it.",
		sThanks:        "Thank you for shopping!",
		sAssistance:    "A member of staff is on the way. Please wait, we will help you.",
		sOutOfOrder:    "Out of order. Please pay at the counter.",
		sHelpCalled:    "Help is called. A member of staff is coming.",
		sHelpWithdrawn: "The call for help is withdrawn.",
		sActionFailed:  "That did not work. Try again, or press Help.",
		sKroner:        "kroner",
		sKrone:         "krone",
		sOre:           "øre",
		sAnd:           "and",
		sMinus:         "minus",
		sWarnLeft:      "The purchase will be cancelled in %d seconds.",
		sNoMoreTime:    "No more time can be given now. Press Help if you need a member of staff.",
		sPriceCheck:    "Price check. Scan an item to see its price. It is not added to your basket.",
		sPriceOf:       "%s costs %s.",
		sPriceOfWeight: "%s, %s grams, costs %s. Price per kilo %s.",
		sPriceOfKg:     "%s costs %s per kilo. It is sold by weight: weigh it and scan the label from the scale.",
		sPlusPant:      "%s plus a deposit of %s",
	},
}

// noticeWords are the notices as spoken; %s is the notice's argument
// where the second form is given (as noticeMsgs in app/ui/i18n.go).
var noticeWords = map[string]map[Notice][2]string{
	SpeechNorwegian: {
		NoticeUnknownCode:       {"Ukjent strekkode. Spør en ansatt.", ""},
		NoticeBadCode:           {"Strekkoden kunne ikke leses. Prøv igjen.", ""},
		NoticeOutOfStock:        {"Varen er utsolgt.", "Utsolgt: %s."},
		NoticeAgeRefused:        {"Varer med 18-årsgrense er tatt ut av handlekurven.", ""},
		NoticeDeclined:          {"Kortet ble avvist.", "Kortet ble avvist: %s."},
		NoticePaymentError:      {"Betalingen feilet. Ingenting er trukket.", ""},
		NoticeTooMany:           {"Du kan ikke kjøpe flere av denne varen.", "Du kan ikke kjøpe flere av %s."},
		NoticePrinterDown:       {"Kvitteringsskriveren virker ikke. Vennligst betal i kassen.", ""},
		NoticeSaleTimedOut:      {"Forrige handel ble avbrutt fordi ingen brukte skjermen.", ""},
		NoticeCabinetFault:      {"Skapet åpnet seg ikke. En ansatt kommer.", ""},
		NoticeStorageError:      {"Salget kunne ikke lagres. En ansatt kommer.", ""},
		NoticeCancelled:         {"Handelen er avbrutt.", ""},
		NoticeRecoveryPending:   {"Vi vet ikke om betalingen gikk gjennom. En ansatt kommer. Ikke betal på nytt.", ""},
		NoticePaymentReversed:   {"Kortterminalen har ført betalingen tilbake, så du er ikke belastet. En ansatt kommer.", ""},
		NoticeScanNotNow:        {"Varen ble ikke lagt i kurven nå. Skann den igjen etterpå.", "%s ble ikke lagt i kurven nå. Skann den igjen etterpå."},
		NoticeAgeTimeout:        {"Ingen ansatt rakk å sjekke alderen. Kurven er tatt vare på. Trykk Betal for å spørre igjen, eller tilkall hjelp.", ""},
		NoticeBadgeUnknown:      {"Ukjent ansattkort.", ""},
		NoticeBadgeLocked:       {"Ansattkortet er sperret en stund.", ""},
		NoticeStaffNotNow:       {"Ansatte kan logge inn etter denne handelen.", ""},
		NoticeReceiptNotPrinted: {"Kvitteringen ble ikke skrevet ut. Spør en ansatt.", ""},
		NoticeInStoreTobacco:    {"Tobakk kan ikke selges med butikkens egen strekkode. Spør en ansatt.", "%s kan ikke selges med butikkens egen strekkode. Spør en ansatt."},
		NoticeAborting:          {"Avbryter betalingen. Vent til terminalen har svart.", ""},
		NoticeSoldByWeight:      {"Varen selges etter vekt. Vei den og skann etiketten fra vekten.", "%s selges etter vekt. Vei den og skann etiketten fra vekten."},
		NoticeTerminalSilent:    {"Terminalen svarer ikke. Vi sjekker om kortet ble belastet.", ""},
		NoticeTerminalUnknown:   {"Terminalen svarte ikke, og vi vet ikke om kortet ble belastet. En ansatt kommer og sjekker. Ikke betal på nytt.", ""},
	},
	SpeechEnglish: {
		NoticeUnknownCode:       {"Unknown barcode. Please ask a member of staff.", ""},
		NoticeBadCode:           {"The barcode could not be read. Please try again.", ""},
		NoticeOutOfStock:        {"This item is sold out.", "Sold out: %s."},
		NoticeAgeRefused:        {"Items with an age limit of 18 were taken out of your basket.", ""},
		NoticeDeclined:          {"The card was declined.", "The card was declined: %s."},
		NoticePaymentError:      {"The payment failed. Nothing was charged.", ""},
		NoticeTooMany:           {"You cannot buy more of this item.", "You cannot buy more of %s."},
		NoticePrinterDown:       {"The receipt printer is not working. Please pay at the counter.", ""},
		NoticeSaleTimedOut:      {"The previous purchase was cancelled because nobody used the screen.", ""},
		NoticeCabinetFault:      {"The cabinet did not open. A member of staff is coming.", ""},
		NoticeStorageError:      {"The sale could not be recorded. A member of staff is coming.", ""},
		NoticeCancelled:         {"The purchase was cancelled.", ""},
		NoticeRecoveryPending:   {"We cannot tell whether the payment went through. Staff is coming. Please do not pay again.", ""},
		NoticePaymentReversed:   {"The card terminal has reversed the payment, so you have not been charged. Staff is coming.", ""},
		NoticeScanNotNow:        {"The item was not added now. Scan it again afterwards.", "%s was not added now. Scan it again afterwards."},
		NoticeAgeTimeout:        {"No staff member could check your age in time. Your basket is kept. Press Pay to ask again, or call for help.", ""},
		NoticeBadgeUnknown:      {"Unknown staff badge.", ""},
		NoticeBadgeLocked:       {"The staff badge is locked for a while.", ""},
		NoticeStaffNotNow:       {"Staff can log in after this purchase.", ""},
		NoticeReceiptNotPrinted: {"The receipt was not printed. Please ask a member of staff.", ""},
		NoticeInStoreTobacco:    {"Tobacco cannot be sold with the shop's own barcode. Please ask a member of staff.", "%s cannot be sold with the shop's own barcode. Please ask a member of staff."},
		NoticeAborting:          {"Cancelling the payment. Please wait for the terminal to answer.", ""},
		NoticeSoldByWeight:      {"This item is sold by weight. Weigh it and scan the label from the scale.", "%s is sold by weight. Weigh it and scan the label from the scale."},
		NoticeTerminalSilent:    {"The terminal is not answering. Checking whether your card was charged.", ""},
		NoticeTerminalUnknown:   {"The terminal did not answer, and we cannot tell whether your card was charged. Staff is coming to check. Please do not pay again.", ""},
	},
}

// say is the narrator's text for k in lang, formatted with args. A
// missing key says its name, which the catalog test keeps from happening.
func say(lang string, k spoken, args ...any) string {
	s, ok := speechWords[speechLang(lang)][k]
	if !ok {
		return string(k)
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// noticeSpoken is notice n as spoken in lang ("" for none). The
// argument is spoken only where the notice's spoken form has a place for
// it: a barcode's digits are not read out.
func noticeSpoken(lang string, n Notice, arg string) string {
	if n == NoticeNone {
		return ""
	}
	w, ok := noticeWords[speechLang(lang)][n]
	if !ok {
		return ""
	}
	if arg != "" && w[1] != "" {
		return fmt.Sprintf(w[1], arg)
	}
	return w[0]
}

// spokenPrice is a price as spoken, with the pant charged on top of it
// when there is any: "32 kroner og 90 øre pluss pant 2 kroner".
func spokenPrice(price, pant Money, lang string) string {
	if pant == 0 {
		return SpokenMoney(price, lang)
	}
	return say(lang, sPlusPant, SpokenMoney(price, lang), SpokenMoney(pant, lang))
}

// SpokenMoney is m as a speech synthesiser reads it well in lang: "89
// kroner og 50 øre", "1 krone", "50 øre", "1234 kroner" (no thousands
// separator, which a synthesiser reads as two numbers; no "kr" and no
// decimal comma).
func SpokenMoney(m Money, lang string) string {
	var pre string
	if m < 0 {
		pre = say(lang, sMinus) + " "
		m = -m
	}
	kr, ore := int64(m)/100, int64(m)%100
	unit := say(lang, sKroner)
	if kr == 1 {
		unit = say(lang, sKrone)
	}
	switch {
	case ore == 0:
		return pre + strconv.FormatInt(kr, 10) + " " + unit
	case kr == 0:
		return pre + strconv.FormatInt(ore, 10) + " " + say(lang, sOre)
	}
	return pre + strconv.FormatInt(kr, 10) + " " + unit + " " + say(lang, sAnd) + " " +
		strconv.FormatInt(ore, 10) + " " + say(lang, sOre)
}
