package kiosktest

import (
	"context"
	"sync"
)

// AwaitCount returns once count reports at least n, or ctx.Err(). count
// runs under mu and returns the number now and a channel its owner closes
// (and replaces) at the next change; AwaitCount waits on that channel, so
// it never polls and never misses a change. Fakes use it for their
// WaitX(ctx, n) methods.
func AwaitCount(ctx context.Context, mu sync.Locker, n int, count func() (have int, changed <-chan struct{})) error {
	for {
		mu.Lock()
		have, changed := count()
		mu.Unlock()
		if have >= n {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-changed:
		}
	}
}
