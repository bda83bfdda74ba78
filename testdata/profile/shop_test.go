package shop

import "testing"

func orders() []Order {
	out := make([]Order, 32)
	for i := range out {
		out[i] = Order{ID: i, Items: []string{"apple", "pear", "plum"}, Price: i % 7}
	}
	return out
}

func BenchmarkShop(b *testing.B) {
	os := orders()
	var l Ledger
	for b.Loop() {
		for i := range os {
			l.Record(&os[i])
		}
		_ = Total(os)
		_ = Keys(os)
	}
}
