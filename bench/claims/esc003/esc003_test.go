// ESC003: return &p of a local (moved to the heap), against returning the value. The caller keeps the
// result (a package-level sink), as a caller that wants the pointer does.
package esc003

import "testing"

type Point struct{ X, Y int }

func originBad() *Point {
	var p Point
	return &p
}

func originGood() Point {
	var p Point
	return p
}

var (
	sinkPtr *Point
	sinkVal Point
)

func BenchmarkESC003Bad(b *testing.B) {
	for range b.N {
		sinkPtr = originBad()
	}
}

func BenchmarkESC003Good(b *testing.B) {
	for range b.N {
		sinkVal = originGood()
	}
}
