package zvtsim

import (
	"errors"
	"io"
	"net"
	"os"
	"runtime"
	"sync"

	"selvkasse/devices/zvt"
)

// stream reads one ECR stream for every Serve on it. A link reads ahead
// from a goroutine of its own, which would keep a Read pending on the
// stream after its Serve ended and swallow what came next; here one reader
// per stream feeds a buffer, and each Serve reads it through a view that
// ends with the Serve without losing a byte, so that a Serve loop on the
// same serial line (a pseudo-terminal, a port) misses nothing after a drop
// or a restart. While the simulator is offline, what arrives is read and
// thrown away.
type stream struct {
	s   *Sim
	rw  io.ReadWriter
	key any // the registry key; nil when rw is not comparable

	mu    sync.Mutex
	items []chunk
	err   error // permanent: the stream has ended
	wake  chan struct{}
}

// chunk is bytes read, or a read error that is not the end of the stream.
type chunk struct {
	b   []byte
	err error
}

// view is one Serve's window on a stream.
type view struct {
	st     *stream
	once   sync.Once
	closed chan struct{}
}

// attach returns a view on rw's stream, starting its reader if need be.
func (s *Sim) attach(rw io.ReadWriter) *view {
	var key any = rw
	if !comparable(rw) {
		key = nil
	}
	s.mu.Lock()
	st := s.streams[key]
	if key == nil || st == nil {
		st = &stream{s: s, rw: rw, key: key, wake: make(chan struct{})}
		if key != nil {
			if s.streams == nil {
				s.streams = map[any]*stream{}
			}
			s.streams[key] = st
		}
		go st.run()
	}
	s.mu.Unlock()
	return &view{st: st, closed: make(chan struct{})}
}

// comparable reports whether v can be a map key (a struct holding a slice
// cannot, and would panic).
func comparable(v any) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	_ = map[any]bool{v: true}
	return true
}

func (st *stream) notifyLocked() { close(st.wake); st.wake = make(chan struct{}) }

func (st *stream) run() {
	buf := make([]byte, 4096)
	for {
		n, err := st.rw.Read(buf)
		if n > 0 {
			if st.s.isOffline() {
				st.s.ignore(n)
			} else {
				st.mu.Lock()
				st.items = append(st.items, chunk{b: append([]byte(nil), buf[:n]...)})
				st.notifyLocked()
				st.mu.Unlock()
			}
		}
		switch {
		case err == nil:
			if n == 0 {
				runtime.Gosched() // a port with a read time-out returns (0, nil)
			}
		case isTimeout(err):
		case isPermanent(err):
			st.s.mu.Lock()
			if st.key != nil && st.s.streams[st.key] == st {
				delete(st.s.streams, st.key)
			}
			st.s.mu.Unlock()
			st.mu.Lock()
			st.err = err
			st.notifyLocked()
			st.mu.Unlock()
			return
		default:
			// A glitch: pass it on, and read again once a Serve has seen it
			// (a failing stream is not read in a busy loop).
			st.mu.Lock()
			st.items = append(st.items, chunk{err: err})
			st.notifyLocked()
			for st.pendingErrLocked() && st.err == nil {
				w := st.wake
				st.mu.Unlock()
				<-w
				st.mu.Lock()
			}
			st.mu.Unlock()
		}
	}
}

func (st *stream) pendingErrLocked() bool {
	for _, c := range st.items {
		if c.err != nil {
			return true
		}
	}
	return false
}

func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout()
}

func (v *view) Read(b []byte) (int, error) {
	st := v.st
	for {
		select {
		case <-v.closed:
			return 0, net.ErrClosed
		default:
		}
		st.mu.Lock()
		if len(st.items) > 0 {
			c := &st.items[0]
			if c.err != nil {
				err := c.err
				st.items = st.items[1:]
				st.notifyLocked()
				st.mu.Unlock()
				return 0, err
			}
			n := copy(b, c.b)
			c.b = c.b[n:]
			if len(c.b) == 0 {
				st.items = st.items[1:]
			}
			st.mu.Unlock()
			return n, nil
		}
		if st.err != nil {
			err := st.err
			st.mu.Unlock()
			return 0, err
		}
		w := st.wake
		st.mu.Unlock()
		select {
		case <-w:
		case <-v.closed:
			return 0, net.ErrClosed
		}
	}
}

func (v *view) Write(b []byte) (int, error) {
	select {
	case <-v.closed:
		return 0, net.ErrClosed
	default:
	}
	return v.st.rw.Write(b)
}

// close ends the view: its Read returns net.ErrClosed, what is not read
// yet stays for the next Serve.
func (v *view) close() { v.once.Do(func() { close(v.closed) }) }

func isPermanent(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrClosedPipe) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, os.ErrClosed) || errors.Is(err, zvt.ErrClosed)
}
