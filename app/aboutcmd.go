package app

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"selvkasse/app/signing"
)

const aboutUsage = "about: usage: selvkasse about [--data DIR]"

// aboutCmd: `selvkasse about --data DIR`, the product declaration data
// (issue 12 item 7): the system's name, maker and version, the data
// dir's system id, and its signing keys. It reads files only, creates
// nothing, and works while the kiosk runs.
func aboutCmd(args []string, stdout io.Writer) error {
	fl := flag.NewFlagSet("about", flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	data := fl.String("data", DefaultDataDir(), "data directory")
	if err := fl.Parse(args); err != nil {
		return usageError(fmt.Sprintf("about: %v\n%s", err, aboutUsage))
	}
	if fl.NArg() > 0 {
		return usageError(fmt.Sprintf("about: unexpected argument %q\n%s", fl.Arg(0), aboutUsage))
	}
	if fi, err := os.Stat(*data); err != nil || !fi.IsDir() {
		return fmt.Errorf("about: no data dir %s", *data)
	}
	id, err := readSystemID(*data)
	switch {
	case errors.Is(err, ErrNoSystemID):
		id = "none yet (the kiosk makes it when it next starts)"
	case err != nil:
		return fmt.Errorf("about: %w", err)
	}
	keys := "none yet (the kiosk makes the first when it first starts)"
	pub, err := signing.ReadPublicKeys(*data)
	switch {
	case errors.Is(err, signing.ErrNoKeys):
	case err != nil:
		keys = "cannot be read: " + err.Error()
	default:
		var vs []string
		for _, k := range pub.All() {
			v := "version " + k.Version.String()
			if !k.Created.IsZero() {
				v += " (made " + k.Created.In(time.Local).Format(time.DateOnly) + ")"
			}
			vs = append(vs, v)
		}
		keys = strings.Join(vs, ", ") + ", " + signing.Algorithm
	}
	fmt.Fprintf(stdout, "System:        %s, self-checkout cash register system for tobacco shops\n", productName)
	fmt.Fprintf(stdout, "Made by:       %s\n", productCompany)
	fmt.Fprintf(stdout, "Version:       %s\n", softwareVersion())
	fmt.Fprintf(stdout, "System ID:     %s\n", id)
	fmt.Fprintf(stdout, "Data dir:      %s\n", *data)
	fmt.Fprintf(stdout, "Signing keys:  %s\n", keys)
	return nil
}
