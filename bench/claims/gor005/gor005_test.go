// GOR005: time.After in a select inside a loop, against one timer reset per iteration. drain returns
// only when its one-minute timeout fires: each op runs it in a goroutine whose f, given the last value,
// ends the goroutine with runtime.Goexit (deferred calls, such as the good example's t.Stop, still run).
package gor005

import (
	"runtime"
	"testing"
	"time"
)

func drainBad(in <-chan int, f func(int)) {
	for {
		select {
		case v := <-in:
			f(v)
		case <-time.After(time.Minute):
			return
		}
	}
}

func drainGood(in <-chan int, f func(int)) {
	t := time.NewTimer(time.Minute)
	defer t.Stop()
	for {
		select {
		case v := <-in:
			f(v)
			t.Reset(time.Minute)
		case <-t.C:
			return
		}
	}
}

const values = 100

var sum int

func bench(b *testing.B, drain func(<-chan int, func(int))) {
	in := make(chan int, values)
	done := make(chan struct{})
	f := func(v int) {
		sum += v
		if v == values-1 {
			runtime.Goexit()
		}
	}
	run := func() {
		defer func() { done <- struct{}{} }()
		drain(in, f)
	}
	b.ResetTimer()
	for range b.N {
		for i := range values {
			in <- i
		}
		go run()
		<-done
	}
}

func BenchmarkGOR005Bad(b *testing.B)  { bench(b, drainBad) }
func BenchmarkGOR005Good(b *testing.B) { bench(b, drainGood) }
