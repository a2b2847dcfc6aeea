package kiosk

import (
	"strconv"
	"strings"
	"time"
)

// The narrator: what the kiosk says and plays when the customer screen
// moves from one view to the next. It is pure: the same two views and
// language give the same narration. The app speaks it through a Speaker
// (when speech is on) and plays its tone through a Sounder, from the
// same views the screen draws, so a sound or a phrase never comes
// without the screen showing the same thing (EN 301 549 5.1.3).

// Narration is what goes with one view change.
type Narration struct {
	// Tone is the sound to play; 0 for none. One at most: attention
	// before refused before accepted.
	Tone Tone
	// Say are the phrases to speak, in order.
	Say []Phrase
	// Prompt is the screen's main instruction now, for the repeat key;
	// its Text is empty while the staff's screens are shown.
	Prompt Phrase
	// Cut: the change came from a scan or a pick (an item added, a
	// code refused), so what is still being said is old: cut it before
	// saying Say.
	Cut bool
}

// Narrate is the narration of the customer screen going from prev to
// next, in lang (the screen's language: "nb" or "en"; anything else is
// Norwegian). It speaks the new screen's prompt when the state changed,
// each item and its price as it is added ("Snus, 89 kroner."), the total
// after a basket change, the notices (errors), the terminal's prompts, a
// call for help and a door left open. The staff's screens (next.Staff
// set) are not narrated: the customer is not using the kiosk then.
func Narrate(prev, next View, lang string) Narration {
	lang = speechLang(lang)
	var n Narration
	if next.Staff != nil {
		return n
	}
	n.Prompt = Prompt(next, lang)
	add := func(text string) {
		if text != "" {
			n.Say = append(n.Say, Phrase{Lang: lang, Text: text})
		}
	}
	tone := func(t Tone) {
		if n.Tone == 0 || t > n.Tone { // attention(3) > refused(2) > accepted(1)
			n.Tone = t
		}
	}
	stateChanged := prev.State != next.State || prev.Staff != nil

	// Notices: errors and refusals. On the declined screen the notice
	// is the reason, which the prompt says.
	noticeChanged := next.Notice != NoticeNone && (next.Notice != prev.Notice || next.NoticeArg != prev.NoticeArg)
	if noticeChanged {
		if refusal[next.Notice] {
			tone(ToneRefused)
			n.Cut = true
		}
		if !(next.State == PaymentDeclined && stateChanged) {
			add(noticeSpoken(lang, next.Notice, next.NoticeArg))
		}
	}

	// The basket: removed lines, then added ones. A basket emptied by
	// a cancel, a time-out or a sale's end is not read out line by line:
	// the notice or the prompt says why.
	basketChanged := next.Rev != prev.Rev
	if basketChanged {
		added, removed := basketDiff(prev.Lines, next.Lines)
		if !customerRemoves(prev, next) {
			removed = nil
		}
		for _, l := range removed {
			add(say(lang, sItemRemoved, l.Product.Name))
		}
		for _, l := range added {
			tone(ToneAccepted)
			n.Cut = true
			if l.Qty > 1 {
				add(say(lang, sItemQty, l.Product.Name, spokenPrice(l.Product.Price, l.Pant, lang), l.Qty))
			} else {
				add(say(lang, sItem, l.Product.Name, spokenPrice(l.Product.Price, l.Pant, lang)))
			}
		}
	}

	switch {
	case stateChanged:
		add(n.Prompt.Text)
		switch next.State {
		case AgeCheckPending, Assistance, TimeoutWarning:
			tone(ToneAttention)
		}
	case basketChanged && next.State == Shopping:
		add(say(lang, sTotal, SpokenMoney(next.Total, lang)))
	case next.State == TimeoutWarning && next.WarningLeft > 0 && next.WarningLeft <= 10*time.Second && prev.WarningLeft > 10*time.Second:
		// Ten seconds left: once more, with the time.
		tone(ToneAttention)
		add(n.Prompt.Text)
	case next.State == PriceCheck && next.PriceCheck != nil && (prev.PriceCheck == nil || *prev.PriceCheck != *next.PriceCheck):
		// Another item scanned during the price check: its price.
		tone(ToneAccepted)
		n.Cut = true
		add(n.Prompt.Text)
	}

	// The terminal's prompt, in the screen's language.
	if next.State == Paying {
		if p, q := payStatus(next, lang), payStatus(prev, lang); p != "" && (p != q || stateChanged) {
			add(p)
		}
	}

	// Help called or withdrawn; a door left open.
	switch {
	case prev.Help.IsZero() && !next.Help.IsZero():
		tone(ToneAttention)
		add(say(lang, sHelpCalled))
	case !prev.Help.IsZero() && next.Help.IsZero() && !stateChanged:
		add(say(lang, sHelpWithdrawn))
	}
	if hasCall(next.Calls, CallDoorOpen) && !hasCall(prev.Calls, CallDoorOpen) {
		tone(ToneAttention)
		add(say(lang, sDoorLeftOpen))
	}
	return n
}

// Greeting is what the kiosk says when speech is switched on (a headset
// plugged in, the accessibility key): that speech is on and how to use
// it, then the screen's prompt.
func Greeting(v View, lang string) []Phrase {
	lang = speechLang(lang)
	out := []Phrase{{Lang: lang, Text: say(lang, sSpeechOn)}}
	if p := Prompt(v, lang); p.Text != "" {
		out = append(out, p)
	}
	return out
}

// Failed is what the kiosk says when the customer's command was refused
// (the screen's "that did not work" banner), in lang.
func Failed(lang string) Phrase {
	lang = speechLang(lang)
	return Phrase{Lang: lang, Text: say(lang, sActionFailed)}
}

// Prompt is the main instruction of the customer screen showing v, as
// spoken in lang; its Text is empty while a staff screen is shown.
func Prompt(v View, lang string) Phrase {
	lang = speechLang(lang)
	p := Phrase{Lang: lang}
	if v.Staff != nil {
		return p
	}
	var parts []string
	switch v.State {
	case Idle:
		parts = append(parts, say(lang, sWelcome))
	case Shopping:
		parts = append(parts, say(lang, sTotal, SpokenMoney(v.Total, lang)), say(lang, sShopHint))
	case TimeoutWarning:
		parts = append(parts, say(lang, sStillThere))
		switch {
		case v.ExtendsLeft == 0 && v.WarningLeft > 0:
			parts = append(parts, say(lang, sNoMoreTime))
		case v.WarningLeft > 0:
			parts = append(parts, say(lang, sWarnLeft, int(v.WarningLeft/time.Second)))
		}
	case AgeCheckPending:
		parts = append(parts, say(lang, sAgeCheck))
	case Paying:
		parts = append(parts, say(lang, sToPay, SpokenMoney(v.Total, lang)))
	case PaymentDeclined:
		parts = append(parts, say(lang, sDeclined))
		if n := noticeSpoken(lang, v.Notice, v.NoticeArg); n != "" {
			parts = append(parts, n)
		}
		parts = append(parts, say(lang, sDeclinedHint))
	case Releasing:
		parts = append(parts, say(lang, sCabinetOpen))
		for _, r := range v.Release {
			what := r.Name
			if r.Qty > 1 {
				what = strconv.Itoa(r.Qty) + " " + r.Name
			}
			parts = append(parts, say(lang, sTakeFrom, what, r.Compartment))
		}
		if len(v.Release) == 0 {
			parts = append(parts, say(lang, sTakeGoods))
		}
		parts = append(parts, say(lang, sCloseDoor))
	case Receipt:
		parts = append(parts, say(lang, sThanks))
	case Assistance:
		parts = append(parts, say(lang, sAssistance))
	case OutOfOrder:
		parts = append(parts, say(lang, sOutOfOrder))
	case PriceCheck:
		if pc := v.PriceCheck; pc != nil && pc.Grams != 0 {
			parts = append(parts, say(lang, sPriceOfWeight, pc.Name, strconv.Itoa(pc.Grams), SpokenMoney(pc.Amount, lang), SpokenMoney(pc.Price, lang)))
		} else if pc != nil && pc.ByKg {
			parts = append(parts, say(lang, sPriceOfKg, pc.Name, SpokenMoney(pc.Price, lang)))
		} else if pc != nil {
			parts = append(parts, say(lang, sPriceOf, pc.Name, spokenPrice(pc.Amount, pc.Pant, lang)))
		}
		parts = append(parts, say(lang, sPriceCheck))
	}
	p.Text = strings.Join(parts, " ")
	return p
}

// refusal are the notices of a scan or pick that was refused: they come
// with ToneRefused.
var refusal = map[Notice]bool{
	NoticeUnknownCode: true, NoticeBadCode: true, NoticeOutOfStock: true,
	NoticeTooMany: true, NoticeScanNotNow: true, NoticeSoldByWeight: true, NoticeInStoreTobacco: true,
}

// customerRemoves reports whether lines gone from prev to next were
// taken out one by one (a line removed, a quantity lowered, 18+ items
// taken out after a refused age check), not emptied with the sale.
func customerRemoves(prev, next View) bool {
	switch prev.State {
	case Shopping, TimeoutWarning, AgeCheckPending:
	default:
		return false
	}
	return next.Notice != NoticeCancelled && next.Notice != NoticeSaleTimedOut
}

// payStatus is the terminal's prompt in lang: its English text in
// English when it sent one.
func payStatus(v View, lang string) string {
	if lang == SpeechEnglish && v.PayStatusEn != "" {
		return v.PayStatusEn
	}
	return v.PayStatus
}

func hasCall(cs []Call, k CallKind) bool {
	for _, c := range cs {
		if c.Kind == k {
			return true
		}
	}
	return false
}

// basketDiff is what went from prev to next: the lines added or grown
// (Qty: the quantity now) in next's order, and the lines removed or
// shrunk (Qty: the quantity now, 0 when gone) in prev's order.
func basketDiff(prev, next []Line) (added, removed []Line) {
	qty := func(ls []Line, g GTIN) int {
		for _, l := range ls {
			if l.Product.GTIN == g {
				return l.Qty
			}
		}
		return 0
	}
	for _, l := range prev {
		if q := qty(next, l.Product.GTIN); q < l.Qty {
			removed = append(removed, Line{Product: l.Product, Qty: q})
		}
	}
	for _, l := range next {
		if l.Qty > qty(prev, l.Product.GTIN) {
			added = append(added, l)
		}
	}
	return added, removed
}
