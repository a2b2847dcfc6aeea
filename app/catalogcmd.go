package app

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"selvkasse/app/catalogio"
	"selvkasse/kiosk"
	"selvkasse/storage"
)

const catalogUsage = `catalog: usage:
  selvkasse catalog import [--data DIR | --config FILE] [--dry-run] [--skip-bad]
        [--encoding utf-8|windows-1252] [--map field=Column,...] [--format csv|json] [--staff ID] FILE
  selvkasse catalog export [--data DIR | --config FILE] [--format csv|json] [--out FILE] [--staff ID]
import reads a wholesaler's CSV (UTF-8 or Windows-1252, ";" or ",", decimal
comma or point, a header row) or JSON, checks every line and reports each
bad one (line, field, why); with any bad line nothing is imported unless
--skip-bad. Without --map the header names the columns gtin, name, price,
vat, group, age_limit (one of vat and group is enough) and optionally
barcodes (several: "|" or space between), name_en, unit (piece or kg),
deposit (the pant per unit, in kroner: charged on top of the price, at
the goods' VAT rate), compartment, cabinet, active, in any order; --map
(or "catalog": {"map": {...}} in the config file) names the file's own
columns:
--map "gtin=EAN,name=Varetekst,price=Pris inkl. mva". A product whose
data is unchanged is left alone; every change is journaled (a price as
13021, anything else as 13999 master-data, with the old and new value).
Stock is not imported: it is booked by receiving.
With the kiosk stopped the command opens the data dir itself. While the
kiosk runs on it, it goes through the kiosk's loopback endpoint (--addr,
or the config's "health"), as a supervisor: --staff ID (or $SELVKASSE_STAFF)
and the PIN, asked without echo, or from $SELVKASSE_PIN (scripts), or the
first line of standard input. Wrong PINs count toward the lock-out.`

// CatalogFileConfig is the configuration file's "catalog": how the shop's
// wholesaler writes its price file, so it imports without flags.
type CatalogFileConfig struct {
	Map      map[string]string `json:"map,omitempty"`      // field → the file's column
	Encoding string            `json:"encoding,omitempty"` // utf-8 or windows-1252; "": detected
	Format   string            `json:"format,omitempty"`   // csv or json; "": by the content
}

// catalogCmd: `selvkasse catalog import|export`.
func catalogCmd(args []string, in io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "import" && args[0] != "export") {
		return usageError(catalogUsage)
	}
	sub := args[0]
	fl := flag.NewFlagSet("catalog "+sub, flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	c := catalogCLI{in: in, stdout: stdout, stderr: stderr}
	data := fl.String("data", DefaultDataDir(), "data directory")
	cfgPath := fl.String("config", "", "configuration file: data dir, kiosk, endpoint, catalog mapping")
	addr := fl.String("addr", "", "the running kiosk's loopback endpoint")
	fl.StringVar(&c.staff, "staff", "", "staff ID to authenticate as at the running kiosk")
	format := fl.String("format", "", "csv or json")
	var dry, skipBad *bool
	var enc, mapping, out *string
	if sub == "import" {
		dry = fl.Bool("dry-run", false, "check and report, write nothing")
		skipBad = fl.Bool("skip-bad", false, "import the good lines when some are bad")
		enc = fl.String("encoding", "", "utf-8 or windows-1252 (default: detected)")
		mapping = fl.String("map", "", "field=Column,... the file's own column names")
	} else {
		out = fl.String("out", "", "file to write (default: standard output)")
	}
	var files []string
	for rest := args[1:]; ; {
		if err := fl.Parse(rest); err != nil {
			return usageError(fmt.Sprintf("catalog %s: %v\n%s", sub, err, catalogUsage))
		}
		if fl.NArg() == 0 {
			break
		}
		files, rest = append(files, fl.Arg(0)), fl.Args()[1:]
	}
	c.dataDir, c.addr = *data, DefaultHealthAddr
	var fileCfg CatalogFileConfig
	if *cfgPath != "" {
		cfg, err := LoadConfig(*cfgPath)
		if err != nil {
			return err
		}
		c.dataDir, c.kioskID, c.addr, fileCfg = cfg.DataDir, cfg.KioskID, cfg.Health, cfg.Catalog
	}
	if *addr != "" {
		c.addr = *addr
	}
	ctx := context.Background()
	if sub == "export" {
		if len(files) > 0 {
			return usageError(fmt.Sprintf("catalog export: unexpected argument %q (give --out FILE)\n%s", files[0], catalogUsage))
		}
		if err := c.export(ctx, *format, *out); err != nil {
			return fmt.Errorf("catalog export: %w", err)
		}
		return nil
	}
	if len(files) != 1 {
		return usageError("catalog import: give one FILE\n" + catalogUsage)
	}
	o := catalogio.Options{Format: fileCfg.Format, Encoding: fileCfg.Encoding, Map: fileCfg.Map}
	if *format != "" {
		o.Format = *format
	}
	if *enc != "" {
		o.Encoding = *enc
	}
	if *mapping != "" {
		m, err := catalogio.ParseMap(*mapping)
		if err != nil {
			return usageError(fmt.Sprintf("catalog import: --map: %v", err))
		}
		o.Map = m
	}
	if err := c.importFile(ctx, files[0], o, *dry, *skipBad); err != nil {
		return fmt.Errorf("catalog import: %w", err)
	}
	return nil
}

type catalogCLI struct {
	dataDir, kioskID, addr, staff string
	in                            io.Reader
	stdout, stderr                io.Writer
}

// errBadLines: the file has bad lines and --skip-bad was not given.
var errBadLines = errors.New("nothing imported")

func (c catalogCLI) importFile(ctx context.Context, path string, o catalogio.Options, dry, skipBad bool) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	res, err := catalogio.Parse(b, o)
	if err != nil {
		return usageError(err.Error())
	}
	desc := fmt.Sprintf("%s: %s, %s", path, res.Format, res.Encoding)
	if res.Comma != 0 {
		desc += fmt.Sprintf(", separator %q", res.Comma)
	}
	if len(res.Ignored) > 0 {
		desc += "; columns not read: " + strings.Join(res.Ignored, ", ")
	}
	fmt.Fprintln(c.stdout, desc)
	if err := res.Report(c.stdout); err != nil {
		return err
	}
	if len(res.Problems) > 0 && !skipBad {
		return fmt.Errorf("%w: %d bad lines (fix them, or give --skip-bad to import the good lines)", errBadLines, len(res.Problems))
	}
	p := catalogImportParams{DryRun: dry, SkipBad: skipBad}
	for _, r := range res.Rows {
		p.Products = append(p.Products, r.Product)
	}
	var out storage.CatalogImportResult
	err = c.target().withStore(ctx, storage.Options{}, func(db *storage.DB) error {
		by := c.staff
		if by == "" {
			by = currentUser()
		}
		out, err = runCatalogImport(ctx, db, p, kiosk.CatalogChange{Time: time.Now(), Kiosk: c.kioskID, By: by, Via: "catalog import"})
		return err
	}, "catalog-import", p, &out)
	if errors.Is(err, storage.ErrCatalogRefused) {
		err = nil // said below, by line
	}
	for _, r := range out.Refused {
		line := 0
		if r.Index >= 0 && r.Index < len(res.Rows) {
			line = res.Rows[r.Index].Line
		}
		fmt.Fprintln(c.stdout, catalogio.Problem{Line: line, Field: r.Field, Reason: r.Reason})
	}
	if err != nil {
		return err
	}
	if len(out.Refused) > 0 && !skipBad {
		return fmt.Errorf("%w: %d products clash with the catalog (fix them, or give --skip-bad to import the others)", errBadLines, len(out.Refused))
	}
	verb := "imported"
	if dry {
		verb = "dry run, nothing written; would import"
	}
	fmt.Fprintf(c.stdout, "%s: %d added, %d changed (%d price changes), %d unchanged, %d refused; %d journal records\n",
		verb, out.Added, out.Changed, out.PriceChanges, out.Unchanged, len(out.Refused), out.Journaled)
	return nil
}

func (c catalogCLI) export(ctx context.Context, format, outPath string) error {
	var ps []kiosk.Product
	err := c.target().withStore(ctx, storage.Options{ReadOnly: true}, func(db *storage.DB) error {
		var err error
		ps, err = db.List(ctx)
		return err
	}, "catalog-export", nil, &ps)
	if err != nil {
		return err
	}
	w := c.stdout
	if outPath != "" {
		f, err := os.Create(outPath)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	switch format {
	case "", catalogio.FormatCSV:
		err = catalogio.WriteCSV(w, ps)
	case catalogio.FormatJSON:
		err = catalogio.WriteJSON(w, ps)
	default:
		return usageError(fmt.Sprintf("catalog export: unknown format %q (csv or json)", format))
	}
	if err != nil {
		return err
	}
	if f, ok := w.(*os.File); ok && outPath != "" {
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(c.stderr, "%d products written to %s\n", len(ps), outPath)
	}
	return nil
}

// target is where the command works: the data dir, or the running
// kiosk.
func (c catalogCLI) target() storeTarget {
	return storeTarget{DataDir: c.dataDir, Addr: c.addr, Staff: c.staff, In: c.in, Stderr: c.stderr}
}

// catalogImportParams are the parameters of the catalog-import admin
// operation: the products as the command parsed them.
type catalogImportParams struct {
	Products []kiosk.Product `json:"products"`
	DryRun   bool            `json:"dry_run,omitempty"`
	SkipBad  bool            `json:"skip_bad,omitempty"`
}

// runCatalogImport imports p into db, journaled as change.
func runCatalogImport(ctx context.Context, db *storage.DB, p catalogImportParams, change kiosk.CatalogChange) (storage.CatalogImportResult, error) {
	return db.ImportCatalog(ctx, storage.CatalogImport{Products: p.Products, Change: change, DryRun: p.DryRun, SkipBad: p.SkipBad})
}

// adminCatalogImport is the catalog-import admin operation: the import
// at the running kiosk, journaled under staff member by. A refused
// import answers with the refusals
// as its result, not an error (nothing was written; the command names
// the lines).
func adminCatalogImport(ctx context.Context, env adminEnv, by kiosk.Staff, params json.RawMessage) (any, error) {
	var p catalogImportParams
	if err := json.Unmarshal(params, &p); err != nil {
		return nil, fmt.Errorf("%w: catalog import: %v", adminBadRequest, err)
	}
	res, err := runCatalogImport(ctx, env.DB, p, kiosk.CatalogChange{Time: env.Clock.Now(), Kiosk: env.KioskID, By: by.ID, Via: "catalog import"})
	if errors.Is(err, storage.ErrCatalogRefused) {
		return res, nil
	}
	return res, err
}

// adminCatalogExport is the catalog-export admin operation: every
// product, inactive ones too.
func adminCatalogExport(ctx context.Context, env adminEnv, _ kiosk.Staff, _ json.RawMessage) (any, error) {
	return env.DB.List(ctx)
}

// The SAF-T export describes the master-data event (saftexport.go).
func init() { subtypeDesc[kiosk.SubMasterData] = "Product master data added or changed" }
