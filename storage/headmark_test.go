package storage

import (
	"testing"

	"selvkasse/kiosk"
)

// TestQuickMark: the head's number and hash read without decoding agree
// with the full decode for records as Encode writes them, and anything
// else is left to the full decode.
func TestQuickMark(t *testing.T) {
	var prev kiosk.Record
	for i := range 12 {
		e := kiosk.Entry{Code: kiosk.CodeOther, Kiosk: "K1", Text: `quote " brace } "hash":"x"`, Data: map[string]string{"i": string(rune('a' + i))}}
		r, b, err := kiosk.SealEncoded(prev, e)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := quickMark(b)
		if !ok || got.Seq != r.Seq || got.Hash != r.Hash {
			t.Fatalf("quickMark(record %d) = %d %s %v; want %d %s", r.Seq, got.Seq, got.Hash, ok, r.Seq, r.Hash)
		}
		prev = r
	}
	for _, b := range []string{"", "{}", `{"body":{"seq":1}}`, `{"body":{"seq":,"x":1},"hash":"` + string(make([]byte, 64)) + `"}`,
		`{"body":{"seq":1,"x":1},"hash":"zz"}`, `{"body":{"seq":0,"x":1},"hash":"0000000000000000000000000000000000000000000000000000000000000000"}`} {
		if r, ok := quickMark([]byte(b)); ok {
			t.Errorf("quickMark(%q) = %+v, true; want it left to the decode", b, r)
		}
	}
}
