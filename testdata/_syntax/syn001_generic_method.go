package syntax

type Rand struct{ seed uint64 }

// A generic method (Go 1.27): valid Go that tree-sitter-go does not parse yet. SYN001 says so instead of
// calling it a syntax error.
func (r *Rand) N[Int ~int | ~int64](n Int) Int { // want: SYN001
	return Int(r.seed) % n
}
