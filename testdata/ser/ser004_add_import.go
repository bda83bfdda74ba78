package ser

import "net/http"

// The fix adds the io import.
func greet(w http.ResponseWriter, name string) {
	w.Write([]byte(name)) // want: SER004
}

// Near miss: []byte of a concatenation is built directly as bytes; io.WriteString would not save a copy.
func greetLong(w http.ResponseWriter, name string) {
	w.Write([]byte("hello, " + name + "!"))
}

type chunkWriter struct{ n int }

func (c *chunkWriter) Write(p []byte) (int, error) {
	c.n += len(p)
	return len(p), nil
}

func (c *chunkWriter) WriteString(s string) (int, error) {
	c.n += len(s)
	return len(s), nil
}

// A package writer type that has WriteString: call it.
func countGreeting(name string) int {
	var c chunkWriter
	c.Write([]byte(name)) // want: SER004
	return c.n
}

type plainWriter struct{ n int }

func (p *plainWriter) Write(b []byte) (int, error) {
	p.n += len(b)
	return len(b), nil
}

// Near miss: a concrete type without WriteString; io.WriteString would convert just the same.
func countPlain(name string) int {
	var p plainWriter
	p.Write([]byte(name))
	return p.n
}

// A package interface that embeds io.Writer's method.
type flusher interface {
	Write(p []byte) (n int, err error)
	Flush() error
}

func greetFlush(f flusher, name string) error {
	if _, err := f.Write([]byte(name)); err != nil { // want: SER004
		return err
	}
	return f.Flush()
}

type escaper struct{ w flusher }

func (e escaper) Write(p []byte) (int, error) { return e.w.Write(p) }

// Near miss: inside a WriteString method the Write call is the implementation (the suggested
// e.WriteString(s) would call itself).
func (e escaper) WriteString(s string) (int, error) {
	return e.Write([]byte(s))
}
