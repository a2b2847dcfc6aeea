package saft

import (
	"fmt"
	"time"
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
	if t.Time.IsZero() {
		return "", fmt.Errorf("%w: signature data: transaction %q has no time", ErrInvalid, t.Nr)
	}
	if previous == "" {
		return "", fmt.Errorf("%w: signature data: no previous signature (the first is \"0\")", ErrInvalid)
	}
	at := t.Time.In(z)
	return previous + ";" + at.Format(time.DateOnly) + ";" + at.Format(time.TimeOnly) + ";" + t.Nr + ";" +
		amount(t.AmountIn) + ";" + amount(t.AmountEx), nil
}
