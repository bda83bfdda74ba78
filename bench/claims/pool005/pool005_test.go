// POOL005: a *bytes.Buffer put back into a sync.Pool whatever its capacity, against dropping buffers
// over 64 KiB. The claim is retention (the pool pins the largest buffer it has seen): the metric is
// pool-retained-B, the live heap the pool still holds after the run, one collection later (a pool
// survives one cycle in its victim cache). An op is one request of 1 MiB followed by 99 of 1 KiB.
package pool005

import (
	"bytes"
	"sync"
	"testing"

	"gostatic.bench/claims/internal/claim"
)

var bufsBad = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func releaseBad(b *bytes.Buffer) {
	b.Reset()
	bufsBad.Put(b)
}

var bufsGood = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func releaseGood(b *bytes.Buffer) {
	if b.Cap() > 64<<10 {
		return
	}
	b.Reset()
	bufsGood.Put(b)
}

var (
	large = make([]byte, 1<<20)
	small = make([]byte, 1<<10)
)

func bench(b *testing.B, pool *sync.Pool, release func(*bytes.Buffer)) {
	before := claim.HeapAlloc(false)
	b.ResetTimer()
	for range b.N {
		for i := range 100 {
			buf := pool.Get().(*bytes.Buffer)
			if i == 0 {
				buf.Write(large)
			} else {
				buf.Write(small)
			}
			release(buf)
		}
	}
	b.StopTimer()
	b.ReportMetric(max(float64(claim.HeapAlloc(true))-float64(before), 0), "pool-retained-B")
}

func BenchmarkPOOL005Bad(b *testing.B)  { bench(b, &bufsBad, releaseBad) }
func BenchmarkPOOL005Good(b *testing.B) { bench(b, &bufsGood, releaseGood) }
