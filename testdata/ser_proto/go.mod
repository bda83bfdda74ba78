// SER006 needs the protobuf import paths (three: v2, v1 and gogo), which the standard-library-only testdata module cannot fetch
// (no module proxy). This nested module replaces both with tiny local stubs under stubs/ that declare
// just the API the cases call, so `go build ./...` here still type-checks the cases.
module gostatic.test/serproto

go 1.27

require (
	github.com/gogo/protobuf v1.3.2
	github.com/golang/protobuf v1.5.4
	google.golang.org/protobuf v1.36.0
)

replace (
	github.com/gogo/protobuf => ./stubs/gogo-protobuf
	github.com/golang/protobuf => ./stubs/golang-protobuf
	google.golang.org/protobuf => ./stubs/protobuf
)
