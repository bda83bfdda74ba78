package tim

import (
	"context"
	"time"
)

// A select case receiving from a channel that yields once while the loop runs: its defer runs at most
// once, however often the loop turns.

func race(ctx context.Context, results <-chan error, delay time.Duration) error {
	fallback := time.NewTimer(delay)
	defer fallback.Stop()
	for {
		select {
		case <-fallback.C:
			fctx, cancel := context.WithCancel(ctx)
			defer cancel()
			_ = fctx
		case err := <-results:
			if err == nil {
				return nil
			}
			if fallback.Stop() {
				fallback.Reset(0) // re-armed only before it fired
			}
		}
	}
}

func deadline(ctx context.Context, results <-chan error) error {
	timeout := time.After(time.Second)
	for {
		select {
		case <-timeout:
			_, cancel := context.WithCancel(ctx)
			defer cancel()
		case err := <-results:
			if err != nil {
				return err
			}
		}
	}
}

// Near misses: a timer re-armed on every pass fires again and again; a ticker's channel never stops.

func rearmed(ctx context.Context, results <-chan error, delay time.Duration) error {
	t := time.NewTimer(delay)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			_, cancel := context.WithCancel(ctx)
			defer cancel() // want: TIM005
		case err := <-results:
			if err != nil {
				return err
			}
			t.Reset(delay)
		}
	}
}

func ticking(ctx context.Context, tick *time.Ticker) {
	for {
		select {
		case <-tick.C:
			_, cancel := context.WithCancel(ctx)
			defer cancel() // want: TIM005
		case <-ctx.Done():
			return
		}
	}
}
