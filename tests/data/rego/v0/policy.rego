package main

deny[msg] {
	input.kind == "Pod"
	msg := "pods are denied"
}
