package app

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestBlindKeypadSaleUnderXvfb is a whole sale by a customer who cannot
// see the screen (issue 14: EN 301 549 5.1, closed functionality): the
// real binary in a real X server, speech switched on with the
// accessibility key, every step on the kiosk's window done by keys sent
// with xdotool as a tactile keypad sends them, and every decision taken
// from what the kiosk said (/healthz lists the phrases; the fake of a
// headset), never from the screen. The devices' side (the scanner, the
// staff member at the age check, the card terminal, the cabinet door) is
// driven through `selvkasse sim`, as a customer uses them with their
// hands. `make xvfb-test` runs it with SELVKASSE_BIN set.
func TestBlindKeypadSaleUnderXvfb(t *testing.T) {
	bin := xvfbBin(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	display := startXvfb(t, ctx)
	data := t.TempDir()
	addr := freeLoopbackAddr(t)
	d := startDemo(t, ctx, bin, display, data, addr)
	if h := waitHealth(t, ctx, addr, d.exited); h.State != "Idle" {
		t.Fatalf("started in %s, want Idle", h.State)
	}
	win := strings.Fields(run(t, ctx, display, "xdotool", "search", "--sync", "--name", "^Selvkasse$"))[0]
	sim := func(args ...string) {
		t.Helper()
		run(t, ctx, display, bin, append([]string{"sim", "--addr", addr}, args...)...)
	}
	key := func(k string) {
		t.Helper()
		run(t, ctx, display, "xdotool", "key", "--window", win, k)
	}
	// heard waits until the kiosk has said a phrase containing part
	// since the last phrase heard, and returns it.
	var said []string
	next := 0 // the phrase heard next
	heard := func(part string) string {
		t.Helper()
		var got string
		h := waitSim(t, ctx, addr, "said: "+part, func(h Health) bool {
			if h.Speech == nil {
				return false
			}
			// Said keeps the last 50 phrases; this sale says fewer.
			for i := next; i < len(h.Speech.Said); i++ {
				if strings.Contains(h.Speech.Said[i], part) {
					got, next = h.Speech.Said[i], i+1
					return true
				}
			}
			return false
		})
		said = h.Speech.Said
		return got
	}
	// to presses Down until the focus said starts with label: a keypad
	// user moves through the screen hearing each target. What was said
	// before the first key is not an answer to it.
	to := func(label string) {
		t.Helper()
		h := waitSim(t, ctx, addr, "speech", func(h Health) bool { return h.Speech != nil })
		next = len(h.Speech.Said)
		for range 20 {
			key("Down")
			if strings.HasPrefix(heard(""), label) {
				return
			}
		}
		t.Fatalf("never heard %q moving down; heard %q", label, said)
	}

	key("F1") // the accessibility key
	heard("Tale er slått på")
	heard("Velkommen! Skann en vare for å starte.")

	sim("scan", "7039990000113") // the cola, from the shelf, scanned
	heard("Cola 0,5 l, 32 kroner og 90 øre.")

	// The tobacco, from the text-only list, by keys.
	to("Tobakk og snus")
	key("Return")
	key("1") // the list's first product, said
	heard(", kr ")
	to("Nordlys Snus Original Portion 24 g") // on down the list, each said
	key("Return")
	heard("Nordlys Snus Original Portion 24 g, 129 kroner.")

	to("Betal")
	key("Return")
	heard("Alderskontroll")
	sim("staff", "approve") // the clerk checks the ID
	heard("Å betale: 161 kroner og 90 øre.")
	sim("card", "approve")
	heard("Skapet er åpent. Ta Nordlys Snus Original Portion 24 g fra rom 1. Lukk døren etterpå.")
	sim("door", "open")
	sim("door", "close")
	heard("Takk for handelen!")

	if want := []string{
		"Tale er slått på. Trykk gjenta for å høre igjen, og stopp for stillhet.",
		"Cola 0,5 l, 32 kroner og 90 øre.",
		"Nordlys Snus Original Portion 24 g, 129 kroner.",
		"Å betale: 161 kroner og 90 øre. Følg instruksjonene på betalingsterminalen.",
		"Skapet er åpent. Ta Nordlys Snus Original Portion 24 g fra rom 1. Lukk døren etterpå.",
		"Takk for handelen!",
	}; !inOrder(said, want) {
		t.Errorf("said %q\nwant %q among them in order", said, want)
	}
	h := waitSim(t, ctx, addr, "the receipt printed", func(h Health) bool { return h.Sim.Printed == 1 })
	if h.ReceiptNo != 1 {
		t.Errorf("receipt %d, want 1", h.ReceiptNo)
	}
	d.stop(t, ctx)
}
