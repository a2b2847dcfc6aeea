package app

// The shopper's additions to the wiring: the price check and in-store
// price and weight codes (kiosk/checkout_pricecheck.go, kiosk/instore.go).

import "selvkasse/kiosk"

func init() {
	subtypeDesc[kiosk.SubInStoreRefused] = "In-store price or weight code refused (tobacco)"
}
