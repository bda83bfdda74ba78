package tim

import (
	"time"
	clock "time"
)

func pollEach(jobs <-chan int) {
	for j := range jobs {
		t := time.NewTimer(time.Second) // want: TIM004
		select {
		case <-t.C:
		default:
		}
		t.Stop()
		_ = j
	}
}

func tickers(n int) {
	for i := 0; i < n; i++ {
		for k := 0; k < 2; k++ {
			tk := clock.NewTicker(clock.Millisecond) // want: TIM004
			tk.Stop()
		}
	}
}

func afterFuncs(items []string, done func(string)) {
	for _, it := range items {
		item := it
		time.AfterFunc(time.Second, func() { done(item) }) // want: TIM004
	}
}

// Near misses: created once before the loop and Reset inside; created inside a func literal that is
// only defined in the loop; time.After (GOR005's business); outside any loop.

func resetInLoop(jobs <-chan int) {
	t := time.NewTimer(time.Second)
	defer t.Stop()
	for range jobs {
		t.Reset(time.Second)
	}
}

func perGoroutine(items []int) {
	for range items {
		go func() {
			t := time.NewTimer(time.Second)
			defer t.Stop()
			<-t.C
		}()
	}
}

func once() *time.Ticker {
	return time.NewTicker(time.Minute)
}

func rangeExpr() {
	for range time.NewTicker(time.Second).C {
		break
	}
}
