// TIM003: runtime.SetFinalizer against runtime.AddCleanup. The cost claim is that a finalizer delays
// freeing by a GC cycle (the object is kept for its finalizer to run): the metric is retained-B/op, the
// live heap each tracked object leaves behind after the first collection that finds it unreachable.
package tim003

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

type F struct {
	fd  int
	buf [4096]byte
}

func trackBad(f *F) {
	runtime.SetFinalizer(f, func(f *F) { release(f.fd) })
}

func trackGood(f *F) {
	runtime.AddCleanup(f, release, f.fd)
}

// released counts finalizers and cleanups that have run (they run on a goroutine of the runtime).
var released atomic.Int64

func release(int) { released.Add(1) }

// settle waits until the finalizers or cleanups of the objects tracked so far have all run, then
// collects what they kept, and returns the live heap.
func settle(tracked int64) uint64 {
	deadline := time.Now().Add(5 * time.Second)
	for released.Load() < tracked && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(100 * time.Microsecond)
	}
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func bench(b *testing.B, op func(i int)) {
	const batch = 256
	var total float64
	var ms runtime.MemStats
	start := released.Load()
	for done := 0; done < b.N; {
		n := min(batch, b.N-done)
		b.StopTimer()
		before := settle(start + int64(done))
		b.StartTimer()
		for i := range n {
			op(i)
		}
		b.StopTimer()
		runtime.GC() // one cycle: the objects are unreachable from here on
		runtime.ReadMemStats(&ms)
		total += float64(ms.HeapAlloc) - float64(before)
		b.StartTimer()
		done += n
	}
	b.StopTimer()
	settle(start + int64(b.N))
	b.ReportMetric(max(total, 0)/float64(b.N), "retained-B/op")
}

func BenchmarkTIM003Bad(b *testing.B)  { bench(b, func(i int) { trackBad(&F{fd: i}) }) }
func BenchmarkTIM003Good(b *testing.B) { bench(b, func(i int) { trackGood(&F{fd: i}) }) }

// Variant: an object of one word, where AddCleanup's closure (40 B) outweighs keeping the object one more
// cycle: the saving is the object's memory, so it is worth it only for objects that own some.

type S struct{ fd int }

func trackSmallBad(s *S) {
	runtime.SetFinalizer(s, func(s *S) { release(s.fd) })
}

func trackSmallGood(s *S) {
	runtime.AddCleanup(s, release, s.fd)
}

func BenchmarkTIM003VariantSmallBad(b *testing.B) {
	bench(b, func(i int) { trackSmallBad(&S{fd: i}) })
}

func BenchmarkTIM003VariantSmallGood(b *testing.B) {
	bench(b, func(i int) { trackSmallGood(&S{fd: i}) })
}
