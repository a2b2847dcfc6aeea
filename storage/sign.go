package storage

import (
	"context"
	"fmt"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"selvkasse/kiosk"
)

// SetSigner gives the store the key it signs cash transactions with, and
// the time zone of the signatures' dates (Europe/Oslo). Until it is
// called, CompleteSale refuses with kiosk.ErrSignerUnavailable: a sale is
// never recorded unsigned.
func (d *DB) SetSigner(s kiosk.Signer, zone *time.Location) {
	d.signMu.Lock()
	defer d.signMu.Unlock()
	d.signer, d.zone = s, zone
}

// signTx makes t the kiosk's cash transaction e records (its code set to
// kiosk.CodeCashSale), signs it in txn after the kiosk's last signature,
// and makes its signature the kiosk's last. Errors:
// kiosk.ErrSignerUnavailable when no signer is set or the signer fails
// (wrapped).
func (d *DB) signTx(txn *badger.Txn, kioskID string, t *kiosk.CashTx) error {
	prev, err := getRaw(txn, sigKey(kioskID))
	if err != nil {
		return err
	}
	sig, err := d.sign(string(prev), t)
	if err != nil {
		return err
	}
	return set(txn, sigKey(kioskID), []byte(sig))
}

// sign signs t after prev, the kiosk's last signature ("" for none), and
// returns t's signature.
func (d *DB) sign(prev string, t *kiosk.CashTx) (string, error) {
	d.signMu.RLock()
	signer, zone := d.signer, d.zone
	d.signMu.RUnlock()
	if signer == nil || zone == nil {
		return "", fmt.Errorf("storage: sign receipt %d: %w", t.Nr, kiosk.ErrSignerUnavailable)
	}
	if prev == "" {
		prev = kiosk.FirstPreviousSignature
	}
	data, err := t.SignatureInput(prev).Data(zone)
	if err != nil {
		return "", fmt.Errorf("storage: sign receipt %d: %w", t.Nr, err)
	}
	sig, v, err := signer.Sign(data)
	if err != nil {
		return "", fmt.Errorf("storage: sign receipt %d: %w", t.Nr, err)
	}
	t.Signature, t.KeyVersion = sig, v
	return sig, nil
}

// Signed says whether any cash transaction was signed in the store: from
// then on its signing key must be there (a missing key is a lost key,
// never one to make anew).
func (d *DB) Signed(ctx context.Context) (bool, error) {
	var found bool
	err := d.call("signed", func() error {
		return d.view(ctx, func(txn *badger.Txn) error {
			if err := d.verifyPrefix([]byte(prefSig)); err != nil {
				return err
			}
			it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefSig)})
			defer it.Close()
			it.Rewind()
			found = it.Valid()
			return nil
		})
	})
	return found, err
}
