// Package bufpool shares byte buffers between requests.
package bufpool

import (
	"bytes"
	"sync"
)

var pool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Render formats a line into a pooled buffer and returns its bytes.
func Render(name string, count int) []byte {
	buf := pool.Get().(*bytes.Buffer)
	defer pool.Put(buf)
	buf.WriteString(name)
	buf.WriteByte(':')
	buf.WriteString(string(rune('0' + count%10)))
	return buf.Bytes()
}

// RenderString is the safe variant: Reset after Get, String copies, capacity is bounded.
func RenderString(name string) string {
	buf := pool.Get().(*bytes.Buffer)
	buf.Reset()
	buf.WriteString(name)
	s := buf.String()
	if buf.Cap() <= 64<<10 {
		pool.Put(buf)
	}
	return s
}
