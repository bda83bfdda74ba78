// A stub of github.com/bytedance/sonic for gostatic's testdata.
module github.com/bytedance/sonic

go 1.27
