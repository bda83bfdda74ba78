package nodelete

// Reads only: nothing in the package shrinks seen.
func lookup(k string) int {
	if n, ok := seen[k]; ok {
		return n
	}
	return len(seen)
}
