//go:build linux

package app

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"selvkasse/kiosk"
	"selvkasse/kiosk/kiosktest"
	"selvkasse/storage"
)

// diskFullReserve is the free space the kiosk keeps for Badger by
// default: the test leaves that plus diskFullHeadroom free on a small
// tmpfs, so that the kiosk sells for a while before the guard trips.
var diskFullReserve = storage.DiskReserve

const (
	diskFullTmpfs    = 64 << 20
	diskFullHeadroom = 5 << 20
	diskFullMaxSales = 6000
)

// TestDiskFull runs a kiosk (the test binary as a child: on today's main
// Badger dies with SIGBUS in its memtable flush when the disk fills) on a
// small tmpfs that another file has mostly filled, and sells until the
// free-space guard trips. It proves: the child neither crashes nor is
// killed by a signal; the kiosk is out of order with "disk full" on its
// view and /healthz; every sale the screen called done is in the store
// after reopening, and the journal verifies; the fault clears once space
// is back.
func TestDiskFull(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the disk-full test sells a few hundred sales in a child process")
	}
	if os.Geteuid() != 0 {
		t.Skip("not root: mounting a small tmpfs needs root (CI runs as root)")
	}
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d", diskFullTmpfs), "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("mount -t tmpfs refused (%v: %s): cannot make a small filesystem here", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", mnt).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", mnt, err, out)
		}
	})
	// Everything but the reserve and some headroom is taken by another
	// file (the shop's logs, say).
	filler := filepath.Join(mnt, "filler")
	var st syscall.Statfs_t
	if err := syscall.Statfs(mnt, &st); err != nil {
		t.Fatal(err)
	}
	free := int64(st.Bavail) * int64(st.Bsize)
	fill := free - int64(diskFullReserve) - diskFullHeadroom
	if fill <= 0 {
		t.Fatalf("the tmpfs of %d MiB is too small for a reserve of %d MiB", diskFullTmpfs>>20, diskFullReserve>>20)
	}
	writeFiller(t, filler, fill)
	data := filepath.Join(mnt, "data")

	cmd := exec.Command(os.Args[0], "-test.run", "^TestDiskFullChild$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), "SELVKASSE_DISKFULL_DATA="+data, "SELVKASSE_DISKFULL_FILLER="+filler)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			t.Fatalf("the kiosk died with %v (%d sales done):\n%s", ws.Signal(), strings.Count(stdout.String(), "\ndone "), tail(stderr.String()+stdout.String(), 40))
		}
		if err != nil {
			// A SIGBUS in a memory-mapped file is a Go runtime crash
			// (exit status 2, "signal SIGBUS: bus error").
			t.Fatalf("the kiosk failed: %v after %d sales done:\n%s\n…\n%s", err, strings.Count(stdout.String(), "\ndone "),
				crashLines(stdout.String()+stderr.String()), tail(stdout.String(), 10))
		}
	case <-time.After(3 * time.Minute):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("the kiosk did not finish in 3 minutes:\n%s", tail(stdout.String(), 40))
	}

	sold := map[uint64]string{}
	var tripped, cleared bool
	sc := bufio.NewScanner(bytes.NewReader(stdout.Bytes()))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 3 && f[0] == "done":
			no, err := strconv.ParseUint(f[2], 10, 64)
			if err != nil {
				t.Fatal(sc.Text())
			}
			sold[no] = f[1]
		case len(f) > 0 && f[0] == "tripped":
			tripped = true
			t.Log(sc.Text())
		case len(f) > 0 && (f[0] == "stopped" || f[0] == "closed" || f[0] == "restarted"):
			t.Log(sc.Text())
		case len(f) > 0 && f[0] == "cleared":
			cleared = true
		}
	}
	t.Logf("%d sales done before the guard tripped", len(sold))
	if !tripped || !cleared || len(sold) == 0 {
		t.Fatalf("tripped %v, cleared %v, %d sales:\n%s", tripped, cleared, len(sold), tail(stdout.String(), 40))
	}

	// Every sale the screen called done is in the store, the journal
	// verifies, and its head is the anchor's.
	_ = os.Remove(filler)
	db, err := storage.Open(data, storage.Options{})
	if err != nil {
		t.Fatalf("reopen after the disk filled: %v", err)
	}
	defer db.Close()
	ctx := context.Background()
	for no, id := range sold {
		s, err := db.Sale(ctx, "K1", no)
		if err != nil || s.ID != id {
			t.Errorf("receipt %d: %s, %v; the screen said %s was done", no, s.ID, err, id)
		}
	}
	if sum, err := kiosk.VerifyJournal(ctx, db); err != nil {
		t.Errorf("journal after the disk filled: %d records, %v", sum.Records, err)
	}
}

func writeFiller(t *testing.T, path string, n int64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := bytes.Repeat([]byte("logs "), 1<<16/5)
	for n > 0 {
		b := buf
		if int64(len(b)) > n {
			b = b[:n]
		}
		if _, err := f.Write(b); err != nil {
			t.Fatal(err)
		}
		n -= int64(len(b))
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
}

// crashLines are the lines of a Go crash that say what happened.
func crashLines(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, "fatal error") || strings.Contains(l, "signal ") || strings.HasPrefix(strings.TrimSpace(l), "panic:") || strings.Contains(l, "unexpected fault") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// TestDiskFullChild is TestDiskFull's kiosk: the real wiring on the data
// dir it is given, fake devices, one shelf item per sale, selling until
// the kiosk is out of order. It prints "done SALE RECEIPT" for each sale
// the screen showed as done, "tripped" with /healthz once out of order,
// and "cleared" when the fault went after the filler was removed.
func TestDiskFullChild(t *testing.T) {
	data := os.Getenv("SELVKASSE_DISKFULL_DATA")
	if data == "" {
		t.Skip("run by TestDiskFull")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := mustSeededDB(t, data)
	p, err := db.Lookup(ctx, kiosk.MustGTIN(cola))
	if err != nil {
		t.Fatal(err)
	}
	p.Stock = 1 << 30 // stock never ends the test
	if err := db.Put(ctx, p); err != nil {
		t.Fatal(err)
	}
	clk := kiosktest.NewClock(time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC))
	term, printer, scanner := kiosktest.NewPaymentTerminal(clk), kiosktest.NewPrinter(), kiosktest.NewScanner(clk)
	fakeSign(db)
	co := newCheckout("K1", DemoShop, db, Devices{Scanner: scanner, Terminal: term, Printer: printer,
		Cabinet: kiosktest.NewCabinetLock(clk), Staff: kiosktest.NewStaffApproval()}, clk, nil)
	if err := co.Start(ctx); err != nil {
		t.Fatal(err)
	}
	ran := make(chan struct{})
	go func() { defer close(ran); _ = co.Run(ctx) }()
	hs := httptest.NewServer((&server{co: co, start: time.Now()}).handler())
	defer hs.Close()

	outOfOrder := func(v kiosk.View) bool { return v.State == kiosk.OutOfOrder }
	var last uint64
	for i := 0; i < diskFullMaxSales; i++ {
		scanner.Feed(cola)
		v := untilView(t, co, "a sale started or out of order", 20*time.Second, func(v kiosk.View) bool {
			return outOfOrder(v) || (v.State == kiosk.Shopping && v.Count == 1)
		})
		if outOfOrder(v) {
			break
		}
		id := v.SaleID
		term.Script(kiosktest.PayApproved())
		if err := co.Pay(); err != nil {
			t.Fatal(err)
		}
		v = untilView(t, co, "the sale done or stopped", 20*time.Second, func(v kiosk.View) bool {
			return (v.State == kiosk.Receipt && v.ReceiptNo > last) || v.State == kiosk.PaymentDeclined || v.State == kiosk.Assistance || outOfOrder(v)
		})
		if v.State != kiosk.Receipt {
			// The sale was stopped before payment: no money taken. Put
			// it aside as a customer would (cancel) and go on.
			fmt.Printf("stopped %s %v %v\n", id, v.State, v.Notice)
			_ = co.Cancel()
			continue
		}
		last = v.ReceiptNo
		fmt.Printf("done %s %d\n", id, v.ReceiptNo)
	}
	v := untilView(t, co, "out of order", 20*time.Second, outOfOrder)
	if !strings.Contains(v.Fault, "disk full") {
		t.Fatalf("out of order with fault %q; want \"disk full\"", v.Fault)
	}
	resp, err := http.Get(hs.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	var h Health
	err = json.NewDecoder(resp.Body).Decode(&h)
	resp.Body.Close()
	if err != nil || h.State != "OutOfOrder" || !strings.Contains(h.Fault, "disk full") {
		t.Fatalf("/healthz = %+v, %v; want OutOfOrder with \"disk full\"", h, err)
	}
	fmt.Printf("tripped state=%s fault=%q\n", h.State, h.Fault)

	// Shut down on the full disk: Close flushes Badger's memtable into a
	// table, which is what the reserve is for.
	cancel()
	<-ran
	if err := co.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	fmt.Println("closed on the full disk")

	// Started again on the nearly full disk (the flush at Close freed the
	// memtable log's pages, so it may be above the reserve again): it
	// opens, and says what the free space says.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	db, err = storage.Open(data, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	free, err := db.Free(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fakeSign(db)
	co = newCheckout("K1", DemoShop, db, Devices{Scanner: scanner, Terminal: term, Printer: printer,
		Cabinet: kiosktest.NewCabinetLock(clk), Staff: kiosktest.NewStaffApproval()}, clk, nil)
	if err := co.Start(ctx); err != nil {
		t.Fatal(err)
	}
	ran = make(chan struct{})
	go func() { defer close(ran); _ = co.Run(ctx) }()
	full := free < storage.DiskReserve
	untilView(t, co, fmt.Sprintf("out of order %v after a restart with %d MiB free", full, free>>20), 20*time.Second, func(v kiosk.View) bool {
		return (v.State == kiosk.OutOfOrder && strings.Contains(v.Fault, "disk full")) == full && (v.State == kiosk.Idle) == !full
	})
	fmt.Printf("restarted with %d MiB free, out of order %v\n", free>>20, full)
	if !full {
		// Fill it again, as the shop's logs would: the poll finds it.
		// Badger may free space meanwhile (a compaction after the start
		// deletes the tables it merged): fill until it is below the
		// reserve as the kiosk will measure it.
		f, err := os.OpenFile(os.Getenv("SELVKASSE_DISKFULL_FILLER"), os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; free >= storage.DiskReserve; i++ {
			if i == 10 {
				t.Fatalf("the store keeps freeing space: %d bytes free", free)
			}
			if _, err := f.Write(make([]byte, free-storage.DiskReserve+1<<20)); err != nil {
				t.Fatal(err)
			}
			if free, err = db.Free(ctx); err != nil {
				t.Fatal(err)
			}
		}
		f.Close()
		co.CheckDisk()
		untilView(t, co, "out of order when the disk fills while idle", 20*time.Second, func(v kiosk.View) bool {
			return v.State == kiosk.OutOfOrder && strings.Contains(v.Fault, "disk full")
		})
	}

	// Space back: the fault clears at the next look.
	if err := os.Remove(os.Getenv("SELVKASSE_DISKFULL_FILLER")); err != nil {
		t.Fatal(err)
	}
	co.CheckDisk()
	untilView(t, co, "back in service once space is back", 20*time.Second, func(v kiosk.View) bool {
		return v.State == kiosk.Idle && v.Fault == ""
	})
	fmt.Println("cleared")
	cancel()
	<-ran
	if err := co.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}
