package pool

import (
	"bytes"
	"fmt"
	"net/url"
	"sync"
)

var tmpPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

type scratch struct{ b [64]byte }

var scratchStructs = &sync.Pool{New: func() any { return new(scratch) }}

// Positives: the object is dropped.

func greet(name string) string {
	b := tmpPool.Get().(*bytes.Buffer) // want: POOL004
	b.Reset()
	b.WriteString("hello ")
	b.WriteString(name)
	return b.String()
}

func firstByte(s string) byte {
	sc := scratchStructs.Get().(*scratch) // want: POOL004
	copy(sc.b[:], s)
	return sc.b[0]
}

type codec struct{ bufs sync.Pool }

func (c *codec) size(s string) int {
	v := c.bufs.Get() // want: POOL004
	if v == nil {
		return len(s)
	}
	return len(s) + 1
}

func greetHelper(name string) int {
	b := getWbuf() // want: POOL004
	b.Reset()
	b.WriteString(name)
	return b.Len()
}

// a getter that wraps another getter (found by name: its body never spells Get)
func takeWbuf() *bytes.Buffer {
	b := getWbuf()
	return b
}

func greetWrapped(name string) int {
	b := takeWbuf() // want: POOL004
	b.Reset()
	b.WriteString(name)
	return b.Len()
}

// Near misses: put back, or handed on.

// a one-result function that spells Get (so the pool rules look at its calls) but returns no pooled
// object: what it returns needs no Put
func queryParam(q url.Values) string {
	v := q.Get("page")
	return v
}

func pageOf(q url.Values) int {
	p := queryParam(q)
	return len(p)
}

func greetPut(name string) string {
	b := tmpPool.Get().(*bytes.Buffer)
	b.Reset()
	defer tmpPool.Put(b) // want: POOL005
	b.WriteString(name)
	return b.String()
}

func newBuffer() *bytes.Buffer {
	b := tmpPool.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

type session struct{ buf *bytes.Buffer }

func (s *session) open() {
	b := tmpPool.Get().(*bytes.Buffer)
	b.Reset()
	s.buf = b
}

func greetFmt(name string) string {
	b := tmpPool.Get().(*bytes.Buffer)
	b.Reset()
	fmt.Fprintf(b, "hello %s", name)
	return b.String()
}

func greetSent(out chan<- *bytes.Buffer) {
	b := tmpPool.Get().(*bytes.Buffer)
	b.Reset()
	out <- b
}

func greetLater(name string) func() string {
	b := tmpPool.Get().(*bytes.Buffer)
	b.Reset()
	return func() string {
		b.WriteString(name)
		return b.String()
	}
}

type printer struct{ buf []byte }

var printerPool = sync.Pool{New: func() any { return new(printer) }}

func newPrinter() *printer {
	p := printerPool.Get().(*printer)
	p.buf = p.buf[:0]
	return p
}

func (p *printer) free() {
	if cap(p.buf) > 64<<10 {
		return
	}
	printerPool.Put(p)
}

func sprint(s string) string {
	p := newPrinter()
	p.buf = append(p.buf, s...)
	out := string(p.buf)
	p.free()
	return out
}

func sprintNamed(s string) (p *printer) {
	p = printerPool.Get().(*printer)
	p.buf = append(p.buf[:0], s...)
	return
}
