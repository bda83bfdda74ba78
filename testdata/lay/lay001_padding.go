package lay

import (
	"sync"
	"time"
)

type session struct { // want: LAY001
	// active says whether the session is live.
	active  bool
	id      int64 `json:"id"` // unique per process
	expired bool
	user    *string
	started time.Time
}

type node struct { // want: LAY001
	count int
	next  *node
}

type counter struct { // want: LAY001
	hits  uint8
	mu    sync.Mutex
	total uint64
	name  string
	last  uint8
}

// point is built with an unkeyed literal below, so LAY001 offers no fix.
type point struct { // want: LAY001
	visible bool
	x, y    float64
	shown   bool
}

var origin = []point{{true, 0, 0, false}}

type sectioned struct { // want: LAY001
	// Guarded by mu.

	flag  bool
	value int64
	other bool
}

// Near misses: already in the best order, a saving under 8 bytes, a field of unknown size, generics.

type ordered struct {
	next  *ordered
	name  string
	size  int64
	ok    bool
	valid bool
}

type small struct {
	a bool
	b int32
	c bool
}

type unknown struct {
	a    bool
	when time.Ticker
	b    int64
	c    bool
}

type pair[T any] struct {
	ok    bool
	value T
	count int64
	done  bool
}

func use() int {
	var u unknown
	var p pair[int]
	return len(origin) + int(small{}.b) + len(u.when.C) + p.value
}
