// LAY003: range over 256-byte elements copying each into the value variable, whose address is taken
// (as a method with a pointer receiver or a helper taking *Row does). The claim is a copy per iteration
// (time, no allocation): the metric is ns/op, over 1000 rows.
package lay003

import "testing"

type Row struct{ cells [32]int }

//go:noinline
func first(r *Row) int { return r.cells[0] }

func sumBad(rows []Row) (n int) {
	for _, r := range rows {
		n += first(&r)
	}
	return n
}

func sumGood(rows []Row) (n int) {
	for i := range rows {
		n += first(&rows[i])
	}
	return n
}

var sink int

func bench(b *testing.B, sum func([]Row) int) {
	rows := make([]Row, 1000)
	for i := range rows {
		rows[i].cells[0] = i
	}
	b.ResetTimer()
	for range b.N {
		sink += sum(rows)
	}
}

func BenchmarkLAY003Bad(b *testing.B)  { bench(b, sumBad) }
func BenchmarkLAY003Good(b *testing.B) { bench(b, sumGood) }

// Variant: r is only read element by element. The compiler then loads from the slice directly and
// copies nothing, which is why LAY003 does not report this shape.

func sumReadBad(rows []Row) (n int) {
	for _, r := range rows {
		n += r.cells[0]
	}
	return n
}

func sumReadGood(rows []Row) (n int) {
	for i := range rows {
		n += rows[i].cells[0]
	}
	return n
}

func BenchmarkLAY003VariantReadOnlyBad(b *testing.B)  { bench(b, sumReadBad) }
func BenchmarkLAY003VariantReadOnlyGood(b *testing.B) { bench(b, sumReadGood) }
