package syntax

// Go 1.26's new(expr) is rejected by tree-sitter-go 0.25; gostatic repairs the parse (parse/newexpr.py):
// no SYN001, and the rest of the file is analysed.
func ptr() *int {
	return new(42)
}

func loop(xs []int) {
	for range xs {
		defer println() // want: TIM005
	}
}
