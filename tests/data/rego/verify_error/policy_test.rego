package main

test_divides_by_zero if {
	x := 1 / 0
	x == 1
}
