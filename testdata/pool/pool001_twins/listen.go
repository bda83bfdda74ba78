//go:build !unix

// Package twins declares the same listener per platform, as real code does: only the files the go tool
// compiles for linux/amd64 are analysed, so identical code gets one answer.
package twins

import "sync"

type listener struct{ scratch []byte }

var scratchPool = sync.Pool{New: func() any { return make([]byte, 0, 1024) }}

func (l *listener) close() {
	scratchPool.Put(l.scratch)
}
