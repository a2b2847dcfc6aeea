// Command selvkasse is the Selvkasse self-checkout kiosk. See package app.
package main

import (
	"os"
	_ "time/tzdata" // receipts show Oslo time even where zoneinfo is missing

	"selvkasse/app"
)

func main() { os.Exit(app.Main(os.Args[1:], os.Stdout, os.Stderr)) }
