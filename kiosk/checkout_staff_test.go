package kiosk_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"selvkasse/kiosk"
)

// sigs is kept in compartment 2 of the cabinet.
var sigs = kiosk.Product{GTIN: kiosk.MustGTIN("7039990000205"), Name: "Fjord Sigaretter 20", Group: kiosk.GroupTobacco,
	VAT: kiosk.VAT25, Price: 16900, MinAge: 18, Cabinet: true, Compartment: 2, Stock: 5}

// journaled returns the journal's records with subtype sub.
func (r *rig) journaled(sub string) []kiosk.Record {
	var out []kiosk.Record
	for _, rec := range r.store.Records() {
		if rec.Subtype == sub {
			out = append(out, rec)
		}
	}
	return out
}

func (r *rig) lastOverride() kiosk.Record {
	r.t.Helper()
	os := r.journaled(kiosk.SubOverride)
	if len(os) == 0 {
		r.t.Fatal("no override journaled")
	}
	return os[len(os)-1]
}

// Issue 10 item 3: staff approves the age check on the staff screen
// after badge and PIN; the sale completes, the override is journaled with
// kiosk, staff, role, override, reason and sale, the sale records the
// approver, and the session ends (one shot).
func TestStaffApprovesAgeOnScreen(t *testing.T) {
	r := mustRig(t)
	r.must(r.co.Add(snus.GTIN))
	r.payAskingAge()
	sale := r.co.View().SaleID
	r.signIn("ola")
	v := r.co.View()
	if v.Staff == nil || v.Staff.Phase != kiosk.StaffSignedIn || v.State != kiosk.AgeCheckPending {
		t.Fatalf("after the PIN: %v %+v", v.State, v.Staff)
	}
	r.must(r.co.Override(kiosk.Override{Kind: kiosk.OvApproveAge, Reason: kiosk.ReasonIDChecked}))
	r.wantAgeWithdrawn() // the key switch's request is answered on screen
	r.payApproved()
	r.wait(kiosk.Releasing)
	r.co.Door(kiosk.DoorEvent{Compartment: 1, Open: true})
	r.co.Door(kiosk.DoorEvent{Compartment: 1, Open: false})
	r.wait(kiosk.Receipt)
	if v := r.co.View(); v.Staff != nil {
		t.Errorf("the session outlived its override: %+v", v.Staff)
	}
	o := r.lastOverride()
	want := map[string]string{"staff": "ola", "role": "clerk", "override": "approve age", "reason": "ID checked"}
	for k, w := range want {
		if o.Data[k] != w {
			t.Errorf("override journaled %s=%q, want %q", k, o.Data[k], w)
		}
	}
	if o.Kiosk != "K1" || o.SaleID != sale || o.Time.IsZero() {
		t.Errorf("override journaled kiosk %q sale %q time %v", o.Kiosk, o.SaleID, o.Time)
	}
	if a := r.journaled(kiosk.SubAgeApproved); len(a) != 1 || a[0].Data["staff"] != "ola" || a[0].Data["method"] != kiosk.MethodBadgePIN {
		t.Errorf("age approval journaled %+v", a)
	}
	if ss := r.store.Sales(); len(ss) != 1 || ss[0].AgeCheckBy != "ola" {
		t.Errorf("sales %+v", ss)
	}
	if !r.has(kiosk.CodeEmployeeLogOut.String()) {
		t.Error("no log-out journaled after the one-shot override")
	}
}

// Refusing the age on the staff screen removes the 18+ lines and says so.
func TestStaffRefusesAgeOnScreen(t *testing.T) {
	r := mustRig(t)
	r.must(r.co.Add(soda.GTIN))
	r.must(r.co.Add(snus.GTIN))
	r.payAskingAge()
	r.must(r.override("ola", kiosk.Override{Kind: kiosk.OvRefuseAge, Reason: kiosk.ReasonNoValidID}))
	v := r.wait(kiosk.Shopping)
	if len(v.Lines) != 1 || v.Lines[0].Product.GTIN != soda.GTIN || v.Notice != kiosk.NoticeAgeRefused {
		t.Fatalf("after the refusal: %+v", v)
	}
	if v.Today.AgeRefused != 1 {
		t.Errorf("today's refusals %d", v.Today.AgeRefused)
	}
}

// Issue 10: a role without the right gets a clear refusal, journaled; the
// session stays for something the role may do. The whole override table:
// every override × role in a state where it applies.
func TestOverrideRoles(t *testing.T) {
	setups := map[kiosk.OverrideKind]func(r *rig){
		kiosk.OvApproveAge: func(r *rig) { r.must(r.co.Add(snus.GTIN)); r.payAskingAge() },
		kiosk.OvRefuseAge:  func(r *rig) { r.must(r.co.Add(snus.GTIN)); r.payAskingAge() },
		kiosk.OvVoidLine:   func(r *rig) { r.must(r.co.Add(soda.GTIN)) },
		kiosk.OvCancelSale: func(r *rig) { r.must(r.co.Add(soda.GTIN)) },
		kiosk.OvResumeSale: func(r *rig) {
			r.must(r.co.Add(soda.GTIN))
			r.must(r.co.Pay())
			r.payDeclined()
		},
		kiosk.OvCompleteSale: func(r *rig) {
			r.must(r.co.Add(snus.GTIN))
			r.payAgeApproved()
			r.payApproved()
			r.wait(kiosk.Releasing)
			r.clock.Advance(2 * time.Minute) // the release times out: staff completes
			r.wait(kiosk.Assistance)
		},
		kiosk.OvOpenCompartment: func(r *rig) {},
		kiosk.OvXReport:         func(r *rig) {},
		kiosk.OvZReport:         func(r *rig) {},
		kiosk.OvCopyReceipt:     func(r *rig) { r.sellSoda() },
		kiosk.OvTrainingMode:    func(r *rig) {},
		kiosk.OvReturn:          func(r *rig) { r.sellSodas(1) },
		kiosk.OvReceiveStock:    func(r *rig) {},
		kiosk.OvClearFault: func(r *rig) {
			r.co.DeviceFault(kiosk.DevTerminalSetup)
			r.wait(kiosk.OutOfOrder)
		},
	}
	for _, k := range kiosk.OverrideKinds {
		for _, m := range testStaff {
			t.Run(fmt.Sprintf("%v/%v", k, m.Role), func(t *testing.T) {
				r := mustRig(t)
				if k.Later() {
					err := r.override(m.ID, kiosk.Override{Kind: k})
					if !errors.Is(err, kiosk.ErrLater) {
						t.Fatalf("later entry %v = %v, want ErrLater", k, err)
					}
					return
				}
				setups[k](r)
				r.signIn(m.ID)
				opt := optionOf(t, r.co.View(), k)
				o := kiosk.Override{Kind: k}
				if k == kiosk.OvReturn { // the first receipt's soda, at the counter
					o.Receipt, o.Return = 1, &kiosk.ReturnRequest{Refund: kiosk.RefundCounter, Lines: []kiosk.ReturnLine{{GTIN: soda.GTIN, Qty: 1}}}
				}
				if k == kiosk.OvReceiveStock {
					o.Receive = &kiosk.StockReceipt{GTIN: soda.GTIN, Qty: 6}
				}
				err := r.co.Override(o)
				may := m.Role.May(actionOf(k))
				if opt.Permitted != may || !opt.Available {
					t.Errorf("offered %+v, want permitted %v and available", opt, may)
				}
				if may {
					if err != nil {
						t.Fatalf("%v by a %v: %v", k, m.Role, err)
					}
					if r.co.View().Staff != nil {
						t.Error("the session stayed after the override")
					}
					return
				}
				if !errors.Is(err, kiosk.ErrNotPermitted) {
					t.Fatalf("%v by a %v = %v, want ErrNotPermitted", k, m.Role, err)
				}
				v := r.co.View()
				if v.Staff == nil || v.Staff.Error != kiosk.StaffErrNotPermitted {
					t.Errorf("refusal not shown: %+v", v.Staff)
				}
				if len(r.journaled(kiosk.SubOverrideRefused)) != 1 || len(r.journaled(kiosk.SubOverride)) != 0 {
					t.Error("refusal not journaled, or the override done anyway")
				}
			})
		}
	}
}

func optionOf(t *testing.T, v kiosk.View, k kiosk.OverrideKind) kiosk.OverrideOption {
	t.Helper()
	if v.Staff == nil {
		t.Fatal("no staff screen")
	}
	for _, o := range v.Staff.Overrides {
		if o.Kind == k {
			return o
		}
	}
	t.Fatalf("%v not offered", k)
	return kiosk.OverrideOption{}
}

// actionOf is the action each override needs, as the table says.
func actionOf(k kiosk.OverrideKind) kiosk.Action {
	return map[kiosk.OverrideKind]kiosk.Action{
		kiosk.OvApproveAge: kiosk.ActAgeCheck, kiosk.OvRefuseAge: kiosk.ActAgeCheck,
		kiosk.OvVoidLine: kiosk.ActAssist, kiosk.OvCancelSale: kiosk.ActAssist, kiosk.OvResumeSale: kiosk.ActAssist,
		kiosk.OvCompleteSale: kiosk.ActSettlePayment, kiosk.OvOpenCompartment: kiosk.ActRestockCabinet,
		kiosk.OvClearFault: kiosk.ActServiceDevices, kiosk.OvXReport: kiosk.ActXReport, kiosk.OvZReport: kiosk.ActZReport,
		kiosk.OvCopyReceipt: kiosk.ActCopyReceipt, kiosk.OvTrainingMode: kiosk.ActTrainingMode, kiosk.OvReturn: kiosk.ActReturns,
		kiosk.OvReceiveStock: kiosk.ActReceiveStock,
	}[k]
}

// No override without a session, and none the state does not allow.
func TestOverrideNeedsSessionAndState(t *testing.T) {
	r := mustRig(t)
	r.must(r.co.Add(soda.GTIN))
	if err := r.co.Override(kiosk.Override{Kind: kiosk.OvCancelSale}); !errors.Is(err, kiosk.ErrNoSession) {
		t.Fatalf("override without a session = %v", err)
	}
	r.signIn("kari")
	if err := r.co.Override(kiosk.Override{Kind: kiosk.OvCompleteSale}); !errors.Is(err, kiosk.ErrNotNow) {
		t.Fatalf("complete with nothing paid = %v", err)
	}
	if err := r.co.Override(kiosk.Override{Kind: kiosk.OvCancelSale, Reason: kiosk.ReasonIDChecked}); !errors.Is(err, kiosk.ErrNotNow) {
		t.Fatalf("cancel for a reason of the age check = %v", err)
	}
	if v := r.co.View(); v.State != kiosk.Shopping || v.Count != 1 {
		t.Fatalf("the sale changed: %v %d", v.State, v.Count)
	}
}

// Bad input: unknown badge, disabled staff, wrong PINs up to the lock, a
// locked badge, a badge mid-payment: each a clear message, journaled,
// and the customer's sale survives.
func TestStaffLoginBadInput(t *testing.T) {
	r := mustRig(t)
	r.must(r.co.Add(soda.GTIN))

	r.co.StaffBadge("B-nobody")
	if v := r.co.View(); v.Notice != kiosk.NoticeBadgeUnknown || v.Staff != nil {
		t.Fatalf("unknown badge: %v %+v", v.Notice, v.Staff)
	}
	r.must(r.reg.DisableStaff(r.ctx, "tor", kiosk.StaffEntry(kiosk.SubStaffDisabled, kiosk.Staff{ID: "tor"}, r.clock.Now(), "test")))
	r.co.StaffBadge("B-tor")
	if v := r.co.View(); v.Notice != kiosk.NoticeBadgeUnknown || v.Staff != nil {
		t.Fatalf("disabled staff: %v %+v", v.Notice, v.Staff)
	}

	r.co.StaffBadge("B-ola")
	for i := 1; i <= 4; i++ {
		err := r.co.StaffPIN("0000")
		v := r.co.View()
		if !errors.Is(err, kiosk.ErrWrongPIN) || v.Staff == nil || v.Staff.Error != kiosk.StaffErrWrongPIN || v.Staff.ErrorArg != fmt.Sprint(5-i) {
			t.Fatalf("wrong PIN %d: %v %+v", i, err, v.Staff)
		}
	}
	if err := r.co.StaffPIN("0000"); !errors.Is(err, kiosk.ErrBadgeLocked) {
		t.Fatalf("fifth wrong PIN = %v", err)
	}
	v := r.co.View()
	if v.Staff != nil || v.Notice != kiosk.NoticeBadgeLocked || v.NoticeArg != "15:05" {
		t.Fatalf("after the lock: %+v %v %q", v.Staff, v.Notice, v.NoticeArg)
	}
	r.co.StaffBadge("B-ola")
	if v := r.co.View(); v.Staff != nil || v.Notice != kiosk.NoticeBadgeLocked {
		t.Fatalf("locked badge opened the PIN pad: %+v", v.Staff)
	}
	if len(r.journaled(kiosk.SubLoginFailed)) < 6 || len(r.journaled(kiosk.SubLoginLocked)) != 1 {
		t.Errorf("journal: %v", r.subtypes())
	}

	// A badge while paying: the sale goes on untouched.
	r.must(r.co.Pay())
	r.wait(kiosk.Paying)
	r.co.StaffBadge("B-kari")
	if v := r.co.View(); v.Staff != nil || v.Notice != kiosk.NoticeStaffNotNow || v.State != kiosk.Paying {
		t.Fatalf("badge mid-payment: %+v %v %v", v.Staff, v.Notice, v.State)
	}
	r.payApproved()
	r.wait(kiosk.Receipt)
	if len(r.store.Sales()) != 1 {
		t.Fatal("the sale did not complete")
	}
}

// The staff screen closes after the idle time, journaled as a log-out;
// a product scanned by the customer closes it at once.
func TestStaffSessionEnds(t *testing.T) {
	r := mustRig(t)
	r.signIn("kari")
	r.clock.Advance(61 * time.Second)
	if v := r.co.View(); v.Staff != nil {
		t.Fatalf("staff screen after 61 s idle: %+v", v.Staff)
	}
	if err := r.co.Override(kiosk.Override{Kind: kiosk.OvOpenCompartment}); !errors.Is(err, kiosk.ErrNoSession) {
		t.Fatalf("override after idle = %v", err)
	}
	r.signIn("kari")
	r.co.Scan(soda.GTIN.String())
	if v := r.wait(kiosk.Shopping); v.Staff != nil {
		t.Fatalf("staff screen after the customer scanned: %+v", v.Staff)
	}
	outs := 0
	for _, rec := range r.store.Records() {
		if rec.Code == kiosk.CodeEmployeeLogOut {
			outs++
		}
	}
	if outs != 2 {
		t.Errorf("%d log-outs journaled, want 2", outs)
	}
}

// Issue 10 item 5: Help lights the light yellow and blinking, chimes,
// queues the call and pauses the customer's timers; an age check and a
// help call are separate: staff logging in answers the help call, not the
// age check.
func TestHelpReachesStaff(t *testing.T) {
	r := mustRig(t)
	r.must(r.co.Add(soda.GTIN))
	if s := r.light.Current(); s != (kiosk.Signal{Light: kiosk.LightGreen}) {
		t.Fatalf("light before help %+v", s)
	}
	r.must(r.co.Help())
	v := r.co.View()
	if v.Help.IsZero() || len(v.Calls) != 1 || v.Calls[0].Kind != kiosk.CallHelp || v.Calls[0].Kiosk != "K1" {
		t.Fatalf("after help: help %v calls %+v", v.Help, v.Calls)
	}
	if s := r.light.Current(); s != (kiosk.Signal{Light: kiosk.LightYellow, Blink: true}) || r.light.Chimes() != 1 {
		t.Fatalf("light %+v chimes %d", s, r.light.Chimes())
	}
	r.clock.Advance(5 * time.Minute)
	if v := r.co.View(); v.State != kiosk.Shopping || v.Count != 1 {
		t.Fatalf("the basket timed out while help was called: %v", v.State)
	}
	r.must(r.co.WithdrawHelp())
	if v := r.co.View(); !v.Help.IsZero() || len(v.Calls) != 0 || r.light.Current().Light != kiosk.LightGreen {
		t.Fatalf("after withdrawing: %+v %+v", v.Calls, r.light.Current())
	}
	r.clock.Advance(61 * time.Second)
	r.wait(kiosk.TimeoutWarning)
	r.co.Touch()

	// Help during the age check: two calls; staff's log-in answers help.
	r.must(r.co.Add(snus.GTIN))
	r.payAskingAge()
	r.must(r.co.Help())
	v = r.co.View()
	if v.State != kiosk.AgeCheckPending || len(v.Calls) != 2 {
		t.Fatalf("help during the age check: %v %+v", v.State, v.Calls)
	}
	r.signIn("ola")
	v = r.co.View()
	if v.State != kiosk.AgeCheckPending || len(v.Calls) != 1 || v.Calls[0].Kind != kiosk.CallAgeCheck {
		t.Fatalf("after staff logged in: %v %+v", v.State, v.Calls)
	}
	if s := r.light.Current(); s != (kiosk.Signal{Light: kiosk.LightYellow}) {
		t.Errorf("light with staff at the kiosk %+v, want steady yellow", s)
	}
	if len(r.staff.Waiting()) != 1 {
		t.Error("the age check was withdrawn by help")
	}
}

// Issue 10 item 7: a sale unlocks only the compartments of its paid goods,
// and the release screen says which.
func TestReleaseOpensOnlyPaidCompartments(t *testing.T) {
	r := mustRig(t)
	r.cab.SetCompartments(3)
	r.must(r.store.Put(r.ctx, sigs))
	r.start()
	r.must(r.co.Add(sigs.GTIN))
	r.must(r.co.Add(sigs.GTIN))
	r.must(r.co.Add(soda.GTIN))
	r.payAgeApproved()
	r.payApproved()
	v := r.wait(kiosk.Releasing)
	if got := r.cab.Unlocked(); !slices.Equal(got, []int{2}) {
		t.Fatalf("unlocked %v, want [2]", got)
	}
	if len(v.Release) != 1 || v.Release[0] != (kiosk.ReleaseItem{Name: sigs.Name, Qty: 2, Compartment: 2}) {
		t.Fatalf("release list %+v", v.Release)
	}
	r.co.Door(kiosk.DoorEvent{Compartment: 2, Open: true})
	r.co.Door(kiosk.DoorEvent{Compartment: 2, Open: false})
	r.wait(kiosk.Receipt)
	if !r.cab.Locked() {
		t.Error("compartment 2 not locked again")
	}
}

// A door that opens without an unlock is forced: red light with the
// alarm, journaled, a call for staff; staff's log-in acknowledges it.
func TestForcedDoorAlarm(t *testing.T) {
	r := mustRig(t)
	r.cab.SetCompartments(3)
	r.start()
	ctx := r.ctx
	go r.co.Run(ctx)
	r.cab.SetDoor(3, true)
	v := r.until(func(v kiosk.View) bool { return len(v.Calls) > 0 }, "forced door call")
	if v.Calls[0].Kind != kiosk.CallDoorForced || v.Calls[0].Arg != "3" {
		t.Fatalf("calls %+v", v.Calls)
	}
	if s := r.light.Current(); s != (kiosk.Signal{Light: kiosk.LightRed, Blink: true, Alarm: true}) {
		t.Fatalf("light %+v", s)
	}
	if len(r.journaled(kiosk.SubDoorForced)) != 1 {
		t.Fatal("forced door not journaled")
	}
	r.cab.SetDoor(3, false)
	r.signIn("ola")
	if v := r.co.View(); len(v.Calls) != 0 || r.light.Current().Alarm {
		t.Fatalf("after staff: %+v %+v", v.Calls, r.light.Current())
	}
}

// Restocking: staff opens one compartment; its door closing locks it;
// left open it calls staff.
func TestOpenCompartmentForRestock(t *testing.T) {
	r := mustRig(t)
	r.cab.SetCompartments(3)
	r.start()
	r.must(r.override("ola", kiosk.Override{Kind: kiosk.OvOpenCompartment, Compartment: 2, Reason: kiosk.ReasonRestock}))
	if got := r.cab.Unlocked(); !slices.Equal(got, []int{2}) {
		t.Fatalf("unlocked %v", got)
	}
	r.co.Door(kiosk.DoorEvent{Compartment: 2, Open: true})
	r.clock.Advance(2 * time.Minute)
	v := r.co.View()
	if len(v.Calls) != 1 || v.Calls[0].Kind != kiosk.CallDoorOpen || r.light.Current().Light != kiosk.LightYellow {
		t.Fatalf("door left open: %+v %+v", v.Calls, r.light.Current())
	}
	r.co.Door(kiosk.DoorEvent{Compartment: 2, Open: false})
	if !r.cab.Locked() || len(r.co.View().Calls) != 0 {
		t.Fatalf("after closing: locked %v calls %+v", r.cab.Locked(), r.co.View().Calls)
	}
	if got := r.lastOverride().Data["compartment"]; got != "2" {
		t.Errorf("journaled compartment %q", got)
	}
}

// Voiding a line is staff's; the journal names it.
func TestStaffVoidsLine(t *testing.T) {
	r := mustRig(t)
	r.must(r.co.Add(soda.GTIN))
	r.must(r.co.Add(avis.GTIN))
	r.must(r.override("ola", kiosk.Override{Kind: kiosk.OvVoidLine, Line: avis.GTIN, Reason: kiosk.ReasonWrongItem}))
	v := r.co.View()
	if len(v.Lines) != 1 || v.Lines[0].Product.GTIN != soda.GTIN {
		t.Fatalf("lines %+v", v.Lines)
	}
	if vs := r.journaled(kiosk.SubLineVoided); len(vs) != 1 || vs[0].Data["gtin"] != string(avis.GTIN) {
		t.Fatalf("void journaled %+v", vs)
	}
}

// Today's counts come from the journal, also after a restart; a price
// check counts (it had no figure on the staff screen).
func TestTodayCounts(t *testing.T) {
	r := mustRig(t)
	r.must(r.co.Add(soda.GTIN))
	r.must(r.co.Pay())
	r.payApproved()
	r.wait(kiosk.Receipt)
	r.must(r.co.FinishReceipt())
	r.waitRecord("receipt 1 printed", isPrinted(1)) // else the restart finds it unprinted
	r.must(r.co.Add(soda.GTIN))
	r.must(r.co.Cancel())
	r.must(r.co.PriceCheck())
	r.co.Scan(avis.GTIN.Short())
	r.must(r.co.EndPriceCheck())
	r.must(r.override("kari", kiosk.Override{Kind: kiosk.OvOpenCompartment}))
	want := kiosk.DayCounts{Sales: 1, Cancelled: 1, Overrides: 1, PriceChecks: 1}
	if got := r.co.View().Today; got != want {
		t.Fatalf("today %+v, want %+v", got, want)
	}
	r.start()
	if got := r.co.View().Today; got != want {
		t.Fatalf("today after a restart %+v, want %+v", got, want)
	}
	r.clock.Advance(24 * time.Hour)
	if got := r.co.View().Today; got != (kiosk.DayCounts{}) {
		t.Fatalf("tomorrow %+v", got)
	}
}

// Staff using the staff screen keeps the session: the idle time counts
// from the last touch.
func TestStaffTouchKeepsSession(t *testing.T) {
	r := mustRig(t)
	r.signIn("kari")
	for range 3 {
		r.clock.Advance(45 * time.Second)
		r.co.StaffTouch()
	}
	if v := r.co.View(); v.Staff == nil {
		t.Fatal("the staff screen closed while staff used it")
	}
	r.must(r.co.Override(kiosk.Override{Kind: kiosk.OvOpenCompartment}))
}

// Help during the release does not restart the release's timer: the
// goods cabinet is never left open longer because someone pressed Help.
func TestHelpKeepsReleaseTimer(t *testing.T) {
	r := mustRig(t)
	r.must(r.co.Add(snus.GTIN))
	r.payAgeApproved()
	r.payApproved()
	r.wait(kiosk.Releasing)
	r.clock.Advance(100 * time.Second)
	r.must(r.co.Help())
	r.clock.Advance(21 * time.Second) // 121 s since the unlock: past the 120 s release time
	r.wait(kiosk.Assistance)
}

// The key switch answering the age check while staff is at the screen
// gives the customer's screen back for the payment.
func TestKeySwitchApprovalClosesStaffScreen(t *testing.T) {
	r := mustRig(t)
	r.must(r.co.Add(snus.GTIN))
	r.payAskingAge()
	r.signIn("ola")
	r.must(r.staff.Approve("key"))
	if v := r.wait(kiosk.Paying); v.Staff != nil {
		t.Fatalf("the staff screen stayed over the payment: %+v", v.Staff)
	}
}

// Issue 10 item 2: where staff has no badges, the key switch opens the
// log-in: pick a name, then the PIN. A disabled or locked staff member
// picked is refused as their badge would be; during the payment the key
// opens nothing.
func TestKeySwitchLogin(t *testing.T) {
	r := mustRig(t)
	r.co.StaffKeyTurned()
	v := r.co.View()
	if v.Staff == nil || v.Staff.Phase != kiosk.StaffPIN || v.Staff.ID != "" || len(v.Staff.Choices) != 3 {
		t.Fatalf("after the key: %+v", v.Staff)
	}
	if err := r.co.StaffPIN("2468"); !errors.Is(err, kiosk.ErrNotNow) {
		t.Fatalf("a PIN before a name = %v", err)
	}
	r.must(r.co.StaffChoose("kari"))
	if v := r.co.View(); v.Staff == nil || v.Staff.ID != "kari" || v.Staff.Phase != kiosk.StaffPIN {
		t.Fatalf("after picking: %+v", v.Staff)
	}
	r.must(r.co.StaffPIN("2468"))
	if v := r.co.View(); v.Staff == nil || v.Staff.Phase != kiosk.StaffSignedIn {
		t.Fatalf("after the PIN: %+v", v.Staff)
	}
	r.co.StaffLogout()

	r.must(r.reg.DisableStaff(r.ctx, "tor", kiosk.StaffEntry(kiosk.SubStaffDisabled, kiosk.Staff{ID: "tor"}, r.clock.Now(), "test")))
	r.co.StaffKeyTurned()
	if v := r.co.View(); len(v.Staff.Choices) != 2 {
		t.Fatalf("a disabled staff member is offered: %+v", v.Staff.Choices)
	}
	if err := r.co.StaffChoose("tor"); !errors.Is(err, kiosk.ErrUnknownBadge) {
		t.Fatalf("picking a disabled staff member = %v", err)
	}
	if v := r.co.View(); v.Staff != nil || v.Notice != kiosk.NoticeBadgeUnknown {
		t.Fatalf("after picking a disabled one: %+v %v", v.Staff, v.Notice)
	}

	r.must(r.co.Add(soda.GTIN))
	r.must(r.co.Pay())
	r.wait(kiosk.Paying)
	r.co.StaffKeyTurned()
	if v := r.co.View(); v.Staff != nil || v.Notice != kiosk.NoticeStaffNotNow {
		t.Fatalf("key during the payment: %+v %v", v.Staff, v.Notice)
	}
}

// Another staff member's badge closes a staff screen with its session,
// journaled, even when the PIN pad is then cancelled.
func TestBadgeReplacesSession(t *testing.T) {
	r := mustRig(t)
	r.signIn("ola")
	r.co.StaffBadge("B-kari")
	r.co.StaffCancelLogin()
	if err := r.co.Override(kiosk.Override{Kind: kiosk.OvOpenCompartment}); !errors.Is(err, kiosk.ErrNoSession) {
		t.Fatalf("override after the screen closed = %v", err)
	}
	outs := 0
	for _, rec := range r.store.Records() {
		if rec.Code == kiosk.CodeEmployeeLogOut && rec.Data["staff"] == "ola" {
			outs++
		}
	}
	if outs != 1 {
		t.Errorf("ola's log-out journaled %d times, want 1", outs)
	}
}

// Issue 12 item 5: the Z report from the staff screen, between
// customers: the terminal's end of day first, then the report printed on
// the receipt printer and journaled in full; once a day.
func TestStaffZReportOnScreen(t *testing.T) {
	r := mustRig(t)
	r.must(r.co.Add(soda.GTIN))
	r.must(r.co.Pay())
	r.payApproved()
	no := r.until(func(v kiosk.View) bool { return v.State == kiosk.Receipt && v.ReceiptNo > 0 }, "the receipt screen").ReceiptNo
	// The receipt is printed after the screen shows it: on a loaded
	// machine it came out after the Z report, which the test then did
	// not find as the last document printed.
	r.waitRecord("the receipt printed", isPrinted(no))
	r.signIn("kari")
	if o := optionOf(t, r.co.View(), kiosk.OvZReport); o.Available {
		t.Error("Z report offered while the customer's receipt is on the screen")
	}
	r.co.StaffLogout()
	r.clock.Advance(15 * time.Second)
	r.wait(kiosk.Idle)

	r.must(r.override("kari", kiosk.Override{Kind: kiosk.OvZReport}))
	d, ok := r.printer.Last()
	text := d.PlainText(kiosk.ReportColumns)
	if !ok || !strings.Contains(text, "Z-RAPPORT nr. 1") || !strings.Contains(text, "Tatt ut av                            kari") ||
		!strings.Contains(text, "\nSystem-ID "+rigSystemID+"\n") {
		t.Fatalf("printed:\n%s", text)
	}
	var zs []kiosk.Record
	for _, rec := range r.store.Records() {
		if rec.Code == kiosk.CodeZReport {
			zs = append(zs, rec)
		}
	}
	if len(zs) != 1 || zs[0].Text != text || zs[0].Amount != soda.Price {
		t.Fatalf("Z reports journaled: %+v", zs)
	}
	if eod := r.journaled(kiosk.SubTerminalEndOfDay); len(eod) != 1 || eod[0].Amount != soda.Price || eod[0].Seq > zs[0].Seq {
		t.Errorf("terminal end of day journaled %+v", eod)
	}
	if o := r.lastOverride(); o.Data["override"] != "Z report" || o.Data["reason"] != "end of day" || !strings.Contains(o.Text, "Z report 1") {
		t.Errorf("override journaled %+v", o)
	}
	tot, err := r.store.Totals(r.ctx, "K1")
	if err != nil || tot.LastZ.No != 1 || tot.Period.Sales.Num != 0 || tot.GrandSales != soda.Price {
		t.Errorf("totals after the Z report: %+v, %v", tot, err)
	}

	// A clerk may print an X report, not close the day; nobody twice.
	r.must(r.override("ola", kiosk.Override{Kind: kiosk.OvXReport}))
	if d, _ := r.printer.Last(); !strings.Contains(d.PlainText(kiosk.ReportColumns), "X-RAPPORT") {
		t.Error("X report not printed")
	}
	r.co.StaffLogout()
	err = r.override("kari", kiosk.Override{Kind: kiosk.OvZReport})
	if !errors.Is(err, kiosk.ErrZDone) {
		t.Fatalf("second Z report today = %v, want ErrZDone", err)
	}
	if v := r.co.View(); v.Staff == nil || v.Staff.Error != kiosk.StaffErrFailed || !strings.Contains(v.Staff.ErrorArg, "already run") {
		t.Errorf("the refusal is not shown: %+v", v.Staff)
	}
}

// A Z report the printer could not print is made and journaled all the
// same, and says so.
func TestStaffZReportNotPrinted(t *testing.T) {
	r := mustRig(t)
	r.printer.Unplug()
	r.must(r.override("kari", kiosk.Override{Kind: kiosk.OvZReport}))
	if o := r.lastOverride(); !strings.Contains(o.Text, "not printed") {
		t.Errorf("override journaled %q", o.Text)
	}
	var faults []string
	for _, rec := range r.journaled(kiosk.SubDeviceFault) {
		faults = append(faults, rec.Text)
	}
	if !strings.Contains(strings.Join(faults, "|"), "Z report journaled as record") {
		t.Errorf("device faults journaled: %q", faults)
	}
	if tot, _ := r.store.Totals(r.ctx, "K1"); tot.LastZ.No != 1 {
		t.Errorf("last Z %d", tot.LastZ.No)
	}
}
