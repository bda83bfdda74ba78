// POOL006: a sync.Pool made per call, against one package-level pool.
package pool006

import (
	"bytes"
	"strings"
	"sync"
	"testing"
)

func renderBad(s string) string {
	pool := sync.Pool{New: func() any { return new(bytes.Buffer) }}
	b := pool.Get().(*bytes.Buffer)
	b.Reset()
	defer pool.Put(b)
	b.WriteString(s)
	return b.String()
}

var pool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func renderGood(s string) string {
	b := pool.Get().(*bytes.Buffer)
	b.Reset()
	defer pool.Put(b)
	b.WriteString(s)
	return b.String()
}

var sink string

func bench(b *testing.B, render func(string) string) {
	s := strings.Repeat("x", 256)
	for range b.N {
		sink = render(s)
	}
}

func BenchmarkPOOL006Bad(b *testing.B)  { bench(b, renderBad) }
func BenchmarkPOOL006Good(b *testing.B) { bench(b, renderGood) }
