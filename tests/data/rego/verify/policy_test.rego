package main

test_pod_denied if {
	deny["pods are denied"] with input as {"kind": "Pod"}
}

test_deployment_allowed if {
	count(deny) == 0 with input as {"kind": "Deployment"}
}

test_wrong_expectation if {
	count(deny) == 1 with input as {"kind": "Service"}
}

todo_test_later if {
	false
}

test_double[name] if {
	some name, tc in {"one": [1, 2], "two": [2, 4], "broken": [3, 7]}
	double(tc[0]) == tc[1]
}
