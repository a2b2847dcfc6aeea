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
	_, _, err := loadSigner(ctx, db, dataDir, kioskID, now)
	return err
}

// loadSigner is attachSigner, returning the keys it gave db and the time
// zone of their signatures.
func loadSigner(ctx context.Context, db *storage.DB, dataDir, kioskID string, now time.Time) (*signing.Keys, *time.Location, error) {
	zone, err := signingZone()
	if err != nil {
		return nil, nil, err
	}
	signed, err := db.Signed(ctx)
	if err != nil {
		return nil, nil, err
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
		return nil, nil, err
	}
	db.SetSigner(keys, zone)
	return keys, zone, nil
}

// tailRecords is how many of the journal's last records are checked at
// every start (kiosk.VerifyTail): a few days of a busy kiosk, about 90 ms
// with each sale's RSA signature checked, whatever the journal's length.
const tailRecords = 2048

// prepareStore readies the store for selling, as `run` and `demo` start:
// the signing key (attachSigner), then the journal's last records checked
// (their chain, their figures, their signatures). A record that fails is
// an error matching kiosk.ErrChainBroken or kiosk.ErrCorruptRecord: the
// kiosk shows itself out of order (refusedStore) and writes nothing more.
func prepareStore(ctx context.Context, db *storage.DB, dataDir, kioskID string, now time.Time) error {
	keys, zone, err := loadSigner(ctx, db, dataDir, kioskID, now)
	if err != nil {
		return err
	}
	// Every public key was loaded with the signing key.
	o := kiosk.VerifyOptions{Signatures: keys.Public(), Zone: zone}
	if err := kiosk.VerifyTail(ctx, db, tailRecords, o); err != nil {
		return fmt.Errorf("the journal's last records do not verify at start: %w", err)
	}
	return nil
}
