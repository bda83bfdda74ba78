package pool

import (
	"bytes"
	"io"
	"sync"
)

var wbufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getWbuf() *bytes.Buffer { return wbufPool.Get().(*bytes.Buffer) }

func putWbuf(b *bytes.Buffer) {
	if b.Cap() > 1<<20 {
		return
	}
	wbufPool.Put(b)
}

func getCleanWbuf() *bytes.Buffer {
	b := wbufPool.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

func putCleanWbuf(b *bytes.Buffer) {
	if b.Len() > 1<<20 {
		return
	}
	b.Reset()
	wbufPool.Put(b)
}

type wbufCache struct{ pool sync.Pool }

func (c *wbufCache) get() *bytes.Buffer { return c.pool.Get().(*bytes.Buffer) }

func (c *wbufCache) put(b *bytes.Buffer) {
	if b.Cap() <= 1<<20 {
		c.pool.Put(b)
	}
}

// Positives: helpers that wrap Get and Put, neither resets.

func writeTo(w io.Writer, s string) error {
	b := getWbuf()
	b.WriteString(s)
	_, err := w.Write(b.Bytes())
	putWbuf(b) // want: POOL002
	return err
}

func writeDeferred(w io.Writer, s string) error {
	b := getWbuf()
	defer putWbuf(b) // want: POOL002
	b.WriteString(s)
	_, err := w.Write(b.Bytes())
	return err
}

func (c *wbufCache) writeCached(w io.Writer, s string) error {
	b := c.get()
	b.WriteString(s)
	_, err := w.Write(b.Bytes())
	c.put(b) // want: POOL002
	return err
}

// Near misses: the getter or the putter resets.

func writeCleanGet(w io.Writer, s string) error {
	b := getCleanWbuf()
	b.WriteString(s)
	_, err := w.Write(b.Bytes())
	putWbuf(b)
	return err
}

func writeCleanPut(w io.Writer, s string) error {
	b := getWbuf()
	defer putCleanWbuf(b)
	b.WriteString(s)
	_, err := w.Write(b.Bytes())
	return err
}

func (c *wbufCache) writeCachedReset(w io.Writer, s string) error {
	b := c.get()
	b.Reset()
	b.WriteString(s)
	_, err := w.Write(b.Bytes())
	c.put(b)
	return err
}
