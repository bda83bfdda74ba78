package esc

import "sync"

// `return &b` in a sync.Pool's New is the idiom POOL001 recommends.
var slicePool = sync.Pool{New: func() any {
	b := make([]byte, 0, 512)
	return &b
}}

func newSlicePool() *sync.Pool {
	p := &sync.Pool{}
	p.New = func() any {
		var b [64]byte
		return &b
	}
	return p
}

// Positive: the same body outside a pool.
func newSlice() any {
	b := make([]byte, 0, 512)
	return &b // want: ESC003
}

func useSlicePool() any { return slicePool.Get() }
