package saft

import (
	"bytes"
	"testing"
)

// TestWeightLineQuantity: a weight line's qnt is its weight in kg with
// three decimals (the schema's decimal quantity), and the file stays
// valid against the schema.
func TestWeightLineQuantity(t *testing.T) {
	d := demoDay(t)
	tx := &d.Locations[0].Registers[0].Transactions[0]
	l := &tx.Lines[0]
	l.Grams = 452
	b := mustEncode(t, d)
	if !bytes.Contains(b, []byte("<qnt>0.452</qnt>")) {
		t.Fatalf("no weight quantity in:\n%s", b)
	}
	l.Grams = 0
	if bytes.Contains(mustEncode(t, d), []byte("<qnt>0.452</qnt>")) {
		t.Fatal("a piece line written as a weight")
	}
	l.Grams = 452
	lint := xmllint(t)
	if msg := schemaCheck(t, lint, writeTemp(t, "weight.xml", b)); msg != "" {
		t.Errorf("a file with a weight line does not validate:\n%s", msg)
	}
}
