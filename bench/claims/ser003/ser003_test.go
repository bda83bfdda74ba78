// SER003: a string built by += in a loop, against strings.Builder.
package ser003

import (
	"strings"
	"testing"
)

func joinBad(parts []string) string {
	s := ""
	for _, p := range parts {
		s += p + ","
	}
	return s
}

func joinGood(parts []string) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p)
		b.WriteByte(',')
	}
	return b.String()
}

var sink string

func bench(b *testing.B, join func([]string) string) {
	parts := make([]string, 100)
	for i := range parts {
		parts[i] = "part-abc"
	}
	b.ResetTimer()
	for range b.N {
		sink = join(parts)
	}
}

func BenchmarkSER003Bad(b *testing.B)  { bench(b, joinBad) }
func BenchmarkSER003Good(b *testing.B) { bench(b, joinGood) }
