package box

import (
	"fmt"
	"os"
	"testing"
	"time"
)

// In tests, costs are not reported (the cost of a test is not a user's), except in the timed loop of a
// benchmark; defects are reported everywhere.

func TestFormatting(t *testing.T) {
	var out []any
	for i := 0; i < 1000; i++ {
		out = append(out, i*7) // a test: not reported
	}
	t.Log(len(out))
}

func checkRows(t testing.TB, rows []int) {
	var out []any
	for _, r := range rows {
		out = append(out, r*7) // a test helper (takes a testing.TB): not reported
	}
	t.Log(len(out))
}

func TestTicker(t *testing.T) {
	tick := time.NewTicker(time.Millisecond) // want: GOR004
	<-tick.C
	for _, name := range os.Args {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		defer f.Close() // a cost (held until the test returns): not reported in tests
	}
}

func BenchmarkBoxing(b *testing.B) {
	var out []any
	for _, n := range []int{1000, 2000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for i := 0; i < 300; i++ {
				out = append(out, i*n) // set-up of the sub-benchmark: not timed, not reported
			}
			for i := 0; i < b.N; i++ {
				out = append(out, i*n) // want: BOX001
			}
		})
	}
	for b.Loop() {
		out = append(out, len(out)*1000) // want: BOX001
	}
	_ = out
}
