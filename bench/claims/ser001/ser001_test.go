// SER001: json.Marshal whose result is only written to the http.ResponseWriter, against
// json.NewEncoder(w).Encode.
package ser001

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"gostatic.bench/claims/internal/claim"
)

func serveBad(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Write(b)
}

func serveGood(w http.ResponseWriter, v any) {
	err := json.NewEncoder(w).Encode(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
}

type item struct {
	ID    int      `json:"id"`
	Name  string   `json:"name"`
	Tags  []string `json:"tags"`
	Score float64  `json:"score"`
}

// document is a response of 100 items, about 10 KB of JSON.
func document() []item {
	items := make([]item, 100)
	for i := range items {
		items[i] = item{ID: i, Name: strings.Repeat("n", 40), Tags: []string{"alpha", "beta"}, Score: 1.5}
	}
	return items
}

func bench(b *testing.B, serve func(http.ResponseWriter, any)) {
	w := claim.NewResponseWriter()
	v := document()
	b.ResetTimer()
	for range b.N {
		serve(w, v)
	}
}

func BenchmarkSER001Bad(b *testing.B)  { bench(b, serveBad) }
func BenchmarkSER001Good(b *testing.B) { bench(b, serveGood) }
