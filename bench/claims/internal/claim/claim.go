// Package claim holds what the claim benchmarks share: writers that discard, and measurements of heap
// that stays reachable, for rules whose claim is retention rather than allocation.
package claim

import (
	"net/http"
	"runtime"
	"testing"
)

// ResponseWriter is an http.ResponseWriter that discards the body. Like net/http's own response it
// implements io.StringWriter, so io.WriteString reaches WriteString without a conversion.
type ResponseWriter struct{ h http.Header }

// NewResponseWriter returns a discarding writer with an empty header map.
func NewResponseWriter() *ResponseWriter { return &ResponseWriter{h: http.Header{}} }

func (w *ResponseWriter) Header() http.Header               { return w.h }
func (w *ResponseWriter) Write(b []byte) (int, error)       { return len(b), nil }
func (w *ResponseWriter) WriteString(s string) (int, error) { return len(s), nil }
func (w *ResponseWriter) WriteHeader(int)                   {}

// HeapAlloc collects garbage twice (a sync.Pool survives one cycle in its victim cache; the second
// cycle empties it) unless once is set, then returns the live heap in bytes.
func HeapAlloc(once bool) uint64 {
	runtime.GC()
	if !once {
		runtime.GC()
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// Retained runs op b.N times in batches and reports, as the metric "retained-B/op", the live heap that
// each op leaves behind after a full collection: reset drops what the batch kept (the long-lived
// container's entries) before the next batch, so memory stays bounded whatever b.N is.
func Retained(b *testing.B, batch int, op func(i int), reset func()) {
	var total float64
	for done := 0; done < b.N; {
		n := min(batch, b.N-done)
		b.StopTimer()
		before := HeapAlloc(false)
		b.StartTimer()
		for i := range n {
			op(done + i)
		}
		b.StopTimer()
		total += float64(HeapAlloc(false)) - float64(before)
		reset()
		b.StartTimer()
		done += n
	}
	b.ReportMetric(max(total, 0)/float64(b.N), "retained-B/op")
}
