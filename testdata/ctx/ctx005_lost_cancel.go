package ctx

import (
	"context"
	"errors"
	xctx "context"
	"time"
)

func do(context.Context) error { return nil }

func discarded(ctx context.Context) error {
	ctx, _ = context.WithTimeout(ctx, time.Second) // want: CTX005
	return do(ctx)
}

func earlyReturn(ctx context.Context, fail bool) error {
	ctx, cancel := context.WithCancel(ctx) // want: CTX005
	if fail {
		return errors.New("failed")
	}
	cancel()
	return do(ctx)
}

func neverCalled(parent xctx.Context) {
	ctx, stop := xctx.WithDeadline(parent, time.Now().Add(time.Minute)) // want: CTX005
	_ = do(ctx)
	_ = stop
}

func causeDiscarded(ctx context.Context) {
	c, _ := context.WithCancelCause(ctx) // want: CTX005
	_ = do(c)
}

func switchPath(ctx context.Context, mode int) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second) // want: CTX005
	switch mode {
	case 1:
		cancel()
		return do(ctx)
	case 2:
		return nil
	}
	cancel()
	return nil
}

// Near misses: defer cancel(); returned to the caller; stored in a struct; called on every branch;
// passed on; captured by a goroutine that calls it; deferred inside a func literal.

func deferred(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	return do(ctx)
}

func returned(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	return ctx, cancel
}

type job struct {
	ctx    context.Context // want: CTX004
	cancel context.CancelFunc
}

func stored(parent context.Context) *job {
	ctx, cancel := context.WithCancel(parent)
	return &job{ctx: ctx, cancel: cancel}
}

func storedField(parent context.Context, j *job) {
	j.ctx, j.cancel = context.WithCancel(parent)
}

func everyBranch(ctx context.Context, fail bool) error {
	ctx, cancel := context.WithCancel(ctx)
	if fail {
		cancel()
		return errors.New("failed")
	}
	err := do(ctx)
	cancel()
	return err
}

func passedOn(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	time.AfterFunc(time.Second, cancel)
	_ = do(ctx)
}

func captured(ctx context.Context, done chan struct{}) {
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		<-done
		cancel()
	}()
	_ = do(ctx)
}

func deferredLiteral(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer func() {
		cancel()
	}()
	return do(ctx)
}

func panics(ctx context.Context, bad bool) {
	ctx, cancel := context.WithCancel(ctx)
	if bad {
		panic("bad")
	}
	defer cancel()
	_ = do(ctx)
}

func loopWithCancel(ctx context.Context, n int) {
	for i := 0; i < n; i++ {
		c, cancel := context.WithTimeout(ctx, time.Second)
		_ = do(c)
		cancel()
	}
}

func goCancel(ctx context.Context, ready chan struct{}) error {
	ctx, cancel := context.WithCancel(ctx)
	<-ready
	go cancel()
	return do(ctx)
}
