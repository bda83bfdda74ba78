// BOX003: fmt.Sprintf("%d", id) where strconv.Itoa(id) does the same.
package box003

import (
	"fmt"
	"strconv"
	"testing"
)

func keyBad(id int) string {
	return fmt.Sprintf("%d", id)
}

func keyGood(id int) string {
	return strconv.Itoa(id)
}

var sink string

// ids of 5 to 6 digits: strconv.Itoa returns a constant string, with no allocation, below 100.
func bench(b *testing.B, key func(int) string) {
	for i := range b.N {
		sink = key(100000 + i%900000)
	}
}

func BenchmarkBOX003Bad(b *testing.B)  { bench(b, keyBad) }
func BenchmarkBOX003Good(b *testing.B) { bench(b, keyGood) }
