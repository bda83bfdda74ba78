//go:build unix

package twins

import "sync"

type listener struct{ scratch []byte }

var scratchPool = sync.Pool{New: func() any { return make([]byte, 0, 1024) }}

func (l *listener) close() {
	scratchPool.Put(l.scratch) // want: POOL001
}
