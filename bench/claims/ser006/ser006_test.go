// SER006: proto.Marshal per message in a loop, against MarshalAppend into one reused buffer. The
// protobuf module is the local stand-in under stubs/ (no module proxy here), which allocates as the
// real one does for a generated message: Marshal one exact-size slice per message, MarshalAppend only
// when the buffer is too small.
package ser006

import (
	"testing"

	"google.golang.org/protobuf/proto"
)

func sendBad(msgs []proto.Message, out chan<- []byte) error {
	for _, m := range msgs {
		b, err := proto.Marshal(m)
		if err != nil {
			return err
		}
		out <- b
	}
	return nil
}

func sendGood(msgs []proto.Message, w func([]byte)) error {
	var buf []byte
	for _, m := range msgs {
		var err error
		buf, err = proto.MarshalOptions{}.MarshalAppend(buf[:0], m)
		if err != nil {
			return err
		}
		w(buf)
	}
	return nil
}

// event is a message of 200 wire bytes.
type event struct{ payload [200]byte }

func (*event) ProtoReflect()                {}
func (e *event) Size() int                  { return len(e.payload) }
func (e *event) AppendWire(b []byte) []byte { return append(b, e.payload[:]...) }

func messages() []proto.Message {
	msgs := make([]proto.Message, 32)
	for i := range msgs {
		msgs[i] = &event{}
	}
	return msgs
}

var written int

func BenchmarkSER006Bad(b *testing.B) {
	msgs := messages()
	out := make(chan []byte, len(msgs))
	b.ResetTimer()
	for range b.N {
		if err := sendBad(msgs, out); err != nil {
			b.Fatal(err)
		}
		for range len(msgs) {
			written += len(<-out)
		}
	}
}

func BenchmarkSER006Good(b *testing.B) {
	msgs := messages()
	w := func(p []byte) { written += len(p) }
	b.ResetTimer()
	for range b.N {
		if err := sendGood(msgs, w); err != nil {
			b.Fatal(err)
		}
	}
}
