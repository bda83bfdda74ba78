module gostatic.test/testdata

go 1.27
