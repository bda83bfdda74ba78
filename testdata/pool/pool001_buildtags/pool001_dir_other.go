//go:build !linux

package buildtags

import "sync"

type dirInfo struct{ buf [8192]byte }

var dirBufPool = sync.Pool{New: func() any { return new(dirInfo) }}

func (d *dirInfo) close() {
	dirBufPool.Put(d)
}
