package syntax

// Go 1.26's new(expr) is rejected by tree-sitter-go 0.25: reported as info, the rest still analysed.
func ptr() *int {
	return new(42) // want: SYN001
}

func loop(xs []int) {
	for range xs {
		defer println() // want: TIM005
	}
}
