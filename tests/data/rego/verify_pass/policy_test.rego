package main

test_pod_denied if {
	deny["pods are denied"] with input as {"kind": "Pod"}
}

todo_test_later if {
	false
}
