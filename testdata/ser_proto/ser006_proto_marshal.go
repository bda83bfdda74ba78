package ser

import (
	"net/http"

	protov1 "github.com/golang/protobuf/proto"
	"google.golang.org/protobuf/proto"
)

func sendAll(msgs []proto.Message, send func([]byte) error) error {
	for _, m := range msgs {
		b, err := proto.Marshal(m) // want: SER006
		if err != nil {
			return err
		}
		if err := send(b); err != nil {
			return err
		}
	}
	return nil
}

type handler struct{ reply proto.Message }

// Once per request in an HTTP handler.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, err := proto.Marshal(h.reply) // want: SER006
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Write(b)
}

// The v1 API under an alias, in a looping goroutine; nested loops.
func pump(batches [][]protov1.Message, out chan<- []byte) {
	go func() {
		for _, batch := range batches {
			for _, m := range batch {
				b, _ := protov1.Marshal(m) // want: SER006
				out <- b
			}
		}
		close(out)
	}()
}

// Near misses.

// Not hot: called once.
func encodeOne(m proto.Message) ([]byte, error) {
	return proto.Marshal(m)
}

// The reused-buffer form the rule recommends.
func sendAllReused(msgs []proto.Message, send func([]byte) error) error {
	var buf []byte
	for _, m := range msgs {
		var err error
		buf, err = proto.MarshalOptions{}.MarshalAppend(buf[:0], m)
		if err != nil {
			return err
		}
		if err := send(buf); err != nil {
			return err
		}
	}
	return nil
}

type codec struct{}

func (codec) Marshal(m proto.Message) ([]byte, error) { return nil, nil }

// A method named Marshal on another type.
func viaCodec(c codec, msgs []proto.Message) int {
	n := 0
	for _, m := range msgs {
		b, _ := c.Marshal(m)
		n += len(b)
	}
	return n
}

// A func literal defined in a loop but not called there.
func deferredEncoders(msgs []proto.Message) []func() ([]byte, error) {
	fs := make([]func() ([]byte, error), 0, len(msgs))
	for _, m := range msgs {
		fs = append(fs, func() ([]byte, error) { return proto.Marshal(m) })
	}
	return fs
}
