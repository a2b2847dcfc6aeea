package catalogio

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"selvkasse/kiosk"
)

// fieldValues is p's fields as an export writes them, by field: the
// GTIN-14, the price with a decimal comma, the group by name, yes and no
// as "true" and "false".
func fieldValues(p kiosk.Product) map[string]string {
	return map[string]string{
		FieldGTIN: string(p.GTIN), FieldName: p.Name, FieldPrice: amount(p.Price), FieldVAT: strconv.Itoa(int(p.VAT)),
		FieldGroup: p.Group.String(), FieldAgeLimit: strconv.Itoa(p.MinAge), FieldBarcodes: strings.Join(gtinStrings(p.Barcodes), "|"),
		FieldNameEN: p.NameEN, FieldUnit: p.Unit.String(), FieldDeposit: amount(p.Deposit),
		FieldCompartment: strconv.Itoa(p.Compartment), FieldCabinet: strconv.FormatBool(p.Cabinet), FieldActive: strconv.FormatBool(!p.Inactive),
	}
}

func gtinStrings(l kiosk.BarcodeList) []string {
	var ss []string
	for _, g := range l.GTINs() {
		ss = append(ss, string(g))
	}
	return ss
}

// amount is m in kroner with a decimal comma and no thousands separator:
// "1234,50".
func amount(m kiosk.Money) string {
	return strings.ReplaceAll(strings.ReplaceAll(m.Plain(), " ", ""), "\u00a0", "")
}

// WriteCSV writes ps as a UTF-8 CSV file with ";" between fields and a
// header of the field names (Fields): what Parse reads back to the same
// products (Stock left out: it is booked by receiving).
func WriteCSV(w io.Writer, ps []kiosk.Product) error {
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	if err := cw.Write(Fields); err != nil {
		return err
	}
	row := make([]string, len(Fields))
	for _, p := range ps {
		v := fieldValues(p)
		for i, f := range Fields {
			row[i] = v[f]
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteJSON writes ps as a JSON array of objects with the fields of
// WriteCSV, one object a line.
func WriteJSON(w io.Writer, ps []kiosk.Product) error {
	if _, err := io.WriteString(w, "[\n"); err != nil {
		return err
	}
	for i, p := range ps {
		v := fieldValues(p)
		obj := make(map[string]any, len(v))
		for k, s := range v {
			obj[k] = s
		}
		obj[FieldBarcodes] = gtinStrings(p.Barcodes)
		if obj[FieldBarcodes] == nil {
			obj[FieldBarcodes] = []string{}
		}
		b, err := json.Marshal(obj)
		if err != nil {
			return err
		}
		sep := ",\n"
		if i == len(ps)-1 {
			sep = "\n"
		}
		if _, err := io.WriteString(w, string(b)+sep); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "]\n")
	return err
}
