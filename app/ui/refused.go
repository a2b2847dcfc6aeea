package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// The screen of a kiosk whose store cannot be sold on (issue 11 item 6)
// or whose signing key is missing (issue 12 item 2):
// `run` and `demo` show it instead of the checkout when the data dir is
// refused at open — a journal behind its anchor (storage.ErrRolledBack),
// damaged data (storage.ErrCorrupt), or a data dir it cannot use. The
// customer reads that the kiosk is out of order; the technician reads why
// and where to start. Nothing on it can be touched.

// Refusal is why the store was refused.
type Refusal uint8

const (
	RefusalData Refusal = iota // the data is damaged or cannot be used
	RefusalLost                // the journal lost recorded sales (behind its anchor)
	RefusalKey                 // the signing key is missing or unusable
)

const (
	mRefusedLost   msg = "refusedLost"   // the journal lost recorded sales
	mRefusedData   msg = "refusedData"   // the data is damaged or cannot be used
	mRefusedKey    msg = "refusedKey"    // the signing key is missing or unusable
	mRefusedTech   msg = "refusedTech"   // for the technician: %s the error
	mRefusedVerify msg = "refusedVerify" // the command to run: %s
)

var refusedTexts = map[string]map[msg]string{
	LangNorwegian: {
		mRefusedLost:   "Kassen selger ikke: salg den har registrert, mangler i lageret. Tilkall personalet.",
		mRefusedData:   "Kassen selger ikke: lageret er skadet eller kan ikke brukes. Tilkall personalet.",
		mRefusedKey:    "Kassen selger ikke: nøkkelen som signerer salgene, mangler eller kan ikke brukes. Tilkall personalet.",
		mRefusedTech:   "For tekniker: %s",
		mRefusedVerify: "Undersøk med: %s",
	},
	LangEnglish: {
		mRefusedLost:   "This till does not sell: sales it recorded are missing from its store. Please call staff.",
		mRefusedData:   "This till does not sell: its store is damaged or cannot be used. Please call staff.",
		mRefusedKey:    "This till does not sell: the key that signs its sales is missing or cannot be used. Please call staff.",
		mRefusedTech:   "For the technician: %s",
		mRefusedVerify: "Check with: %s",
	},
}

func init() { addTexts(refusedTexts) }

// StoreRefused is the out-of-order screen for a store the kiosk refused:
// r says why, detail is the error for the technician and verify the
// command to start from.
func StoreRefused(lang string, r Refusal, detail, verify string) fyne.CanvasObject {
	why := mRefusedData
	switch r {
	case RefusalLost:
		why = mRefusedLost
	case RefusalKey:
		why = mRefusedKey
	}
	tech := body(tr(lang, mRefusedTech, detail))
	tech.SizeName = theme.SizeNameCaptionText
	cmd := body(tr(lang, mRefusedVerify, verify))
	cmd.SizeName = theme.SizeNameCaptionText
	// In a scroll: word-wrapped labels ask for their height at the width
	// they have, which a window's first layout does not give them yet; at
	// the top of a window they would make it as tall as the text laid out
	// word by word, and the screen would show nothing but the top of it.
	return container.NewVScroll(middle(
		heading(tr(lang, mOutOfOrder)),
		subheading(tr(lang, why)),
		tech,
		cmd,
	))
}
