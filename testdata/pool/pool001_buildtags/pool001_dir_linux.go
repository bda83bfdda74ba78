//go:build linux

package buildtags

import "sync"

type dirInfo struct{ buf *[]byte }

var dirBufPool = sync.Pool{New: func() any { b := make([]byte, 8192); return &b }}

// dirInfo has one declaration per platform: its fields are unknown, so nothing is reported.
func (d *dirInfo) close() {
	if d.buf != nil {
		dirBufPool.Put(d.buf)
		d.buf = nil
	}
}
