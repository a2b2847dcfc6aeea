package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"

	"selvkasse/kiosk"
	"selvkasse/storage"
)

// journalCmd: `selvkasse journal verify --data DIR`.
func journalCmd(args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return usageError("journal: usage: selvkasse journal verify --data DIR")
	}
	fs := flag.NewFlagSet("journal verify", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	data := fs.String("data", DefaultDataDir(), "data directory")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError("journal verify: " + err.Error())
	}
	db, err := storage.Open(*data, storage.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	sum, err := kiosk.VerifyJournal(context.Background(), db)
	if err != nil {
		return fmt.Errorf("journal verify: %d records good, then: %w", sum.Records, err)
	}
	fmt.Fprintf(stdout, "journal OK: %d records, chain intact, head %s\n", sum.Records, sum.Head)
	codes := make([]kiosk.Code, 0, len(sum.ByCode))
	for c := range sum.ByCode {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool { return codes[i] < codes[j] })
	for _, c := range codes {
		fmt.Fprintf(stdout, "  %6d  %v\n", sum.ByCode[c], c)
	}
	return nil
}
