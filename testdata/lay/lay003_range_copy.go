package lay

type record struct {
	key [64]byte
	val [96]byte
}

type exact struct {
	words [16]int64
}

func total(rs []record) int {
	n := 0
	for _, r := range rs { // want: LAY003
		n += weight(&r)
	}
	return n
}

func byName(m map[string]record) int {
	n := 0
	for k, v := range m { // want: LAY003
		n += len(k) + int(v.val[0])
	}
	return n
}

func fixed(arr *[4]record) int {
	n := 0
	for i, r := range arr { // want: LAY003
		n += i + r.size()
	}
	return n
}

func grid(rows [][]record) int {
	n := 0
	var last record
	for _, row := range rows {
		for _, cell := range row { // want: LAY003
			last = cell
			n += int(last.key[2])
		}
	}
	return n
}

func weight(r *record) int { return int(r.key[0]) }

func (r *record) size() int { return len(r.key) + len(r.val) }

// Near misses: read field by field (the compiler copies nothing), index only, pointers, exactly 128
// bytes, small elements.

func fieldsOnly(rs []record) int {
	n := 0
	for _, r := range rs {
		n += int(r.key[0]) + int(r.val[1])
	}
	return n
}

func indexOnly(rs []record) int {
	n := 0
	for i := range rs {
		n += int(rs[i].key[0])
	}
	return n
}

func pointers(rs []*record) int {
	n := 0
	for _, r := range rs {
		n += int(r.key[0])
	}
	return n
}

func atLimit(es []exact) int64 {
	var n int64
	for _, e := range es {
		n += e.words[0]
	}
	return n
}

func keysOnly(m map[string]record) int {
	n := 0
	for k := range m {
		n += len(k)
	}
	return n
}
