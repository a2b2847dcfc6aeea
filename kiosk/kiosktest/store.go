package kiosktest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"selvkasse/kiosk"
)

var (
	_ kiosk.Catalog     = (*Store)(nil)
	_ kiosk.NameFinder  = (*Store)(nil)
	_ kiosk.SaleStore   = (*Store)(nil)
	_ kiosk.Journal     = (*Store)(nil)
	_ kiosk.ReportStore = (*Store)(nil)
)

// Store is an in-memory kiosk.Catalog, kiosk.SaleStore, kiosk.Journal and
// kiosk.ReportStore and kiosk.ReceiptStore (receipts.go) in one object,
// as the real store is one object: a SaleStore write, the journal entry
// it carries and the report totals they count happen together or not at
// all.
//
// It keeps every value in the JSON form the real store persists, so what
// comes back has been through the same encoding (times lose their monotonic
// reading, nil and empty collections look alike). It is safe for
// concurrent use. The zero value is not usable; call NewStore.
type Store struct {
	mu sync.Mutex

	products map[kiosk.GTIN][]byte
	sales    map[storeSaleRef][]byte
	saleIDs  map[string]storeSaleRef
	done     []storeSaleRef // completion order
	counters map[string]uint64
	pending  map[string]storePendingRec
	records  [][]byte
	head     []byte            // kept apart from records, as the real store does
	totals   map[string][]byte // kiosk.Totals by kiosk ID

	fails []storeFailure
	calls []string

	signer kiosk.Signer
	zone   *time.Location
	sigs   map[string]string // each kiosk's last signature

	receipts storeReceipts // the reprint queue and copies (receipts.go)
	returns  storeReturns  // the returns (returns.go)
}

type storeSaleRef struct {
	kiosk string
	no    uint64
}

type storePendingRec struct {
	order   uint64 // journal sequence of the first save: the tie-break
	started time.Time
	data    []byte
}

type storeFailure struct {
	method string // "" for any write
	err    error
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{
		products: map[kiosk.GTIN][]byte{},
		sales:    map[storeSaleRef][]byte{},
		saleIDs:  map[string]storeSaleRef{},
		counters: map[string]uint64{},
		pending:  map[string]storePendingRec{},
		signer:   &Signer{},
		zone:     storeZone,
		sigs:     map[string]string{},
		totals:   map[string][]byte{},
	}
}

// SetSigner sets the key CompleteSale signs cash transactions with (nil:
// none, and CompleteSale refuses with kiosk.ErrSignerUnavailable), as
// storage.DB.SetSigner does. A new Store signs with a fake Signer in
// Europe/Oslo.
func (s *Store) SetSigner(signer kiosk.Signer, zone *time.Location) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.signer, s.zone = signer, zone
}

// FailNext makes the next write (Put, SavePending, CompleteSale,
// VoidPending, Append, Report or a kiosk.ReceiptStore write) return err
// and change nothing. Calls queue: two calls fail the next two writes.
func (s *Store) FailNext(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fails = append(s.fails, storeFailure{err: err})
}

// FailNextCall is FailNext for the next call of the named write method
// only ("CompleteSale", "Append", …); other writes go through.
func (s *Store) FailNextCall(method string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fails = append(s.fails, storeFailure{method: method, err: err})
}

// Calls lists the write methods called so far, in order, failed ones
// included.
func (s *Store) Calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// Records returns every journal record, in order.
func (s *Store) Records() []kiosk.Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]kiosk.Record, 0, len(s.records))
	for _, b := range s.records {
		r, err := kiosk.DecodeRecord(b)
		if err != nil {
			panic(fmt.Sprintf("kiosktest: stored record does not decode: %v", err))
		}
		out = append(out, r)
	}
	return out
}

// Sales returns the completed sales in the order they were completed.
func (s *Store) Sales() []kiosk.Sale {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]kiosk.Sale, 0, len(s.done))
	for _, ref := range s.done {
		var sale kiosk.Sale
		storeUnmarshal(s.sales[ref], &sale)
		out = append(out, sale)
	}
	return out
}

// write records a write call and takes the failure queued for it, if any.
// s.mu is held.
func (s *Store) write(ctx context.Context, method string) error {
	s.calls = append(s.calls, method)
	for i, f := range s.fails {
		if f.method == "" || f.method == method {
			s.fails = append(s.fails[:i], s.fails[i+1:]...)
			return f.err
		}
	}
	return ctx.Err()
}

// Lookup implements kiosk.Catalog. g is canonicalised first, so an EAN-13
// finds its GTIN-14.
func (s *Store) Lookup(ctx context.Context, g kiosk.GTIN) (kiosk.Product, error) {
	if err := ctx.Err(); err != nil {
		return kiosk.Product{}, err
	}
	c, err := kiosk.ParseGTIN(string(g))
	if err != nil {
		return kiosk.Product{}, fmt.Errorf("kiosktest: lookup %q: %w", g, kiosk.ErrNotFound)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.products[c]
	if !ok {
		b, ok = s.byBarcode(c)
	}
	var p kiosk.Product
	if ok {
		storeUnmarshal(b, &p)
	}
	if !ok || p.Inactive {
		return kiosk.Product{}, fmt.Errorf("kiosktest: lookup %s: %w", c, kiosk.ErrNotFound)
	}
	return p, nil
}

// byBarcode finds the product with extra barcode g. s.mu must be held.
func (s *Store) byBarcode(g kiosk.GTIN) ([]byte, bool) {
	for _, b := range s.products {
		var p kiosk.Product
		storeUnmarshal(b, &p)
		if p.Barcodes.Has(g) {
			return b, true
		}
	}
	return nil, false
}

// Cabinet implements kiosk.Catalog.
func (s *Store) Cabinet(ctx context.Context) ([]kiosk.Product, error) {
	ps, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	out := kiosk.CabinetOnly(ps)
	return slices.DeleteFunc(out, func(p kiosk.Product) bool { return p.Inactive }), nil
}

// List implements kiosk.Catalog: by name, then GTIN.
func (s *Store) List(ctx context.Context) ([]kiosk.Product, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	out := make([]kiosk.Product, 0, len(s.products))
	for _, b := range s.products {
		var p kiosk.Product
		storeUnmarshal(b, &p)
		out = append(out, p)
	}
	s.mu.Unlock()
	storeSortProducts(out)
	return out, nil
}

// FindNames implements kiosk.NameFinder: List's products whose name
// match accepts, at most max.
func (s *Store) FindNames(ctx context.Context, match func(name string) bool, max int) ([]kiosk.Product, error) {
	ps, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	return kiosk.FindNamesIn(ps, match, max), nil
}

// storeSortProducts sorts ps the way Catalog.Cabinet and Catalog.List return
// them: by name, then by GTIN.
func storeSortProducts(ps []kiosk.Product) {
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].Name != ps[j].Name {
			return ps[i].Name < ps[j].Name
		}
		return ps[i].GTIN < ps[j].GTIN
	})
}

// Put implements kiosk.Catalog.
func (s *Store) Put(ctx context.Context, p kiosk.Product) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.write(ctx, "Put"); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	for _, g := range append([]kiosk.GTIN{p.GTIN}, p.Barcodes.GTINs()...) {
		if b, ok := s.byBarcode(g); ok {
			var q kiosk.Product
			storeUnmarshal(b, &q)
			if q.GTIN != p.GTIN {
				return fmt.Errorf("kiosktest: put %s: %s is product %s's barcode: %w", p.GTIN, g, q.GTIN, kiosk.ErrConflict)
			}
		}
		if _, ok := s.products[g]; ok && g != p.GTIN {
			return fmt.Errorf("kiosktest: put %s: %s is another product: %w", p.GTIN, g, kiosk.ErrConflict)
		}
	}
	b, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("kiosktest: put %s: %w", p.GTIN, err)
	}
	s.products[p.GTIN] = b
	return nil
}

// SavePending implements kiosk.SaleStore. Errors besides the contract's:
// an error for an empty ID.
func (s *Store) SavePending(ctx context.Context, p kiosk.PendingSale, e kiosk.Entry, more ...kiosk.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.write(ctx, "SavePending"); err != nil {
		return err
	}
	if p.ID == "" {
		return errors.New("kiosktest: save pending: empty sale ID")
	}
	if _, ok := s.saleIDs[p.ID]; ok {
		return fmt.Errorf("kiosktest: save pending %s: already completed: %w", p.ID, kiosk.ErrConflict)
	}
	b, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("kiosktest: save pending %s: %w", p.ID, err)
	}
	recs, err := s.sealAll(append([]kiosk.Entry{e}, more...))
	if err != nil {
		return err
	}
	old, ok := s.pending[p.ID]
	order := recs[0].Seq
	if ok {
		order = old.order
	}
	s.pending[p.ID] = storePendingRec{order: order, started: p.Started, data: b}
	if t := s.totalsLocked(p.Kiosk); t.OpenSale(p.ID) {
		s.setTotalsLocked(t)
	}
	for _, r := range recs {
		s.commitRecord(r.b)
	}
	return nil
}

// Pending implements kiosk.SaleStore: oldest Started first; sales started
// at the same time in the order they were first saved.
func (s *Store) Pending(ctx context.Context) ([]kiosk.PendingSale, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	recs := make([]storePendingRec, 0, len(s.pending))
	for _, r := range s.pending {
		recs = append(recs, r)
	}
	s.mu.Unlock()
	sort.Slice(recs, func(i, j int) bool {
		if !recs[i].started.Equal(recs[j].started) {
			return recs[i].started.Before(recs[j].started)
		}
		return recs[i].order < recs[j].order
	})
	out := make([]kiosk.PendingSale, 0, len(recs))
	for _, r := range recs {
		var p kiosk.PendingSale
		storeUnmarshal(r.data, &p)
		out = append(out, p)
	}
	return out, nil
}

// CompleteSale implements kiosk.SaleStore. Stock is decremented even below
// zero (the goods are gone; a stocktake puts it right), and lines whose
// product is no longer in the catalog are skipped: a paid sale is never
// refused over stock. Errors besides the contract's: an empty ID, or a
// kiosk ID containing a NUL byte.
func (s *Store) CompleteSale(ctx context.Context, sale kiosk.Sale, e kiosk.Entry) (kiosk.Sale, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.write(ctx, "CompleteSale"); err != nil {
		return kiosk.Sale{}, err
	}
	if sale.ID == "" {
		return kiosk.Sale{}, errors.New("kiosktest: complete sale: empty sale ID")
	}
	if strings.ContainsRune(sale.Kiosk, 0) {
		return kiosk.Sale{}, fmt.Errorf("kiosktest: complete sale %s: kiosk ID %q contains NUL", sale.ID, sale.Kiosk)
	}
	if ref, ok := s.saleIDs[sale.ID]; ok {
		return kiosk.Sale{}, fmt.Errorf("kiosktest: complete sale %s: already completed as receipt %d: %w", sale.ID, ref.no, kiosk.ErrConflict)
	}
	ref := storeSaleRef{kiosk: sale.Kiosk, no: s.counters[sale.Kiosk] + 1}
	sale.No = ref.no
	b, err := json.Marshal(sale)
	if err != nil {
		return kiosk.Sale{}, fmt.Errorf("kiosktest: complete sale %s: %w", sale.ID, err)
	}
	stock := map[kiosk.GTIN][]byte{}
	for g, qty := range storeLineQuantities(sale.Lines) {
		if sale.Training {
			break // training moves no stock (kassasystemforskrifta § 2-8-7)
		}
		pb, ok := s.products[g]
		if !ok {
			continue
		}
		var p kiosk.Product
		storeUnmarshal(pb, &p)
		p.Stock -= qty
		if p.Stock < 0 {
			p.Recount = true // sold beyond the stock: count it (kiosk/stock.go)
		}
		if stock[g], err = json.Marshal(p); err != nil {
			return kiosk.Sale{}, fmt.Errorf("kiosktest: complete sale %s: %w", sale.ID, err)
		}
	}
	e.Code, e.ReceiptNo = kiosk.CodeCashSale, ref.no
	tx := kiosk.NewCashTx(sale)
	if s.signer == nil || s.zone == nil {
		return kiosk.Sale{}, fmt.Errorf("kiosktest: complete sale %s: %w", sale.ID, kiosk.ErrSignerUnavailable)
	}
	prev, ok := s.sigs[sale.Kiosk]
	if !ok {
		prev = kiosk.FirstPreviousSignature
	}
	data, err := tx.SignatureInput(prev).Data(s.zone)
	if err != nil {
		return kiosk.Sale{}, fmt.Errorf("kiosktest: complete sale %s: %w", sale.ID, err)
	}
	if tx.Signature, tx.KeyVersion, err = s.signer.Sign(data); err != nil {
		return kiosk.Sale{}, fmt.Errorf("kiosktest: complete sale %s: %w", sale.ID, err)
	}
	e.Tx = &tx
	_, recB, err := s.seal(e)
	if err != nil {
		return kiosk.Sale{}, err
	}
	// Nothing can fail from here on: all or nothing.
	s.sigs[sale.Kiosk] = tx.Signature
	s.counters[sale.Kiosk] = ref.no
	s.sales[ref] = b
	s.saleIDs[sale.ID] = ref
	s.done = append(s.done, ref)
	for g, pb := range stock {
		s.products[g] = pb
	}
	delete(s.pending, sale.ID)
	t := s.totalsLocked(sale.Kiosk)
	t.AddSale(decodeSale(b))
	s.setTotalsLocked(t)
	s.commitRecord(recB)
	var out kiosk.Sale
	storeUnmarshal(b, &out)
	return out, nil
}

// storeLineQuantities sums the quantities of lines by GTIN: what CompleteSale
// takes off the stock.
func storeLineQuantities(lines []kiosk.Line) map[kiosk.GTIN]int {
	m := map[kiosk.GTIN]int{}
	for _, l := range lines {
		m[l.Product.GTIN] += l.Qty
	}
	return m
}

// VoidPending implements kiosk.SaleStore.
func (s *Store) VoidPending(ctx context.Context, id string, e kiosk.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.write(ctx, "VoidPending"); err != nil {
		return err
	}
	if _, ok := s.pending[id]; !ok {
		if ref, done := s.saleIDs[id]; done {
			return fmt.Errorf("kiosktest: void pending %s: %w (completed as receipt %d: %w)", id, kiosk.ErrNotFound, ref.no, kiosk.ErrConflict)
		}
		return fmt.Errorf("kiosktest: void pending %s: %w", id, kiosk.ErrNotFound)
	}
	_, recB, err := s.seal(e)
	if err != nil {
		return err
	}
	var p kiosk.PendingSale
	storeUnmarshal(s.pending[id].data, &p)
	delete(s.pending, id)
	if t := s.totalsLocked(p.Kiosk); t.CloseSale(id) {
		s.setTotalsLocked(t)
	}
	s.commitRecord(recB)
	return nil
}

// Sale implements kiosk.SaleStore.
func (s *Store) Sale(ctx context.Context, kioskID string, no uint64) (kiosk.Sale, error) {
	if err := ctx.Err(); err != nil {
		return kiosk.Sale{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.sales[storeSaleRef{kioskID, no}]
	if !ok {
		return kiosk.Sale{}, fmt.Errorf("kiosktest: sale %q/%d: %w", kioskID, no, kiosk.ErrNotFound)
	}
	var sale kiosk.Sale
	storeUnmarshal(b, &sale)
	return sale, nil
}

// Append implements kiosk.Journal.
func (s *Store) Append(ctx context.Context, e kiosk.Entry) (kiosk.Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.write(ctx, "Append"); err != nil {
		return kiosk.Record{}, err
	}
	_, recB, err := s.seal(e)
	if err != nil {
		return kiosk.Record{}, err
	}
	s.commitRecord(recB)
	r, err := kiosk.DecodeRecord(recB)
	if err != nil {
		return kiosk.Record{}, fmt.Errorf("kiosktest: append: %w", err)
	}
	return r, nil
}

// seal makes the record for e after the head, without storing it. s.mu is
// held.
func (s *Store) seal(e kiosk.Entry) (kiosk.Record, []byte, error) {
	rs, err := s.sealAll([]kiosk.Entry{e})
	if err != nil {
		return kiosk.Record{}, nil, err
	}
	return rs[0].Record, rs[0].b, nil
}

type sealed struct {
	kiosk.Record
	b []byte
}

// sealAll seals es as a chain after the head, committing nothing: all or
// none of them are committed.
func (s *Store) sealAll(es []kiosk.Entry) ([]sealed, error) {
	head, err := s.headLocked()
	if err != nil {
		return nil, err
	}
	out := make([]sealed, 0, len(es))
	for _, e := range es {
		r, err := kiosk.Seal(head, e)
		if err != nil {
			return nil, err
		}
		b, err := r.Encode()
		if err != nil {
			return nil, fmt.Errorf("kiosktest: encode journal record: %w", err)
		}
		out = append(out, sealed{r, b})
		head = r
	}
	return out, nil
}

// commitRecord stores a sealed record and counts it into the report
// totals, as the real store's append does.
func (s *Store) commitRecord(b []byte) {
	s.records = append(s.records, b)
	s.head = b
	r, err := kiosk.DecodeRecord(b)
	if err != nil {
		panic(fmt.Sprintf("kiosktest: sealed record does not decode: %v", err))
	}
	if r.Kiosk == "" {
		return
	}
	t := s.totalsLocked(r.Kiosk)
	if t.AddEntry(r.Entry) {
		s.setTotalsLocked(t)
	}
}

// decodeSale decodes a sale the store encoded.
func decodeSale(b []byte) kiosk.Sale {
	var sale kiosk.Sale
	storeUnmarshal(b, &sale)
	return sale
}

func (s *Store) totalsLocked(kioskID string) kiosk.Totals {
	t := kiosk.Totals{Kiosk: kioskID}
	if b, ok := s.totals[kioskID]; ok {
		storeUnmarshal(b, &t)
	}
	return t
}

func (s *Store) setTotalsLocked(t kiosk.Totals) {
	b, err := json.Marshal(t)
	if err != nil {
		panic(fmt.Sprintf("kiosktest: encode totals: %v", err))
	}
	s.totals[t.Kiosk] = b
}

// Totals implements kiosk.ReportStore.
func (s *Store) Totals(ctx context.Context, kioskID string) (kiosk.Totals, error) {
	if err := ctx.Err(); err != nil {
		return kiosk.Totals{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.totalsLocked(kioskID), nil
}

// ListTotals implements kiosk.ReportStore.
func (s *Store) ListTotals(ctx context.Context) ([]kiosk.Totals, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.totals))
	for id := range s.totals {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := make([]kiosk.Totals, 0, len(ids))
	for _, id := range ids {
		out = append(out, s.totalsLocked(id))
	}
	return out, nil
}

// Report implements kiosk.ReportStore.
func (s *Store) Report(ctx context.Context, kioskID string, close bool, build func(kiosk.Totals, kiosk.Record) (kiosk.Entry, error)) (kiosk.Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.write(ctx, "Report"); err != nil {
		return kiosk.Record{}, err
	}
	if t := s.totalsLocked(kioskID); close && len(t.Open) > 0 {
		return kiosk.Record{}, fmt.Errorf("kiosktest: Z report of %s: %w: sale %s", kioskID, kiosk.ErrSaleOpen, t.Open[0])
	}
	head, err := s.headLocked()
	if err != nil {
		return kiosk.Record{}, err
	}
	e, err := build(s.totalsLocked(kioskID), head)
	if err != nil {
		return kiosk.Record{}, err
	}
	_, recB, err := s.seal(e)
	if err != nil {
		return kiosk.Record{}, err
	}
	s.commitRecord(recB)
	r, err := kiosk.DecodeRecord(recB)
	if err != nil {
		return kiosk.Record{}, fmt.Errorf("kiosktest: report: %w", err)
	}
	if close {
		t := s.totalsLocked(kioskID)
		t.CloseZ(r)
		s.setTotalsLocked(t)
	}
	return r, nil
}

func (s *Store) headLocked() (kiosk.Record, error) {
	if s.head == nil {
		return kiosk.Record{}, nil
	}
	return kiosk.DecodeRecord(s.head)
}

// Scan implements kiosk.Journal. It scans a snapshot, so fn may call the
// store.
func (s *Store) Scan(ctx context.Context, from uint64, fn func(kiosk.Record) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if from == 0 {
		from = 1
	}
	s.mu.Lock()
	var snap [][]byte
	if from <= uint64(len(s.records)) {
		snap = slices.Clone(s.records[from-1:])
	}
	s.mu.Unlock()
	for _, b := range snap {
		if err := ctx.Err(); err != nil {
			return err
		}
		r, err := kiosk.DecodeRecord(b)
		if err != nil {
			return fmt.Errorf("kiosktest: scan journal: %w", err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// Head implements kiosk.Journal.
func (s *Store) Head(ctx context.Context) (kiosk.Record, error) {
	if err := ctx.Err(); err != nil {
		return kiosk.Record{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.headLocked()
}

// storeUnmarshal decodes JSON the store itself wrote.
func storeUnmarshal(b []byte, v any) {
	if err := json.Unmarshal(b, v); err != nil {
		panic(fmt.Sprintf("kiosktest: stored value does not decode: %v", err))
	}
}
