// BOX002: reflect.Value.Call in a loop, over functions of the good example's type, func() int.
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

func callAllGood(fs []func() int) {
	for _, f := range fs {
		f()
	}
}

var calls int

func one() int { calls++; return 1 }

func BenchmarkBOX002Bad(b *testing.B) {
	fs := make([]any, 16)
	for i := range fs {
		fs[i] = one
	}
	for range b.N {
		callAllBad(fs)
	}
}

func BenchmarkBOX002Good(b *testing.B) {
	fs := make([]func() int, 16)
	for i := range fs {
		fs[i] = one
	}
	for range b.N {
		callAllGood(fs)
	}
}

// Variant: functions without results (the example's good type was func() before the measurement).
// Call's frame comes from a pool and there is no result slice: it allocates nothing, and takes about
// 60 times as long as a direct call.

func callAllNoResultGood(fs []func()) {
	for _, f := range fs {
		f()
	}
}

func inc() { calls++ }

func BenchmarkBOX002VariantNoResultBad(b *testing.B) {
	fs := make([]any, 16)
	for i := range fs {
		fs[i] = inc
	}
	for range b.N {
		callAllBad(fs)
	}
}

func BenchmarkBOX002VariantNoResultGood(b *testing.B) {
	fs := make([]func(), 16)
	for i := range fs {
		fs[i] = inc
	}
	for range b.N {
		callAllNoResultGood(fs)
	}
}
