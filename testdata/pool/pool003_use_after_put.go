package pool

import (
	"bytes"
	"io"
	"sync"
)

var outPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

var framePool = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

// Positives.

func encodeBytes(s string) []byte {
	buf := outPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer outPool.Put(buf) // want: POOL003 POOL005
	buf.WriteString(s)
	return buf.Bytes()
}

func encodePrefix(s string, n int) []byte {
	buf := outPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() < 1<<16 {
			outPool.Put(buf) // want: POOL003
		}
	}()
	buf.WriteString(s)
	return buf.Bytes()[:n]
}

func frame(payload []byte) []byte {
	bp := framePool.Get().(*[]byte)
	defer framePool.Put(bp) // want: POOL003
	*bp = (*bp)[:0]
	return (*bp)[:copy(*bp, payload)]
}

func writeThenRead(w io.Writer, s string) (int, error) {
	buf := outPool.Get().(*bytes.Buffer)
	buf.Reset()
	buf.WriteString(s)
	if buf.Cap() > 1<<16 {
		return 0, nil
	}
	outPool.Put(buf) // want: POOL003
	return w.Write(buf.Bytes())
}

func leakPointer(s string) *bytes.Buffer {
	buf := outPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer outPool.Put(buf) // want: POOL003 POOL005
	buf.WriteString(s)
	return buf
}

// Near misses.

func encodeString(s string) string {
	buf := outPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer outPool.Put(buf) // want: POOL005
	buf.WriteString(s)
	return buf.String()
}

func encodeCopy(s string) []byte {
	buf := outPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer outPool.Put(buf) // want: POOL005
	buf.WriteString(s)
	return bytes.Clone(buf.Bytes())
}

func writeBeforePut(w io.Writer, s string) (int, error) {
	buf := outPool.Get().(*bytes.Buffer)
	buf.Reset()
	buf.WriteString(s)
	n, err := w.Write(buf.Bytes())
	if buf.Cap() <= 1<<16 {
		outPool.Put(buf)
	}
	return n, err
}

func putOnErrorPath(w io.Writer, s string) error {
	buf := outPool.Get().(*bytes.Buffer)
	buf.Reset()
	if s == "" {
		outPool.Put(buf) // want: POOL005
		return io.ErrShortWrite
	}
	buf.WriteString(s)
	_, err := w.Write(buf.Bytes())
	outPool.Put(buf) // want: POOL005
	return err
}

func reuseAfterPut(s string) string {
	buf := outPool.Get().(*bytes.Buffer)
	buf.Reset()
	outPool.Put(buf) // want: POOL005
	buf = new(bytes.Buffer)
	buf.WriteString(s)
	return buf.String()
}

func stringAfterPut(s string) string {
	buf := outPool.Get().(*bytes.Buffer)
	buf.Reset()
	buf.WriteString(s)
	defer outPool.Put(buf) // want: POOL005
	if len(s) > 10 {
		return buf.String()
	}
	return s
}

type dirState struct {
	buf  *[]byte
	name string
}

func (d *dirState) close() {
	if d.buf != nil {
		framePool.Put(d.buf)
		d.buf = nil
	}
}

func closeThenName(d *dirState) string {
	d.close()
	return d.name // d itself was not pooled, only d.buf
}
