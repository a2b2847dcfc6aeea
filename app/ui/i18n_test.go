package ui

import (
	"regexp"
	"strings"
	"testing"

	"selvkasse/kiosk"
)

// TestCatalogComplete: every key exists, non-empty, in every language,
// with the same format verbs.
func TestCatalogComplete(t *testing.T) {
	base := catalog[DefaultLang]
	if len(base) == 0 {
		t.Fatal("the default language has no texts")
	}
	verbs := regexp.MustCompile(`%[-+# 0]*[0-9]*[a-zA-Z%]`)
	for _, lang := range Languages() {
		texts, ok := catalog[lang]
		if !ok {
			t.Fatalf("no catalog for %q", lang)
		}
		for k, s := range base {
			other, ok := texts[k]
			if !ok || strings.TrimSpace(other) == "" {
				t.Errorf("%s: %q missing", lang, k)
				continue
			}
			if a, b := verbs.FindAllString(s, -1), verbs.FindAllString(other, -1); strings.Join(a, " ") != strings.Join(b, " ") {
				t.Errorf("%s: %q has verbs %q, %s has %q", lang, k, b, DefaultLang, a)
			}
		}
		for k := range texts {
			if _, ok := base[k]; !ok {
				t.Errorf("%s: %q is not in %s", lang, k, DefaultLang)
			}
		}
	}
	if len(catalog) != len(Languages()) {
		t.Errorf("catalog has %d languages, Languages() lists %d", len(catalog), len(Languages()))
	}
}

// TestEveryNoticeTranslated: every kiosk.Notice but None has a text in
// every language, with and without its argument.
func TestEveryNoticeTranslated(t *testing.T) {
	for n := kiosk.Notice(1); n < 255; n++ {
		if n.String() == "Notice(?)" {
			continue // not a notice
		}
		for _, lang := range Languages() {
			bare := noticeText(lang, n, "")
			withArg := noticeText(lang, n, "ARG")
			for _, s := range []string{bare, withArg} {
				if s == "" || strings.HasPrefix(s, "!") || strings.Contains(s, "%!") {
					t.Errorf("%s: notice %v reads %q", lang, n, s)
				}
			}
			if m := noticeMsgs[n]; m[1] != "" && !strings.Contains(withArg, "ARG") {
				t.Errorf("%s: notice %v drops its argument: %q", lang, n, withArg)
			}
		}
	}
	if noticeText(LangNorwegian, kiosk.NoticeNone, "x") != "" {
		t.Error("NoticeNone has a text")
	}
}

func TestTranslate(t *testing.T) {
	for _, c := range []struct {
		lang string
		m    msg
		args []any
		want string
	}{
		{LangNorwegian, mWelcome, nil, "Velkommen!"},
		{LangEnglish, mWelcome, nil, "Welcome!"},
		{"", mWelcome, nil, "Velkommen!"},
		{"de", mWelcome, nil, "Velkommen!"},
		{LangNorwegian, mPay, []any{kiosk.Money(123450).String()}, "Betal kr 1 234,50"},
		{LangEnglish, mPay, []any{kiosk.Money(123450).String()}, "Pay kr 1 234,50"},
		{LangNorwegian, mReceiptNo, []any{uint64(42)}, "Kvittering nr. 42"},
		{LangNorwegian, msg("no such key"), nil, "!no such key"},
	} {
		if got := tr(c.lang, c.m, c.args...); got != c.want {
			t.Errorf("tr(%q, %q) = %q, want %q", c.lang, c.m, got, c.want)
		}
	}
	for _, c := range []struct {
		lang string
		n    int
		want string
	}{
		{LangNorwegian, 1, "1 vare"}, {LangNorwegian, 2, "2 varer"}, {LangNorwegian, 0, "0 varer"},
		{LangEnglish, 1, "1 item"}, {LangEnglish, 12, "12 items"},
	} {
		if got := itemCount(c.lang, c.n); got != c.want {
			t.Errorf("itemCount(%q, %d) = %q, want %q", c.lang, c.n, got, c.want)
		}
	}
}
