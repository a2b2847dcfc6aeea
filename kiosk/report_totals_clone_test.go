package kiosk

import (
	"reflect"
	"testing"
)

// TestTotalsCloneSharesNothing fills every slice, map and pointer in a
// Totals, however deep, and checks that Clone copied each: storage keeps
// a decoded Totals to hand out copies of, so a shared slice would let
// one sale's counting change what the next one reads. A field added to
// Totals with a slice in it and not cloned fails here.
func TestTotalsCloneSharesNothing(t *testing.T) {
	var orig Totals
	fill(reflect.ValueOf(&orig).Elem())
	c := orig.Clone()
	if !reflect.DeepEqual(c, orig) {
		t.Fatalf("the clone differs:\n%+v\n%+v", c, orig)
	}
	shared(t, "Totals", reflect.ValueOf(orig), reflect.ValueOf(c))
}

// fill gives every slice in v one element and fills that too.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type().PkgPath() == "time" {
			return // time.Time: its location pointer is shared by design
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0))
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem())
	case reflect.String:
		v.SetString("x")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1)
	}
}

// shared fails when a and b, at path, share a slice's array, a map or a
// pointer's target.
func shared(t *testing.T, path string, a, b reflect.Value) {
	t.Helper()
	switch a.Kind() {
	case reflect.Struct:
		if a.Type().PkgPath() == "time" {
			return
		}
		for i := range a.NumField() {
			if a.Type().Field(i).IsExported() {
				shared(t, path+"."+a.Type().Field(i).Name, a.Field(i), b.Field(i))
			}
		}
	case reflect.Slice, reflect.Map, reflect.Pointer:
		if a.Pointer() == b.Pointer() {
			t.Errorf("%s is shared by the clone", path)
			return
		}
		if a.Kind() == reflect.Slice {
			for i := range a.Len() {
				shared(t, path+"[]", a.Index(i), b.Index(i))
			}
		}
	}
}
