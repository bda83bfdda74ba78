// A stub of github.com/golang/protobuf (the v1 API) for gostatic's testdata.
module github.com/golang/protobuf

go 1.27
