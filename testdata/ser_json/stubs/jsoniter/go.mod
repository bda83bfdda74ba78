// A stub of github.com/json-iterator/go for gostatic's testdata.
module github.com/json-iterator/go

go 1.27
