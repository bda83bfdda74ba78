package syntax

func missingBrace(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
// want: SYN001
