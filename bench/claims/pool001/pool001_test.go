// POOL001: sync.Pool.Put of a []byte (boxed on every Put), against Put of a *[]byte.
package pool001

import (
	"sync"
	"testing"
)

var bufsBad = sync.Pool{New: func() any { return make([]byte, 0, 512) }}

func useBad() {
	b := bufsBad.Get().([]byte)
	b = append(b[:0], 'x')
	bufsBad.Put(b)
}

var bufsGood = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

func useGood() {
	bp := bufsGood.Get().(*[]byte)
	*bp = append((*bp)[:0], 'x')
	bufsGood.Put(bp)
}

func BenchmarkPOOL001Bad(b *testing.B) {
	for range b.N {
		useBad()
	}
}

func BenchmarkPOOL001Good(b *testing.B) {
	for range b.N {
		useGood()
	}
}
