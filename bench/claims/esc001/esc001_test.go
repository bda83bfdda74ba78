// ESC001: the address of a parameter stored in a package-level variable.
package esc001

import "testing"

type Request struct{ ID int }

var lastBad *Request

func handleBad(r Request) {
	lastBad = &r
}

func lastIDBad() int { return lastBad.ID }

var lastGood Request

func handleGood(r Request) {
	lastGood = r
}

func lastIDGood() int { return lastGood.ID }

var sink int

func BenchmarkESC001Bad(b *testing.B) {
	for i := range b.N {
		handleBad(Request{ID: i})
		sink += lastIDBad()
	}
}

func BenchmarkESC001Good(b *testing.B) {
	for i := range b.N {
		handleGood(Request{ID: i})
		sink += lastIDGood()
	}
}
