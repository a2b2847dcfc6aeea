package ui

import "fmt"

// Texts of the staff log-in (PIN pad), the staff screen and the customer
// texts that came with them (issue 10): the call for help, the release
// list and the badge notices. They join catalog in init, so that files
// written apart never edit the same map literal; TestCatalogComplete
// checks them like the rest.

// Customer screens.
const (
	mAssistStaffHint      msg = "assistStaffHint"
	mHelpCalled           msg = "helpCalled"
	mHelpWithdraw         msg = "helpWithdraw"
	mReleaseItem          msg = "releaseItem"       // compartment, quantity, name
	mReleaseItemNoComp    msg = "releaseItemNoComp" // quantity, name
	mNoticeBadgeUnknown   msg = "notice.BadgeUnknown"
	mNoticeBadgeLocked    msg = "notice.BadgeLocked"
	mNoticeBadgeLockedArg msg = "notice.BadgeLocked.arg"
	mNoticeStaffNotNow    msg = "notice.StaffNotNow"
)

// staffTexts are this file's texts per language.
var staffTexts = map[string]map[msg]string{
	LangNorwegian: {
		mAssistStaffHint:      "Ansatte logger inn med ansattkortet.",
		mHelpCalled:           "Du har tilkalt en ansatt – noen kommer straks.",
		mHelpWithdraw:         "Trekk tilbake anropet",
		mReleaseItem:          "Ta fra rom %d: %d × %s",
		mReleaseItemNoComp:    "Ta ut %d × %s",
		mNoticeBadgeUnknown:   "Ansattkortet er ukjent eller ikke i bruk.",
		mNoticeBadgeLocked:    "For mange feil PIN-koder. Kortet er sperret en stund.",
		mNoticeBadgeLockedArg: "For mange feil PIN-koder. Kortet er sperret til kl. %s.",
		mNoticeStaffNotNow:    "Ansatte kan logge inn når betalingen eller utleveringen er ferdig.",
	},
	LangEnglish: {
		mAssistStaffHint:      "Staff log in with their staff badge.",
		mHelpCalled:           "Staff is called – someone is coming.",
		mHelpWithdraw:         "Withdraw the call",
		mReleaseItem:          "Take from compartment %d: %d × %s",
		mReleaseItemNoComp:    "Take out %d × %s",
		mNoticeBadgeUnknown:   "This staff badge is unknown or not in use.",
		mNoticeBadgeLocked:    "Too many wrong PINs. The badge is locked for a while.",
		mNoticeBadgeLockedArg: "Too many wrong PINs. The badge is locked until %s.",
		mNoticeStaffNotNow:    "Staff can log in when the payment or the release is finished.",
	},
}

func init() {
	for lang, texts := range staffTexts {
		for k, s := range texts {
			if _, dup := catalog[lang][k]; dup {
				panic(fmt.Sprintf("ui: text %q (%s) is defined twice", k, lang))
			}
			catalog[lang][k] = s
		}
	}
}
