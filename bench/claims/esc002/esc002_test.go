// ESC002: a local too large for the stack (make([]byte, 1<<20)), against a buffer kept by the caller.
package esc002

import "testing"

func checksumBad(data []byte) int {
	buf := make([]byte, 1<<20)
	return copy(buf, data)
}

func checksumGood(buf, data []byte) int {
	return copy(buf, data)
}

var sink int

var data = make([]byte, 4096)

func BenchmarkESC002Bad(b *testing.B) {
	for range b.N {
		sink += checksumBad(data)
	}
}

func BenchmarkESC002Good(b *testing.B) {
	buf := make([]byte, 1<<20)
	b.ResetTimer()
	for range b.N {
		sink += checksumGood(buf, data)
	}
}
