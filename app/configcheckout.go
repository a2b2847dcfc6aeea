package app

import (
	"time"

	"selvkasse/kiosk"
)

// checkout puts the config file's settings of the checkout into k: the
// inactivity timers idle_warn and idle_timeout (left out or zero: the
// checkout's own defaults, 60 s and 30 s; `run` read them and, before,
// never passed them on), and the stock section's outlook for the staff
// screen (its defaults filled in, as `selvkasse stock report` reads it).
func (c Config) checkout(k *kiosk.Config) {
	k.IdleWarn, k.IdleTimeout = time.Duration(c.IdleWarn), time.Duration(c.IdleTimeout)
	k.Outlook = c.Stock.Outlook()
}
