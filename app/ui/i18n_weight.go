package ui

// Texts of goods sold by weight (kiosk.ErrSoldByWeight): a product sold
// by the kg sells only by the scale's label. They join the catalog in
// init.

import "selvkasse/kiosk"

const (
	mNoticeSoldByWeight    msg = "notice.SoldByWeight"
	mNoticeSoldByWeightArg msg = "notice.SoldByWeight.arg"
)

var weightTexts = map[string]map[msg]string{
	LangNorwegian: {
		mNoticeSoldByWeight:    "Varen selges etter vekt. Vei den og skann etiketten fra vekten.",
		mNoticeSoldByWeightArg: "%s selges etter vekt. Vei den og skann etiketten fra vekten.",
	},
	LangEnglish: {
		mNoticeSoldByWeight:    "This item is sold by weight. Weigh it and scan the label from the scale.",
		mNoticeSoldByWeightArg: "%s is sold by weight. Weigh it and scan the label from the scale.",
	},
}

func init() {
	addTexts(weightTexts)
	noticeMsgs[kiosk.NoticeSoldByWeight] = [2]msg{mNoticeSoldByWeight, mNoticeSoldByWeightArg}
}
