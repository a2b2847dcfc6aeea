package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"selvkasse/app/ui"
	"selvkasse/kiosk"
	"selvkasse/storage"
)

// refusedStore says whether err from storage.Open or attachSigner is one
// the kiosk shows on its screen (out of order, the reason for the
// technician) instead of exiting: a store behind its journal anchor,
// damaged data, a data dir it cannot use, a signing key missing or
// unusable, a journal whose last records do not verify (prepareStore). A data dir another process has open (storage.ErrInUse) is
// not: that is a second kiosk started by mistake, and it exits.
func refusedStore(err error) bool {
	return errors.Is(err, storage.ErrCorrupt) || errors.Is(err, kiosk.ErrSignerUnavailable) ||
		errors.Is(err, kiosk.ErrChainBroken) || errors.Is(err, kiosk.ErrCorruptRecord) ||
		errors.Is(err, storage.ErrUnavailable) && !errors.Is(err, storage.ErrInUse)
}

// refusedHealth is /healthz of a kiosk whose store was refused.
func refusedHealth(err error, since time.Time) Health {
	return Health{
		Status: "out-of-order", State: kiosk.OutOfOrder.String(), StateCode: int(kiosk.OutOfOrder),
		Screen: kiosk.OutOfOrder.String(), Fault: err.Error(), Total: kiosk.Money(0).String(),
		UptimeSec: int64(time.Since(since) / time.Second), Light: "off", Calls: []HealthCall{},
	}
}

// refuse runs a kiosk that must not sell because its store was refused at
// open (refusedStore): the out-of-order screen with the reason, /healthz
// saying out-of-order with the error as the fault, and systemd told it is
// up (so it is not restarted in a loop that shows nothing), until ctx
// ends. The store is not open, so nothing is journaled; dataErr goes to
// stderr for the system log. It returns nil when stopped.
func (k *kioskRun) refuse(ctx context.Context, stop context.CancelFunc, o kioskOptions, dataDir string, dataErr error, stderr io.Writer) error {
	reason := openDataErr(dataDir, dataErr)
	if errors.Is(dataErr, kiosk.ErrSignerUnavailable) {
		reason = fmt.Errorf("signing key of %s: %w", dataDir, dataErr)
	}
	fmt.Fprintf(stderr, "selvkasse: %v\nThe kiosk shows itself out of order and does not sell.\n", reason)
	l, err := listenLoopback(o.Health)
	if err != nil {
		return err
	}
	hs := &server{start: time.Now(), refused: dataErr}
	srv := serve(l, hs, k.log)
	defer shutdown(srv)

	a := fyneapp.NewWithID(o.AppID)
	a.Settings().SetTheme(ui.Theme())
	w := a.NewWindow("Selvkasse")
	why, check := ui.RefusalData, "selvkasse journal verify --data "+shellQuote(dataDir)
	switch {
	case errors.Is(dataErr, storage.ErrRolledBack):
		why = ui.RefusalLost
	case errors.Is(dataErr, kiosk.ErrSignerUnavailable):
		why, check = ui.RefusalKey, "selvkasse keys export --data "+shellQuote(dataDir)+" (README: Signing keys)"
	}
	w.SetContent(ui.StoreRefused(o.Lang, why, dataErr.Error(), check))
	w.Resize(fyne.NewSize(1280, 800))
	w.SetFullScreen(o.Fullscreen)
	w.SetMaster()
	// The content is in before the loop runs; no store is open to close.
	rendered := make(chan struct{})
	close(rendered)
	k.showUntilStopped(ctx, a, w, rendered, func() {})
	stop()
	return nil
}
