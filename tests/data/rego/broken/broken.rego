package main

deny contains msg if {
	input.kind == "Pod"
	msg := "pods are denied"

warn contains "never closed above"
