// A stub of github.com/gogo/protobuf for gostatic's testdata.
module github.com/gogo/protobuf

go 1.27
