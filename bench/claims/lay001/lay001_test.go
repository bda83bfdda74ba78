// LAY001: a struct whose field order wastes padding. The claim is bytes per object: the benchmark
// allocates a slice of 1000 of them, so B/op is 1000 times the (size-class rounded) element size.
package lay001

import "testing"

type ItemBad struct {
	ok    bool
	id    int64
	valid bool
}

type ItemGood struct {
	id    int64
	ok    bool
	valid bool
}

var (
	sinkBad  []ItemBad
	sinkGood []ItemGood
)

func BenchmarkLAY001Bad(b *testing.B) {
	for range b.N {
		sinkBad = make([]ItemBad, 1000)
	}
}

func BenchmarkLAY001Good(b *testing.B) {
	for range b.N {
		sinkGood = make([]ItemGood, 1000)
	}
}
