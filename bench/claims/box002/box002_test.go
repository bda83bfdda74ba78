// BOX002: reflect.Value.Call in a loop.
package box002

import (
	"reflect"
	"testing"
)

func callAllBad(fs []any) {
	for _, f := range fs {
		reflect.ValueOf(f).Call(nil)
	}
}

func callAllGood(fs []func()) {
	for _, f := range fs {
		f()
	}
}

var calls int

func inc() { calls++ }

func BenchmarkBOX002Bad(b *testing.B) {
	fs := make([]any, 16)
	for i := range fs {
		fs[i] = inc
	}
	for range b.N {
		callAllBad(fs)
	}
}

func BenchmarkBOX002Good(b *testing.B) {
	fs := make([]func(), 16)
	for i := range fs {
		fs[i] = inc
	}
	for range b.N {
		callAllGood(fs)
	}
}

// Variant: the same loop over functions that return a value. Call then allocates the []reflect.Value
// of results (the example's func() has none, so its Call allocates nothing).

func callAllResultBad(fs []any) {
	for _, f := range fs {
		reflect.ValueOf(f).Call(nil)
	}
}

func callAllResultGood(fs []func() int) {
	for _, f := range fs {
		calls += f()
	}
}

func one() int { return 1 }

func BenchmarkBOX002VariantResultBad(b *testing.B) {
	fs := make([]any, 16)
	for i := range fs {
		fs[i] = one
	}
	for range b.N {
		callAllResultBad(fs)
	}
}

func BenchmarkBOX002VariantResultGood(b *testing.B) {
	fs := make([]func() int, 16)
	for i := range fs {
		fs[i] = one
	}
	for range b.N {
		callAllResultGood(fs)
	}
}
