package gor

import (
	"testing"
	"time"
)

// A timer whose channel a select receives from, when every other case fails the test: wherever the
// test goes on, the timer has fired and there is nothing to stop.

func TestTimerFiresAtOnce(t *testing.T) {
	tm := time.NewTimer(0) // near miss: the other case fails the test
	time.Sleep(time.Millisecond)
	select {
	case <-tm.C:
	default:
		t.Errorf("0-duration timer has not fired")
	}
}

func TestTimerOrDone(t *testing.T) {
	done := make(chan struct{})
	close(done)
	tm := time.NewTimer(time.Hour) // want: GOR004
	select {
	case <-tm.C:
		t.Log("fired")
	case <-done:
		t.Log("done first: the timer is left running")
	}
}

// The common result-or-timeout test: the other case fails only when the result is wrong, so on success
// the test goes on with the timer running.
func TestResultOrTimeout(t *testing.T) {
	ch := make(chan int, 1)
	ch <- 42
	tm := time.NewTimer(time.Second) // want: GOR004
	select {
	case <-tm.C:
		t.Log("slow")
	case got := <-ch:
		if got != 42 {
			t.Errorf("got %d", got)
		}
	}
}
