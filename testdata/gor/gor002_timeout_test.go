package gor

import (
	"testing"
	"time"
)

func read() error { return nil }

// The other case fails the test: the goroutine is left behind only by a test that has already failed.
func TestReadFailsOnTimeout(t *testing.T) {
	errs := make(chan error)
	go func() {
		errs <- read()
	}()
	select {
	case err := <-errs:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Error("timeout while reading")
	}
}

// A timeout that passes the test leaves the goroutine blocked in a passing run: reported.
func TestReadGivesUp(t *testing.T) {
	errs := make(chan error)
	go func() {
		errs <- read() // want: GOR002
	}()
	select {
	case <-errs:
	case <-time.After(time.Second):
		t.Log("gave up")
	}
}
