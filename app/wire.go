package app

import (
	"log/slog"

	"selvkasse/app/staffpin"
	"selvkasse/kiosk"
	"selvkasse/storage"
)

// systemName is the cash register system as its X and Z reports name
// it: its name and version, "Selvkasse 0.1.0+e5ada86" (at most 30
// characters, so that «Kassasystem» and it fit the report's 42 columns).
func systemName() string { return productName + " " + softwareVersion() }

// Devices are one kiosk's device ports: simulated in the demo, real
// drivers in `selvkasse run`, fakes in tests.
type Devices struct {
	Scanner  kiosk.Scanner
	Terminal kiosk.PaymentTerminal
	Printer  kiosk.Printer
	Cabinet  kiosk.CabinetLock
	Staff    kiosk.StaffApproval
	Light    kiosk.TowerLight // nil: none fitted
	Key      kiosk.StaffKey   // nil: no key switch to log in with
}

// newCheckout wires the checkout to the store, the devices and the staff
// register (log-in with argon2id PINs), and the free-space guard to the
// store's disk with the store's reserve. The demo,
// `run` and the end-to-end tests all go through here.
func newCheckout(kioskID string, shop kiosk.Shop, db *storage.DB, d Devices, clk kiosk.Clock, log *slog.Logger) *kiosk.Checkout {
	return newMeteredCheckout(kioskID, shop, db, d, clk, log, nil)
}

// newMeteredCheckout is newCheckout with the checkout's durable writes
// timed and its completed sales counted in m (nil: not measured), and
// opts applied to the checkout's configuration.
func newMeteredCheckout(kioskID string, shop kiosk.Shop, db *storage.DB, d Devices, clk kiosk.Clock, log *slog.Logger, m *metrics, opts ...func(*kiosk.Config)) *kiosk.Checkout {
	var sales kiosk.SaleStore = db
	var journal kiosk.Journal = db
	if m != nil {
		sales, journal = timedSales{db, m, clk}, timedJournal{db, m, clk}
	}
	cfg := kiosk.Config{KioskID: kioskID, Shop: shop, System: systemName(), Log: log, DiskReserve: storage.DiskReserve}
	for _, o := range opts { // the config file's settings (Config.checkout)
		o(&cfg)
	}
	return kiosk.NewCheckout(cfg, kiosk.Deps{
		Catalog: db, Sales: sales, Journal: journal, Disk: db, Reports: db,
		Scanner: d.Scanner, Terminal: d.Terminal, Printer: d.Printer, Cabinet: d.Cabinet, Staff: d.Staff,
		Light: d.Light, Key: d.Key, Clock: clk,
		Login:    kiosk.NewStaffLogin(kioskID, db, staffpin.New(), db, clk, kiosk.LoginConfig{}),
		Receipts: db, Returns: db, Stock: db,
	})
}
