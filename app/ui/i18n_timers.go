package ui

// Texts of time that adapts (timers.go; kiosk/checkout_timers.go): the
// warning's countdown and "more time", the declined screen's choices,
// and what the paying screen says when the customer cancels or the
// terminal stops answering. They join the catalog in init.

import "selvkasse/kiosk"

const (
	mWarnLeft      msg = "warnLeft"
	mWarnLeftOne   msg = "warnLeftOne"
	mWarnPaused    msg = "warnPaused"
	mMoreTime      msg = "moreTime"
	mMoreTimeHint  msg = "moreTimeHint"
	mNoMoreTime    msg = "noMoreTime"
	mOtherCard     msg = "otherCard"
	mDeclinedHint  msg = "declinedHint"
	mNoticeAbort   msg = "notice.Aborting"
	mNoticeSilent  msg = "notice.TerminalSilent"
	mNoticeUnknown msg = "notice.TerminalUnknown"
)

var timerTexts = map[string]map[msg]string{
	LangNorwegian: {
		mWarnLeft:      "Handelen avbrytes om %d sekunder",
		mWarnLeftOne:   "Handelen avbrytes om 1 sekund",
		mWarnPaused:    "Tiden står stille mens du venter på en ansatt",
		mMoreTime:      "Jeg trenger mer tid",
		mMoreTimeHint:  "Trykk «Jeg trenger mer tid» eller hvor som helst på skjermen for å fortsette.",
		mNoMoreTime:    "Du kan ikke få mer tid nå. Trykk Hjelp hvis du trenger en ansatt.",
		mOtherCard:     "Et annet kort",
		mDeclinedHint:  "Varene er fortsatt i handlekurven. Prøv igjen, bruk et annet kort eller be om hjelp.",
		mNoticeAbort:   "Avbryter betalingen – vent til terminalen har svart.",
		mNoticeSilent:  "Terminalen svarer ikke – vi sjekker om kortet ble belastet.",
		mNoticeUnknown: "Terminalen svarte ikke, og vi vet ikke om kortet ble belastet. En ansatt kommer og sjekker – ikke betal på nytt.",
	},
	LangEnglish: {
		mWarnLeft:      "The purchase will be cancelled in %d seconds",
		mWarnLeftOne:   "The purchase will be cancelled in 1 second",
		mWarnPaused:    "The time is paused while you wait for staff",
		mMoreTime:      "I need more time",
		mMoreTimeHint:  "Tap “I need more time” or anywhere on the screen to continue.",
		mNoMoreTime:    "No more time can be given now. Tap Help if you need a member of staff.",
		mOtherCard:     "Another card",
		mDeclinedHint:  "Your items are still in the basket. Try again, use another card or ask for help.",
		mNoticeAbort:   "Cancelling the payment – please wait for the terminal to answer.",
		mNoticeSilent:  "The terminal is not answering – checking whether your card was charged.",
		mNoticeUnknown: "The terminal did not answer, and we cannot tell whether your card was charged. Staff is coming to check – please do not pay again.",
	},
}

func init() {
	addTexts(timerTexts)
	noticeMsgs[kiosk.NoticeAborting] = [2]msg{mNoticeAbort, ""}
	noticeMsgs[kiosk.NoticeTerminalSilent] = [2]msg{mNoticeSilent, ""}
	noticeMsgs[kiosk.NoticeTerminalUnknown] = [2]msg{mNoticeUnknown, ""}
}
