package pool

import "sync"

var slicePool = sync.Pool{New: func() any { return make([]byte, 0, 1024) }}

type point struct{ x, y int }

type ids []int

var pointPool sync.Pool

// Positives: values that are not pointer-shaped.

func encodeSlice(s string) int {
	b := slicePool.Get().([]byte)
	b = append(b[:0], s...)
	n := len(b)
	if cap(b) > 1<<16 {
		return n
	}
	slicePool.Put(b) // want: POOL001
	return n
}

func recyclePoint(p point) {
	pointPool.Put(p) // want: POOL001
}

func recycleName(name string) {
	pointPool.Put(name) // want: POOL001
}

func recycleIDs(xs ids) {
	pointPool.Put(xs[:0]) // want: POOL001
}

type holder struct{ pool *sync.Pool }

func (h *holder) recycleCount(n int64) {
	h.pool.Put(n) // want: POOL001
}

// Near misses: pointer-shaped values, unknown types, constants.

func recyclePointPtr(p *point) {
	pointPool.Put(p)
}

func recycleSlicePtr(bp *[]byte) {
	*bp = (*bp)[:0]
	pointPool.Put(bp)
}

func recycleMap(m map[string]int) {
	clear(m)
	pointPool.Put(m)
}

func recycleAny(v any) {
	pointPool.Put(v)
}

func recycleByte(c byte) {
	pointPool.Put(c)
}

type notAPool struct{}

func (notAPool) Put(v any) {}

func recycleElsewhere(p notAPool, b []byte) {
	p.Put(b)
}
