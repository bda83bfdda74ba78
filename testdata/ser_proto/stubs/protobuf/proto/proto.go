// Package proto is a stub of google.golang.org/protobuf/proto: the signatures SER006's cases call,
// with no encoding behind them.
package proto

// Message stands in for protoreflect.ProtoMessage.
type Message interface{ ProtoReflect() }

// Marshal returns the wire encoding of m (the stub returns nothing).
func Marshal(m Message) ([]byte, error) { return nil, nil }

// MarshalOptions configures the marshaler.
type MarshalOptions struct{ Deterministic bool }

// MarshalAppend appends the wire encoding of m to b.
func (o MarshalOptions) MarshalAppend(b []byte, m Message) ([]byte, error) { return b, nil }
