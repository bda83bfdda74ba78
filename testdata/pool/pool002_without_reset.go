package pool

import (
	"bytes"
	"strings"
	"sync"
)

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

var builderPool = &sync.Pool{New: func() any { return new(strings.Builder) }}

type record struct {
	fields []string
	n      int
}

func (r *record) Reset() { *r = record{} }

var recordPool = sync.Pool{New: func() any { return new(record) }}

var scratchPool = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// Positives: no reset between Get and Put.

func render(s string) string {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.WriteString(s)
	out := buf.String()
	if buf.Cap() > 64<<10 {
		return out
	}
	bufPool.Put(buf) // want: POOL002
	return out
}

func join(parts []string) string {
	sb := builderPool.Get().(*strings.Builder)
	defer builderPool.Put(sb) // want: POOL002
	for _, p := range parts {
		sb.WriteString(p)
	}
	return sb.String()
}

func countFields(line string) int {
	r := recordPool.Get().(*record)
	r.n += len(line)
	n := r.n
	recordPool.Put(r) // want: POOL002
	return n
}

func checksum(data []byte) byte {
	sp := scratchPool.Get().(*[]byte)
	var sum byte
	for _, c := range data {
		sum ^= c
		*sp = append(*sp, sum)
	}
	if cap(*sp) > 4096 {
		return sum
	}
	scratchPool.Put(sp) // want: POOL002
	return sum
}

// Near misses: a reset right after Get, before Put, or in a deferred helper.

func renderReset(s string) string {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	buf.WriteString(s)
	out := buf.String()
	if buf.Cap() > 64<<10 {
		return out
	}
	bufPool.Put(buf)
	return out
}

func joinResetBeforePut(parts []string) string {
	sb := builderPool.Get().(*strings.Builder)
	defer func() {
		sb.Reset()
		builderPool.Put(sb)
	}()
	for _, p := range parts {
		sb.WriteString(p)
	}
	return sb.String()
}

func countFieldsCleared(line string) int {
	r := recordPool.Get().(*record)
	*r = record{}
	r.n = len(line)
	n := r.n
	recordPool.Put(r)
	return n
}

func checksumTruncated(data []byte) int {
	sp := scratchPool.Get().(*[]byte)
	buf := (*sp)[:0]
	buf = append(buf, data...)
	n := len(buf)
	if cap(buf) > 1<<16 {
		return n
	}
	*sp = buf
	scratchPool.Put(sp)
	return n
}

type plain struct{ n int }

var plainPool = sync.Pool{New: func() any { return new(plain) }}

func noResetMethod() int {
	p := plainPool.Get().(*plain)
	n := p.n
	plainPool.Put(p)
	return n
}

func clearedSlice(data []int) int {
	sp := intsPool.Get().(*[]int)
	clear(*sp)
	n := len(data)
	intsPool.Put(sp)
	return n
}

var intsPool = sync.Pool{New: func() any { s := make([]int, 8); return &s }}
