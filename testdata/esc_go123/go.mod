module gostatic.test/escgo123

go 1.23
