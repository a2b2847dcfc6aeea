package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"selvkasse/app/signing"
	"selvkasse/kiosk"
)

const keysUsage = `keys: usage:
  selvkasse keys export [--data DIR] [--out FILE]
  selvkasse keys rotate --data DIR
export prints the public part of every signing key, each with its
keyVersion, as PEM (to FILE with --out); it reads only and works while the
kiosk runs. rotate makes a new key (keyVersion one up) and journals it; it
needs the kiosk stopped. Old signatures still verify with the old keys.`

// keysCmd: `selvkasse keys export|rotate`, the journal's signing keys
// (app/signing; Skatteetaten's signature guideline for SAF-T Cash
// Register).
func keysCmd(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return usageError(keysUsage)
	}
	sub := args[0]
	flags := flag.NewFlagSet("keys "+sub, flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	data := flags.String("data", DefaultDataDir(), "data directory")
	var out *string
	switch sub {
	case "export":
		out = flags.String("out", "", "write to FILE instead of standard output")
	case "rotate":
	default:
		return usageError(fmt.Sprintf("keys: unknown subcommand %q\n%s", sub, keysUsage))
	}
	if err := flags.Parse(args[1:]); err != nil {
		return usageError(fmt.Sprintf("keys %s: %v\n%s", sub, err, keysUsage))
	}
	if flags.NArg() > 0 {
		return usageError(fmt.Sprintf("keys %s: unexpected argument %q\n%s", sub, flags.Arg(0), keysUsage))
	}
	var err error
	switch sub {
	case "export":
		err = keysExport(*data, *out, stdout)
	case "rotate":
		err = keysRotate(*data, stdout)
	}
	if err != nil {
		return fmt.Errorf("keys %s: %w", sub, err)
	}
	return nil
}

// keysExport writes the public keys. It creates nothing: a mistyped
// --data is an error, not an empty export.
func keysExport(data, out string, stdout io.Writer) error {
	pub, err := signing.ReadPublicKeys(data)
	if errors.Is(err, signing.ErrNoKeys) {
		return fmt.Errorf("%w (is %s the kiosk's data dir? The kiosk makes its first key when it first starts)", err, data)
	}
	if err != nil {
		return err
	}
	b, err := signing.EncodePublicKeys(pub)
	if err != nil {
		return err
	}
	if out == "" {
		_, err := stdout.Write(b)
		return err
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "keys: the public keys of versions 1 to %v written to %s\n", pub.Latest(), out)
	return nil
}

// keysRotate makes the next key version with the kiosk stopped (the data
// dir held, so no kiosk signs meanwhile), then journals it (13999
// signing-key-rotated), saying who did it and, when the old key could not
// be used, why.
func keysRotate(data string, stdout io.Writer) error {
	if _, err := os.Stat(data); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no data dir %s", data)
	}
	// The public keys first: without them there is nothing to rotate,
	// and a mistyped --data gets no store made in it.
	if _, err := signing.ReadPublicKeys(data); errors.Is(err, signing.ErrNoKeys) {
		return fmt.Errorf("%w: nothing to rotate (is %s the kiosk's data dir? The kiosk makes its first key when it first starts)", err, data)
	} else if err != nil {
		return err
	}
	db, err := openStopped(data)
	if err != nil {
		return err
	}
	defer db.Close()
	old, loadErr := signing.Load(data)
	now := time.Now()
	v, err := signing.Rotate(data, now)
	if v == 0 {
		return err
	}
	prev := v - 1
	text := fmt.Sprintf("signing key rotated from keyVersion %v to %v", prev, v)
	if by := currentUser(); by != "" {
		text += " by " + by
	}
	if loadErr != nil {
		text += "; the old key could not be used: " + loadErr.Error()
	}
	e := kiosk.Entry{Code: kiosk.CodeOther, Subtype: kiosk.SubSigningKeyRotated, Time: now, Text: text,
		Data: map[string]string{"keyVersion": v.String(), "previousKeyVersion": prev.String(), "by": currentUser()}}
	r, jerr := db.Append(context.Background(), e)
	if jerr != nil {
		return errors.Join(fmt.Errorf("signing key version %v made, but not journaled: %w", v, jerr), err)
	}
	if old != nil {
		fmt.Fprintf(stdout, "keys: signing key version %v replaced by version %v (%s), journaled as record %d\n", old.Version(), v, signing.Algorithm, r.Seq)
	} else {
		fmt.Fprintf(stdout, "keys: the old key could not be used (%v);\nsigning key version %v made (%s), journaled as record %d\n", loadErr, v, signing.Algorithm, r.Seq)
	}
	fmt.Fprintf(stdout, "Signatures of versions 1 to %v verify with the public keys: selvkasse keys export --data %s --out FILE\n",
		v, shellQuote(filepath.Clean(data)))
	return err
}
