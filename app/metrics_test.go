package app

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/prometheus/client_golang/prometheus/testutil/promlint"

	"selvkasse/app/ui"
	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

// TestMetricsAfterSale sells a soda through the real wiring with the
// kiosk screen bound (Fyne's test driver) and reads /metrics and
// /healthz: every family is there, named by Prometheus' conventions,
// the sale and its durable writes are counted, and /healthz says which
// basket revision the screen drew.
func TestMetricsAfterSale(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	db := mustSeededDB(t, dir)
	defer db.Close()
	clk := kiosktest.NewClock(time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC))
	term, scanner := kiosktest.NewPaymentTerminal(clk), kiosktest.NewScanner(clk)
	printer := kiosktest.NewPrinter()
	printer.SetStatus(kiosk.PrinterStatus{Ready: true})
	m := newMetrics(dir)
	co := newMeteredCheckout("K1", DemoShop, db, Devices{Scanner: scanner, Terminal: term, Printer: printer,
		Cabinet: kiosktest.NewCabinetLock(clk), Staff: kiosktest.NewStaffApproval()}, clk, nil, m)
	m.view = co.View
	if err := co.Start(ctx); err != nil {
		t.Fatal(err)
	}
	ran := make(chan struct{})
	go func() { defer close(ran); co.Run(ctx) }()
	defer func() { cancel(); <-ran }()
	hs := &server{co: co, start: time.Now(), metrics: m}
	srv := httptest.NewServer(hs.handler())
	defer srv.Close()

	a := test.NewTempApp(t)
	w := a.NewWindow("Selvkasse")
	screen := ui.NewScreen(co, ui.LangNorwegian)
	w.SetContent(screen.Content())
	drawn := make(chan uint64, 64)
	screen.SetOnRender(func(v kiosk.View) {
		clk.Advance(3 * time.Millisecond) // the render "takes" 3 ms
		hs.rendered(v, clk.Now())
		select {
		case drawn <- v.Rev:
		default: // nobody waits for this one
		}
	})
	unbind := screen.Bind()
	defer unbind()

	waitDrawn := func(rev uint64) {
		t.Helper()
		for {
			select {
			case r := <-drawn:
				if r >= rev {
					return
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("revision %d never drawn", rev)
			}
		}
	}

	scanner.Feed(cola)
	v := untilView(t, co, "shopping", 10*time.Second, func(v kiosk.View) bool { return v.State == kiosk.Shopping })
	waitDrawn(v.Rev)
	if err := co.Pay(); err != nil {
		t.Fatal(err)
	}
	if _, err := term.WaitAuthorize(ctx); err != nil {
		t.Fatal(err)
	}
	if err := term.Respond(kiosktest.PayApproved()); err != nil {
		t.Fatal(err)
	}
	v = untilView(t, co, "the receipt", 10*time.Second, func(v kiosk.View) bool { return v.State == kiosk.Receipt })
	if v.Rev < 2 {
		t.Fatalf("rev %d after a sale: the basket emptied is a revision too", v.Rev)
	}
	waitDrawn(v.Rev)

	body := get(t, srv.URL+"/metrics")
	for _, want := range []string{
		"selvkasse_sales_completed_total 1\n",
		`selvkasse_durable_write_seconds_count{op="save_pending"}`,
		`selvkasse_durable_write_seconds_count{op="complete_sale"} 1` + "\n",
		`selvkasse_durable_write_seconds_count{op="journal_append"}`,
		`selvkasse_basket_to_screen_seconds_bucket{le="0.004"}`,
		"selvkasse_resident_memory_bytes ",
		"selvkasse_data_free_bytes ",
		`selvkasse_device_fault{device="scanner"} 0` + "\n",
		`selvkasse_device_fault{device="receipt printer"} 0` + "\n",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q:\n%s", want, body)
		}
	}
	// Every render took 3 ms on the fake clock, so the first draw of
	// each revision counts in the 4 ms bucket and none below.
	if !strings.Contains(body, `selvkasse_basket_to_screen_seconds_bucket{le="0.002"} 0`+"\n") {
		t.Errorf("basket to screen below 2 ms:\n%s", body)
	}
	mfs, err := m.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if !strings.HasPrefix(mf.GetName(), "selvkasse_") {
			t.Errorf("metric %s without the selvkasse_ prefix", mf.GetName())
		}
	}
	problems, err := promlint.NewWithMetricFamilies(mfs).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("promlint: %s: %s", p.Metric, p.Text)
	}

	var h Health
	if err := json.Unmarshal([]byte(get(t, srv.URL+"/healthz")), &h); err != nil {
		t.Fatal(err)
	}
	if h.RSSBytes <= 0 {
		t.Errorf("rss_bytes %d", h.RSSBytes)
	}
	if h.Drawn == nil || h.Drawn.Rev != v.Rev || h.Drawn.At.Before(v.RevAt) {
		t.Errorf("drawn %+v, want rev %d after %v", h.Drawn, v.Rev, v.RevAt)
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return string(b)
}
