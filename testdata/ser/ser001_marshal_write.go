package ser

import (
	"bytes"
	enc "encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
)

type payload struct {
	Name string `json:"name"`
}

// The handler idiom: marshal, check, write.
func servePayload(w http.ResponseWriter, r *http.Request) {
	p := payload{Name: r.URL.Path}
	b, err := enc.Marshal(p) // want: SER001
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Write(b)
}

type exporter struct {
	out io.Writer
}

// A method writing through fmt with the aliased package.
func (e *exporter) export(p payload) error {
	data, err := enc.Marshal(p) // want: SER001
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprint(e.out, string(data))
	return nil
}

// The write's error lands in the marshal's err.
func saveTo(f *os.File, p payload) error {
	b, err := enc.Marshal(p) // want: SER001
	_, err = f.Write(b)
	return err
}

// A closure; Fprintln writes the same newline Encode does.
func logger(w io.Writer) func(payload) {
	return func(p payload) {
		b, _ := enc.Marshal(p) // want: SER001
		fmt.Fprintln(w, string(b))
	}
}

// A value bytes.Buffer becomes &buf in the fix.
func buffered(p payload) string {
	var buf bytes.Buffer
	b, err := enc.Marshal(p) // want: SER001
	if err != nil {
		return ""
	}
	buf.Write(b)
	return buf.String()
}

type lineWriter struct{ n *int }

func (lw lineWriter) Write(p []byte) (int, error) {
	*lw.n += len(p)
	return len(p), nil
}

// A package type with an io.Writer Write method; the header set in between blocks the fix.
func toLines(lw lineWriter, w http.ResponseWriter, p payload) {
	b, err := enc.Marshal(p) // want: SER001
	if err != nil {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(lw, "%s", b)
}

// Near misses.

// b is also used for the Content-Length header: the buffering is needed.
func withLength(w http.ResponseWriter, p payload) {
	b, err := enc.Marshal(p)
	if err != nil {
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}

// Written many times: one Marshal serves every writer.
func broadcast(ws []io.Writer, p payload) {
	b, err := enc.Marshal(p)
	if err != nil {
		return
	}
	for _, w := range ws {
		w.Write(b)
	}
}

// Returned, not written.
func encodeOnly(p payload) ([]byte, error) {
	b, err := enc.Marshal(p)
	return b, err
}

type sink struct{ last string }

// Write with a different signature: not an io.Writer.
func (s *sink) Write(v []byte) { s.last = string(v) }

func toSink(s *sink, p payload) {
	b, _ := enc.Marshal(p)
	s.Write(b)
}

// Only part of the document is written.
func prefix(w io.Writer, p payload) {
	b, _ := enc.Marshal(p)
	w.Write(b[:1])
}

// b declared before: the marshal only assigns it.
func reassigned(w io.Writer, p payload) {
	var b []byte
	var err error
	b, err = enc.Marshal(p)
	if err == nil {
		w.Write(b)
	}
}

type eventLog struct{ w io.Writer }

// A newline appended before the write: exactly what Encode produces.
func (l *eventLog) emit(p payload) {
	js, err := enc.Marshal(p) // want: SER001
	if err != nil {
		fmt.Fprintf(l.w, "internal error: %v\n", err)
		return
	}
	js = append(js, '\n')
	l.w.Write(js)
}

// Near miss: more than a newline is appended.
func (l *eventLog) emitTagged(p payload) {
	js, _ := enc.Marshal(p)
	js = append(js, " #tag\n"...)
	l.w.Write(js)
}
