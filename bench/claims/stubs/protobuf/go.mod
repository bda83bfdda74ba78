// A stand-in for google.golang.org/protobuf: only what SER006's examples call (no module proxy here).
module google.golang.org/protobuf

go 1.27
