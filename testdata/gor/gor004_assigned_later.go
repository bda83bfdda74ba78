package gor

import "time"

func pollOnce() {}

// Assigned to a variable declared earlier, in branches or in a grouped declaration, and never stopped.
func pollEveryAssigned(d time.Duration, stop <-chan struct{}) {
	var t *time.Ticker
	if d > 0 {
		t = time.NewTicker(d) // want: GOR004
	} else {
		t = time.NewTicker(time.Second) // want: GOR004
	}
	for {
		select {
		case <-t.C:
			pollOnce()
		case <-stop:
			return
		}
	}
}

func pollGroupedAssigned(d time.Duration, stop <-chan struct{}) int {
	var (
		ticker *time.Ticker
		n      int
	)
	ticker = time.NewTicker(d) // want: GOR004
	for {
		select {
		case <-ticker.C:
			n++
		case <-stop:
			return n
		}
	}
}

// Near misses: stopped after the assignment; handed to the caller.
func pollStoppedAssigned(d time.Duration, stop <-chan struct{}) {
	var t *time.Ticker
	t = time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			pollOnce()
		case <-stop:
			return
		}
	}
}

func tickerForAssigned(d time.Duration) *time.Ticker {
	var t *time.Ticker
	t = time.NewTicker(d)
	return t
}
