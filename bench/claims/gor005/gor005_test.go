// GOR005: time.After in a select inside a loop, against one timer reset per iteration. The only change
// to the examples: the timeout is a parameter (the examples wait a minute, which is also the only way
// drain returns); the benchmark passes 2ms, well beyond the time the loop needs to drain its input.
package gor005

import (
	"testing"
	"time"
)

func drainBad(in <-chan int, f func(int), d time.Duration) {
	for {
		select {
		case v := <-in:
			f(v)
		case <-time.After(d):
			return
		}
	}
}

func drainGood(in <-chan int, f func(int), d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		select {
		case v := <-in:
			f(v)
			t.Reset(d)
		case <-t.C:
			return
		}
	}
}

var sum int

func add(v int) { sum += v }

const values = 100

func bench(b *testing.B, drain func(<-chan int, func(int), time.Duration)) {
	in := make(chan int, values)
	for range b.N {
		for i := range values {
			in <- i
		}
		drain(in, add, 2*time.Millisecond)
	}
}

func BenchmarkGOR005Bad(b *testing.B)  { bench(b, drainBad) }
func BenchmarkGOR005Good(b *testing.B) { bench(b, drainGood) }
