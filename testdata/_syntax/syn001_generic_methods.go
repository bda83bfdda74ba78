package syntax

type Rand struct{ seed uint64 }

// Generic methods (Go 1.27) are valid Go that tree-sitter-go 0.25 does not parse; gostatic repairs the
// parse (parse/generics.py): no SYN001, and the methods and the rest of the file are analysed.
func (r *Rand) N[Int ~int | ~int64](n Int) Int {
	for range n {
		defer println() // want: TIM005
	}
	return Int(r.seed) % n
}

func (r *Rand) Pick[S ~[]E, E interface{ comparable }](s S) E {
	return s[int(r.seed)%len(s)]
}

func (r *Rand) Keys[K comparable,
	V any](m map[K]V) []K {
	var out []K // want: SER005
	for k := range m {
		defer println() // want: TIM005
		out = append(out, k)
	}
	return out
}

func after(xs []int) {
	for range xs {
		defer println() // want: TIM005
	}
}
