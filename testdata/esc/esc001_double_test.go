package esc

import "testing"

type clock interface{ Now() int64 }

type fakeClock struct{ t int64 }

func (f *fakeClock) Now() int64 { return f.t }

var currentClock clock

func elapsed() int64 { return currentClock.Now() }

// A test swaps a double into a package variable: setup, not a per-call cost.
func TestElapsed(t *testing.T) {
	fake := &fakeClock{t: 5}
	currentClock = fake
	if elapsed() != 5 {
		t.Fatal("clock")
	}
	currentClock = &fakeClock{t: 7}
}
