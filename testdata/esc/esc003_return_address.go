package esc

type point struct{ x, y int }

func newCounter() *int {
	n := 0
	return &n // want: ESC003
}

func (pt point) self() *point {
	return &pt // want: ESC003
}

func window(off int) []byte {
	var win [64]byte
	win[0] = byte(off)
	return win[:off] // want: ESC003
}

func pair() (*point, error) {
	var pp point
	pp.x = 1
	return &pp, nil // want: ESC003
}

// Near misses: composite literals, slices that are not arrays, captured variables of an outer function.

func fresh() *point {
	return &point{x: 1}
}

func tail(s []byte) []byte {
	return s[:]
}

func explicit() *point {
	p := &point{}
	return p
}

func outer() func() *int {
	shared := 0
	return func() *int { return &shared }
}
