// POOL004: an object taken from a sync.Pool and never put back, against defer Put.
package pool004

import (
	"bytes"
	"strings"
	"sync"
	"testing"
)

var bufsBad = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func renderBad(s string) string {
	b := bufsBad.Get().(*bytes.Buffer)
	b.Reset()
	b.WriteString(s)
	return b.String()
}

var bufsGood = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func renderGood(s string) string {
	b := bufsGood.Get().(*bytes.Buffer)
	b.Reset()
	defer bufsGood.Put(b)
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

func BenchmarkPOOL004Bad(b *testing.B)  { bench(b, renderBad) }
func BenchmarkPOOL004Good(b *testing.B) { bench(b, renderGood) }
