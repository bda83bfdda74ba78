package ser

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"io"
	"io/ioutil"
	"log"
	"net/http"
)

type config struct {
	Port int `json:"port"`
}

func decodeBody(r *http.Request) (config, error) {
	var c config
	body, err := io.ReadAll(r.Body) // want: SER002
	if err != nil {
		return c, err
	}
	err = json.Unmarshal(body, &c)
	return c, err
}

type client struct{ last config }

// A method, the legacy ioutil spelling, and Unmarshal as an if initializer.
func (cl *client) load(resp *http.Response) error {
	defer resp.Body.Close()
	data, err := ioutil.ReadAll(resp.Body) // want: SER002
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, &cl.last); err != nil {
		return err
	}
	return nil
}

// Inside a closure.
func loaderFor(r io.Reader) func() (map[string]any, error) {
	return func() (map[string]any, error) {
		m := map[string]any{}
		raw, err := io.ReadAll(r) // want: SER002
		if err != nil {
			return nil, err
		}
		return m, json.Unmarshal(raw, &m)
	}
}

// Near misses.

// The raw bytes are also logged on failure.
func decodeLogged(r io.Reader) (config, error) {
	var c config
	body, err := io.ReadAll(r)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(body, &c); err != nil {
		log.Printf("bad config %q", body)
		return c, err
	}
	return c, nil
}

// The bytes are hashed as well as decoded.
func decodeHashed(r io.Reader) ([32]byte, error) {
	var c config
	body, err := io.ReadAll(r)
	if err != nil {
		return [32]byte{}, err
	}
	return sha256.Sum256(body), json.Unmarshal(body, &c)
}

// Decoded several times, once per target: the buffer is reused.
func decodeInto(r io.Reader, targets []any) error {
	body, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	for _, t := range targets {
		if err := json.Unmarshal(body, t); err != nil {
			return err
		}
	}
	return nil
}

// Only a part is decoded.
func decodeAfterPrefix(r io.Reader) (config, error) {
	var c config
	body, err := io.ReadAll(r)
	if err != nil {
		return c, err
	}
	return c, json.Unmarshal(bytes.TrimPrefix(body, []byte(")]}'\n")), &c)
}
