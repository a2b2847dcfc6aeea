package ui

// Texts of training mode (kassasystemforskrifta § 2-8-7; kiosk
// checkout_training.go): the customer screen's banner while it is on,
// the staff screen's call and today's count of training receipts. They
// live apart from the other catalogs and join them in init.

import "selvkasse/kiosk"

const (
	mTrainingBanner msg = "trainingBanner"
	mCallTraining   msg = "call.Training"
	mStaffTraining  msg = "staff.training"
)

var trainingTexts = map[string]map[msg]string{
	LangNorwegian: {
		mTrainingBanner: "TRENINGSMODUS – ikke et ekte kjøp",
		mCallTraining:   "Treningsmodus er på – slå den av når opplæringen er ferdig. Slått på av",
		mStaffTraining:  "Treningskvitteringer",
	},
	LangEnglish: {
		mTrainingBanner: "TRAINING MODE – not a real purchase",
		mCallTraining:   "Training mode is on – switch it off when training is over. Switched on by",
		mStaffTraining:  "Training receipts",
	},
}

func init() {
	addTexts(trainingTexts)
	callMsgs[kiosk.CallTraining] = mCallTraining
}
