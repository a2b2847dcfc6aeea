package sim

import (
	"errors"
	"fmt"
	"os"
	"sync"
)

// ErrUnplugged is returned when a simulator is asked to send while its
// cable is out.
var ErrUnplugged = errors.New("sim: device unplugged")

// wire is a simulated serial cable: a pseudo-terminal whose slave end is
// reachable through a stable symlink, as udev names a device
// (/dev/selvkasse-scanner → /dev/ttyACM0). Unplugging hangs the line up
// and removes the link; plugging in again makes a new pseudo-terminal and
// points the link at it, so a driver that reopens by path finds it, and
// one that kept the old descriptor does not.
type wire struct {
	link string

	mu     sync.Mutex
	master *os.File // nil while unplugged
	slave  *os.File
	target string
	plugs  int
}

func newWire(link string) (*wire, error) {
	w := &wire{link: link}
	if _, err := w.plug(); err != nil {
		return nil, err
	}
	return w, nil
}

// plug connects the cable and returns the master end; it is a no-op
// when plugged.
func (w *wire) plug() (*os.File, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.master != nil {
		return w.master, nil
	}
	m, s, target, err := OpenPTY()
	if err != nil {
		return nil, err
	}
	tmp := fmt.Sprintf("%s.%d.new", w.link, os.Getpid())
	_ = os.Remove(tmp)
	if err := os.Symlink(target, tmp); err == nil {
		err = os.Rename(tmp, w.link) // atomic, as udev replaces links
	}
	if err != nil {
		m.Close()
		s.Close()
		return nil, fmt.Errorf("sim: link %s: %w", w.link, err)
	}
	w.master, w.slave, w.target = m, s, target
	w.plugs++
	return m, nil
}

// unplug hangs the line up and removes the link.
func (w *wire) unplug() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.master == nil {
		return
	}
	_ = os.Remove(w.link)
	w.master.Close()
	w.slave.Close()
	w.master, w.slave = nil, nil
}

// end returns the master end, or nil while unplugged.
func (w *wire) end() *os.File {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.master
}

func (w *wire) write(b []byte) error {
	m := w.end()
	if m == nil {
		return ErrUnplugged
	}
	if _, err := m.Write(b); err != nil {
		if errors.Is(err, os.ErrClosed) {
			return ErrUnplugged
		}
		return fmt.Errorf("sim: write %s: %w", w.link, err)
	}
	return nil
}
