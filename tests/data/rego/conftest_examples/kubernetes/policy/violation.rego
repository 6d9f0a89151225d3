package main

import data.kubernetes

violation_load_balancer contains {"msg": msg, "details": {"type": input.spec.type}} if {
	kubernetes.is_service
	input.spec.type == "LoadBalancer"
	msg := sprintf("Service %s has type LoadBalancer which is not allowed", [input.metadata.name])
}
