package serjson

import (
	"io"

	"github.com/bytedance/sonic"
	gojson "github.com/goccy/go-json"
	jsoniter "github.com/json-iterator/go"
)

func loadGoccy(r io.Reader, v *payload) error {
	data, err := io.ReadAll(r) // want: SER002
	if err != nil {
		return err
	}
	return gojson.Unmarshal(data, v)
}

func loadSonic(r io.Reader, v *payload) error {
	data, err := io.ReadAll(r) // want: SER002
	if err != nil {
		return err
	}
	return sonic.Unmarshal(data, v)
}

func loadConfig(r io.Reader, v *payload) error {
	data, err := io.ReadAll(r) // want: SER002
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

func loadIter(r io.Reader, v *payload) error {
	data, err := io.ReadAll(r) // want: SER002
	if err != nil {
		return err
	}
	return jsoniter.Unmarshal(data, v)
}

// Near misses: the bytes are also used; a decoder already.
func loadAndKeep(r io.Reader, v *payload) ([]byte, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return data, gojson.Unmarshal(data, v)
}

func decodeIter(r io.Reader, v *payload) error {
	return jsoniter.NewDecoder(r).Decode(v)
}
