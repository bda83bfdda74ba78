// Package sonic is a stub of github.com/bytedance/sonic: the signatures the cases call.
package sonic

import "io"

// Encoder writes JSON values to a writer.
type Encoder interface{ Encode(v any) error }

// Decoder reads JSON values from a reader.
type Decoder interface{ Decode(v any) error }

// API is the encoding/json-compatible interface of a frozen config.
type API interface {
	Marshal(v any) ([]byte, error)
	Unmarshal(data []byte, v any) error
	NewEncoder(w io.Writer) Encoder
	NewDecoder(r io.Reader) Decoder
}

// Frozen configurations.
var (
	ConfigDefault API
	ConfigStd     API
	ConfigFastest API
)

// Marshal encodes v with ConfigDefault.
func Marshal(v any) ([]byte, error) { return nil, nil }

// Unmarshal decodes data into v with ConfigDefault.
func Unmarshal(data []byte, v any) error { return nil }
