package main

deny contains "x" if input.kind == "X"
