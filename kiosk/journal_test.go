package kiosk

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func mustChain(tb testing.TB, n int) []Record {
	tb.Helper()
	var out []Record
	var prev Record
	t0 := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		r, err := Seal(prev, Entry{Code: CodeOther, Subtype: SubCabinetDoor, Time: t0.Add(time.Duration(i) * time.Second), Kiosk: "K1", Amount: Money(i * 100), Data: map[string]string{"b": "2", "a": "1"}})
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, r)
		prev = r
	}
	return out
}

func TestChainVerifies(t *testing.T) {
	var v ChainVerifier
	for _, r := range mustChain(t, 5) {
		b, err := r.Encode()
		if err != nil {
			t.Fatal(err)
		}
		back, err := DecodeRecord(b)
		if err != nil {
			t.Fatal(err)
		}
		if err := v.Add(back); err != nil {
			t.Fatal(err)
		}
	}
	if v.Count != 5 {
		t.Fatalf("count %d", v.Count)
	}
}

func TestChainDetectsTampering(t *testing.T) {
	tests := map[string]func(rs []Record) []Record{
		"edited amount": func(rs []Record) []Record { rs[2].Amount = 1; return rs },
		"edited time":   func(rs []Record) []Record { rs[2].Time = rs[2].Time.Add(time.Hour); return rs },
		"deleted":       func(rs []Record) []Record { return append(rs[:2], rs[3:]...) },
		"swapped":       func(rs []Record) []Record { rs[1], rs[2] = rs[2], rs[1]; return rs },
		"resealed":      func(rs []Record) []Record { r, _ := Seal(rs[1], Entry{Code: CodeSalesReceipt}); rs[2] = r; return rs },
	}
	for name, tamper := range tests {
		t.Run(name, func(t *testing.T) {
			var v ChainVerifier
			var err error
			for _, r := range tamper(mustChain(t, 5)) {
				if err = v.Add(r); err != nil {
					break
				}
			}
			if !errors.Is(err, ErrChainBroken) {
				t.Fatalf("err = %v, want ErrChainBroken", err)
			}
		})
	}
}

func TestDecodeRecordCorrupt(t *testing.T) {
	for _, b := range []string{"", "{", `{"body":{"seq":"x"}}`, `{"body":{"seq":1,"evil":2}}`, `{"body":{},"hash":"zz"}`} {
		if _, err := DecodeRecord([]byte(b)); !errors.Is(err, ErrCorruptRecord) {
			t.Errorf("DecodeRecord(%q) err = %v", b, err)
		}
	}
}

func FuzzDecodeRecord(f *testing.F) {
	rs := mustChain(f, 1)
	b, _ := rs[0].Encode()
	f.Add(b)
	f.Add([]byte(`{"body":{}}`))
	f.Add(append(b[:len(b)-2:len(b)-2], ` "}`...))
	f.Add([]byte(`{"body":{"seq":1},"body":{"seq":2},"hash":"` + strings.Repeat("0", 64) + `"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := DecodeRecord(b)
		// The short cut for the stored form decodes as the plain JSON
		// parse does.
		if want, werr := decodeRecordJSON(b); (err == nil) != (werr == nil) || err == nil && !reflect.DeepEqual(r, want) {
			t.Fatalf("DecodeRecord(%q) = %+v, %v; the JSON parse gives %+v, %v", b, r, err, want, werr)
		}
		if err != nil {
			return
		}
		var v ChainVerifier
		_ = v.Add(r) // must not panic
	})
}

// memJournal is a minimal Journal for VerifyJournal's test.
type memJournal struct {
	recs []Record
	head Record
}

func (m *memJournal) Append(_ context.Context, e Entry) (Record, error) {
	r, err := Seal(m.head, e)
	m.recs = append(m.recs, r)
	m.head = r
	return r, err
}
func (m *memJournal) Scan(_ context.Context, from uint64, fn func(Record) error) error {
	for _, r := range m.recs {
		if r.Seq >= from {
			if err := fn(r); err != nil {
				return err
			}
		}
	}
	return nil
}
func (m *memJournal) Head(context.Context) (Record, error) { return m.head, nil }

func TestVerifyJournalHead(t *testing.T) {
	ctx := context.Background()
	j := &memJournal{}
	for i := 0; i < 3; i++ {
		if _, err := j.Append(ctx, Entry{Code: CodeSalesReceipt, Amount: 100}); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := VerifyJournal(ctx, j)
	if err != nil || sum.Records != 3 || sum.ByCode[CodeSalesReceipt] != 3 {
		t.Fatalf("VerifyJournal = %+v, %v", sum, err)
	}
	j.recs = j.recs[:2] // the last record deleted: the head still says 3
	if _, err := VerifyJournal(ctx, j); !errors.Is(err, ErrChainBroken) {
		t.Fatalf("deleted last record: err = %v", err)
	}
}

// TestDecodeRecordShortCut: what Encode and SealEncoded write has the
// shape DecodeRecord's short cut reads, so that a scan of the journal
// does not parse every record twice.
func TestDecodeRecordShortCut(t *testing.T) {
	for _, r := range mustChain(t, 3) {
		b, err := r.Encode()
		if err != nil {
			t.Fatal(err)
		}
		if body, h, ok := splitWire(b); !ok || h != r.Hash || !json.Valid(body) {
			t.Errorf("splitWire(%q) = %q, %v, %v; want the body and hash %v", b, body, h, ok, r.Hash)
		}
	}
}

// BenchmarkDecodeRecord decodes a card payment's intent record as a seeded
// history holds it (about 600 bytes), with DecodeRecord and, as the
// baseline in the same run, with the whole record parsed as JSON.
func BenchmarkDecodeRecord(b *testing.B) {
	_, enc, err := SealEncoded(Record{Seq: 499}, Entry{Code: CodeOther, Subtype: SubPaymentIntent,
		Time: time.Date(2023, 1, 1, 3, 46, 40, 0, time.UTC), Kiosk: "K1", SaleID: "K1-20230101T034630-0000151",
		Amount: 37330, Text: "card payment requested", Data: map[string]string{"attempt": "1", "terminal_before": "100150"}})
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		decode func([]byte) (Record, error)
	}{{"short-cut", DecodeRecord}, {"json", decodeRecordJSON}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(enc)))
			for b.Loop() {
				if _, err := c.decode(enc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
