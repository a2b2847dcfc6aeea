package saft

import (
	"fmt"
	"time"

	"selvkasse/kiosk"
)

// SignatureData is the text a cash transaction's signature is computed
// over, per Skatteetaten's signature guideline for SAF-T Cash Register:
//
//	previousSignature;transDate;transTime;nr;transAmntIn;transAmntEx
//
// previous is the register's previous signature ("0" for its first
// transaction). Date, time and amounts are formatted exactly as Encode
// writes transDate, transTime, nr, transAmntIn and transAmntEx, in zone
// (nil: Europe/Oslo), so a verifier can recompute every signature from the
// file. Signing itself (RSA-SHA1 or HMAC-SHA1, keyVersion) is not done
// here.
func SignatureData(previous string, t CashTransaction, zone *time.Location) (string, error) {
	d := Doc{Zone: zone}
	z, err := d.zone()
	if err != nil {
		return "", err
	}
	if previous == "" {
		return "", fmt.Errorf("%w: signature data: no previous signature (the first is \"0\")", ErrInvalid)
	}
	// The string itself is the kiosk's, the one the journal signs.
	data, err := kiosk.SignatureInput{Previous: previous, Time: t.Time, Nr: t.Nr, AmountIn: t.AmountIn, AmountEx: t.AmountEx}.Data(z)
	if err != nil {
		return "", fmt.Errorf("%w: signature data: transaction %q: %w", ErrInvalid, t.Nr, err)
	}
	return data, nil
}
