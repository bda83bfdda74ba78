package gor

import (
	"context"
	"time"
)

// A channel variable assigned per iteration and waited on by the select.
func tickLoop(stop <-chan struct{}, work <-chan int, tick func(), handle func(int)) {
	var tickc <-chan time.Time
	for {
		tickc = time.After(10 * time.Millisecond) // want: GOR005
		select {
		case <-stop:
			return
		case v := <-work:
			handle(v)
		case <-tickc:
			tick()
		}
	}
}

func timeoutPerMessage(in <-chan string, out chan<- string) {
	for s := range in {
		timeout := time.After(time.Second) // want: GOR005
		select {
		case out <- s:
		case <-timeout:
		}
	}
}

// A bare receive used as a sleep.
func pollSleep(ready func() bool) {
	for !ready() {
		<-time.After(50 * time.Millisecond) // want: GOR005
	}
}

func pollForever(check func()) {
	for {
		check()
		<-time.After(time.Second) // want: GOR005
	}
}

// Near misses.

// Re-armed only after it fired: one timer per firing, not per iteration.
func rearmed(stop <-chan struct{}, work <-chan int, tick func(), handle func(int)) {
	var tickc <-chan time.Time
	for {
		if tickc == nil {
			tickc = time.After(time.Second)
		}
		select {
		case <-stop:
			return
		case v := <-work:
			handle(v)
		case <-tickc:
			tickc = nil
			tick()
		}
	}
}

// A cancellable sleep through a variable: every other case leaves the loop.
func backoffVar(ctx context.Context, f func() error) error {
	for {
		if err := f(); err == nil {
			return nil
		}
		wait := time.After(time.Second)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-wait:
		}
	}
}

// Outside a loop.
func sleepJustOnce() {
	<-time.After(time.Millisecond)
}

func timeoutOnce(in <-chan int) int {
	timeout := time.After(time.Second)
	select {
	case v := <-in:
		return v
	case <-timeout:
		return 0
	}
}

// Not waited on by a select of the loop.
func collected(n int) []<-chan time.Time {
	var out []<-chan time.Time
	for i := 0; i < n; i++ {
		c := time.After(time.Second)
		out = append(out, c)
	}
	return out
}

// A loop of at most three iterations.
func threeSleeps() {
	for i := 0; i < 3; i++ {
		<-time.After(time.Millisecond)
	}
}
