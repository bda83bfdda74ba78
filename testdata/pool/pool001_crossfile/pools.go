// Package crossfile keeps its pools in one file and uses them in another that does not import sync.
package crossfile

import "sync"

var bytePool = sync.Pool{New: func() any { return make([]byte, 0, 512) }}

var ptrPool = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

type encoder struct {
	bufPool sync.Pool
	name    string
}
