// Package reflectlike stands for reflect's own caches, which only the standard library can write: it
// imports internal/abi, so it lives in a directory the go tool skips (its name starts with "_").
//
// A cache keyed by type descriptors (`*abi.Type`, a struct wrapping one, a key struct made of them) is
// bounded by the program's types, not by its input: RET001 does not report it.
package reflectlike

import (
	"internal/abi"
	"sync"
)

type rtype struct{ t abi.Type }

type funcType = abi.FuncType

type cacheKey struct {
	t1    *abi.Type
	kind  uint
	extra uintptr
}

type layoutKey struct {
	ftyp *funcType
	rcvr *abi.Type
}

var (
	ptrMap      sync.Map // map[*rtype]*rtype
	lookupCache = map[cacheKey]*rtype{}
	layoutCache = map[layoutKey]int{}
	byName      = map[string]*rtype{}
)

func pointerTo(t *rtype) *rtype {
	if p, ok := ptrMap.Load(t); ok {
		return p.(*rtype)
	}
	p := &rtype{}
	ptrMap.LoadOrStore(t, p)
	return p
}

func lookup(k cacheKey, t *rtype) {
	lookupCache[k] = t
}

func layout(ft *funcType, rcvr *abi.Type, size int) {
	layoutCache[layoutKey{ft, rcvr}] = size
}

// Near miss: a key the program's input decides.
func remember(name string, t *rtype) {
	byName[name] = t // want: RET001
}
