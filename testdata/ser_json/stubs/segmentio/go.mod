// A stub of github.com/segmentio/encoding for gostatic's testdata.
module github.com/segmentio/encoding

go 1.27
