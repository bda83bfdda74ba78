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
