package kiosktest

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"
)

// Helpers shared by the device conformance suites (scanner, payment,
// printer, cabinet, staff, clock).

// devTimeout bounds every wait in the device suites, so that a port that
// hangs fails its test instead of stalling the run. No test waits this
// long when the port behaves.
const devTimeout = 10 * time.Second

// devCtx is the context for a subtest's calls.
func devCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), devTimeout)
	t.Cleanup(cancel)
	return ctx
}

type devResult[T any] struct {
	v   T
	err error
}

// devGo runs f in a goroutine and delivers its result.
func devGo[T any](f func() (T, error)) <-chan devResult[T] {
	ch := make(chan devResult[T], 1)
	go func() {
		v, err := f()
		ch <- devResult[T]{v, err}
	}()
	return ch
}

// devRecv waits for a result from devGo.
func devRecv[T any](t *testing.T, what string, ch <-chan devResult[T]) (T, error) {
	t.Helper()
	timer := time.NewTimer(devTimeout)
	defer timer.Stop()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-timer.C:
		t.Fatalf("%s did not return within %v", what, devTimeout)
		panic("unreachable")
	}
}

// devCancelled calls call n times with a context that ends while the call
// waits (or just before it starts: the suite cannot tell), half of them by
// cancel and half by deadline, and checks that each returns its context's
// error. Then it checks that the calls left no goroutines behind.
func devCancelled(t *testing.T, what string, n int, call func(ctx context.Context) error) {
	t.Helper()
	before := runtime.NumGoroutine()
	for i := range n {
		var ctx context.Context
		var cancel context.CancelFunc
		if i%2 == 0 {
			ctx, cancel = context.WithCancel(t.Context())
		} else {
			ctx, cancel = context.WithTimeout(t.Context(), time.Millisecond)
		}
		ch := devGo(func() (struct{}, error) { return struct{}{}, call(ctx) })
		if i%2 == 0 {
			runtime.Gosched()
			cancel()
		}
		_, err := devRecv(t, what, ch)
		want := ctx.Err()
		cancel()
		if err == nil || !errors.Is(err, want) {
			t.Fatalf("%s with an ended context = %v, want %v", what, err, want)
		}
	}
	devSettled(t, what, before, n)
}

// devSettled checks that the goroutine count comes back to about before
// after n calls: a call that leaves a goroutine behind each time fails it.
// A few goroutines that the port starts once are allowed.
func devSettled(t *testing.T, what string, before, n int) {
	t.Helper()
	limit := before + n/2
	deadline := time.Now().Add(devTimeout)
	for runtime.NumGoroutine() > limit {
		if time.Now().After(deadline) {
			buf := make([]byte, 64<<10)
			buf = buf[:runtime.Stack(buf, true)]
			t.Errorf("%s: %d goroutines before %d cancelled calls, %d after: the calls leave goroutines behind\n%s",
				what, before, n, runtime.NumGoroutine(), buf)
			return
		}
		runtime.Gosched() // let the calls' goroutines finish exiting
	}
}
