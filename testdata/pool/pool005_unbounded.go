package pool

import (
	"bytes"
	"sync"
)

var logPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

var linePool = sync.Pool{New: func() any { b := make([]byte, 0, 128); return &b }}

// Positives: growable buffers put back with no size limit.

func release(b *bytes.Buffer) {
	b.Reset()
	logPool.Put(b) // want: POOL005
}

func appendLine(s string) int {
	bp := linePool.Get().(*[]byte)
	*bp = append((*bp)[:0], s...)
	n := len(*bp)
	linePool.Put(bp) // want: POOL005
	return n
}

func appendAlias(s string) int {
	bp := linePool.Get().(*[]byte)
	line := (*bp)[:0]
	line = append(line, s...)
	line = append(line, '\n')
	*bp = line
	defer linePool.Put(bp) // want: POOL005
	return len(line)
}

type logger struct{ pool *sync.Pool }

func (l *logger) logLine(s string) {
	b := l.pool.Get().(*bytes.Buffer)
	b.Reset()
	b.WriteString(s)
	l.pool.Put(b) // want: POOL005
}

// Near misses: a capacity check, or a buffer that never grows.

func releaseChecked(b *bytes.Buffer) {
	if b.Cap() > 64<<10 {
		return
	}
	b.Reset()
	logPool.Put(b)
}

func appendChecked(s string) int {
	bp := linePool.Get().(*[]byte)
	*bp = append((*bp)[:0], s...)
	n := len(*bp)
	if cap(*bp) <= 1<<16 {
		linePool.Put(bp)
	}
	return n
}

func readFixed(read func([]byte) int) int {
	bp := linePool.Get().(*[]byte)
	n := read((*bp)[:cap(*bp)])
	linePool.Put(bp)
	return n
}

func releaseLen(b *bytes.Buffer) {
	if b.Len() < 4096 {
		b.Reset()
		logPool.Put(b)
	}
}
