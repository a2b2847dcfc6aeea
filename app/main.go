package app

import (
	"fmt"
	"io"
	"os"
)

const usage = `selvkasse — self-checkout kiosk for tobacco shops

Usage:
  selvkasse demo [--data DIR] [--health ADDR]   the kiosk with simulated devices
  selvkasse sim COMMAND [--addr ADDR]             drive a running demo:
      scan CODE | pick GTIN | card approve|decline|timeout|drop |
      terminal restart|hang|unhang|offline|online|currency-refused|currency-ok |
      staff approve|refuse|key | pin DIGITS | choose STAFF-ID | override NAME[:ARG] |
      door open|close|force | tap pay|cancel|help|withdraw|retry|done|touch|logout|pin-cancel|pricecheck|pricecheck-end |
      printer paper-out|paper-low|paper-ok|cover-open|cover-closed | scanner unplug|replug |
      key NAME | speech plug|unplug|key|repeat|stop | state | wait STATE
  selvkasse run --config FILE                     the kiosk with real devices
  selvkasse devices check --config FILE [--scan 20s] [--no-print]
                                                  a technician's check of the scanner, the
                                                  printer (test receipt), the card terminal and
                                                  the cabinet (locks, doors, key, tower light)
  selvkasse payment end-of-day --config FILE      the card terminal's end of day, journaled
  selvkasse report x|z --config FILE | --data DIR [--kiosk ID]
                                                  the X report, or the Z report closing the day
                                                  (after the card terminal's end of day), printed
                                                  and journaled; with the kiosk stopped
  selvkasse journal verify --data DIR             check the journal's hash chain, signatures and
                                                  sales, and that no acknowledged record was lost
                                                  (the anchor); asks the kiosk when it runs on DIR
  selvkasse journal export --data DIR [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                                                  the journal as readable, printable text
  selvkasse journal accept-rollback --data DIR --by NAME
                                                  journal the loss of records behind the anchor
                                                  so the kiosk opens again (after verify said so)
  selvkasse saft export --data DIR --from YYYY-MM-DD --to YYYY-MM-DD --out DIR [--config FILE]
                                                  the journal of those days as a SAF-T Cash
                                                  Register file for the tax authorities; with
                                                  the kiosk stopped
  selvkasse about [--data DIR]                    name, version, the system's unique id and
                                                  the signing keys (product declaration)
  selvkasse keys export [--data DIR] [--out FILE]
                                                  the public signing keys, each with its
                                                  keyVersion (PEM), for the tax inspector
  selvkasse keys rotate --data DIR                a new signing key (keyVersion one up),
                                                  journaled; old signatures still verify
  selvkasse stock receive|count GTIN QTY | count --file FILE | threshold GTIN N (--data DIR | --config FILE)
                  [--staff ID] [--addr ADDR]      goods received, stock counted (with the variance),
                                                  low-stock thresholds; journaled; while the kiosk
                                                  runs, through it as a staff member (PIN)
  selvkasse stock report [--days N] [--lead-time D] [--csv] (--data DIR | --config FILE) [--staff ID] [--addr ADDR]
                                                  what runs out within the lead time, with an order
  selvkasse staff add --data DIR --id ID --name NAME --role clerk|supervisor|technician --badge BADGE
  selvkasse staff list|set-pin|disable --data DIR [--id ID]
                                                  the staff register (PINs asked without echo,
                                                  or one line on standard input)
  selvkasse agecheck export --from DATE --to DATE --data DIR [--out FILE]
                                                  the age checks as CSV for the municipality's inspection
  selvkasse price set GTIN PRICE [--from "YYYY-MM-DD HH:MM"] [--data DIR | --config FILE] [--staff ID] [--addr ADDR]
                                                  change a price now or from a time to come,
                                                  journaled (13021); while the kiosk runs, through
                                                  it as a supervisor (PIN), on its screen at once
  selvkasse price audit [--from DATE] [--to DATE] [--data DIR | --config FILE] [--staff ID] [--addr ADDR]
                                                  every sale line against the price history
  selvkasse price labels --since DATE [--out FILE] [--data DIR | --config FILE] [--staff ID] [--addr ADDR]
                                                  shelf labels (CSV) of the prices changed since
  selvkasse bench seed --data DIR --products N --sales M [--seed S]
                                                  a reproducible shop history for the benchmarks
  selvkasse catalog import [--dry-run] [--skip-bad] [--encoding utf-8|windows-1252] [--map field=Column,...]
                           [--format csv|json] [--data DIR | --config FILE] [--staff ID] FILE
  selvkasse catalog export [--format csv|json] [--out FILE] [--data DIR | --config FILE] [--staff ID]
                                                  load a wholesaler's price file (checked line by
                                                  line, changes journaled), or write the catalog;
                                                  through the running kiosk as a supervisor
`

// Main runs the selvkasse command line and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "demo":
		err = demoCmd(args[1:], stdout, stderr)
	case "sim":
		err = simCmd(args[1:], stdout)
	case "run":
		err = runCmd(args[1:], stdout, stderr)
	case "payment":
		err = paymentCmd(args[1:], stdout, stderr)
	case "report":
		err = reportCmd(args[1:], stdout, stderr)
	case "devices":
		err = devicesCmd(args[1:], stdout, stderr)
	case "journal":
		err = journalCmd(args[1:], stdout)
	case "saft":
		err = saftCmd(args[1:], stdout)
	case "about":
		err = aboutCmd(args[1:], stdout)
	case "keys":
		err = keysCmd(args[1:], stdout)
	case "staff":
		err = staffCmd(args[1:], os.Stdin, stdout, stderr)
	case "stock":
		err = stockCmd(args[1:], os.Stdin, stdout, stderr)
	case "agecheck":
		err = agecheckCmd(args[1:], stdout)
	case "price":
		err = priceCmd(args[1:], os.Stdin, stdout, stderr)
	case "bench":
		err = benchCmd(args[1:], stdout)
	case "catalog":
		err = catalogCmd(args[1:], os.Stdin, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "selvkasse: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "selvkasse: %v\n", err)
		if _, ok := err.(usageError); ok {
			return 2
		}
		return 1
	}
	return 0
}

type usageError string

func (u usageError) Error() string { return string(u) }
