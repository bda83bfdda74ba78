module gostatic.test/profile

go 1.27
