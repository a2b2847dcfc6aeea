package zvt

import "fmt"

// text is a message in Norwegian bokmål and English.
type text struct{ nb, en string }

// statusTexts maps the intermediate status byte of 04 FF to customer texts
// (ZVT 13.08 §3.7, table 17). Codes 41–69 are the base code + 40 with
// "please remove card" added, as the table lists them.
var statusTexts = map[byte]text{
	0x00: {"Venter på bekreftelse av beløp", "Waiting for amount confirmation"},
	0x01: {"Tast PIN – se PIN-tastaturet", "Enter PIN – please watch the PIN pad"},
	0x02: {"Tast PIN – se PIN-tastaturet", "Enter PIN – please watch the PIN pad"},
	0x03: {"Ikke godtatt", "Not accepted"},
	0x04: {"Venter på svar fra banken", "Waiting for the bank's answer"},
	0x05: {"Sender automatisk tilbakeføring", "Sending auto-reversal"},
	0x06: {"Sender etterposteringer", "Sending post-bookings"},
	0x07: {"Kortet er ikke godtatt", "Card not admitted"},
	0x08: {"Ukjent kort", "Card unknown"},
	0x09: {"Kortet er utløpt", "Expired card"},
	0x0A: {"Sett inn kort", "Insert card"},
	0x0B: {"Ta ut kortet", "Please remove card"},
	0x0C: {"Kortet kan ikke leses", "Card not readable"},
	0x0D: {"Behandlingsfeil", "Processing error"},
	0x0E: {"Vent litt …", "Please wait…"},
	0x0F: {"Terminalen starter dagsoppgjør", "Terminal is starting end-of-day"},
	0x10: {"Ugyldig kort", "Invalid card"},
	0x11: {"Viser saldo", "Balance display"},
	0x12: {"Systemfeil", "System malfunction"},
	0x13: {"Betaling ikke mulig", "Payment not possible"},
	0x14: {"Ikke nok dekning", "Credit not sufficient"},
	0x15: {"Feil PIN", "Incorrect PIN"},
	0x16: {"Beløpsgrensen er nådd", "Limit not sufficient"},
	0x17: {"Vent litt …", "Please wait…"},
	0x18: {"For mange feil PIN-forsøk", "PIN try limit exceeded"},
	0x19: {"Feil i kortdata", "Card data incorrect"},
	0x1A: {"Servicemodus", "Service mode"},
	0x1B: {"Godkjent. Fyll drivstoff", "Approved. Please fill up"},
	0x1C: {"Godkjent. Ta varene", "Approved. Please take goods"},
	0x1D: {"Avvist", "Declined"},
	0x26: {"Venter på mobilnummer", "Waiting for mobile number"},
	0x27: {"Venter på gjentatt mobilnummer", "Waiting for mobile number again"},
	0x28: {"Valutavalg, vent litt …", "Currency selection, please wait…"},
	0x29: {"Språkvalg, vent litt …", "Language selection, please wait…"},
	0x2A: {"Sett inn kort for påfylling", "For loading please insert card"},
	0x2B: {"Nøddrift, vent litt …", "Emergency transaction, please wait…"},
	0x2C: {"Valg av debet/kreditt, vent litt …", "Application selection, please wait…"},
	0x68: {"Kortet er registrert", "Card inserted"},
	0x69: {"Velg DCC", "Please select DCC"},
	0xC7: {"Venter på kilometerstand", "Waiting for mileage"},
	0xC8: {"Venter på betjeningen", "Waiting for cashier"},
	0xC9: {"Terminalen starter diagnose", "Terminal is starting diagnosis"},
	0xCA: {"Terminalen starter initialisering", "Terminal is starting initialisation"},
	0xCB: {"Brukerjournalen er full", "Merchant journal full"},
	0xCC: {"Trekk ikke mulig, PIN kreves", "Debit advice not possible, PIN required"},
	0xD2: {"Kobler opp …", "Connecting dial-up"},
	0xD3: {"Tilkoblet", "Dial-up connection made"},
	0xE0: {"Velg betalingsmåte", "Waiting for application selection"},
	0xE1: {"Velg språk", "Waiting for language selection"},
	0xE2: {"Bruk rensekortet", "Please use the cleaning card"},
	0xF1: {"Frakoblet", "Offline"},
	0xF2: {"Tilkoblet", "Online"},
	0xF3: {"Frakoblet transaksjon", "Offline transaction"},
}

// StatusText returns the customer texts for intermediate status code
// (ZVT 13.08 table 17). Codes 41–67 add "remove card"; unknown codes
// (including FF, "see TLV") get a generic "please wait".
func StatusText(code byte) (nb, en string) {
	if t, ok := statusTexts[code]; ok {
		return t.nb, t.en
	}
	if code >= 0x41 && code <= 0x67 {
		if code == 0x4A || code == 0x4B {
			return "Ta ut kortet", "Please remove card"
		}
		if t, ok := statusTexts[code-0x40]; ok {
			return t.nb + ". Ta ut kortet", t.en + ". Please remove card"
		}
	}
	return "Vent litt …", "Please wait…"
}

// resultTexts are the result codes of ZVT 13.08 ch. 10 in plain words.
var resultTexts = map[byte]text{
	0x00: {"Godkjent", "Approved"},
	0x64: {"Kortet kan ikke leses", "Card not readable"},
	0x65: {"Fant ingen kortdata", "Card data not present"},
	0x66: {"Behandlingsfeil", "Processing error"},
	0x67: {"Funksjonen er ikke tillatt for dette kortet", "Function not permitted for ec and Maestro cards"},
	0x68: {"Funksjonen er ikke tillatt for kredittkort", "Function not permitted for credit and fuel cards"},
	0x6A: {"Omsetningsfilen er full", "Turnover file full"},
	0x6B: {"Funksjonen er slått av", "Function deactivated (terminal not registered)"},
	0x6C: {"Avbrutt", "Aborted (time-out or abort key)"},
	0x6E: {"Kortet er sperret", "Card in blocked list"},
	0x6F: {"Feil valuta", "Wrong currency"},
	0x71: {"Ikke nok dekning på kortet", "Credit not sufficient"},
	0x72: {"Feil på brikken", "Chip error"},
	0x73: {"Feil i kortdata", "Card data incorrect"},
	0x74: {"DUKPT-nøklene er brukt opp", "DUKPT engine exhausted"},
	0x75: {"Teksten er ikke autentisk", "Text not authentic"},
	0x76: {"Kortet er ikke på hvitelisten", "PAN not in white list"},
	0x77: {"Dagsoppgjør ikke mulig", "End-of-day batch not possible"},
	0x78: {"Kortet er utløpt", "Card expired"},
	0x79: {"Kortet er ikke gyldig ennå", "Card not yet valid"},
	0x7A: {"Ukjent kort", "Card unknown"},
	0x7B: {"Magnetstripe ikke mulig", "Fallback to magnetic stripe not possible"},
	0x7C: {"Magnetstripe ikke mulig", "Fallback to magnetic stripe not possible"},
	0x7D: {"Kommunikasjonsfeil", "Communication error"},
	0x7E: {"Magnetstripe ikke mulig", "Fallback to magnetic stripe not possible, debit advice possible"},
	0x83: {"Funksjonen er ikke mulig", "Function not possible"},
	0x85: {"Nøkkel mangler", "Key missing"},
	0x89: {"PIN-tastaturet er defekt", "PIN pad defective"},
	0x9A: {"ZVT-protokollfeil", "ZVT protocol error"},
	0x9B: {"Feil i kommunikasjonen", "Error from dial-up/communication fault"},
	0x9C: {"Vent litt", "Please wait"},
	0xA0: {"Mottakeren er ikke klar", "Receiver not ready"},
	0xA1: {"Motparten svarer ikke", "Remote station does not respond"},
	0xA3: {"Ingen forbindelse", "No connection"},
	0xA4: {"Geldkarte ikke mulig", "Submission of Geldkarte not possible"},
	0xA5: {"Ikke tillatt etter PCI-DSS-reglene", "Function not allowed due to PCI-DSS/P2PE rules"},
	0xB1: {"Minnet er fullt", "Memory full"},
	0xB2: {"Brukerjournalen er full", "Merchant journal full"},
	0xB4: {"Allerede tilbakeført", "Already reversed"},
	0xB5: {"Tilbakeføring ikke mulig", "Reversal not possible"},
	0xB7: {"Feil beløp", "Pre-authorisation incorrect or amount wrong"},
	0xB8: {"Feil i forhåndsautorisasjon", "Error pre-authorisation"},
	0xBF: {"For lav spenning", "Voltage supply too low"},
	0xC0: {"Kortlåsen er defekt", "Card locking mechanism defective"},
	0xC1: {"Brukerkortet er sperret", "Merchant card locked"},
	0xC2: {"Diagnose kreves", "Diagnosis required"},
	0xC3: {"Beløpet er for høyt", "Maximum amount exceeded"},
	0xC4: {"Kortprofilen er ugyldig", "Card profile invalid"},
	0xC5: {"Betalingsmåten støttes ikke", "Payment method not supported"},
	0xC6: {"Valutaen kan ikke brukes", "Currency not applicable"},
	0xC8: {"Beløpet er for lavt", "Amount too small"},
	0xC9: {"Maksbeløpet er for lavt", "Max. transaction amount too small"},
	0xCB: {"Bare tillatt i euro", "Function only allowed in EURO"},
	0xCC: {"Skriveren er ikke klar", "Printer not ready"},
	0xCD: {"Kontantuttak ikke mulig", "Cashback not possible"},
	0xD2: {"Ikke tillatt for servicekort", "Function not permitted for service cards"},
	0xDC: {"Kortet står i", "Card inserted"},
	0xDD: {"Feil ved utmating av kortet", "Error during card eject"},
	0xDE: {"Feil ved innføring av kortet", "Error during card insertion"},
	0xE0: {"Fjernvedlikehold pågår", "Remote maintenance activated"},
	0xE2: {"Kortleseren svarer ikke", "Card reader does not answer"},
	0xE3: {"Lukkeren er lukket", "Shutter closed"},
	0xE4: {"Terminalen må aktiveres", "Terminal activation required"},
	0xE7: {"Varegruppe finnes ikke", "Min. one goods group not found"},
	0xE8: {"Ingen varegruppetabell", "No goods-groups table loaded"},
	0xE9: {"Begrensningskoden er ikke tillatt", "Restriction code not permitted"},
	0xEA: {"Kortkoden er ikke tillatt", "Card code not permitted"},
	0xEB: {"Funksjonen kan ikke utføres", "Function not executable (PIN algorithm unknown)"},
	0xEC: {"PIN-behandling ikke mulig", "PIN processing not possible"},
	0xED: {"PIN-tastaturet er defekt", "PIN pad defective"},
	0xF0: {"Åpent dagsoppgjør finnes", "Open end-of-day batch present"},
	0xF1: {"Frakoblet feil", "ec-cash/Maestro offline error"},
	0xF5: {"OPT-feil", "OPT error"},
	0xF6: {"OPT-data mangler", "OPT data not available"},
	0xFA: {"Feil ved sending av frakoblede transaksjoner", "Error transmitting offline transactions"},
	0xFB: {"Omsetningsdata er skadet", "Turnover data set defective"},
	0xFC: {"Nødvendig enhet mangler eller er defekt", "Necessary device not present or defective"},
	0xFD: {"Overføringshastigheten støttes ikke", "Baud rate not supported"},
	0xFE: {"Ukjent register", "Register unknown"},
	0xFF: {"Systemfeil", "System error"},
}

// ResultText is code's meaning in plain words (ZVT 13.08 ch. 10). Codes
// 01–63 come from the card issuer's host: "declined by the bank".
func ResultText(code byte) (nb, en string) {
	if t, ok := resultTexts[code]; ok {
		return t.nb, t.en
	}
	if code >= 0x01 && code <= 0x63 {
		return fmt.Sprintf("Avvist av banken (kode %d)", code), fmt.Sprintf("Declined by the card issuer (code %d)", code)
	}
	return fmt.Sprintf("Ukjent feil (kode %02X)", code), fmt.Sprintf("Unknown error (code %02X)", code)
}
