package esc

import "unsafe"

const kib = 1 << 10

// pageWords is 8192: 64 KiB of uint64.
const pageWords = 64 * kib / unsafe.Sizeof(uint64(0))

type frame struct {
	pcs [4096]uintptr
	sps [4096]uintptr
	n   int
}

type bigRecord struct {
	data [200 * kib]byte
}

type block []uint64

func sumAll(data []byte) int {
	var scratch [256 * kib]byte // want: ESC002
	return copy(scratch[:], data)
}

func grid() int {
	cells := [512][512]int32{} // want: ESC002
	cells[1][2] = 3
	return int(cells[1][2])
}

func words() int {
	w := make([]uint64, pageWords+1) // want: ESC002
	return len(w)
}

func frames() int {
	fr := new(frame) // want: ESC002
	return fr.n
}

func literalArray() int {
	arr := &[17 * 4 * kib]byte{} // want: ESC002
	return len(arr)
}

func viaLocal() int {
	size := 100_000
	buf := make([]byte, 0, size) // want: ESC002
	return cap(buf)
}

func record() int {
	var rec bigRecord // want: ESC002
	rec.data[0] = 1
	return int(rec.data[0])
}

func namedSlice() int {
	blk := make(block, 8*kib+1) // want: ESC002
	return len(blk)
}

// Near misses: exactly at the limits, sizes only known at run time, maps, package-level arrays.

var packageBuf [1 << 20]byte

func exactImplicit() int {
	atLimit := make([]byte, 64*kib) // compiler: stack
	return len(atLimit)
}

func exactNew() int {
	p := new([64 * kib]byte) // compiler: stack
	return len(p)
}

func exactExplicit() int {
	var exact [128 * kib]byte // compiler: stack
	exact[0] = 1
	return int(exact[0])
}

func dynamic(n int) int {
	d := make([]byte, n)
	return len(d)
}

func grown() int {
	size := 100_000
	size /= 4
	g := make([]byte, size)
	return len(g)
}

func bigMap() int {
	m := make(map[int]int, 1_000_000)
	return len(m) + len(packageBuf)
}
