// gostatic:go1.22
package gor

import (
	"context"
	"errors"
	"time"
)

// Positives (warnings below Go 1.23).

func waitOrTimeout(done <-chan struct{}) error {
	t := time.NewTimer(time.Second) // want: GOR004
	select {
	case <-done:
		return nil
	case <-t.C:
		return errors.New("timeout")
	}
}

func tickUntil(ctx context.Context, f func()) {
	ticker := time.NewTicker(50 * time.Millisecond) // want: GOR004
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			f()
		}
	}
}

type retrier struct{ backoff time.Duration }

func (r *retrier) wait(ctx context.Context) error {
	var timer *time.Timer
	timer = time.NewTimer(r.backoff) // want: GOR004
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

func perItem(items []int, done <-chan struct{}) {
	for range items {
		t := time.NewTimer(time.Millisecond) // want: GOR004 TIM004
		select {
		case <-done:
		case <-t.C:
		}
	}
}

// Near misses.

func waitStopped(done <-chan struct{}) bool {
	t := time.NewTimer(time.Second)
	defer t.Stop()
	select {
	case <-done:
		return true
	case <-t.C:
		return false
	}
}

func newTicker(d time.Duration) *time.Ticker {
	t := time.NewTicker(d)
	return t
}

type scheduler struct{ t *time.Ticker }

func (s *scheduler) start(d time.Duration) {
	t := time.NewTicker(d)
	s.t = t
}

func sleepOnce(d time.Duration) {
	t := time.NewTimer(d)
	<-t.C
}

func stoppedInBranch(ctx context.Context) {
	t := time.NewTicker(time.Second)
	for {
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

func handedToGoroutine(f func()) {
	t := time.NewTicker(time.Second)
	go func() { // want: GOR001
		defer t.Stop()
		for range t.C {
			f()
		}
	}()
}

func idleTimeout(in <-chan int, f func(int)) {
	for {
		select {
		case v := <-in:
			f(v)
		case <-time.After(time.Minute): // want: GOR005
			return
		}
	}
}

// Near misses: the channel is handed on, so a caller may still be waiting on it (stopping it would break them).

func deadlineChan(d time.Duration) <-chan time.Time {
	t := time.NewTimer(d)
	return t.C
}

func watchTicks(d time.Duration, f func(<-chan time.Time)) {
	t := time.NewTicker(d)
	go f(t.C)
}
