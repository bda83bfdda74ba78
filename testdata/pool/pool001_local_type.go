package pool

import "sync"

var spanPool sync.Pool

// A type declared inside the function, put into a pool by value.
func recordSpan(start, end int64) {
	type span struct {
		start, end int64
		name       string
	}
	s := span{start: start, end: end}
	spanPool.Put(s) // want: POOL001
}

func recordLabels(names []string) {
	type labels []string
	l := labels(names)
	spanPool.Put(l) // want: POOL001
}

// Near misses: a pointer to a local type; an empty local struct; a name two functions declare (unknown
// which one a rule would see); a local type shadowing a package-level type.
func recordSpanPtr(start int64) {
	type spanRef struct{ start int64 }
	spanPool.Put(&spanRef{start: start})
}

func recordMarker() {
	type marker struct{}
	spanPool.Put(marker{})
}

func recordTwiceA(n int) {
	type sample struct{ n int }
	spanPool.Put(sample{n: n})
}

func recordTwiceB(f float64) {
	type sample *float64
	spanPool.Put(sample(&f))
}

type shadowed *int

func recordShadowed(n int) {
	type shadowed struct{ n int }
	spanPool.Put(shadowed{n: n})
}

// A local type whose name is also a type parameter elsewhere: unknown which one a use means.
func recordItem(n int) {
	type Item struct{ n, m int }
	spanPool.Put(&Item{n: n})
}

func putFirst[Item any](items []Item) {
	spanPool.Put(items[0])
}
