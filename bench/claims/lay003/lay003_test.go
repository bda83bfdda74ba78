// LAY003: range over 256-byte elements copying each into the value variable. The claim is a copy per
// iteration (time, no allocation): the metric is ns/op, over 1000 rows.
package lay003

import "testing"

type Row struct{ cells [32]int }

func sumBad(rows []Row) (n int) {
	for _, r := range rows {
		n += r.cells[0]
	}
	return n
}

func sumGood(rows []Row) (n int) {
	for i := range rows {
		n += rows[i].cells[0]
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

// Variant: the loop takes the value variable's address (as a method with a pointer receiver or a
// helper taking *Row does). The compiler then copies each element into r; in the example, where r is
// only read element by element, it loads from the slice directly and copies nothing.

//go:noinline
func first(r *Row) int { return r.cells[0] }

func sumAddrBad(rows []Row) (n int) {
	for _, r := range rows {
		n += first(&r)
	}
	return n
}

func sumAddrGood(rows []Row) (n int) {
	for i := range rows {
		n += first(&rows[i])
	}
	return n
}

func BenchmarkLAY003VariantAddrBad(b *testing.B)  { bench(b, sumAddrBad) }
func BenchmarkLAY003VariantAddrGood(b *testing.B) { bench(b, sumAddrGood) }
