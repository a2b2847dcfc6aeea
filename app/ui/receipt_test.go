package ui

import (
	"os"
	"path/filepath"
	"testing"

	"selvkasse/kiosk"
)

// TestReceiptNotPrintedNotice: a paid customer whose receipt did not print
// is told it prints later, never to pay at the counter.
func TestReceiptNotPrintedNotice(t *testing.T) {
	d := mustDemo(t)
	for _, lang := range []string{LangNorwegian, LangEnglish} {
		t.Run(lang, func(t *testing.T) {
			newTestApp(t)
			v := d.views()[kiosk.Receipt]
			v.Notice = kiosk.NoticeReceiptNotPrinted
			_, w := showScreen(t, newFakeKiosk(v), lang, size1280)
			if want := tr(lang, mNoticeReceiptNotPrinted); !hasText(w, want) {
				t.Errorf("the receipt screen does not show %q; it shows %q", want, texts(w))
			}
			if hasText(w, tr(lang, mNoticePrinterDown)) {
				t.Error("a paid customer is asked to pay at the counter")
			}
			if dir := os.Getenv(shotsEnv); dir != "" {
				saveShot(t, filepath.Join(dir, "receipt_not_printed_"+lang+".png"), w)
			}
		})
	}
}
