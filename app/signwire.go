package app

import (
	"context"
	"fmt"
	"time"

	"selvkasse/app/signing"
	"selvkasse/kiosk"
	"selvkasse/storage"
)

// signingZone is the time zone of the signatures' dates and times: Norway's
// (the binary embeds the zone database, main.go).
func signingZone() (*time.Location, error) {
	z, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		return nil, fmt.Errorf("signing: time zone Europe/Oslo: %w: %w", kiosk.ErrSignerUnavailable, err)
	}
	return z, nil
}

// attachSigner gives db the data dir's signing key (issue 12 item 2): the
// key is made on the first start, while no cash transaction has been
// signed (journaled as signing-key-created); after that it must be there,
// and a missing, unreadable or damaged key is an error matching
// kiosk.ErrSignerUnavailable: the kiosk goes out of order and never sells
// unsigned.
func attachSigner(ctx context.Context, db *storage.DB, dataDir, kioskID string, now time.Time) error {
	zone, err := signingZone()
	if err != nil {
		return err
	}
	signed, err := db.Signed(ctx)
	if err != nil {
		return err
	}
	var keys *signing.Keys
	if signed {
		keys, err = signing.Load(dataDir)
	} else {
		var created bool
		keys, created, err = signing.LoadOrCreate(dataDir, now)
		if err == nil && created {
			_, err = db.Append(ctx, kiosk.Entry{Code: kiosk.CodeOther, Subtype: kiosk.SubSigningKeyCreated, Time: now, Kiosk: kioskID,
				Text: "signing key made", Data: map[string]string{"keyVersion": keys.Version().String()}})
		}
	}
	if err != nil {
		return err
	}
	db.SetSigner(keys, zone)
	return nil
}
