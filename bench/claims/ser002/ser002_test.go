// SER002: io.ReadAll then json.Unmarshal, against json.NewDecoder(r).Decode. Issue 12's measurement:
// a 38.7 KB document delivered in 4 KiB reads (as a network body is), decoded into an `any`; the
// variant decodes the same document into a slice of structs.
package ser002

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
)

func loadBad(r io.Reader, v any) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

func loadGood(r io.Reader, v any) error {
	return json.NewDecoder(r).Decode(v)
}

type record struct {
	ID    int      `json:"id"`
	Name  string   `json:"name"`
	Email string   `json:"email"`
	Tags  []string `json:"tags"`
	Score float64  `json:"score"`
}

const records = 366

// document is a JSON array of records, 38,687 bytes.
var document = func() []byte {
	recs := make([]record, records)
	for i := range recs {
		recs[i] = record{
			ID: i, Name: "user name " + strings.Repeat("x", 8), Email: "someone@example.com",
			Tags: []string{"alpha", "beta"}, Score: 0.25,
		}
	}
	b, err := json.Marshal(recs)
	if err != nil {
		panic(err)
	}
	return b
}()

// chunked delivers its data at most 4 KiB per Read.
type chunked struct{ r *bytes.Reader }

func (c *chunked) Read(p []byte) (int, error) {
	if len(p) > 4096 {
		p = p[:4096]
	}
	return c.r.Read(p)
}

func bench[T any](b *testing.B, load func(io.Reader, any) error, check func(T) bool) {
	b.SetBytes(int64(len(document)))
	body := &chunked{bytes.NewReader(document)}
	for range b.N {
		body.r.Reset(document)
		var v T
		if err := load(body, &v); err != nil || !check(v) {
			b.Fatal("decoding failed: ", err)
		}
	}
}

func decodedAny(v any) bool { s, ok := v.([]any); return ok && len(s) == records }

func decodedStruct(v []record) bool { return len(v) == records }

func BenchmarkSER002Bad(b *testing.B)  { bench(b, loadBad, decodedAny) }
func BenchmarkSER002Good(b *testing.B) { bench(b, loadGood, decodedAny) }

func BenchmarkSER002VariantStructBad(b *testing.B)  { bench(b, loadBad, decodedStruct) }
func BenchmarkSER002VariantStructGood(b *testing.B) { bench(b, loadGood, decodedStruct) }

func TestDocumentSize(t *testing.T) {
	if len(document) != 38687 {
		t.Fatalf("document is %d bytes, not the 38.7 KB of issue 12", len(document))
	}
}
