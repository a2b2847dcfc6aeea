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
	"sync"
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
	link  linkWatch
}

// Close closes the driver and its line.
func (t *terminalConn) Close() error {
	return errors.Join(t.Terminal.Close(), t.line.Close())
}

// OnLink sends the line's losses (up false, with the reason) and returns
// (up true) to f from now on; if the line is down now, f hears that at
// once. f must not block.
func (t *terminalConn) OnLink(f func(up bool, err error)) { t.link.set(f) }

// DefaultTerminalDialTimeout bounds each connection attempt to a terminal
// on TCP: the first, and each redial after the link was lost.
const DefaultTerminalDialTimeout = 10 * time.Second

// openTerminal connects to the payment terminal as configured: over TCP
// when Addr is set (port 20007 unless given), else on the serial line
// (9600 8N2 unless given, ZVT transport §2). A terminal that cannot be
// reached now is an error. Once open, a lost line is opened again by
// itself: a TCP connection is redialled with back-off (zvt.Redialer), a
// serial device reopened when it is back (serialport); OnLink tells of
// both. onStatus gets the terminal's prompts; it may be nil.
func openTerminal(ctx context.Context, c SerialConfig, clk kiosk.Clock, log *slog.Logger, onStatus func(nb, en string)) (*terminalConn, error) {
	opt := zvt.Options{Clock: clk, Logger: log, VendTimeout: vendTimeout(releaseWindow)}
	if onStatus != nil {
		opt.OnStatus = func(_ byte, nb, en string) { onStatus(nb, en) }
	}
	if c.Addr != "" {
		addr := c.Addr
		if _, _, err := net.SplitHostPort(addr); err != nil {
			addr = net.JoinHostPort(addr, strconv.Itoa(zvt.DefaultPort))
		}
		// TCP keep-alive probes find a connection whose peer vanished
		// without a word (a pulled cable, a terminal that lost power)
		// within about 30 s of silence, so that it is redialled.
		d := net.Dialer{Timeout: DefaultTerminalDialTimeout, KeepAliveConfig: net.KeepAliveConfig{
			Enable: true, Idle: 15 * time.Second, Interval: 5 * time.Second, Count: 3,
		}}
		dctx, cancel := context.WithTimeout(ctx, DefaultTerminalDialTimeout)
		defer cancel()
		conn, err := d.DialContext(dctx, "tcp", addr)
		if err != nil {
			return nil, fmt.Errorf("terminal at %s: %v: %w", addr, err, kiosk.ErrDeviceUnavailable)
		}
		// The Redialer's own first dial takes this connection; its
		// redials dial anew.
		first := make(chan net.Conn, 1)
		first <- conn
		dial := func(ctx context.Context) (io.ReadWriteCloser, error) {
			select {
			case fc := <-first:
				return fc, nil
			default:
			}
			return d.DialContext(ctx, "tcp", addr)
		}
		t := &terminalConn{where: addr}
		// The line lives until Close, not as long as ctx.
		r := zvt.NewRedialer(context.WithoutCancel(ctx), dial, zvt.RedialOptions{
			Clock: clk, OnState: t.link.reporter(log, addr),
		})
		opt.Mode = zvt.TCP
		t.Terminal, t.line = zvt.New(r, opt), r
		return t, nil
	}
	if c.Mode == "" {
		c.Mode = "8N2"
	}
	sc, err := c.serial(zvt.LineBaud)
	if err != nil {
		return nil, fmt.Errorf("terminal: %w", err)
	}
	t := &terminalConn{where: sc.String()}
	p, err := serialport.Open(sc, serialport.WithClock(clk), t.link.serialEvents(log))
	if err != nil {
		return nil, fmt.Errorf("terminal: %w", err)
	}
	opt.Mode = zvt.Serial
	t.Terminal, t.line = zvt.New(p, opt), p
	return t, nil
}

// registrar is the terminal's Registration (zvt.Terminal.Register).
type registrar interface {
	Register(ctx context.Context) (zvt.Completion, error)
}

// registerTerminal registers with the terminal (ZVT 06 00), trying again
// every registerRetry until it answers or within has passed: a terminal
// still busy with what a crashed kiosk left (repeating a message nobody
// acknowledged, PA00P016 §3.5) answers a few seconds later.
func registerTerminal(ctx context.Context, t registrar, clk kiosk.Clock, log *slog.Logger, within time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	for {
		_, err := t.Register(ctx)
		if err == nil || ctx.Err() != nil {
			return err
		}
		if log != nil {
			log.Warn("payment terminal did not register; trying again", "err", err)
		}
		wait := make(chan struct{})
		tm := clk.AfterFunc(registerRetry, func() { close(wait) })
		select {
		case <-wait:
		case <-ctx.Done():
			tm.Stop()
			return err
		}
	}
}

// registerRetry is the pause between registration attempts.
const registerRetry = time.Second

// linkWatch passes the ups and downs of a payment terminal's line on to
// a listener (the checkout's device faults), in order. A listener set
// while the line is down hears so at once, so none misses a loss that
// came before it listened.
type linkWatch struct {
	mu   sync.Mutex
	f    func(up bool, err error)
	down error // why the line is down; nil while it is up
}

// set makes f the listener.
func (w *linkWatch) set(f func(up bool, err error)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.f = f
	if f != nil && w.down != nil {
		f(false, w.down)
	}
}

// report records a change of the line and tells the listener.
func (w *linkWatch) report(up bool, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case up:
		w.down = nil
	case err != nil:
		w.down = err
	default:
		w.down = errors.New("payment terminal: line down")
	}
	if w.f != nil {
		w.f(up, w.down)
	}
}

// reporter is report for a zvt.Redialer's OnState, logging each change.
func (w *linkWatch) reporter(log *slog.Logger, where string) func(up bool, err error) {
	return func(up bool, err error) {
		if log != nil {
			if up {
				log.Info("payment terminal line back", "terminal", where)
			} else {
				log.Warn("payment terminal line lost, redialing", "terminal", where, "err", err)
			}
		}
		w.report(up, err)
	}
}

// serialEvents is the serialport option that reports the terminal's
// unplugs and reopens, logging every event.
func (w *linkWatch) serialEvents(log *slog.Logger) serialport.Option {
	return serialport.WithEvents(func(e serialport.Event) {
		if log != nil {
			log.Info("serial device", "device", kiosk.DevTerminal, "event", e.String())
		}
		switch e.Kind {
		case serialport.EventUnplugged:
			w.report(false, errors.New(e.String())) // the path, "unplugged" and how
		case serialport.EventReopened:
			w.report(true, nil)
		}
	})
}

// releaseWindow is the kiosk.Config.ReleaseTimeout the checkout runs
// with: newCheckout leaves it unset, so it is the kiosk's default.
const releaseWindow time.Duration = 0

// Vend time-out: the release window's default in the kiosk (see
// kiosk.Config.ReleaseTimeout), and the margin on top of it.
const (
	defaultReleaseWindow = 120 * time.Second
	vendMargin           = 30 * time.Second
)

// vendTimeout is the Vend time-out sent with each payment (BMP 01 with
// 06 01, ZVT 13.08 §2.2.1): the seconds the terminal waits for the
// kiosk's answer to its approval before it reverses the payment. The
// kiosk answers within its release window (kiosk.Config.ReleaseTimeout;
// 0: the kiosk's default, 120 s), so the terminal waits that long and a
// margin: 30 s more, rounded up to whole seconds, at most 255 s (one
// byte).
func vendTimeout(release time.Duration) byte {
	if release <= 0 {
		release = defaultReleaseWindow
	}
	s := (release + vendMargin + time.Second - 1) / time.Second
	return byte(min(s, 255))
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
