package saft

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"selvkasse/kiosk"
)

// The official schema and example, copied from ../shared/saft
// (TestCodeListsMatchReference keeps them equal).
const (
	schemaFile  = "Norwegian_SAF-T_Cash_Register_Schema_v_1.00.xsd"
	exampleFile = "example-999999999-20210330104000.xml"
)

// referenceDir is ../shared/saft seen from the repository root: the
// reference data the copies in codelists/ and testdata/ were taken from.
// SELVKASSE_SAFT_REF overrides it.
func referenceDir() string {
	if d := os.Getenv("SELVKASSE_SAFT_REF"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared", "saft")
}

// TestCodeListsMatchReference: the embedded code lists, the schema and the
// official example are the reference files, byte for byte.
func TestCodeListsMatchReference(t *testing.T) {
	ref := referenceDir()
	if _, err := os.Stat(ref); err != nil {
		t.Skipf("reference data %s not present (set SELVKASSE_SAFT_REF): %v", ref, err)
	}
	const list = "Norwegian SAF-T Cash Register data - Code list - "
	copies := map[string]string{
		"codelists/basictype.csv":          list + "BasicType.csv",
		"codelists/predefined-04.csv":      list + "PredefinedBasicID-04.csv",
		"codelists/predefined-10.csv":      list + "PredefinedBasicID-10.csv",
		"codelists/predefined-11.csv":      list + "PredefinedBasicID-11.csv",
		"codelists/predefined-12.csv":      list + "PredefinedBasicID-12.csv",
		"codelists/predefined-13.csv":      list + "PredefinedBasicID-13.csv",
		"codelists/standard-tax-codes.csv": "Standard_Tax_Codes.csv",
		"testdata/" + schemaFile:           schemaFile,
		"testdata/" + exampleFile:          "ExampleFile SAF-T Cash Register_999999999_20210330104000.xml",
	}
	for mine, theirs := range copies {
		got, err := os.ReadFile(mine)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(ref, theirs))
		if err != nil {
			t.Errorf("reference %s: %v", theirs, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the reference %s: copy the new revision over it", mine, theirs)
		}
	}
	// And the embedded bytes are the files on disk.
	for mine := range copies {
		if !strings.HasPrefix(mine, "codelists/") {
			continue
		}
		emb, err := codeFiles.ReadFile(mine)
		if err != nil {
			t.Fatal(err)
		}
		disk, _ := os.ReadFile(mine)
		if !bytes.Equal(emb, disk) {
			t.Errorf("embedded %s differs from the file", mine)
		}
	}
}

func TestCodeLists(t *testing.T) {
	tests := []struct {
		id, typ, english, norwegian string
	}{
		{"04013", "04", "Tobacco", "Tobakk"},
		{"04007", "04", "Beer", "Øl"}, // ISO-8859-1 in the file
		{"04006", "04", "Food", "Mat"},
		{"10001", "10", "Amount from gratuity/tip", "Beløp knyttet til drikkepenger eller tips"},
		{"11001", "11", "Cash sale", "Kontantsalg"},
		{"11006", "11", "Return payment", "Utbetaling til kunde ved vareretur"},
		{"12002", "12", "Debit card", "Bankkort (debet kort)"},
		{"13012", "13", "Sales receipt printed", "Salgskvittering skrevet ut"}, // the 2021 revision, UTF-8
		{"13017", "13", "Training receipt", "Treningsmodus - alle typer kvitteringer"},
		{"13030", "13", "Concluded sale without receipt printed", "Fullført salg uten utskrift av kvittering"},
	}
	for _, tc := range tests {
		c, ok := LookupCode(tc.id)
		if !ok {
			t.Errorf("LookupCode(%s): not found", tc.id)
			continue
		}
		if string(c.Type) != tc.typ || c.English != tc.english || c.Norwegian != tc.norwegian {
			t.Errorf("LookupCode(%s) = %+v, want type %s %q / %q", tc.id, c, tc.typ, tc.english, tc.norwegian)
		}
	}
	for _, id := range []string{"", "13", "13031", "04022", "99999", "05001"} {
		if c, ok := LookupCode(id); ok {
			t.Errorf("LookupCode(%q) = %+v, want not found", id, c)
		}
	}
	counts := map[BasicType]int{"04": 22, "10": 2, "11": 18, "12": 12, "13": 31, "05": 0}
	for typ, n := range counts {
		if got := len(Codes(typ)); got != n {
			t.Errorf("Codes(%s) has %d codes, want %d", typ, got, n)
		}
	}
	if c, ok := LookupBasicType(TypeEvent); !ok || c.English != "Event codes" {
		t.Errorf("LookupBasicType(13) = %+v, %v", c, ok)
	}
	if c, ok := LookupBasicType(TypeLine); !ok || c.English != "Ticketline codes" {
		t.Errorf("LookupBasicType(05) = %+v, %v", c, ok)
	}
	if c, ok := LookupTaxCode("3"); !ok || c.English != "Output VAT" || c.Rate != "Regular rate" || c.Compensation {
		t.Errorf("LookupTaxCode(3) = %+v, %v", c, ok)
	}
	if c, ok := LookupTaxCode("1"); !ok || !c.Compensation || c.Norwegian != "Fradragsberettiget innenlands inngående merverdiavgift" {
		t.Errorf("LookupTaxCode(1) = %+v, %v", c, ok)
	}
	if n := len(TaxCodes()); n != 30 {
		t.Errorf("TaxCodes: %d codes, want 30", n)
	}
}

// TestKioskCodesAreOfficial: the codes the kiosk core maps to (article
// groups, standard VAT codes, journal event codes) are in the official lists.
func TestKioskCodesAreOfficial(t *testing.T) {
	for g := kiosk.Group(1); g <= 5; g++ {
		if _, ok := LookupCode(g.SAFTArticleGroup()); !ok || !strings.HasPrefix(g.SAFTArticleGroup(), "04") {
			t.Errorf("group %v maps to %s, not in code list 04", g, g.SAFTArticleGroup())
		}
	}
	for _, r := range []kiosk.VATRate{kiosk.VAT0, kiosk.VAT12, kiosk.VAT15, kiosk.VAT25} {
		c, ok := LookupTaxCode(r.StandardTaxCode())
		if !ok {
			t.Errorf("VAT %v maps to standard code %s, not in the list", r, r.StandardTaxCode())
			continue
		}
		if r != kiosk.VAT0 && c.English != "Output VAT" {
			t.Errorf("VAT %v maps to %s %q, want output VAT", r, c.Code, c.English)
		}
	}
	for _, code := range []kiosk.Code{kiosk.CodePOSStart, kiosk.CodePOSStop, kiosk.CodeEmployeeLogIn, kiosk.CodeEmployeeLogOut,
		kiosk.CodeXReport, kiosk.CodeZReport, kiosk.CodeSalesReceipt, kiosk.CodeCopyReceipt, kiosk.CodePriceLookup,
		kiosk.CodeVoidReceipt, kiosk.CodeNoReceipt, kiosk.CodeOther} {
		id := strings.Fields(code.String())[0]
		if c, ok := LookupCode(id); !ok || c.Type != TypeEvent {
			t.Errorf("journal code %v is not in code list 13", code)
		}
	}
}
