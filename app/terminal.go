package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"time"

	"selvkasse/devices/serialport"
	"selvkasse/devices/zvt"
	"selvkasse/kiosk"
	"selvkasse/storage"
)

// terminalConn is the ZVT driver on its line, and the line to close.
type terminalConn struct {
	*zvt.Terminal
	line  io.Closer
	where string
}

// Close closes the driver and its line.
func (t *terminalConn) Close() error {
	return errors.Join(t.Terminal.Close(), t.line.Close())
}

// openTerminal connects to the payment terminal as configured: over TCP
// when Addr is set (port 20007 unless given), else on the serial line
// (9600 8N2 unless given, ZVT transport §2). onStatus gets the terminal's
// prompts; it may be nil.
func openTerminal(ctx context.Context, c SerialConfig, clk kiosk.Clock, log *slog.Logger, onStatus func(nb, en string)) (*terminalConn, error) {
	opt := zvt.Options{Clock: clk, Logger: log}
	if onStatus != nil {
		opt.OnStatus = func(_ byte, nb, en string) { onStatus(nb, en) }
	}
	if c.Addr != "" {
		addr := c.Addr
		if _, _, err := net.SplitHostPort(addr); err != nil {
			addr = net.JoinHostPort(addr, strconv.Itoa(zvt.DefaultPort))
		}
		var d net.Dialer
		dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		conn, err := d.DialContext(dctx, "tcp", addr)
		if err != nil {
			return nil, fmt.Errorf("terminal at %s: %v: %w", addr, err, kiosk.ErrDeviceUnavailable)
		}
		opt.Mode = zvt.TCP
		return &terminalConn{Terminal: zvt.New(conn, opt), line: conn, where: addr}, nil
	}
	if c.Mode == "" {
		c.Mode = "8N2"
	}
	sc, err := c.serial(zvt.LineBaud)
	if err != nil {
		return nil, fmt.Errorf("terminal: %w", err)
	}
	p, err := serialport.Open(sc, serialport.WithClock(clk))
	if err != nil {
		return nil, fmt.Errorf("terminal: %w", err)
	}
	opt.Mode = zvt.Serial
	return &terminalConn{Terminal: zvt.New(p, opt), line: p, where: sc.String()}, nil
}

// paymentCmd is `selvkasse payment end-of-day --config FILE`: the
// terminal's End of Day (ZVT 06 50), its totals journaled.
func paymentCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "end-of-day" {
		return usageError("payment end-of-day --config FILE")
	}
	fs := flag.NewFlagSet("payment end-of-day", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "/etc/selvkasse/config.json", "configuration file")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError("payment end-of-day: " + err.Error())
	}
	cfg, err := LoadConfig(*path)
	if err != nil {
		return err
	}
	db, err := storage.Open(cfg.DataDir, storage.Options{})
	if err != nil {
		return fmt.Errorf("cannot open the data dir %s: %w", cfg.DataDir, err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	return endOfDay(ctx, cfg, db, kiosk.SystemClock{}, stdout)
}

// endOfDay runs the terminal's End of Day and journals its totals.
func endOfDay(ctx context.Context, cfg Config, j kiosk.Journal, clk kiosk.Clock, stdout io.Writer) error {
	t, err := openTerminal(ctx, cfg.Devices.Terminal, clk, nil, nil)
	if err != nil {
		return err
	}
	defer t.Close()
	tot, err := t.EndOfDay(ctx)
	if err != nil {
		return fmt.Errorf("end of day: %w", err)
	}
	e := kiosk.Entry{Code: kiosk.CodeOther, Subtype: kiosk.SubTerminalEndOfDay, Time: clk.Now(), Kiosk: cfg.KioskID,
		Amount: tot.Amount, Text: "payment terminal end of day",
		Data: map[string]string{"count": strconv.Itoa(tot.Count), "trace": tot.Trace, "receipt_from": tot.ReceiptFrom,
			"receipt_to": tot.ReceiptTo, "result": fmt.Sprintf("%02X", tot.Result)}}
	if _, err := j.Append(ctx, e); err != nil {
		return fmt.Errorf("end of day done, but not journaled: %w", err)
	}
	fmt.Fprintf(stdout, "end of day: %d card payments, %s, receipts %s–%s (journaled)\n", tot.Count, tot.Amount, tot.ReceiptFrom, tot.ReceiptTo)
	for _, l := range tot.ReceiptLines {
		fmt.Fprintln(stdout, "  "+l)
	}
	return nil
}
