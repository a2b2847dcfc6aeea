package kiosk

import (
	"context"
	"errors"
	"testing"
)

// sliceJournal is a Journal over records as they are, for tampering.
type sliceJournal struct {
	rs   []Record
	head Record
}

func (j *sliceJournal) Append(context.Context, Entry) (Record, error) {
	return Record{}, errors.New("read only")
}

func (j *sliceJournal) Scan(ctx context.Context, from uint64, fn func(Record) error) error {
	for _, r := range j.rs {
		if r.Seq >= from {
			if err := fn(r); err != nil {
				return err
			}
		}
	}
	return nil
}

func (j *sliceJournal) Head(context.Context) (Record, error) { return j.head, nil }

// TestVerifyTail: the start's check of the journal's last records finds a
// record altered in its window, a head that is not the last record and a
// cash transaction that does not add up, and costs the window, not the
// journal: damage before the window is the full verify's to find.
func TestVerifyTail(t *testing.T) {
	ctx := context.Background()
	tx := &CashTx{Nr: 1, Lines: []TxLine{{Qty: 1, Price: 100, Amount: 100, VAT: VAT25}}, VAT: []TxVAT{{Rate: VAT25, Gross: 100, Net: 80, VAT: 20}},
		AmountIn: 100, AmountEx: 80, Payment: TxPayment{Method: "card", Amount: 100}}
	for _, tt := range []struct {
		name   string
		tamper func(rs []Record, head *Record)
		want   error
	}{
		{"intact", func([]Record, *Record) {}, nil},
		{"a record in the window altered", func(rs []Record, _ *Record) { rs[17].Amount++ }, ErrChainBroken},
		{"the head rolled back", func(rs []Record, head *Record) { *head = rs[18] }, ErrChainBroken},
		{"a cash transaction that does not add up, resealed", func(rs []Record, head *Record) {
			e := rs[19].Entry
			e.Code, e.ReceiptNo, e.Tx = CodeCashSale, 1, tx
			bad := *tx
			bad.AmountIn = 999
			e.Tx = &bad
			r, _ := Seal(rs[18], e)
			rs[19], *head = r, r
		}, ErrTxInconsistent},
		{"a record before the window altered", func(rs []Record, _ *Record) { rs[3].Amount++ }, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rs := mustChain(t, 20)
			head := rs[19]
			tt.tamper(rs, &head)
			err := VerifyTail(ctx, &sliceJournal{rs: rs, head: head}, 8, VerifyOptions{})
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("VerifyTail = %v; want %v", err, tt.want)
			}
		})
	}
	if err := VerifyTail(ctx, &sliceJournal{}, 8, VerifyOptions{}); err != nil {
		t.Errorf("VerifyTail of an empty journal = %v", err)
	}
}
