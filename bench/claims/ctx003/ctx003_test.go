// CTX003: a loop-invariant ctx.Value lookup inside a loop. The claim is time (a walk of the context
// chain per iteration), not allocation: the metric is ns/op.
package ctx003

import (
	"context"
	"testing"
)

type key struct{}

func sumBad(ctx context.Context, xs []int) (n int) {
	for _, x := range xs {
		if ctx.Value(key{}) != nil {
			n += x
		}
	}
	return n
}

func sumGood(ctx context.Context, xs []int) (n int) {
	on := ctx.Value(key{}) != nil
	for _, x := range xs {
		if on {
			n += x
		}
	}
	return n
}

type other int

// A request-like context: the key set by an outer middleware, then a cancel and four more values.
func requestContext() context.Context {
	ctx := context.WithValue(context.Background(), key{}, true)
	ctx, cancel := context.WithCancel(ctx)
	_ = cancel
	for i := range 4 {
		ctx = context.WithValue(ctx, other(i), i)
	}
	return ctx
}

var sink int

func bench(b *testing.B, sum func(context.Context, []int) int) {
	ctx := requestContext()
	xs := make([]int, 1000)
	for i := range xs {
		xs[i] = i
	}
	b.ResetTimer()
	for range b.N {
		sink += sum(ctx, xs)
	}
}

func BenchmarkCTX003Bad(b *testing.B)  { bench(b, sumBad) }
func BenchmarkCTX003Good(b *testing.B) { bench(b, sumGood) }
