package gor

import (
	"context"
	"time"
)

func drain(in <-chan int, f func(int)) {
	for {
		select {
		case v := <-in:
			f(v)
		case <-time.After(time.Minute): // want: GOR005
			return
		}
	}
}

func perMessage(ctx context.Context, in <-chan string, out chan<- string) error {
	for s := range in {
		select {
		case out <- s:
		case <-time.After(time.Second): // want: GOR005
			return context.DeadlineExceeded
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

func heartbeatLoop(stop <-chan struct{}, beat func()) {
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		case t := <-time.After(10 * time.Millisecond): // want: GOR005
			_ = t
			beat()
		}
	}
}

// Near misses.

func waitOnce(in <-chan int) (int, bool) {
	select {
	case v := <-in:
		return v, true
	case <-time.After(time.Second):
		return 0, false
	}
}

func retryOnce(in <-chan int) int {
	for {
		select {
		case v := <-in:
			return v
		case <-time.After(time.Second):
			return -1
		}
	}
}

func perItemFunc(items []int, in <-chan int) {
	for range items {
		func() {
			select {
			case <-in:
			case <-time.After(time.Millisecond):
			}
		}()
	}
}

func reusedTimer(in <-chan int, f func(int)) {
	t := time.NewTimer(time.Minute)
	defer t.Stop()
	for {
		select {
		case v := <-in:
			f(v)
			t.Reset(time.Minute)
		case <-t.C:
			return
		}
	}
}

// Near misses: a cancellable sleep (every other case leaves the loop, the timer's case is empty), as in a
// retry with backoff or a poll: the loop goes round only after the timer fired, one timer per wait.

func retryWithBackoff(ctx context.Context, f func() error, backoff time.Duration) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		if err = f(); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
	}
	return err
}

func pollUntil(ctx context.Context, ready func() bool) {
	for !ready() {
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}
