package ui

import (
	"fmt"
	"testing"

	"selvkasse/kiosk"
)

// returnKiosk is the fake kiosk with a receipt to return goods of.
type returnKiosk struct {
	*fakeKiosk
	ret  kiosk.Returnable
	card bool
}

func (k *returnKiosk) Returnable(no uint64) (kiosk.Returnable, error) {
	if no != k.ret.Sale.No {
		return kiosk.Returnable{}, &kiosk.ReturnError{No: no, Err: kiosk.ErrNotFound}
	}
	return k.ret, nil
}

func (k *returnKiosk) CanRefundToCard() bool { return k.card }

func (k *returnKiosk) Override(o kiosk.Override) error {
	return k.record(returnCall(o))
}

func returnCall(o kiosk.Override) string {
	if o.Return == nil {
		return overrideCall(o) + " no lines"
	}
	return fmt.Sprintf("%s lines %v refund %v", overrideCall(o), o.Return.Lines, o.Return.Refund)
}

func newReturnKiosk(t *testing.T, card bool) *returnKiosk {
	d := mustDemo(t)
	v := signedIn(d.views()[kiosk.Idle], kiosk.RoleSupervisor, kiosk.OvReturn)
	s := kiosk.Sale{No: 17, Kiosk: "K1", Lines: []kiosk.Line{{Product: d.snus, Qty: 3}}}
	return &returnKiosk{fakeKiosk: newFakeKiosk(v), card: card,
		ret: kiosk.Returnable{Sale: s, Lines: []kiosk.ReturnableLine{{Line: s.Lines[0], Returned: 1}}}}
}

// Issue 12 item 4: the supervisor types the receipt number, sees its
// lines and what is left, takes back no more than is left, picks how the
// money goes back and the reason: one override with the lines.
func TestStaffReturn(t *testing.T) {
	for _, c := range []struct {
		name string
		card bool
		taps []string
		want kiosk.Override
	}{
		{"to the card", true, []string{"Retur", "1", "7", "OK", "+", "+", "+", "Tilbake til kortet", "Kunden ba om det"},
			kiosk.Override{Kind: kiosk.OvReturn, Reason: kiosk.ReasonCustomerAsked, Receipt: 17, Return: &kiosk.ReturnRequest{Refund: kiosk.RefundCard}}},
		{"at the counter", false, []string{"Retur", "1", "7", "OK", "+", "Betalt ut i kassen", "Tilbake", "+", "Betalt ut i kassen", "Feil vare"},
			kiosk.Override{Kind: kiosk.OvReturn, Reason: kiosk.ReasonWrongItem, Receipt: 17, Return: &kiosk.ReturnRequest{Refund: kiosk.RefundCounter}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			newTestApp(t)
			k := newReturnKiosk(t, c.card)
			s, w := showScreen(t, k, LangNorwegian, size1280)
			wait := slowDone(t, s)
			tapping(c.taps...)(t, w)
			wait()
			// 3 sold, 1 returned before: the third "+" does nothing.
			c.want.Return.Lines = []kiosk.ReturnLine{{GTIN: k.ret.Sale.Lines[0].Product.GTIN, Qty: 2}}
			equalCalls(t, k.Calls(), returnCall(c.want))
		})
	}
}

func TestStaffReturnScreen(t *testing.T) {
	newTestApp(t)
	k := newReturnKiosk(t, false)
	_, w := showScreen(t, k, LangNorwegian, size1280)
	tapping("Retur", "1", "7", "OK")(t, w)
	if !hasText(w, "Tilbake: 0 av 2") || !hasText(w, "1 levert tilbake før") {
		t.Errorf("the return shows %q", texts(w))
	}
	if !findButton(t, w, "Tilbake til kortet").Disabled() || !findButton(t, w, "Betalt ut i kassen").Disabled() {
		t.Error("a refund offered with nothing chosen, or to the card without a terminal that refunds")
	}
	tapping("+", "+")(t, w)
	if !findButton(t, w, "+").Disabled() || findButton(t, w, "Betalt ut i kassen").Disabled() {
		t.Errorf("after 2 of 2: %q", texts(w))
	}
	tapping("Tilbake", "1", "8", "OK")(t, w)
	if !hasText(w, "Finner ingen kvittering nr. 18") {
		t.Errorf("an unknown receipt shows %q", texts(w))
	}
	if calls := k.Calls(); len(calls) != 0 {
		for _, c := range calls {
			if c != "StaffTouch" {
				t.Errorf("calls %q", calls)
				break
			}
		}
	}
}

func TestStaffReturnErrors(t *testing.T) {
	newTestApp(t)
	d := mustDemo(t)
	for _, c := range []struct {
		e    kiosk.StaffError
		arg  string
		want string
	}{
		{kiosk.StaffErrOverReturn, "17", "Kvittering nr. 17: så mange er ikke kjøpt"},
		{kiosk.StaffErrRefundDeclined, "kort avvist", "Terminalen avviste tilbakebetalingen (kort avvist)"},
		{kiosk.StaffErrRefundUnknown, "no answer", "Ingen retur er registrert – sjekk terminalen"},
	} {
		v := signedIn(d.views()[kiosk.Idle], kiosk.RoleSupervisor, kiosk.OvReturn)
		v.Staff.Error, v.Staff.ErrorArg = c.e, c.arg
		_, w := showScreen(t, newFakeKiosk(v), LangNorwegian, size1280)
		if !hasText(w, c.want) {
			t.Errorf("%v shows %q", c.e, texts(w))
		}
	}
}
