package kiosktest

import (
	"context"
	"sync"
)

// gate holds calls to a fake until a test lets them through: a slow
// device, for tests of what the kiosk does meanwhile. The zero value lets
// every call through. It is safe for concurrent use.
type gate struct {
	mu      sync.Mutex
	open    chan struct{} // closed by release; nil: not holding
	arrived chan struct{}
}

// hold makes each later pass wait; arrived gets a value when one starts
// waiting; release lets them (and all later ones) through.
func (g *gate) hold() (arrived <-chan struct{}, release func()) {
	open, arr := make(chan struct{}), make(chan struct{}, 1)
	g.mu.Lock()
	g.open, g.arrived = open, arr
	g.mu.Unlock()
	var once sync.Once
	return arr, func() {
		once.Do(func() {
			g.mu.Lock()
			g.open = nil
			g.mu.Unlock()
			close(open)
		})
	}
}

// pass waits while the gate holds, or until ctx ends.
func (g *gate) pass(ctx context.Context) {
	g.mu.Lock()
	open, arrived := g.open, g.arrived
	g.mu.Unlock()
	if open == nil {
		return
	}
	select {
	case arrived <- struct{}{}:
	default:
	}
	select {
	case <-open:
	case <-ctx.Done():
	}
}
