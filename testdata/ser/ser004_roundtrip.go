package ser

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
)

// []byte(buf.String()) written: pass buf.Bytes().
func flushTo(w io.Writer, buf *bytes.Buffer) error {
	_, err := w.Write([]byte(buf.String())) // want: SER004
	return err
}

// []byte(buf.String()) kept: one copy with bytes.Clone (unsafe fix).
func snapshot(buf *bytes.Buffer) []byte {
	return []byte(buf.String()) // want: SER004
}

// string(buf.Bytes()) passed to writers.
func dump(w io.Writer, out *bufio.Writer, buf bytes.Buffer) {
	fmt.Fprint(w, string(buf.Bytes()))      // want: SER004
	io.WriteString(w, string(buf.Bytes()))  // want: SER004
	out.WriteString(string(buf.Bytes()))    // want: SER004
	fmt.Fprintln(os.Stdout, string(buf.Bytes())) // want: SER004
}

type page struct{ title string }

// w.Write([]byte(s)) on an interface writer: io.WriteString.
func (p page) serve(w http.ResponseWriter, r *http.Request) {
	w.Write([]byte(p.title)) // want: SER004
}

// Near miss: a non-constant concatenation converts straight into bytes.
func (p page) heading(w http.ResponseWriter) {
	w.Write([]byte("<h1>" + p.title + "</h1>"))
}

// On a type with WriteString: call it directly.
func emit(bw *bufio.Writer, lines []string) error {
	for _, l := range lines {
		if _, err := bw.Write([]byte(l)); err != nil { // want: SER004
			return err
		}
	}
	return bw.Flush()
}

// Near misses.

// The bytes are modified after the copy: a real copy is needed, and it is a single one.
func upper(s string) []byte {
	b := []byte(s)
	for i := range b {
		if 'a' <= b[i] && b[i] <= 'z' {
			b[i] -= 'a' - 'A'
		}
	}
	return b
}

// string(buf.Bytes()) kept as a string, not written.
func asText(buf *bytes.Buffer) string {
	return string(buf.Bytes()[1:])
}

type recorder struct{ got [][]byte }

// Write does not have the io.Writer signature: the conversion may be kept.
func (r *recorder) Write(p []byte) { r.got = append(r.got, p) }

func record(r *recorder, s string) {
	r.Write([]byte(s))
}

// Not a string: a []byte conversion of a named byte slice type.
type raw []byte

func sendRaw(w io.Writer, b raw) {
	w.Write([]byte(b))
}
