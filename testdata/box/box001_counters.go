package box

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Loop counters whose values the loop's clause proves to be below 256: boxing one points into the
// runtime's staticuint64s table (runtime/iface.go) and allocates nothing. Each loop runs more than
// eight times, so none of them is cold for being short. Their near misses reach 256 or below 0.

type symbolTable struct {
	fast [16]*int
	slow [300]*int
}

var (
	syms    symbolTable
	sink    string
	lanes   [200]int
	wide    [300]int
	exactly [256]int
)

const laneCount = 200

func indexesInRange(p *[64]int, q *[300]int) {
	for i := range lanes {
		sink = fmt.Sprintf("lane%d", i) // the index of a [200]int
	}
	for i := range exactly {
		sink = fmt.Sprintf("slot%d", i) // the index of a [256]int: at most 255
	}
	for i := range p {
		sink = fmt.Sprintf("p%d", i) // a pointer to an array ranges over its indexes
	}
	for i := 1; i < len(syms.fast); i++ {
		sink = fmt.Sprintf("fast%d", i) // len of an array is a constant (16)
	}
	for i := range laneCount {
		sink = fmt.Sprintf("lane%d", i+1) // 1..200
		sink = fmt.Sprintf("lane%d", 1+i) // the same, spelled the other way round
	}
	for i := 1; i < 100; i++ {
		sink = fmt.Sprintf("prev%d", i-1) // 0..98
	}
	for i := 255; i >= 0; i-- {
		sink = fmt.Sprintf("down%d", i) // counting down from 255
	}
	for i := 0; 250 > i; i += 10 {
		sink = fmt.Sprintf("step%d", i) // 0, 10, ..., 240
	}

	// Near misses: a value can be 256 or more, or negative.
	for i := range wide {
		sink = fmt.Sprintf("wide%d", i) // want: BOX001
	}
	for i := range q {
		sink = fmt.Sprintf("q%d", i) // want: BOX001
	}
	for i := 1; i < len(syms.slow); i++ {
		sink = fmt.Sprintf("slow%d", i) // want: BOX001
	}
	for i := range exactly {
		sink = fmt.Sprintf("next%d", i+1) // want: BOX001
	}
	for i := range 100 {
		sink = fmt.Sprintf("prev%d", i-1) // want: BOX001
	}
	for i := 0; i <= 256; i++ {
		sink = fmt.Sprintf("edge%d", i) // want: BOX001
	}
	for i := 1; i <= 1000; i *= 2 {
		sink = fmt.Sprintf("pow%d", i) // want: BOX001
	}
}

// A counter the body writes, or whose address it takes, holds values the clause does not fix.
func countersWritten(skip func(int) bool, bump func(*int)) {
	for i := range lanes {
		if skip(i) {
			i += 300
		}
		sink = fmt.Sprintf("lane%d", i) // want: BOX001
	}
	for i := 0; i < 100; i++ {
		bump(&i)
		sink = fmt.Sprintf("bumped%d", i) // want: BOX001
	}
}

type tally int

func (t *tally) bump() { *t += 300 }

// Other ways to write a counter or a bound: a range or a receive that assigns it, a method with a
// pointer receiver (which takes its address), a bound local that a receive replaces.
func countersWrittenOtherwise(ch chan int) {
	for i := range lanes {
		for i = range wide {
		}
		sink = fmt.Sprintf("ranged%d", i) // want: BOX001
	}
	for i := 0; i < 100; i++ {
		select {
		case i = <-ch:
		default:
		}
		sink = fmt.Sprintf("received%d", i) // want: BOX001
	}
	for t := tally(0); t < 100; t++ {
		t.bump()
		sink = fmt.Sprintf("tally%d", t) // want: BOX001
	}
	n := 10
	for i := 0; i < n; i++ {
		select {
		case n = <-ch:
		default:
		}
		sink = fmt.Sprintf("bounded%d", i) // want: BOX001
	}
}

// A slice literal with an index key has as many elements as its highest key says: not a short loop.
func keyedLiteral() {
	xs := []int{999: 0}
	for i := range xs {
		sink = fmt.Sprintf("keyed%d", i) // want: BOX001
	}
}

// The conditions around a use bound it too: `if c <= 5 {` over a length, `k >= 0 && k < 100`, a
// tagless switch's case over an unsigned value. Near misses: no lower bound (an int may be negative),
// a bound of 256 or more, a later case (the earlier case's negation is not read), a variable written
// after the test.
func guarded(xs []string, k int, u uint16) {
	for range xs {
		c := len(xs)
		if c <= 5 {
			sink = fmt.Sprintf("concat%d", c)
		}
		if k >= 0 && k < 100 {
			sink = fmt.Sprintf("k%d", k)
		}
		switch {
		case u < 0x80:
			sink = fmt.Sprintf("u%d", u)
		case u < 0x800:
			sink = fmt.Sprintf("u%d", u) // want: BOX001
		}
		if k < 100 {
			sink = fmt.Sprintf("k%d", k) // want: BOX001
		}
		if c < 300 {
			sink = fmt.Sprintf("c%d", c) // want: BOX001
		}
		m := len(xs)
		if m < 10 {
			m += 1000
			sink = fmt.Sprintf("m%d", m) // want: BOX001
		}
	}
}

// A rune from a range over a string is a code point, never negative: an upper bound is enough, spelled as
// a literal or as the standard library's constant. From a []rune it may be anything a program stored.
func escaped(s string, runes []rune) {
	for _, r := range s {
		switch {
		case r < 0x80:
			sink = fmt.Sprintf("_x%02x", r)
		case r < 0x10000:
			sink = fmt.Sprintf("_u%04x", r) // want: BOX001
		}
	}
	for _, r := range runes {
		if r < 0x80 {
			sink = fmt.Sprintf("_x%02x", r) // want: BOX001
		}
	}
	// the idiomatic spellings of the bound: the standard library's constants
	for _, r := range s {
		if r < utf8.RuneSelf {
			sink = fmt.Sprintf("%c", r)
		}
		if r <= unicode.MaxASCII {
			sink = fmt.Sprintf("%q", r)
		}
		if r <= unicode.MaxRune {
			sink = fmt.Sprintf("%U", r) // want: BOX001
		}
	}
}
