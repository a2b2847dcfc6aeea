package app

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/storage"
)

// A wholesaler's file: Windows-1252 is not needed here (catalogio's tests
// cover the encodings); its own column names, a price change of the demo
// cola, a new product with an extra barcode.
const wholesalerCSV = "EAN;Varetekst;Pris;Mva;Varegruppe;Alder;Strekkoder\n" +
	"7039990000113;Cola 0,5 l;34,90;15;04011;0;\n" +
	"7041000000013;Sjokoladebar;19,90;15;04006;0;5000000000012\n"

const wholesalerMap = "gtin=EAN,name=Varetekst,price=Pris,vat=Mva,group=Varegruppe,age_limit=Alder,barcodes=Strekkoder"

// mustStoppedDataDir is a data dir with the demo catalog, closed.
func mustStoppedDataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	mustSeededDB(t, dir).Close()
	return dir
}

func mustWriteFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// runCatalog runs `selvkasse catalog args…` and returns its output.
func runCatalog(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := catalogCmd(args, strings.NewReader(""), &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestCatalogImportThenExportRoundTrip(t *testing.T) {
	dir := mustStoppedDataDir(t)
	file := mustWriteFile(t, "grossist.csv", wholesalerCSV)
	out, err := runCatalog(t, "import", "--data", dir, "--map", wholesalerMap, "--staff", "kari", file)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if !strings.Contains(out, "imported: 1 added, 1 changed (1 price changes), 0 unchanged, 0 refused; 2 journal records") {
		t.Errorf("import said:\n%s", out)
	}
	for _, format := range []string{"csv", "json"} {
		exported := filepath.Join(t.TempDir(), "catalog."+format)
		if out, err := runCatalog(t, "export", "--data", dir, "--format", format, "--out", exported); err != nil {
			t.Fatalf("export: %v\n%s", err, out)
		}
		out, err := runCatalog(t, "import", "--data", dir, exported)
		if err != nil {
			t.Fatalf("import of the export: %v\n%s", err, out)
		}
		if !strings.Contains(out, "imported: 0 added, 0 changed (0 price changes), 15 unchanged, 0 refused; 0 journal records") {
			t.Errorf("importing the %s export changed something:\n%s", format, out)
		}
	}
	db, err := storage.Open(dir, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.Lookup(context.Background(), kiosk.MustGTIN("5000000000012"))
	if err != nil || p.Name != "Sjokoladebar" || p.Stock != 0 {
		t.Errorf("lookup by the extra barcode = %+v, %v", p, err)
	}
	db.Close()
	var verify bytes.Buffer
	if err := journalCmd([]string{"verify", "--data", dir}, &verify); err != nil {
		t.Errorf("journal verify after the imports: %v\n%s", err, verify.String())
	}
}

func TestCatalogImportBadLineAppliesNothing(t *testing.T) {
	dir := mustStoppedDataDir(t)
	file := mustWriteFile(t, "bad.csv", "gtin;name;price;vat;group;age_limit\n"+
		"7039990000113;Cola 0,5 l;34,90;15;soft drink;0\n"+
		"7039990000120;Farris;-1;15;soft drink;0\n")
	out, err := runCatalog(t, "import", "--data", dir, file)
	if !errors.Is(err, errBadLines) || !strings.Contains(out, `line 3: price: "-1" is negative`) {
		t.Fatalf("import = %v\n%s", err, out)
	}
	// A barcode that is another product's GTIN in the catalog: refused
	// by the store, reported by line.
	clash := mustWriteFile(t, "clash.csv", "gtin;name;price;vat;barcodes\n"+
		"7041000000013;Sjokoladebar;19,90;15;\n"+
		"7041000000020;Tyggis;9,90;15;7039990000120\n")
	out, err = runCatalog(t, "import", "--data", dir, clash)
	if !errors.Is(err, errBadLines) || !strings.Contains(out, "line 3: barcodes: barcode 7039990000120 is the GTIN of another product in the catalog") {
		t.Fatalf("import of a clash = %v\n%s", err, out)
	}
	out, err = runCatalog(t, "import", "--data", dir, "--dry-run", "--skip-bad", file)
	if err != nil || !strings.Contains(out, "dry run, nothing written; would import: 0 added, 1 changed") {
		t.Fatalf("dry run = %v\n%s", err, out)
	}
	db, err := storage.Open(dir, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := db.Lookup(context.Background(), kiosk.MustGTIN("7039990000113"))
	if err != nil || p.Price != 3290 {
		t.Errorf("cola after a refused import and a dry run = %+v, %v; want the old price", p, err)
	}
	if p, err := db.Lookup(context.Background(), kiosk.MustGTIN("7041000000013")); !errors.Is(err, kiosk.ErrNotFound) {
		t.Errorf("the good line of a refused import was written: %+v, %v", p, err)
	}
}

// TestAdminEndpoint: while the kiosk runs, the command goes through its
// endpoint as a supervisor; a wrong PIN is refused and counted, a clerk
// is refused, and the kiosk sells the new price on the next scan.
func TestAdminEndpoint(t *testing.T) {
	e := mustE2E(t)
	if err := seedStaffIfEmpty(e.ctx, e.db, nil, time.Now()); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer((&server{co: e.co, start: time.Now(), db: e.db, dataDir: e.dir, kioskID: "K1"}).handler())
	defer hs.Close()
	addr := strings.TrimPrefix(hs.URL, "http://")
	file := mustWriteFile(t, "grossist.csv", wholesalerCSV)

	t.Setenv(envAdminPIN, "0000")
	out, err := runCatalog(t, "import", "--data", e.dir, "--addr", addr, "--map", wholesalerMap, "--staff", "kari", file)
	if err == nil || !strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), "4 tries left") {
		t.Fatalf("a wrong PIN: %v\n%s", err, out)
	}
	if st, err := e.db.LoginState(e.ctx, "kari"); err != nil || st.Failures != 1 {
		t.Errorf("login state after a wrong PIN = %+v, %v; want one failure counted", st, err)
	}
	if p, _ := e.db.Lookup(e.ctx, kiosk.MustGTIN("7039990000113")); p.Price != 3290 {
		t.Errorf("a refused import changed the price: %v", p.Price)
	}

	t.Setenv(envAdminPIN, "1234")
	if out, err := runCatalog(t, "import", "--data", e.dir, "--addr", addr, "--map", wholesalerMap, "--staff", "ola", file); err == nil || !strings.Contains(err.Error(), "403") {
		t.Fatalf("a clerk: %v\n%s", err, out)
	}

	t.Setenv(envAdminPIN, "2468")
	out, err = runCatalog(t, "import", "--data", e.dir, "--addr", addr, "--map", wholesalerMap, "--staff", "kari", file)
	if err != nil || !strings.Contains(out, "imported: 1 added, 1 changed") {
		t.Fatalf("import through the kiosk: %v\n%s", err, out)
	}
	if st, _ := e.db.LoginState(e.ctx, "kari"); st.Failures != 0 {
		t.Errorf("a right PIN left %d failures", st.Failures)
	}
	if err := e.co.Add(kiosk.MustGTIN("7039990000113")); err != nil {
		t.Fatal(err)
	}
	if v := e.co.View(); len(v.Lines) != 1 || v.Lines[0].Product.Price != 3490 {
		t.Errorf("the next scan sells %+v; want the imported price 34,90", v.Lines)
	}
	var by string
	err = e.db.Scan(e.ctx, 1, func(r kiosk.Record) error {
		if r.Code == kiosk.CodePriceChange {
			by = r.Data["by"]
		}
		return nil
	})
	if err != nil || by != "kari" {
		t.Errorf("the price change is journaled by %q, %v; want kari", by, err)
	}
	exported := filepath.Join(t.TempDir(), "catalog.csv")
	if out, err := runCatalog(t, "export", "--data", e.dir, "--addr", addr, "--staff", "kari", "--out", exported); err != nil {
		t.Fatalf("export through the kiosk: %v\n%s", err, out)
	}
	if b, _ := os.ReadFile(exported); !strings.Contains(string(b), "07039990000113;Cola 0,5 l;34,90;15;soft drink") {
		t.Errorf("export:\n%s", b)
	}

	// Unknown operations and bodies that do not decode.
	for path, code := range map[string]int{"/admin/nothing": http.StatusNotFound, "/admin/catalog-import": http.StatusBadRequest} {
		resp, err := http.Post(hs.URL+path, "application/json", strings.NewReader("{"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != code {
			t.Errorf("POST %s = %s, want %d", path, resp.Status, code)
		}
	}
}
