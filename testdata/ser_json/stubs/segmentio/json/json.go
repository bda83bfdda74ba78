// Package json is a stub of github.com/segmentio/encoding/json: the signatures the cases call.
package json

import "io"

// Marshal encodes v.
func Marshal(v any) ([]byte, error) { return nil, nil }

// Unmarshal decodes data into v.
func Unmarshal(data []byte, v any) error { return nil }

// Encoder writes JSON values to a writer.
type Encoder struct{}

// Encode writes v.
func (e *Encoder) Encode(v any) error { return nil }

// Decoder reads JSON values from a reader.
type Decoder struct{}

// Decode reads into v.
func (d *Decoder) Decode(v any) error { return nil }

// NewEncoder returns an encoder writing to w.
func NewEncoder(w io.Writer) *Encoder { return &Encoder{} }

// NewDecoder returns a decoder reading from r.
func NewDecoder(r io.Reader) *Decoder { return &Decoder{} }
