package crossfile

func release(b []byte) {
	bytePool.Put(b[:0]) // want: POOL001
}

func (e *encoder) release(buf []byte) {
	e.bufPool.Put(buf) // want: POOL001
}

// Near misses: a pointer; a method named Put on a type that is not a pool.
func releasePtr(b *[]byte) {
	*b = (*b)[:0]
	ptrPool.Put(b)
}

type registry struct{ items map[string][]byte }

func (r *registry) Put(v []byte) { r.items["last"] = v }

func store(r *registry, b []byte) {
	r.Put(b)
}
