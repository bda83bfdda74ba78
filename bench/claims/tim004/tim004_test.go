// TIM004: a timer created and stopped on every iteration, against one timer reset per iteration.
package tim004

import (
	"testing"
	"time"
)

func pollBad(jobs <-chan int) {
	for j := range jobs {
		t := time.NewTimer(time.Second)
		select {
		case <-t.C:
		default:
		}
		t.Stop()
		_ = j
	}
}

func pollGood(jobs <-chan int) {
	t := time.NewTimer(time.Second)
	defer t.Stop()
	for j := range jobs {
		t.Reset(time.Second)
		_ = j
	}
}

// Each op polls a closed channel of 100 jobs (making the channel is the same cost on both sides).
func bench(b *testing.B, poll func(<-chan int)) {
	for range b.N {
		jobs := make(chan int, 100)
		for i := range 100 {
			jobs <- i
		}
		close(jobs)
		poll(jobs)
	}
}

func BenchmarkTIM004Bad(b *testing.B)  { bench(b, pollBad) }
func BenchmarkTIM004Good(b *testing.B) { bench(b, pollGood) }
