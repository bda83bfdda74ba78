package gor

import (
	"context"
	"errors"
	"time"
)

var errTimeout = errors.New("timeout")

// Positives.

func fetchCtx(ctx context.Context, get func() int) (int, error) {
	ch := make(chan int)
	go func() {
		ch <- get() // want: GOR002
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

func fetchTimeout(get func() (string, error)) (string, error) {
	type result struct {
		s   string
		err error
	}
	results := make(chan result, 0)
	go func() {
		s, err := get()
		results <- result{s, err} // want: GOR002
	}()
	select {
	case r := <-results:
		return r.s, r.err
	case <-time.After(time.Second):
		return "", errTimeout
	}
}

func fetchEarlyReturn(check func() error, get func() []byte) ([]byte, error) {
	done := make(chan []byte)
	go func() {
		done <- get() // want: GOR002
		close(done)
	}()
	if err := check(); err != nil {
		return nil, err
	}
	return <-done, nil
}

func fireAndForget(get func() int) {
	ch := make(chan int)
	go func() { ch <- get() }() // want: GOR002
}

// Near misses.

func fetchBuffered(ctx context.Context, get func() int) (int, error) {
	ch := make(chan int, 1)
	go func() { ch <- get() }()
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

func fetchWait(get func() int) int {
	ch := make(chan int)
	go func() { ch <- get() }()
	return <-ch
}

func fetchSelectSend(ctx context.Context, get func() int) (int, error) {
	ch := make(chan int)
	go func() {
		select {
		case ch <- get():
		case <-ctx.Done():
		}
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

func fetchPassedOn(get func() int, consume func(<-chan int)) {
	ch := make(chan int)
	go func() { ch <- get() }()
	consume(ch)
}

func produceAll(n int) <-chan int {
	ch := make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			ch <- i
		}
		close(ch)
	}()
	return ch
}

func fetchWaitLoop(get func() int, tick <-chan time.Time) int {
	ch := make(chan int)
	go func() { ch <- get() }()
	for {
		select {
		case v := <-ch:
			return v
		case <-tick:
			// keep waiting
		}
	}
}

func waitOrKill(run func() error, kill func(), tick <-chan time.Time) error {
	done := make(chan error)
	go func() { done <- run() }()
	select {
	case err := <-done:
		return err
	case <-tick:
		kill()
		<-done // the timeout case drains the channel itself
		return errTimeout
	}
}
