// SER004: w.Write([]byte(name)) on an http.ResponseWriter, against io.WriteString(w, name).
package ser004

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gostatic.bench/claims/internal/claim"
)

func helloBad(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("name")
	w.Write([]byte(name))
}

func helloGood(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("name")
	io.WriteString(w, name)
}

// A request whose form is already parsed (FormValue parses once per request), with a 64-byte name.
func bench(b *testing.B, hello func(http.ResponseWriter, *http.Request)) {
	r := &http.Request{Method: "GET", Form: url.Values{"name": {strings.Repeat("n", 64)}}}
	w := claim.NewResponseWriter()
	for range b.N {
		hello(w, r)
	}
}

func BenchmarkSER004Bad(b *testing.B)  { bench(b, helloBad) }
func BenchmarkSER004Good(b *testing.B) { bench(b, helloGood) }
