package serjson

import (
	"io"
	"net/http"
	"os"

	"github.com/bytedance/sonic"
	segjson "github.com/segmentio/encoding/json"
)

type payload struct{ Name string }

// json is jsoniter.ConfigCompatibleWithStandardLibrary, declared in config.go.
func serveConfig(w http.ResponseWriter, v payload) error {
	b, err := json.Marshal(v) // want: SER001
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func writeFrozen(w io.Writer, v payload) error {
	b, err := fastJSON.Marshal(v) // want: SER001
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func writeSonic(w io.Writer, v payload) error {
	b, err := sonic.Marshal(v) // want: SER001
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func writeSonicStd(v payload) error {
	b, err := sonic.ConfigStd.Marshal(v) // want: SER001
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(b)
	return err
}

func writeSegment(w io.Writer, v payload) error {
	b, err := segjson.Marshal(v) // want: SER001
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Near misses.

type codec struct{}

func (codec) Marshal(v any) ([]byte, error) { return nil, nil }

// A type of this package with a Marshal method: not a JSON API.
func writeCodec(w io.Writer, c codec, v payload) error {
	b, err := c.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// The bytes are used for something else too.
func writeAndLen(w http.ResponseWriter, v payload) (int, error) {
	b, err := sonic.Marshal(v)
	if err != nil {
		return 0, err
	}
	_, err = w.Write(b)
	return len(b), err
}
