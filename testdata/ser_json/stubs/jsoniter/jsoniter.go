// Package jsoniter is a stub of github.com/json-iterator/go: the signatures the cases call.
package jsoniter

import "io"

// API is the encoding/json-compatible interface of a frozen config.
type API interface {
	Marshal(v any) ([]byte, error)
	Unmarshal(data []byte, v any) error
	NewEncoder(w io.Writer) *Encoder
	NewDecoder(r io.Reader) *Decoder
}

// Config is a configuration to freeze into an API.
type Config struct{ EscapeHTML bool }

// Froze returns the API of the configuration.
func (c Config) Froze() API { return nil }

// Frozen configurations.
var (
	ConfigDefault                       API
	ConfigCompatibleWithStandardLibrary API
	ConfigFastest                       API
)

// Encoder writes JSON values to a writer.
type Encoder struct{}

// Encode writes v.
func (e *Encoder) Encode(v any) error { return nil }

// Decoder reads JSON values from a reader.
type Decoder struct{}

// Decode reads into v.
func (d *Decoder) Decode(v any) error { return nil }

// Marshal encodes v.
func Marshal(v any) ([]byte, error) { return nil, nil }

// Unmarshal decodes data into v.
func Unmarshal(data []byte, v any) error { return nil }

// NewEncoder returns an encoder writing to w.
func NewEncoder(w io.Writer) *Encoder { return &Encoder{} }

// NewDecoder returns a decoder reading from r.
func NewDecoder(r io.Reader) *Decoder { return &Decoder{} }
