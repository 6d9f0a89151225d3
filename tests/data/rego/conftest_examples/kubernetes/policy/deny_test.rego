package main

test_root_denied if {
	deny_run_as_root["Containers must not run as root in Deployment sample"] with input as {
		"kind": "Deployment",
		"metadata": {"name": "sample"},
	}
}

test_non_root_allowed if {
	count(deny_run_as_root) == 0 with input as {
		"kind": "Deployment",
		"metadata": {"name": "sample"},
		"spec": {"template": {"spec": {"securityContext": {"runAsNonRoot": true}}}},
	}
}

test_service_warns_without_namespace if {
	count(warn_default_namespace) == 1 with input as {"kind": "Service", "metadata": {"name": "s"}}
}
