// BOX001: a non-pointer value converted to an interface on every iteration (fmt.Println's ...any).
package box001

import (
	"fmt"
	"os"
	"strconv"
	"testing"
)

func dumpBad(xs []int) {
	for _, x := range xs {
		fmt.Println("value", x)
	}
}

func dumpGood(xs []int) {
	buf := []byte{}
	for _, x := range xs {
		buf = append(buf[:0], "value "...)
		buf = strconv.AppendInt(buf, int64(x), 10)
		buf = append(buf, '\n')
		os.Stdout.Write(buf)
	}
}

// 64 values outside the runtime's static table of small integers (0..255), which BOX001 cannot rule
// out statically.
func input() []int {
	xs := make([]int, 64)
	for i := range xs {
		xs[i] = 1000 + i
	}
	return xs
}

func bench(b *testing.B, dump func([]int)) {
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer devnull.Close()
	stdout := os.Stdout
	os.Stdout = devnull
	defer func() { os.Stdout = stdout }()
	xs := input()
	b.ResetTimer()
	for range b.N {
		dump(xs)
	}
}

func BenchmarkBOX001Bad(b *testing.B)  { bench(b, dumpBad) }
func BenchmarkBOX001Good(b *testing.B) { bench(b, dumpGood) }

// Variant: the index of a range over an array is boxed. With at most 256 elements it is always below
// 256 and the runtime's convT64 points into staticuint64s (runtime/iface.go): nothing is allocated,
// and BOX001 does not report it. With 300 elements, indexes 256 to 299 are copied to the heap: 44
// allocations of 8 bytes per op.
var (
	indexes256 [256]int
	indexes300 [300]int
	boxed      = make([]any, 0, 1)
)

func boxIndexes300() {
	for i := range indexes300 {
		boxed = append(boxed[:0], i)
	}
}

func boxIndexes256() {
	for i := range indexes256 {
		boxed = append(boxed[:0], i)
	}
}

func BenchmarkBOX001VariantArrayIndexBad(b *testing.B) {
	for range b.N {
		boxIndexes300()
	}
}

func BenchmarkBOX001VariantArrayIndexGood(b *testing.B) {
	for range b.N {
		boxIndexes256()
	}
}
