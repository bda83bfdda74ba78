package ctx

import (
	"context"
	"time"
)

type reqKey struct{}

func handle(context.Context) {}

func tagEach(ctx context.Context, ids []int) {
	for _, id := range ids {
		ctx = context.WithValue(ctx, reqKey{}, id) // want: CTX002
		handle(ctx)
	}
}

func retryWithTimeout(ctx context.Context, attempts int) {
	var cancel context.CancelFunc
	for i := 0; i < attempts; i++ {
		ctx, cancel = context.WithTimeout(ctx, time.Second) // want: CTX002
		handle(ctx)
		cancel()
	}
}

func nestedLoops(parent context.Context, grid [][]int) {
	ctx := parent
	for _, row := range grid {
		for _, cell := range row {
			ctx = context.WithValue(ctx, reqKey{}, cell) // want: CTX002
		}
	}
	handle(ctx)
}

type worker struct{}

func (w *worker) run(ctx context.Context, jobs <-chan int) {
	for job := range jobs {
		var c context.CancelFunc
		ctx, c = context.WithCancel(ctx) // want: CTX002
		handle(ctx)
		c()
		_ = job
	}
}

// Near misses: a new variable per iteration (:=), a variable declared inside the loop, deriving from the
// loop-invariant parent into a different variable, and re-wrapping outside any loop.

func perIteration(ctx context.Context, ids []int) {
	for _, id := range ids {
		ctx := context.WithValue(ctx, reqKey{}, id)
		handle(ctx)
	}
}

func declaredInside(parent context.Context, ids []int) {
	for _, id := range ids {
		ctx := parent
		ctx = context.WithValue(ctx, reqKey{}, id)
		handle(ctx)
	}
}

func otherVariable(ctx context.Context, ids []int) {
	var ictx context.Context
	for _, id := range ids {
		ictx = context.WithValue(ctx, reqKey{}, id)
		handle(ictx)
	}
}

func straightLine(ctx context.Context) {
	ctx = context.WithValue(ctx, reqKey{}, 1)
	handle(ctx)
}

func inClosure(ctx context.Context, ids []int) {
	for _, id := range ids {
		go func() {
			c := context.WithValue(ctx, reqKey{}, id)
			handle(c)
		}()
	}
}

type labelKey struct{ n int }

func threeLabels(ctx context.Context) {
	for i := range 3 {
		ctx = context.WithValue(ctx, labelKey{i}, i) // a loop of three iterations: a chain of three, on purpose
	}
	handle(ctx)
}
