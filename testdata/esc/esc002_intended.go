package esc

import "sync"

// In a sync.Pool's New, allocating the pooled object on the heap is the point: New runs only on a miss.
var framePool = sync.Pool{New: func() any {
	var scratch [256 * kib]byte
	return &scratch
}}

var bigBufPool = &sync.Pool{New: func() any {
	b := make([]byte, 128*kib)
	return &b
}}

type codec struct{ pool sync.Pool }

func newCodec() *codec {
	c := &codec{}
	c.pool.New = func() any { return new(frame) }
	return c
}

// A buffer returned to the caller is on the heap because it is returned, not because it is large.
func readBlock() []byte {
	buf := make([]byte, 100*kib)
	return buf
}

func readBlockDirect() []byte {
	return make([]byte, 100*kib)
}

func newScratch() *[256 * kib]byte {
	var scratch [256 * kib]byte
	return &scratch // want: ESC003
}

func headerOf() []byte {
	buf := make([]byte, 80*kib)
	return buf[:16]
}

// A New field of a type that is not sync.Pool: ESC003 as anywhere else.
type factory struct{ New func() any }

var notAPool = factory{New: func() any {
	b := make([]byte, 128)
	return &b // want: ESC003
}}

// Positive: a large local that is only read from.
func checksumBlock() int {
	buf := make([]byte, 100*kib) // want: ESC002
	n := 0
	for _, c := range buf {
		n += int(c)
	}
	return n
}

func useFramePools() (any, any, any) { return framePool.Get(), bigBufPool.Get(), notAPool.New() }

// Positive: an array returned by value is copied; the local itself stays too large for the stack.
func copyOut() [256 * kib]byte {
	var scratch [256 * kib]byte // want: ESC002
	scratch[0] = 1
	return scratch
}

// Kept by a long-lived value: on the heap because it outlives the call, whatever its size.
type eventLog struct {
	buckets [][]byte
	current []byte
	spare   *[96 * kib]byte
}

func (l *eventLog) grow() {
	l.buckets = append(l.buckets, make([]byte, 128*kib)) // appended to a field
	l.current = make([]byte, 128*kib)                    // stored in a field
	var chunk [96 * kib]byte
	l.spare = &chunk // stored through its address
}

func (l *eventLog) fill(ch chan<- []byte) {
	buf := make([]byte, 256*kib)
	ch <- buf // sent away
}
