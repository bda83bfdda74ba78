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
