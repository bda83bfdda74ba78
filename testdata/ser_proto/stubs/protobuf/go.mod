// A stub of google.golang.org/protobuf for gostatic's testdata: only the names the SER006 cases use.
module google.golang.org/protobuf

go 1.27
