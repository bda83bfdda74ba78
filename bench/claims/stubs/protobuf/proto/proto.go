// Package proto stands in for google.golang.org/protobuf/proto in the SER006 benchmark. It keeps the
// real package's allocation behaviour for messages with a fast-path size method: Marshal sizes the
// message and allocates one []byte of exactly that size (MarshalOptions.marshal with a nil buffer
// calls growcap(nil, size)), and MarshalAppend appends to the caller's buffer, allocating only when it
// is too small.
package proto

// Message stands in for protoreflect.ProtoMessage. The real interface reaches the encoder through
// ProtoReflect; the stand-in asks the message for its size and wire bytes directly.
type Message interface {
	ProtoReflect()
	Size() int
	AppendWire(b []byte) []byte
}

// Marshal returns the wire encoding of m in a new slice of its exact size.
func Marshal(m Message) ([]byte, error) {
	return MarshalOptions{}.MarshalAppend(nil, m)
}

// MarshalOptions configures the marshaler.
type MarshalOptions struct{ Deterministic bool }

// MarshalAppend appends the wire encoding of m to b.
func (o MarshalOptions) MarshalAppend(b []byte, m Message) ([]byte, error) {
	if n := m.Size(); cap(b)-len(b) < n {
		nb := make([]byte, len(b), len(b)+n)
		copy(nb, b)
		b = nb
	}
	return m.AppendWire(b), nil
}
