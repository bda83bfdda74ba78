// A stub of github.com/goccy/go-json for gostatic's testdata.
module github.com/goccy/go-json

go 1.27
