package ctx

import (
	"context"
	"os"
)

func step() {}

// fallthrough goes on into the next clause: case 3 reaches cancel() and os.Exit through default.
func exitAfterFallthrough(ctx context.Context, code int) {
	ctx, cancel := context.WithCancel(ctx)
	_ = do(ctx)
	switch code {
	case 3:
		step()
		fallthrough
	default:
		cancel()
		os.Exit(1)
	}
}

func fallthroughChain(ctx context.Context, code int) error {
	ctx, cancel := context.WithCancel(ctx)
	switch code {
	case 1:
		step()
		fallthrough
	case 2:
		step()
		fallthrough
	case 3:
		cancel()
		return nil
	default:
		cancel()
	}
	return do(ctx)
}

// Positive: the clause it falls into does not call cancel either.
func fallthroughIntoLeak(ctx context.Context, code int) error {
	ctx, cancel := context.WithCancel(ctx) // want: CTX005
	switch code {
	case 1:
		step()
		fallthrough
	case 2:
		return do(ctx)
	default:
		cancel()
	}
	return nil
}
