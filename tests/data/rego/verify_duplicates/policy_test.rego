package main

# OPA runs each definition of a repeated test name on its own: test_twice#01 fails
# even though the first test_twice passes.
test_twice if {
	1 == 1
}

test_twice if {
	1 == 2
}

test_once if {
	true
}
