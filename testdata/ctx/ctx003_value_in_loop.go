package ctx

import (
	"context"
	c "context"
)

type traceKey struct{}

const flagKey namedKey = "flag"

func sumEnabled(ctx context.Context, xs []int) (n int) {
	for _, x := range xs {
		if ctx.Value(traceKey{}) != nil { // want: CTX003
			n += x
		}
	}
	return n
}

func countFlags(ctx c.Context, n int) (hits int) {
	for i := 0; i < n; i++ {
		if ctx.Value(flagKey) != nil { // want: CTX003
			hits++
		}
	}
	return hits
}

func invariantVarKey(ctx context.Context, key namedKey, rows [][]int) (n int) {
	for _, row := range rows {
		for range row {
			if ctx.Value(key) == nil { // want: CTX003
				n++
			}
		}
	}
	return n
}

// Near misses: ctx changes in the loop; the key changes in the loop; the context is per item;
// a lookup hoisted before the loop.

func ctxChanges(ctx context.Context, ids []int) {
	for _, id := range ids {
		_ = ctx.Value(traceKey{})
		ctx = context.WithValue(ctx, traceKey{}, id) // want: CTX002
	}
}

func keyChanges(ctx context.Context, keys []namedKey) (n int) {
	for _, k := range keys {
		if ctx.Value(k) != nil {
			n++
		}
	}
	return n
}

type item struct{ ctx context.Context } // want: CTX004

func perItem(items []item) (n int) {
	for _, it := range items {
		ctx := it.ctx
		if ctx.Value(traceKey{}) != nil {
			n++
		}
	}
	return n
}

func hoisted(ctx context.Context, xs []int) (n int) {
	on := ctx.Value(traceKey{}) != nil
	for _, x := range xs {
		if on {
			n += x
		}
	}
	return n
}

func keyFromCall(ctx context.Context, xs []int) (n int) {
	for i := range xs {
		if ctx.Value(keyFor(string(rune('a'+i)))) != nil {
			n++
		}
	}
	return n
}
