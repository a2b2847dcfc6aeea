package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
)

func TestExportAgeChecks(t *testing.T) {
	ctx := context.Background()
	j := kiosktest.NewStore()
	day := time.Date(2026, 12, 3, 0, 0, 0, 0, time.Local)
	for _, e := range []kiosk.Entry{
		{Code: kiosk.CodeOther, Subtype: kiosk.SubAgeApproved, Time: day.Add(-time.Hour), Kiosk: "K1", SaleID: "before",
			Data: map[string]string{"staff": "ola", "method": "badge"}},
		{Code: kiosk.CodeOther, Subtype: kiosk.SubAgeApproved, Time: day.Add(10 * time.Hour), Kiosk: "K1", SaleID: "s1",
			Data: map[string]string{"staff": "ola", "method": "badge", "min_age": "18", "groups": "tobacco"}},
		{Code: kiosk.CodeOther, Subtype: kiosk.SubPaymentIntent, Time: day.Add(10 * time.Hour), Kiosk: "K1", SaleID: "s1"},
		{Code: kiosk.CodeOther, Subtype: kiosk.SubAgeRefused, Time: day.Add(23 * time.Hour), Kiosk: "K2", SaleID: "s2",
			Data: map[string]string{"staff": "kari", "method": "key switch", "min_age": "18", "groups": "tobacco"}},
		{Code: kiosk.CodeOther, Subtype: kiosk.SubAgeApproved, Time: day.AddDate(0, 0, 1), Kiosk: "K1", SaleID: "after"},
	} {
		if _, err := j.Append(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	n, err := exportAgeChecks(ctx, j, day, day.AddDate(0, 0, 1), &b)
	if err != nil || n != 2 {
		t.Fatalf("exportAgeChecks = %d, %v; want the day's 2 checks", n, err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		ageCheckHeader,
		{day.Add(10 * time.Hour).Format(time.RFC3339), "K1", "s1", "ola", "badge", "approved", "18", "tobacco"},
		{day.Add(23 * time.Hour).Format(time.RFC3339), "K2", "s2", "kari", "key switch", "refused", "18", "tobacco"},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows %q", rows)
	}
	for i := range want {
		for k := range want[i] {
			if rows[i][k] != want[i][k] {
				t.Errorf("row %d column %s = %q, want %q", i, ageCheckHeader[k], rows[i][k], want[i][k])
			}
		}
	}
}
