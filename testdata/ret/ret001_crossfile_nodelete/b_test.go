package nodelete

import "testing"

// Test files do not count: this delete does not make seen bounded.
func TestLookup(t *testing.T) {
	observe("x")
	_ = lookup("x")
	delete(seen, "x")
}
