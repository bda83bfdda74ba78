package pool

import "sync"

type encodeState struct {
	n    int
	done bool
}

var statePool = sync.Pool{New: func() any { return new(encodeState) }}

func fill(e *encodeState) { e.n++ }

// Ownership handed to the caller: the deferred Put runs only while `release` is still true.
func takeState() *encodeState {
	e := statePool.Get().(*encodeState)
	release := true
	defer func() {
		if release {
			statePool.Put(e)
		}
	}()
	fill(e)
	release = false
	return e
}

// The same with the flag inverted.
func takeStateOK(fail bool) *encodeState {
	e := statePool.Get().(*encodeState)
	ok := false
	defer func() {
		if !ok {
			statePool.Put(e)
		}
	}()
	if fail {
		return nil
	}
	fill(e)
	ok = true
	return e
}

// A use guarded by a flag that the Put's branch clears.
func guardedUse(fail bool) {
	e := statePool.Get().(*encodeState)
	ok := true
	if fail {
		statePool.Put(e)
		ok = false
	}
	if ok {
		fill(e)
		statePool.Put(e)
	}
}

// A Put inside a goroutine closure, on another path than the use.
func asyncOrNot(async bool) {
	e := statePool.Get().(*encodeState)
	if async {
		go func() {
			fill(e)
			statePool.Put(e)
		}()
		return
	}
	fill(e)
	statePool.Put(e)
}

// Positives: the flag is cleared only on some other path, or not a plain constant.
func takeStateLeaky(fail bool) *encodeState {
	e := statePool.Get().(*encodeState)
	release := true
	defer func() {
		if release {
			statePool.Put(e) // want: POOL003
		}
	}()
	fill(e)
	return e
}

func guardedWrongWay(fail bool) {
	e := statePool.Get().(*encodeState)
	ok := true
	if fail {
		statePool.Put(e) // want: POOL003
		ok = true
	}
	if ok {
		fill(e)
	}
}
