package kiosk

import (
	"slices"
	"strings"
	"testing"
	"time"
)

var (
	nrSnus = Product{GTIN: MustGTIN("7038010009457"), Name: "Snus", Group: GroupTobacco, VAT: VAT25, Price: 8900, MinAge: 18, Cabinet: true, Compartment: 3, Stock: 10}
	nrCola = Product{GTIN: MustGTIN("7039990000113"), Name: "Cola", Group: GroupSoftDrink, VAT: VAT15, Price: 3250, Stock: 10}
	nrCan  = Product{GTIN: MustGTIN("7039990000175"), Name: "Solo", Group: GroupSoftDrink, VAT: VAT15, Price: 2490, Deposit: 200, Stock: 10}
)

// nrView is a customer view in state s with lines, its basket revision
// rev.
func nrView(s State, rev uint64, lines ...Line) View {
	v := View{State: s, Lines: lines, Rev: rev}
	for _, l := range lines {
		v.Total += l.Total()
		v.Count += l.Qty
	}
	return v
}

// warnView is the inactivity warning over the basket with left on its
// countdown and extends more times the customer may ask for more time.
func warnView(left time.Duration, extends int) View {
	v := nrView(TimeoutWarning, 1, Line{Product: nrSnus, Qty: 1})
	v.WarningLeft, v.ExtendsLeft = left, extends
	return v
}

// pcView is the price check showing pi.
func pcView(pi PriceInfo) View {
	v := nrView(PriceCheck, 1)
	v.PriceCheck = &pi
	return v
}

func texts(ps []Phrase) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Text
	}
	return out
}

func TestNarrate(t *testing.T) {
	help := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	idle := nrView(Idle, 0)
	shop1 := nrView(Shopping, 1, Line{Product: nrSnus, Qty: 1})
	shop2 := nrView(Shopping, 2, Line{Product: nrSnus, Qty: 1}, Line{Product: nrCola, Qty: 1})
	shop3 := nrView(Shopping, 3, Line{Product: nrSnus, Qty: 2}, Line{Product: nrCola, Qty: 1})
	paying := nrView(Paying, 2, Line{Product: nrSnus, Qty: 1}, Line{Product: nrCola, Qty: 1})
	payingTerm := paying
	payingTerm.PayStatus, payingTerm.PayStatusEn = "Sett inn kort", "Insert card"
	releasing := nrView(Releasing, 2, Line{Product: nrSnus, Qty: 1}, Line{Product: nrCola, Qty: 1})
	releasing.Release = []ReleaseItem{{Name: "Snus", Qty: 2, Compartment: 3}}
	refused := shop1
	refused.Notice, refused.NoticeArg = NoticeUnknownCode, "123"
	soldOut := shop1
	soldOut.Notice, soldOut.NoticeArg = NoticeOutOfStock, "Cola"
	declined := nrView(PaymentDeclined, 2, Line{Product: nrSnus, Qty: 1}, Line{Product: nrCola, Qty: 1})
	declined.Notice, declined.NoticeArg = NoticeDeclined, "Ikke nok dekning"
	cancelled := idle
	cancelled.Rev, cancelled.Notice = 3, NoticeCancelled
	helped := shop1
	helped.Help = help
	doorOpen := releasing
	doorOpen.Calls = []Call{{Kind: CallDoorOpen, Arg: "3"}}
	staff := shop1
	staff.Staff = &StaffView{Phase: StaffPIN}
	removed := nrView(Shopping, 4, Line{Product: nrCola, Qty: 1})
	removed.Rev = 4

	tests := []struct {
		name       string
		prev, next View
		lang       string
		tone       Tone
		say        []string
		prompt     string
	}{
		{"first item nb", idle, shop1, "nb", ToneAccepted,
			[]string{"Snus, 89 kroner.", "Totalt 89 kroner. Skann flere varer, eller trykk Betal."},
			"Totalt 89 kroner. Skann flere varer, eller trykk Betal."},
		{"first item en", idle, shop1, "en", ToneAccepted,
			[]string{"Snus, 89 kroner.", "Total 89 kroner. Scan more items, or press Pay."},
			"Total 89 kroner. Scan more items, or press Pay."},
		{"second item: item and total", shop1, shop2, "nb", ToneAccepted,
			[]string{"Cola, 32 kroner og 50 øre.", "Totalt 121 kroner og 50 øre."},
			"Totalt 121 kroner og 50 øre. Skann flere varer, eller trykk Betal."},
		{"one more of a line says the quantity", shop2, shop3, "en", ToneAccepted,
			[]string{"Snus, 89 kroner. Quantity 2.", "Total 210 kroner and 50 øre."},
			"Total 210 kroner and 50 øre. Scan more items, or press Pay."},
		{"line removed", shop2, removed, "nb", 0,
			[]string{"Fjernet: Snus.", "Totalt 32 kroner og 50 øre."},
			"Totalt 32 kroner og 50 øre. Skann flere varer, eller trykk Betal."},
		{"unknown code: refused tone, digits not read", shop1, refused, "nb", ToneRefused,
			[]string{"Ukjent strekkode. Spør en ansatt."}, "Totalt 89 kroner. Skann flere varer, eller trykk Betal."},
		{"sold out names the product", shop1, soldOut, "en", ToneRefused,
			[]string{"Sold out: Cola."}, "Total 89 kroner. Scan more items, or press Pay."},
		{"pay", shop2, paying, "nb", 0,
			[]string{"Å betale: 121 kroner og 50 øre. Følg instruksjonene på betalingsterminalen."},
			"Å betale: 121 kroner og 50 øre. Følg instruksjonene på betalingsterminalen."},
		{"terminal prompt en", paying, payingTerm, "en", 0, []string{"Insert card"},
			"To pay: 121 kroner and 50 øre. Follow the instructions on the payment terminal."},
		{"terminal prompt nb", paying, payingTerm, "nb", 0, []string{"Sett inn kort"},
			"Å betale: 121 kroner og 50 øre. Følg instruksjonene på betalingsterminalen."},
		{"same terminal prompt is not said twice", payingTerm, payingTerm, "nb", 0, nil,
			"Å betale: 121 kroner og 50 øre. Følg instruksjonene på betalingsterminalen."},
		{"declined: reason once, in the prompt", paying, declined, "nb", 0,
			[]string{"Betalingen gikk ikke gjennom. Kortet ble avvist: Ikke nok dekning. Trykk Prøv igjen, eller avbryt handelen."},
			"Betalingen gikk ikke gjennom. Kortet ble avvist: Ikke nok dekning. Trykk Prøv igjen, eller avbryt handelen."},
		{"release with compartment nb", payingTerm, releasing, "nb", 0,
			[]string{"Skapet er åpent. Ta 2 Snus fra rom 3. Lukk døren etterpå."},
			"Skapet er åpent. Ta 2 Snus fra rom 3. Lukk døren etterpå."},
		{"release with compartment en", payingTerm, releasing, "en", 0,
			[]string{"The cabinet is open. Take 2 Snus from compartment 3. Close the door afterwards."},
			"The cabinet is open. Take 2 Snus from compartment 3. Close the door afterwards."},
		{"door left open", releasing, doorOpen, "nb", ToneAttention,
			[]string{"Døren til skapet står åpen. Lukk den, er du snill."},
			"Skapet er åpent. Ta 2 Snus fra rom 3. Lukk døren etterpå."},
		{"thanks", releasing, nrView(Receipt, 2), "en", 0, []string{"Thank you for shopping!"}, "Thank you for shopping!"},
		{"cancelled: notice then welcome", shop2, cancelled, "nb", 0,
			[]string{"Handelen er avbrutt.", "Velkommen! Skann en vare for å starte."},
			"Velkommen! Skann en vare for å starte."},
		{"age refused: the 18+ lines are named", nrView(AgeCheckPending, 2, Line{Product: nrSnus, Qty: 1}, Line{Product: nrCola, Qty: 1}),
			func() View {
				v := nrView(Shopping, 3, Line{Product: nrCola, Qty: 1})
				v.Notice = NoticeAgeRefused
				return v
			}(), "en", 0,
			[]string{"Items with an age limit of 18 were taken out of your basket.", "Removed: Snus.", "Total 32 kroner and 50 øre. Scan more items, or press Pay."},
			"Total 32 kroner and 50 øre. Scan more items, or press Pay."},
		{"help called", shop1, helped, "en", ToneAttention, []string{"Help is called. A member of staff is coming."},
			"Total 89 kroner. Scan more items, or press Pay."},
		{"help withdrawn", helped, shop1, "nb", 0, []string{"Hjelp-anropet er trukket tilbake."},
			"Totalt 89 kroner. Skann flere varer, eller trykk Betal."},
		{"age check: attention", shop1, nrView(AgeCheckPending, 1, Line{Product: nrSnus, Qty: 1}), "nb", ToneAttention,
			[]string{"Alderskontroll. En ansatt kommer for å kontrollere alderen din. Ha legitimasjon klar."},
			"Alderskontroll. En ansatt kommer for å kontrollere alderen din. Ha legitimasjon klar."},
		{"staff screen is not narrated", shop1, staff, "nb", 0, nil, ""},
		{"back from staff screen says the prompt", staff, shop1, "nb", 0,
			[]string{"Totalt 89 kroner. Skann flere varer, eller trykk Betal."},
			"Totalt 89 kroner. Skann flere varer, eller trykk Betal."},
		{"price check: the prompt", shop1, nrView(PriceCheck, 1, Line{Product: nrSnus, Qty: 1}), "nb", 0,
			[]string{"Prissjekk. Skann en vare for å se prisen. Den legges ikke i kurven."},
			"Prissjekk. Skann en vare for å se prisen. Den legges ikke i kurven."},
		{"price check: an item scanned", nrView(PriceCheck, 1), pcView(PriceInfo{Name: "Cola", Price: 3250, Amount: 3250}), "en", ToneAccepted,
			[]string{"Cola costs 32 kroner and 50 øre. Price check. Scan an item to see its price. It is not added to your basket."},
			"Cola costs 32 kroner and 50 øre. Price check. Scan an item to see its price. It is not added to your basket."},
		{"price check: a weight label", pcView(PriceInfo{Name: "Cola", Price: 3250, Amount: 3250}), pcView(PriceInfo{Name: "Godteri", Price: 18900, Grams: 452, Amount: 8543}), "nb", ToneAccepted,
			[]string{"Godteri, 452 gram, koster 85 kroner og 43 øre. Kilopris 189 kroner. Prissjekk. Skann en vare for å se prisen. Den legges ikke i kurven."},
			"Godteri, 452 gram, koster 85 kroner og 43 øre. Kilopris 189 kroner. Prissjekk. Skann en vare for å se prisen. Den legges ikke i kurven."},
		{"price check: a kg product by its own code", nrView(PriceCheck, 1), pcView(PriceInfo{Name: "Nøtter", Price: 14900, Amount: 14900, ByKg: true}), "nb", ToneAccepted,
			[]string{"Nøtter koster 149 kroner per kilo. Varen selges etter vekt: vei den og skann etiketten fra vekten. Prissjekk. Skann en vare for å se prisen. Den legges ikke i kurven."},
			"Nøtter koster 149 kroner per kilo. Varen selges etter vekt: vei den og skann etiketten fra vekten. Prissjekk. Skann en vare for å se prisen. Den legges ikke i kurven."},
		{"warning: the time left", shop1, warnView(27*time.Second, 9), "nb", ToneAttention,
			[]string{"Er du der fortsatt? Trykk Jeg trenger mer tid, eller hvor som helst på skjermen, for å fortsette. Handelen avbrytes om 27 sekunder."},
			"Er du der fortsatt? Trykk Jeg trenger mer tid, eller hvor som helst på skjermen, for å fortsette. Handelen avbrytes om 27 sekunder."},
		{"warning: counting down is not spoken every second", warnView(27*time.Second, 9), warnView(26*time.Second, 9), "en", 0, nil,
			"Are you still there? Press I need more time, or anywhere on the screen, to continue. The purchase will be cancelled in 26 seconds."},
		{"warning: ten seconds left, said once more", warnView(11*time.Second, 9), warnView(10*time.Second, 9), "en", ToneAttention,
			[]string{"Are you still there? Press I need more time, or anywhere on the screen, to continue. The purchase will be cancelled in 10 seconds."},
			"Are you still there? Press I need more time, or anywhere on the screen, to continue. The purchase will be cancelled in 10 seconds."},
		{"warning: no more time", shop1, warnView(20*time.Second, 0), "en", ToneAttention,
			[]string{"Are you still there? Press I need more time, or anywhere on the screen, to continue. No more time can be given now. Press Help if you need a member of staff."},
			"Are you still there? Press I need more time, or anywhere on the screen, to continue. No more time can be given now. Press Help if you need a member of staff."},
		{"an item with pant: the pant is said with the price", shop1, nrView(Shopping, 2, Line{Product: nrSnus, Qty: 1}, NewLine(nrCan, 1)), "nb", ToneAccepted,
			[]string{"Solo, 24 kroner og 90 øre pluss pant 2 kroner.", "Totalt 115 kroner og 90 øre."},
			"Totalt 115 kroner og 90 øre. Skann flere varer, eller trykk Betal."},
		{"price check: an item with pant", nrView(PriceCheck, 1), pcView(PriceInfo{Name: "Solo", Price: 2490, Amount: 2490, Pant: 200}), "en", ToneAccepted,
			[]string{"Solo costs 24 kroner and 90 øre plus a deposit of 2 kroner. Price check. Scan an item to see its price. It is not added to your basket."},
			"Solo costs 24 kroner and 90 øre plus a deposit of 2 kroner. Price check. Scan an item to see its price. It is not added to your basket."},
		{"unknown language is Norwegian", shop1, nrView(Idle, 2), "de", 0,
			[]string{"Fjernet: Snus.", "Velkommen! Skann en vare for å starte."}, "Velkommen! Skann en vare for å starte."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := Narrate(tt.prev, tt.next, tt.lang)
			if n.Tone != tt.tone {
				t.Errorf("tone %v, want %v", n.Tone, tt.tone)
			}
			if got := texts(n.Say); !slices.Equal(got, tt.say) {
				t.Errorf("said\n%q\nwant\n%q", got, tt.say)
			}
			if n.Prompt.Text != tt.prompt {
				t.Errorf("prompt %q, want %q", n.Prompt.Text, tt.prompt)
			}
			// A scan or a pick cuts what is being said: an item added
			// or a code refused, nothing else (a sale's end, a staff
			// step, the terminal do not).
			if wantCut := tt.tone == ToneAccepted || tt.tone == ToneRefused; n.Cut != wantCut {
				t.Errorf("cut %v, want %v", n.Cut, wantCut)
			}
			wantLang := speechLang(tt.lang)
			for _, p := range n.Say {
				if p.Lang != wantLang {
					t.Errorf("phrase %q in %q, want %q", p.Text, p.Lang, wantLang)
				}
			}
		})
	}
}

func TestFailed(t *testing.T) {
	if got := Failed("en"); got != (Phrase{Lang: "en", Text: "That did not work. Try again, or press Help."}) {
		t.Errorf("Failed(en) = %v", got)
	}
	if got := Failed("xx"); got.Lang != "nb" || got.Text != "Det gikk ikke. Prøv igjen, eller trykk Hjelp." {
		t.Errorf("Failed(xx) = %v", got)
	}
}

func TestGreeting(t *testing.T) {
	got := texts(Greeting(nrView(Idle, 0), "en"))
	want := []string{"Speech is on. Press repeat to hear it again, and stop for silence.", "Welcome! Scan an item to start."}
	if !slices.Equal(got, want) {
		t.Errorf("greeting %q, want %q", got, want)
	}
	staff := nrView(Idle, 0)
	staff.Staff = &StaffView{Phase: StaffSignedIn}
	if got := Greeting(staff, "nb"); len(got) != 1 {
		t.Errorf("greeting on the staff screen %q: want only that speech is on", texts(got))
	}
}

// TestPromptEveryState: every state has a prompt in both languages.
func TestPromptEveryState(t *testing.T) {
	for _, lang := range []string{SpeechNorwegian, SpeechEnglish} {
		seen := map[string]State{}
		for _, s := range States() {
			p := Prompt(nrView(s, 1, Line{Product: nrSnus, Qty: 1}), lang)
			if p.Text == "" || p.Lang != lang {
				t.Errorf("%s %v: prompt %v", lang, s, p)
			}
			if o, dup := seen[p.Text]; dup {
				t.Errorf("%s: %v and %v have the same prompt %q", lang, o, s, p.Text)
			}
			seen[p.Text] = s
		}
	}
}

func TestSpokenMoney(t *testing.T) {
	tests := []struct {
		m      Money
		nb, en string
	}{
		{8900, "89 kroner", "89 kroner"},
		{8950, "89 kroner og 50 øre", "89 kroner and 50 øre"},
		{100, "1 krone", "1 krone"},
		{105, "1 krone og 5 øre", "1 krone and 5 øre"},
		{50, "50 øre", "50 øre"},
		{0, "0 kroner", "0 kroner"},
		{123456, "1234 kroner og 56 øre", "1234 kroner and 56 øre"},
		{-2500, "minus 25 kroner", "minus 25 kroner"},
	}
	for _, tt := range tests {
		if got := SpokenMoney(tt.m, "nb"); got != tt.nb {
			t.Errorf("SpokenMoney(%d, nb) = %q, want %q", tt.m, got, tt.nb)
		}
		if got := SpokenMoney(tt.m, "en"); got != tt.en {
			t.Errorf("SpokenMoney(%d, en) = %q, want %q", tt.m, got, tt.en)
		}
	}
}

// TestSpeechWordsComplete: every key and notice in both languages, and
// no Norwegian letters in the English texts.
func TestSpeechWordsComplete(t *testing.T) {
	for k := range speechWords[SpeechNorwegian] {
		if _, ok := speechWords[SpeechEnglish][k]; !ok {
			t.Errorf("en lacks %q", k)
		}
	}
	for k := range speechWords[SpeechEnglish] {
		if _, ok := speechWords[SpeechNorwegian][k]; !ok {
			t.Errorf("nb lacks %q", k)
		}
	}
	for n := range noticeNames {
		if n == NoticeNone {
			continue
		}
		for _, lang := range []string{SpeechNorwegian, SpeechEnglish} {
			if noticeSpoken(lang, n, "") == "" {
				t.Errorf("%s: no spoken text for notice %v", lang, n)
			}
		}
	}
	for k, s := range speechWords[SpeechEnglish] {
		if k != sOre && strings.ContainsAny(s, "æøåÆØÅ") {
			t.Errorf("en %q is Norwegian: %q", k, s)
		}
	}
}
