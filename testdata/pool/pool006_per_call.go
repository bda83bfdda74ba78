package pool

import (
	"bytes"
	"sync"
)

// Positives: a new pool on every call.

func renderLocal(s string) string {
	pool := sync.Pool{New: func() any { return new(bytes.Buffer) }} // want: POOL006
	b := pool.Get().(*bytes.Buffer)
	b.Reset()
	b.WriteString(s)
	out := b.String()
	pool.Put(b) // want: POOL005
	return out
}

func renderLocalPtr(s string) int {
	p := &sync.Pool{New: func() any { return new(bytes.Buffer) }} // want: POOL006
	b := p.Get().(*bytes.Buffer)
	b.Reset()
	b.WriteString(s)
	n := b.Len()
	if n < 4096 {
		p.Put(b)
	}
	return n
}

type renderer struct{ n int }

func (r *renderer) render() {
	var p = sync.Pool{} // want: POOL006
	if v, ok := p.Get().(*renderer); ok { // want: POOL004
		r.n = v.n
	}
}

// Near misses: the pool outlives the call, or is reused in a loop.

type server struct{ bufs *sync.Pool }

func newServer() *server {
	return &server{bufs: &sync.Pool{New: func() any { return new(bytes.Buffer) }}}
}

func (s *server) init() {
	s.bufs = &sync.Pool{New: func() any { return new(bytes.Buffer) }}
}

func newPool() *sync.Pool {
	p := &sync.Pool{New: func() any { return new(bytes.Buffer) }}
	return p
}

func renderAll(items []string) int {
	p := sync.Pool{New: func() any { return new(bytes.Buffer) }}
	total := 0
	for _, it := range items {
		b := p.Get().(*bytes.Buffer)
		b.Reset()
		b.WriteString(it)
		total += b.Len()
		if b.Cap() < 4096 {
			p.Put(b)
		}
	}
	return total
}

var global = func() *sync.Pool { return &sync.Pool{} }()
