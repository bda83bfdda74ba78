// Package escgo123 is built with go.mod at go 1.23: declared locals are reported only over the 10 MiB
// limit of the compilers before Go 1.24 (compilers since 1.24 also move the 1 MiB one to the heap).
package escgo123

const mib = 1 << 20

func huge() int {
	var h [11 * mib]byte // want: ESC002
	h[0] = 1
	return int(h[0])
}

func hugeLiteral() int {
	hl := [3 * mib]int32{} // want: ESC002
	hl[0] = 1
	return int(hl[0])
}

func implicit() int {
	im := make([]byte, 64<<10+1) // want: ESC002
	return len(im)
}

// Near misses for the old limit.

func middle() int {
	var mid [1 * mib]byte
	mid[0] = 1
	return int(mid[0])
}

func atOldLimit() int {
	var at [10 * mib]byte
	at[0] = 1
	return int(at[0])
}

func smallMake() int {
	sm := make([]byte, 64<<10) // compiler: stack
	return len(sm)
}
