package app

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"selvkasse/kiosk"
)

// metrics is the kiosk's Prometheus exposition (/metrics on the loopback
// health endpoint), in a registry of its own: completed sales, the
// latency of the checkout's durable writes, basket change to screen, the
// process's resident memory, the data dir's free space and the devices'
// faults. The last three are read when scraped.
type metrics struct {
	reg     *prometheus.Registry
	sales   prometheus.Counter
	writes  *prometheus.HistogramVec
	drawn   prometheus.Histogram
	dataDir string
	view    func() kiosk.View // the checkout's view, for the device faults; set before serving
}

// Metric descriptions read at scrape time.
var (
	rssDesc = prometheus.NewDesc("selvkasse_resident_memory_bytes",
		"Resident set size of the kiosk process (/proc/self/statm).", nil, nil)
	freeDesc = prometheus.NewDesc("selvkasse_data_free_bytes",
		"Bytes free for the kiosk in the file system of its data dir (statfs, blocks available to unprivileged users).", nil, nil)
	faultDesc = prometheus.NewDesc("selvkasse_device_fault",
		"1 while the device is faulty (as the staff screen lists it), else 0.", []string{"device"}, nil)
)

func newMetrics(dataDir string) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		sales: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "selvkasse_sales_completed_total",
			Help: "Sales completed and durably recorded by this process.",
		}),
		writes: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "selvkasse_durable_write_seconds",
			Help:    "Latency of the checkout's durable writes to the store, by operation.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 14), // 100 µs … 0.8 s
		}, []string{"op"}),
		drawn: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "selvkasse_basket_to_screen_seconds",
			Help:    "Time from the checkout publishing a basket revision (a scan, a pick, a quantity) to the kiosk screen's first render of it.",
			Buckets: []float64{0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1},
		}),
		dataDir: dataDir,
	}
	m.reg.MustRegister(m.sales, m.writes, m.drawn, scrapeCollector{m})
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// scrapeCollector reads what is measured at scrape time. A figure this
// system cannot read (no /proc: not Linux) is left out, never made up.
type scrapeCollector struct{ m *metrics }

func (c scrapeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- rssDesc
	ch <- freeDesc
	ch <- faultDesc
}

func (c scrapeCollector) Collect(ch chan<- prometheus.Metric) {
	if n, ok := residentBytes(); ok {
		ch <- prometheus.MustNewConstMetric(rssDesc, prometheus.GaugeValue, float64(n))
	}
	if c.m.dataDir != "" {
		if n, ok := freeBytes(c.m.dataDir); ok {
			ch <- prometheus.MustNewConstMetric(freeDesc, prometheus.GaugeValue, float64(n))
		}
	}
	if c.m.view == nil {
		return
	}
	for _, d := range c.m.view().Devices {
		f := 0.0
		if !d.OK {
			f = 1
		}
		ch <- prometheus.MustNewConstMetric(faultDesc, prometheus.GaugeValue, f, d.Device)
	}
}

// timedSales times the checkout's durable sale writes and counts the
// completed sales. Reads pass through untimed.
type timedSales struct {
	kiosk.SaleStore
	m     *metrics
	clock kiosk.Clock
}

func (t timedSales) observe(op string, start time.Time) {
	t.m.writes.WithLabelValues(op).Observe(t.clock.Now().Sub(start).Seconds())
}

func (t timedSales) SavePending(ctx context.Context, p kiosk.PendingSale, e kiosk.Entry, more ...kiosk.Entry) error {
	defer t.observe("save_pending", t.clock.Now())
	return t.SaleStore.SavePending(ctx, p, e, more...)
}

func (t timedSales) CompleteSale(ctx context.Context, s kiosk.Sale, e kiosk.Entry) (kiosk.Sale, error) {
	start := t.clock.Now()
	out, err := t.SaleStore.CompleteSale(ctx, s, e)
	t.observe("complete_sale", start)
	if err == nil {
		t.m.sales.Inc()
	}
	return out, err
}

func (t timedSales) VoidPending(ctx context.Context, id string, e kiosk.Entry) error {
	defer t.observe("void_pending", t.clock.Now())
	return t.SaleStore.VoidPending(ctx, id, e)
}

// timedJournal times the journal's appends.
type timedJournal struct {
	kiosk.Journal
	m     *metrics
	clock kiosk.Clock
}

func (t timedJournal) Append(ctx context.Context, e kiosk.Entry) (kiosk.Record, error) {
	start := t.clock.Now()
	r, err := t.Journal.Append(ctx, e)
	t.m.writes.WithLabelValues("journal_append").Observe(t.clock.Now().Sub(start).Seconds())
	return r, err
}
