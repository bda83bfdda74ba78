package crossfile

import "testing"

// A test file's delete does not count (and its insertions are never reported).
func TestObserve(t *testing.T) {
	observe("x")
	forget("x")
	seen["y"] = 1
}
